"""Supplier-supplied HTML (product introductions) made safe to show staff: markup for text, tables and images
only; no scripts, event handlers, styles, forms, frames or embedded objects; links and images over http(s).

ammonia (through nh3) parses the HTML as a browser would and keeps only what is allowed, so malformed or
nested tricks cannot smuggle anything through.
"""
import nh3
from django.utils.safestring import mark_safe

TAGS = {
    "p", "br", "hr", "div", "span", "blockquote", "pre", "code", "h1", "h2", "h3", "h4", "h5", "h6",
    "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "font", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "img", "a",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "*": {"align"},
}


def safe_html(html):
    """`html` with everything but harmless markup taken out (the text of scripts and styles too), safe to embed."""
    if not html:
        return ""
    return mark_safe(_clean(html))


def _clean(html):
    return nh3.clean(
        str(html), tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https"},
        url_relative="deny",  # a relative address would point into the admin itself
        link_rel="noopener noreferrer nofollow", set_tag_attribute_values={"a": {"target": "_blank"}},
        strip_comments=True,
        clean_content_tags={"script", "style", "iframe", "frame", "frameset", "object", "embed", "noscript",
                            "template", "svg", "math"},
    )
