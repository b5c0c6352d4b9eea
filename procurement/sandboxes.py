"""The sandbox counterparties `make run` starts: module path → default port.

Each module provides `build_demo_sandbox(public_base_url)` returning a `Sandbox`, and the `Supplier`,
guarantor or customs settings rows of the demo point at `http://SANDBOX_HOST:<port>`.
"""
SANDBOXES = {
    "guarantees.sandbox": 8102,
    "procurement.suppliers.emall.sandbox": 8101,
    "customs.sandbox": 8103,
    "procurement.suppliers.mall.sandbox": 8104,
    # the demo suppliers' test environments, which the docking test tool tests (procurement/demo/docking.py)
    "procurement.suppliers.emall.sandbox_testenv": 8105,
    "procurement.suppliers.mall.sandbox_testenv": 8106,
}
