"""`make run`: the demo mall-standard supplier's test environment (a second sandbox, apart from its production one),
which the docking test tool runs against: every product valid."""
from procurement.suppliers.mall.sandbox import build_sandbox

TEST_ENVIRONMENT_SKUS = 120  # a full batch of 100, one more, and some to spare


def build_demo_sandbox(public_base_url):
    sandbox = build_sandbox(TEST_ENVIRONMENT_SKUS, broken=False)
    sandbox.name = "电商测试环境（网上商城对接标准）"
    return sandbox
