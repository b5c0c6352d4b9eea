"""The staff group that handles orders: purchasing units and purchasers, orders and everything after them."""
ROLES = {
    "订单管理": [
        "orders.add_purchasingunit", "orders.change_purchasingunit", "orders.view_purchasingunit",
        "orders.add_purchaser", "orders.change_purchaser", "orders.view_purchaser",
        "orders.add_deliveryaddress", "orders.change_deliveryaddress", "orders.view_deliveryaddress",
        "orders.add_order", "orders.view_order", "orders.manage_order",
        "orders.view_orderline", "orders.view_orderstatuschange", "orders.view_suborder",
        "orders.view_ordercommand", "orders.change_ordercommand",
        "orders.view_shipment", "orders.view_trackingstep", "orders.view_returnrequest", "orders.view_creditpayment",
        "orders.view_orderinvoice", "orders.view_reconciliationrun", "orders.change_reconciliationrun",
        "orders.view_reconciliationmismatch",
        "catalog.view_sku", "procurement.view_supplier", "procurement.view_outboundattempt",
        "procurement.view_supplier_calls",
    ],
}
