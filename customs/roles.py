"""The staff group that keeps the customs payment data: payment records, customs requests and uploads."""
ROLES = {
    "海关数据": [
        "customs.add_paymentrecord", "customs.change_paymentrecord", "customs.view_paymentrecord",
        "customs.add_crossborderorder", "customs.change_crossborderorder", "customs.delete_crossborderorder",
        "customs.view_crossborderorder",
        "customs.add_ordergoods", "customs.change_ordergoods", "customs.delete_ordergoods", "customs.view_ordergoods",
        "customs.view_datarequest",
        "customs.view_upload", "customs.change_upload", "customs.view_uploadsend",
        "procurement.view_outboundattempt", "procurement.view_customs_calls",
    ],
}
