"""The outbound-call log is scoped: each group reads only its own counterparties' calls, by permission."""
import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from procurement.models import OutboundAttempt

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:procurement_outboundattempt_changelist")


def call(kind, interface, reference):
    return OutboundAttempt.objects.create(
        counterparty_kind=kind, counterparty_code=f"{kind}-1", interface=interface, url="https://x.example/",
        reference=reference, duration_ms=5, outcome=OutboundAttempt.Outcome.OK,
        request_excerpt=f"payload of {reference}")


@pytest.fixture
def calls():
    return {
        "supplier": call("supplier", "getMessagePool", "sync-1"),
        "guarantor": call("guarantor", "baohanapply", "BH-1"),
        "customs": call("customs", "realTimeDataUpload", "pay-session-1"),
        "customs-probe": call("customs-probe", "realTimeDataUpload", "probe-1"),
    }


def clerk(client, *, group=None, perms=()):
    user = User.objects.create_user("clerk", password="pw-Clerk-2026", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="procurement", codename__in=perms))
    client.force_login(user)
    return user


def listed(client, **query):
    response = client.get(CHANGELIST, query)
    assert response.status_code == 200
    return {attempt.reference for attempt in response.context["cl"].result_list}, response.content.decode()


def test_docking_staff_read_only_the_supplier_calls(client, calls):
    clerk(client, group="对接管理")

    references, page = listed(client)

    assert references == {"sync-1"}
    assert "realTimeDataUpload" not in page and "baohanapply" not in page  # nor in the filters
    assert listed(client, q="pay-session-1")[0] == set()
    assert listed(client, counterparty_kind="customs")[0] == set()
    customs_page = client.get(reverse("admin:procurement_outboundattempt_change", args=[calls["customs"].pk]))
    assert customs_page.status_code == 302 and "payload of" not in customs_page.content.decode()
    own = client.get(reverse("admin:procurement_outboundattempt_change", args=[calls["supplier"].pk]))
    assert "payload of sync-1" in own.content.decode()


def test_the_customs_permission_reads_the_customs_calls_and_the_probes(client, calls):
    clerk(client, perms=["view_customs_calls"])

    references, page = listed(client)

    assert references == {"pay-session-1", "probe-1"}
    assert "getMessagePool" not in page and "baohanapply" not in page


def test_the_guarantor_permission_reads_the_guarantor_calls(client, calls):
    clerk(client, perms=["view_guarantor_calls"])

    assert listed(client)[0] == {"BH-1"}


def test_the_plain_view_permission_reads_no_call(client, calls):
    clerk(client, perms=["view_outboundattempt"])

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:procurement_outboundattempt_change", args=[calls["supplier"].pk])).status_code \
        == 403


def test_superusers_read_every_call(client, calls):
    client.force_login(User.objects.create_superuser("boss", "boss@example.cn", "pw-Boss-2026"))

    assert listed(client)[0] == {"sync-1", "BH-1", "pay-session-1", "probe-1"}


def test_the_list_costs_the_same_queries_whatever_the_row_count(client, django_assert_max_num_queries, calls):
    clerk(client, group="对接管理")
    client.get(CHANGELIST)
    for n in range(30):
        call("supplier", "getMessagePool", f"more-{n}")

    with django_assert_max_num_queries(12):
        assert client.get(CHANGELIST).status_code == 200
