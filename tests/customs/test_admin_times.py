"""Customs times staff read: the epoch milliseconds of serviceTime shown as local date-times (the number on hover)."""
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from customs.models import DataRequest

pytestmark = pytest.mark.django_db


def test_customs_service_time_is_shown_as_a_local_date_time(client):
    client.force_login(User.objects.create_superuser("boss", "boss@example.cn", "pw-Boss-2026"))
    request = DataRequest.objects.create(session_id="s-1", order_no="o-1", customs_service_time=1533271903898,
                                         reply_code="20004")

    page = client.get(reverse("admin:customs_datarequest_change", args=[request.pk])).content.decode()

    assert '<span title="1533271903898">2018-08-03 12:51:43.898</span>' in page
