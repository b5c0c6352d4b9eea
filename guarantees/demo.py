"""Demo data for `make run`: the sandbox bank as a guarantor, a section opening in a few minutes, one application.

Idempotent: run again, it reuses the guarantor and, once the demo section has opened, adds a fresh
one so a newcomer always sees a guarantee go from application to restore.
"""
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from guarantees.models import Guarantee, Guarantor, Section
from guarantees.sandbox import DEMO_APPKEY, DEMO_APPSECRET, PAYER_ACCOUNT
from guarantees.services.guarantees import guarantee_apply
from guarantees.services.parties import guarantor_create, section_create
from procurement.kernel.statemachine import by_source
from procurement.sandboxes import SANDBOXES

OPENS_IN = timedelta(minutes=5)


def load_demo(stdout):
    guarantor = Guarantor.objects.filter(appkey=DEMO_APPKEY).first() or guarantor_create(
        name="沙箱银行（演示）", base_url=f"http://{settings.SANDBOX_HOST}:{SANDBOXES['guarantees.sandbox']}",
        appkey=DEMO_APPKEY, appsecret=DEMO_APPSECRET,
    )
    section = _upcoming_section()
    if not Guarantee.objects.filter(section=section).exists():
        guarantee = guarantee_apply(
            section=section, guarantor=guarantor, bidder_name="天津示例建设工程有限公司",
            bidder_code="91120000MA05DEM21Q", basic_account_no=PAYER_ACCOUNT, basic_account_bank="某银行天津分行",
            actor=by_source("演示数据"),
        )
        stdout.write(f"演示保函申请：{guarantee.applyno}（标段 {section.section_no}，"
                     f"{timezone.localtime(section.opening_time):%H:%M} 开标后自动还原）")
    stdout.write(f"演示金融机构：{guarantor.name}  appkey {guarantor.appkey}")


def _upcoming_section():
    section = Section.objects.filter(section_no__startswith="DEMO-", opening_time__gt=timezone.now()).first()
    if section:
        return section
    opening = timezone.now() + OPENS_IN
    return section_create(
        project_no="TJZC-DEMO-2026", project_name="天津市某区政务中心改造工程（演示）",
        section_no=f"DEMO-{timezone.localtime(opening):%Y%m%d%H%M%S}", section_name="施工一标段（演示）",
        tenderer="天津市某区机关事务管理局", tenderer_code="11120000MB1234567P", deposit_amount=Decimal("20000.00"),
        opening_time=opening,
    )
