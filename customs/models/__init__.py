"""The customs app's models: payment records of cross-border orders, customs' data requests and our uploads."""
from customs.models.payments import CrossBorderOrder, OrderGoods, PaymentRecord, stored_exactly
from customs.models.requests import DataRequest, SigningLease, Upload, UploadSend, new_guid

__all__ = [
    "CrossBorderOrder", "DataRequest", "OrderGoods", "PaymentRecord", "SigningLease", "Upload", "UploadSend",
    "new_guid", "stored_exactly",
]
