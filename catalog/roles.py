"""Staff roles of the catalog: the review group, and what supplier docking staff see of the sync."""
ROLES = {
    "商品审核": [
        "catalog.view_sku", "catalog.change_sku", "catalog.review_sku",
        "catalog.view_skuversion", "catalog.view_skustatuschange", "catalog.view_skufinding",
        "catalog.view_pricechange", "catalog.view_category", "catalog.view_categoryparam",
        "procurement.view_supplier", "catalog.view_offer", "catalog.view_accessory",
    ],
    "对接管理": [
        "catalog.view_sku", "catalog.view_suppliermessage", "catalog.change_suppliermessage",
        "catalog.view_syncrun", "catalog.view_suppliersync", "catalog.change_suppliersync",
        "catalog.view_accessory", "catalog.view_offer",
    ],
}
