"""The catalog's models: the standard category tree, supplier SKUs and their review, the supplier-message inbox."""
from catalog.models.categories import CatalogRevision, Category, CategoryParam
from catalog.models.extras import Accessory, AccessoryLink, Offer, SkuRating, TierDiscount, WarrantyService
from catalog.models.inbox import LinkCheck, SupplierMessage, SupplierSync, SyncRun
from catalog.models.skus import (
    PriceChange,
    ReviewItem,
    Sku,
    SkuFinding,
    SkuStatusChange,
    SkuStock,
    SkuVersion,
)

__all__ = [
    "Accessory", "AccessoryLink", "Offer", "SkuRating", "TierDiscount", "WarrantyService",
    "CatalogRevision", "Category", "CategoryParam", "PriceChange", "ReviewItem", "Sku", "SkuFinding",
    "SkuStatusChange", "SkuStock", "SkuVersion",
    "LinkCheck", "SupplierMessage", "SupplierSync", "SyncRun",
]
