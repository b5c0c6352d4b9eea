"""Admin of the guarantee app (guarantors and sections, guarantees, after-care, exchanged messages)."""
from guarantees.admin import aftercare, exchange, guarantees, parties  # noqa: F401  (registers)
