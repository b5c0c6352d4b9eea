"""A SKU's content as a reviewer reads it: names instead of codes (category, brand, promises, parameters with
their units), the introduction sanitised, images as thumbnails, prices beside the rule they are checked against.

`Names.load(...)` reads what the contents name in four queries, whatever their size.
"""
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from catalog.content import LABELS
from catalog.models import Category, CategoryParam
from catalog.validation import check_prices
from procurement.kernel.safehtml import safe_html
from procurement.models import Brand, Promise

EMPTY = "—"


@dataclass
class Names:
    categories: dict  # code → Category
    params: dict  # attribute id → CategoryParam (of the contents' categories)
    brands: dict  # code → Brand
    promises: dict  # code → Promise

    @classmethod
    def load(cls, *contents):
        contents = [content for content in contents if content]
        codes = {content.get("category") for content in contents} - {None, ""}
        params = {}
        for param in CategoryParam.objects.filter(category__code__in=codes).order_by("order"):
            params.setdefault(param.attribute_id, param)
        brands = {content.get("brand") for content in contents} - {None, ""}
        promises = {code for content in contents for code in content.get("promises") or ()}
        return cls(
            categories={c.code: c for c in Category.objects.filter(code__in=codes)}, params=params,
            brands={b.code: b for b in Brand.objects.filter(code__in=brands)},
            promises={p.code: p for p in Promise.objects.filter(code__in=promises)},
        )

    def param_label(self, attribute_id):
        param = self.params.get(attribute_id)
        if param is None:
            return format_html('参数 <span class="code">{}</span>（非标准参数项）', attribute_id)
        unit = f"（{param.unit}）" if param.unit else ""
        return format_html('{}{} <span class="code">{}</span>', param.name, unit, attribute_id)


def shown(key, value, names):
    """One content value as HTML, by what the key holds."""
    if value in (None, "", [], {}):
        return EMPTY
    show = _SHOW.get(key)
    return show(value, names) if show else str(value)


def _category(code, names):
    category = names.categories.get(code)
    if category is None:
        return format_html('<span class="bad">品目不存在</span> <span class="code">{}</span>', code)
    return format_html('{} <span class="code">{}</span>', category.name, code)


def _brand(code, names):
    brand = names.brands.get(code)
    if brand is None:
        return format_html('<span class="bad">不在品牌库</span> <span class="code">{}</span>', code)
    english = f" {brand.english_name}" if brand.english_name else ""
    return format_html('{}{} <span class="code">{}</span>', brand.name, english, code)


def _promises(codes, names):
    def one(code):
        promise = names.promises.get(code)
        if promise is None:
            return format_html('<span class="bad">不存在</span> <span class="code">{}</span>', code)
        return format_html('{}：{} <span class="code">{}</span>', promise.get_kind_display(), promise.name, code)

    return format_html_join(mark_safe("<br>"), "{}", ((one(code),) for code in codes))


def _images(urls, names):
    return format_html('<div class="sku-images">{}</div>', format_html_join(
        "", '<a href="{}" target="_blank" rel="noopener noreferrer"><img src="{}" alt="商品图片 {}" loading="lazy"></a>',
        ((url, url, number) for number, url in enumerate(urls, 1))))


def _image(url, names):
    return _images([url], names)


def _link(url, names):
    return format_html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', url, url)


def _attachments(documents, names):
    return format_html_join(mark_safe("<br>"), '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
                            ((d.get("url", ""), d.get("name") or d.get("url", "")) for d in documents))


def _introduction(html, names):
    return format_html('<div class="intro">{}</div>', safe_html(html))


def _attributes(values, names):
    rows = ((names.param_label(attribute_id), value) for attribute_id, value in sorted(values.items()))
    return format_html('<table class="facts">{}</table>',
                       format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows))


_SHOW = {"category": _category, "brand": _brand, "promises": _promises, "images": _images, "main_image": _image,
         "url": _link, "attachments": _attachments, "introduction": _introduction, "attributes": _attributes}


def content_table(content, names):
    """Every part of a version's content, labelled, in the order of the contract."""
    rows = [(label, shown(key, content.get(key), names)) for key, label in LABELS.items() if key in content]
    return _table(("项目", "内容"), rows)


def named_diff(before, after, names):
    """[(label, before, after)] of every part that differs, parameters one by one; `before` None: all is new."""
    before = before or {}
    rows = []
    for key, label in LABELS.items():
        if key == "attributes":
            rows += _attribute_changes(before.get(key) or {}, after.get(key) or {}, names)
        elif before.get(key) != after.get(key):
            rows.append((label, shown(key, before.get(key), names), shown(key, after.get(key), names)))
    return rows


def _attribute_changes(before, after, names):
    return [(format_html("参数：{}", names.param_label(attribute_id)), before.get(attribute_id, EMPTY),
             after.get(attribute_id, EMPTY))
            for attribute_id in sorted(set(before) | set(after)) if before.get(attribute_id) != after.get(attribute_id)]


def diff_table(rows):
    return _table(("项目", "已审核", "最新"), rows, css="diff")


def prices_table(sku):
    """Approved and current prices side by side, and whether the current ones keep the price rule."""
    problems = check_prices(sku.price, sku.mall_price)
    verdict = (format_html('<span class="bad">✘ {}</span>', "；".join(p.message for p in problems)) if problems
               else mark_safe('<span class="ok">✔ 符合</span>'))
    rows = [("协议价", _money(sku.approved_price), _money(sku.price)),
            ("商城售价", _money(sku.approved_mall_price), _money(sku.mall_price)),
            ("规则：协议价大于 0，且不高于商城售价", EMPTY, verdict)]
    return _table(("", "审核时", "当前"), rows)


def _money(amount):
    return EMPTY if amount is None else f"¥{amount}"


def _table(headers, rows, css="sku-content"):
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    body = format_html_join("", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((c,) for c in row)),)
                                                for row in rows))
    return format_html('<table class="{}"><tr>{}</tr>{}</table>', css, head, body)
