"""Admin of the catalog: the category tree, SKUs and the review queue, the supplier-message inbox and sync."""
from catalog.admin import categories, extras, skus, sync  # noqa: F401 - each module registers its admins
