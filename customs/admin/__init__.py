"""Admin of the customs app: payment records, customs' data requests and our uploads."""
from customs.admin import payments, requests  # noqa: F401 - each module registers its admins
