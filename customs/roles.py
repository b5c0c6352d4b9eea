"""The staff group that keeps the customs payment data: payment records, customs requests and uploads."""
ROLES = {
    "海关数据": [
        "orders.add_paymentrecord", "orders.change_paymentrecord", "orders.view_paymentrecord",
        "orders.add_crossborderorder", "orders.change_crossborderorder", "orders.delete_crossborderorder",
        "orders.view_crossborderorder",
        "orders.add_ordergoods", "orders.change_ordergoods", "orders.delete_ordergoods", "orders.view_ordergoods",
        "customs.view_datarequest",
        "customs.view_upload", "customs.change_upload",
        "procurement.view_outboundattempt",
    ],
}
