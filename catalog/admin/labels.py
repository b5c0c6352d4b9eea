"""Words for what the catalog stores as codes: validation rules, the content fields findings point at."""
from catalog.content import LABELS

# catalog.validation's rule names, as staff read them
RULE_LABELS = {
    "required": "缺少必填项",
    "flag_value": "是/否项取值不对",
    "image_link": "图片地址不合法",
    "image_format": "图片格式不允许",
    "main_image_unreachable": "主图无法打开",
    "category_unknown": "品目不存在",
    "category_not_leaf": "不是末级品目",
    "category_inactive": "品目已停用",
    "brand_unknown": "品牌不在品牌库",
    "promise_unknown": "承诺/认证不存在",
    "attribute_unreadable": "参数无法读取",
    "attribute_unknown": "不是标准参数项",
    "attribute_value": "参数值不合规",
    "attribute_required": "缺少必填参数",
    "product_link": "商品链接不合法",
    "document_link": "文档链接不合法",
    "document_format": "文档格式不允许",
    "price_missing": "缺少价格",
    "price_format": "价格格式不对",
    "price_not_positive": "协议价不大于 0",
    "price_above_mall": "协议价高于商城售价",
}
FIELD_LABELS = {**LABELS, "price": "价格"}


def rule_label(rule):
    return RULE_LABELS.get(rule, rule)


def field_label(field, param_names=None):
    """'attributes.1001' → '参数「品牌」（1001）'; 'brand' → '品牌'; unknown fields as they are."""
    if field.startswith("attributes."):
        attribute_id = field.split(".", 1)[1]
        name = (param_names or {}).get(attribute_id)
        return f"参数「{name}」（{attribute_id}）" if name else f"参数 {attribute_id}"
    return FIELD_LABELS.get(field, field)
