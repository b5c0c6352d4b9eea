"""Product content: from the connector's records to the stored version content, its hash, and diffs.

A version's `content` is a plain dict (detail fields, `attributes` as attribute id → value,
`promises` as codes, `images` as URLs, primary first), built from the connector's protocol-neutral
records (procurement.suppliers.records), which have already coerced what the supplier sent.
"""
import hashlib
import json

DETAIL_FIELDS = ("name", "category", "brand", "model", "unit", "url", "introduction")
# content key → label staff see in the review diff
LABELS = {
    "name": "商品名称", "category": "品目", "brand": "品牌", "model": "型号", "unit": "单位", "url": "商品链接",
    "introduction": "商品介绍", "attachments": "文档", "attributes": "参数", "promises": "承诺/认证", "images": "图片",
    # fields only some standards have (the mall standard's §2.5)
    "main_image": "主图", "service": "售后服务", "config": "简要配置", "energy_saving": "节能产品",
    "environmental": "环保产品", "imported": "进口产品",
}


def content_merge(base, *, detail=None, attributes=None, promises=None, images=None):
    """`base` content with the parts given (ProductDetail, ProductAttributes, ProductPromises, ProductImages
    records) replacing its own."""
    content = dict(base or {})
    if detail is not None:
        content.update({name: getattr(detail, name) for name in DETAIL_FIELDS})
        content["attachments"] = [{"name": a.name, "url": a.url} for a in detail.attachments]
        content.update(detail.extra)
        if detail.attributes is not None:
            attributes = detail.attributes
    if attributes is not None:
        content["attributes"] = dict(attributes.values)
        content.pop("unreadable_attributes", None)
        if attributes.problems:  # entries the supplier sent that could not be read: validation names them
            content["unreadable_attributes"] = list(attributes.problems)
    if promises is not None:
        content["promises"] = sorted(set(promises.codes))
    if images is not None:
        content["images"] = list(images.urls)
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


