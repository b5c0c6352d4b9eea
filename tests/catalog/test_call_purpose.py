"""Every outbound call of a sync pass records the run it was made for, also from the parallel fetch threads,
and staff reach those calls from the run's page."""
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from catalog.models import SyncRun
from catalog.sync.passes import sync_pass
from procurement.models import OutboundAttempt

# Committed data: the fetching threads use their own database connections.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_calls_of_a_pass_are_recorded_as_made_for_its_run(supplier_platform, settings):
    settings.CATALOG_FETCH_WORKERS = 4
    sandbox, _, supplier = supplier_platform(450, broken=False)

    first = sync_pass(supplier.pk)
    sandbox.set_price("SB000001", "9.00")
    second = sync_pass(supplier.pk)

    calls = OutboundAttempt.objects.filter(counterparty_code=supplier.code)
    assert calls.count() == sum(first.calls.values()) + sum(second.calls.values())
    assert set(calls.values_list("purpose_kind", flat=True)) == {"catalog.syncrun"}
    assert calls.filter(purpose_id=first.pk).count() == sum(first.calls.values())
    assert calls.filter(purpose_id=second.pk, interface="prices").count() == 1


def test_a_runs_page_links_to_exactly_its_calls(client, supplier_platform):
    _, _, supplier = supplier_platform(5, broken=False)
    run = sync_pass(supplier.pk)
    client.force_login(User.objects.create_superuser("boss", "boss@example.cn", "pw-Boss-2026"))

    page = client.get(reverse("admin:catalog_syncrun_change", args=[run.pk])).content.decode()
    link = reverse("admin:procurement_outboundattempt_changelist") + f"?purpose_kind=catalog.syncrun&amp;purpose_id={run.pk}"
    assert link in page
    listing = client.get(link.replace("&amp;", "&"))
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == sum(SyncRun.objects.get(pk=run.pk).calls.values())
