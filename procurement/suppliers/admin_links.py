"""Links from the admin to a supplier's outbound calls."""
from procurement.kernel.adminkit import calls_link


def supplier_calls_link(supplier, label="调用记录"):
    return calls_link({"counterparty_kind": "supplier", "counterparty_code": supplier.code}, label)
