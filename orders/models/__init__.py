"""The order side of the mall: who buys, the orders and their lines, and what happens to them at the supplier."""
from orders.models.aftercare import (
    CreditPayment,
    OrderCommand,
    OrderInvoice,
    ReconciliationMismatch,
    ReconciliationRun,
    ReturnLine,
    ReturnRequest,
    ReturnStatusChange,
    Shipment,
    ShipmentLine,
    TrackingStep,
)
from orders.models.orders import Order, OrderLine, OrderStatusChange, SubOrder, SupplierState
from orders.models.parties import DeliveryAddress, Purchaser, PurchasingUnit

__all__ = [
    "CreditPayment", "DeliveryAddress", "Order", "OrderCommand", "OrderInvoice", "OrderLine", "OrderStatusChange",
    "Purchaser", "PurchasingUnit", "ReconciliationMismatch", "ReconciliationRun", "ReturnLine", "ReturnRequest",
    "ReturnStatusChange", "Shipment", "ShipmentLine", "SubOrder", "SupplierState", "TrackingStep",
]
