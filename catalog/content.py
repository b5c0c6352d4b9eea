"""Product content: from the contract's wire items to the stored version content, its hash, and diffs.

A version's `content` is a plain dict (detail fields, `attributes` as attribute id → value,
`promises` as codes, `images` as URLs, primary first). Whatever a supplier sends is coerced to that
shape without failing: values that make no sense stay visible to validation (e.g. a number where a
name should be becomes its text), shapes that make none are dropped and reported by validation as
missing.
"""
import hashlib
import json

DETAIL_FIELDS = ("name", "category", "brand", "model", "unit", "url", "introduction")
# content key → label staff see in the review diff
LABELS = {
    "name": "商品名称", "category": "品目", "brand": "品牌", "model": "型号", "unit": "单位", "url": "商品链接",
    "introduction": "商品介绍", "attachments": "文档", "attributes": "参数", "promises": "承诺/认证", "images": "图片",
}


def content_merge(base, *, detail=None, attributes=None, promises=None, images=None):
    """`base` content with the parts given (wire items of §7.2.3/.4/.5/.8) replacing its own."""
    content = dict(base or {})
    if detail is not None:
        content.update({name: _text(detail.get(name)) for name in DETAIL_FIELDS})
        content["attachments"] = [
            {"name": _text(item.get("name")), "url": _text(item.get("url"))}
            for item in _dicts(detail.get("attachments"))
        ]
    if attributes is not None:
        content["attributes"] = {
            _text(item.get("attributeId")): _value(item.get("value")) for item in _dicts(attributes.get("attributes"))
        }
    if promises is not None:
        content["promises"] = sorted({_text(code) for code in _list(promises.get("promises")) if _text(code)})
    if images is not None:
        content["images"] = _image_urls(images.get("images"))
    return content


def content_hash(content):
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_diff(old, new):
    """[(label, before, after)] for every part that differs; `old` None means everything is new."""
    old = old or {}
    rows = []
    for key, label in LABELS.items():
        if key == "attributes":
            rows.extend(_attribute_rows(old.get(key) or {}, new.get(key) or {}))
        elif old.get(key) != new.get(key):
            rows.append((label, _show(old.get(key)), _show(new.get(key))))
    return rows


def _attribute_rows(old, new):
    return [
        (f"参数 {attribute_id}", old.get(attribute_id, "—"), new.get(attribute_id, "—"))
        for attribute_id in sorted(set(old) | set(new))
        if old.get(attribute_id) != new.get(attribute_id)
    ]


def _show(value):
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, list):
        return "\n".join(item["url"] if isinstance(item, dict) else str(item) for item in value)
    return str(value)


def _image_urls(items):
    entries = []
    for position, item in enumerate(_list(items)):
        if isinstance(item, dict):
            order = item.get("order") if isinstance(item.get("order"), int) else position
            entries.append((0 if str(item.get("primary")) == "1" else 1, order, _text(item.get("url"))))
        else:
            entries.append((1, position, _text(item)))
    return [url for _primary, _order, url in sorted(entries)]


def _value(value):
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return _text(value)


def _text(value):
    if value is None:
        return ""
    return str(value).strip()


def _list(value):
    return value if isinstance(value, list) else []


def _dicts(value):
    return [item for item in _list(value) if isinstance(item, dict)]
