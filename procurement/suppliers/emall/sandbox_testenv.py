"""`make run`: the demo e-mall supplier's test environment (a second sandbox, apart from its production one), which
the docking test tool runs against: every product valid, none announced to production."""
from procurement.suppliers.emall.sandbox import build_sandbox

TEST_ENVIRONMENT_SKUS = 120  # a full batch of 100, one more, and some to spare


def build_demo_sandbox(public_base_url):
    sandbox = build_sandbox(TEST_ENVIRONMENT_SKUS, broken=False)
    sandbox.name = "电商测试环境（电子卖场对接标准）"
    return sandbox
