"""`make run`: the demo suppliers earn their production-environment trust mark as any supplier does, through a real
docking run against their test environments (the sandboxes on 8105 and 8106), then the mark granted on it.

A one-off schedule (演示电商对接测试) runs each minute until both hold the mark, then removes itself; until then
their SKUs wait outside the review queue and the demo orders (orders/demo.py) wait too.
"""
from django.conf import settings
from django.utils import timezone
from django_q.models import Schedule

from procurement.docking.models import DockingRun
from procurement.docking.services import (
    DockingRefused,
    endpoint_set,
    run_execute,
    run_start,
    supplier_trusted,
    trust_grant,
)
from procurement.kernel.statemachine import by_source
from procurement.models import Supplier
from procurement.sandboxes import SANDBOXES
from procurement.suppliers.emall import sandbox as emall_sandbox
from procurement.suppliers.emall import sandbox_testenv as emall_testenv
from procurement.suppliers.mall import sandbox as mall_sandbox
from procurement.suppliers.mall import sandbox_testenv as mall_testenv

SCHEDULE_NAME = "演示电商对接测试（载入演示数据后）"
ACTOR = "演示数据"
# protocol → (its test environment's sandbox module, the login it accepts)
TEST_ENVIRONMENTS = {
    "emall": (emall_testenv, emall_sandbox.SANDBOX_USERNAME, emall_sandbox.SANDBOX_PASSWORD),
    "mall": (mall_testenv, mall_sandbox.SANDBOX_USERNAME, mall_sandbox.SANDBOX_PASSWORD),
}


def load_demo_docking(suppliers, stdout):
    """Point each demo supplier's test environment at its sandbox and schedule the docking."""
    for supplier in suppliers:
        module, username, password = TEST_ENVIRONMENTS[supplier.protocol]
        url = f"http://{settings.SANDBOX_HOST}:{SANDBOXES[module.__name__]}"
        endpoint_set(supplier, url, {"username": username, "password": password})
    if not all(supplier_trusted(supplier) for supplier in suppliers):
        Schedule.objects.update_or_create(
            name=SCHEDULE_NAME,
            defaults={"func": "procurement.demo.docking.demo_docking_run", "schedule_type": Schedule.MINUTES,
                      "minutes": 1, "repeats": -1, "next_run": timezone.now()})
    stdout.write("示例电商的正式环境信任标识：载入后自动对接测试其测试环境，通过即授予")


def demo_docking_run(codes=None):
    """The schedule's job: test each demo supplier without the mark and grant it on a pass; done once all hold it.
    Returns the codes of the suppliers that hold it."""
    from procurement.demo import DEMO_MALL_SUPPLIER_CODE, DEMO_SUPPLIER_CODE

    suppliers = list(Supplier.objects.filter(code__in=codes or (DEMO_SUPPLIER_CODE, DEMO_MALL_SUPPLIER_CODE)))
    for supplier in suppliers:
        if not supplier_trusted(supplier):
            _dock(supplier)
    trusted = sorted(s.code for s in Supplier.objects.filter(pk__in=[s.pk for s in suppliers])
                     if supplier_trusted(s))
    if len(trusted) == len(suppliers):
        Schedule.objects.filter(name=SCHEDULE_NAME).delete()
    return trusted


def _dock(supplier):
    try:
        run = run_execute(run_start(supplier, via=DockingRun.Via.STAFF, enqueue_job=False).pk)
    except DockingRefused:
        return  # a run is already under way: the next minute looks again
    if run is not None and run.status == DockingRun.Status.PASSED:
        trust_grant(run, actor=by_source(ACTOR))
