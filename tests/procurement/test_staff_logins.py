"""Staff logins are locked after repeated failures, per username and per address, on the admin form and on
HTTP Basic for the staff APIs; an administrator sees the lock and lifts it in the admin."""
import base64

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "pw-Clerk-2026"
API = "/api/staff/payments"


@pytest.fixture
def clerk():
    user = User.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="海关数据"))
    return user


def admin_login(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password,
                                                 "next": reverse("admin:index")})


def basic(username, password):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def logged_in(client):
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_lock_the_admin_login(clerk):
    client = Client(REMOTE_ADDR="10.5.0.1")
    for _ in range(30):
        admin_login(client, "clerk", "guess")

    response = admin_login(client, "clerk", PASSWORD)

    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert not logged_in(client)


def test_thirty_wrong_passwords_lock_http_basic_on_the_staff_api(clerk):
    client = Client(REMOTE_ADDR="10.5.0.2")
    for _ in range(30):
        assert client.get(API, **basic("clerk", "guess")).status_code in (401, 403, 429)

    response = client.get(API, **basic("clerk", PASSWORD))

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "锁定" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_the_lock_is_per_username_from_any_address(clerk, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"10.6.0.{n + 1}").get(API, **basic("clerk", "guess"))

    assert Client(REMOTE_ADDR="10.6.1.1").get(API, **basic("clerk", PASSWORD)).status_code == 429


def test_the_lock_is_per_address_whatever_the_username(clerk, settings):
    prober = Client(REMOTE_ADDR="10.7.0.1")
    for n in range(settings.AXES_FAILURE_LIMIT):
        prober.get(API, **basic(f"someone-{n}", "guess"))

    assert prober.get(API, **basic("clerk", PASSWORD)).status_code == 429
    assert Client(REMOTE_ADDR="10.7.0.2").get(API, **basic("clerk", PASSWORD)).status_code == 200


def test_fewer_failures_than_the_limit_do_not_lock(clerk, settings):
    client = Client(REMOTE_ADDR="10.8.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        admin_login(client, "clerk", "guess")

    assert admin_login(client, "clerk", PASSWORD).status_code == 302
    assert logged_in(client)


def test_an_administrator_sees_the_lock_and_lifts_it(clerk, settings):
    client = Client(REMOTE_ADDR="10.9.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        admin_login(client, "clerk", "guess")
    assert admin_login(client, "clerk", PASSWORD).status_code == 429
    boss = Client()
    boss.force_login(User.objects.create_superuser("boss", "boss@example.cn", "pw-Boss-2026"))
    changelist = reverse("admin:axes_accessattempt_changelist")

    assert "clerk" in boss.get(changelist).content.decode()
    lock = AccessAttempt.objects.get(username="clerk")
    boss.post(changelist, {"action": "delete_selected", "_selected_action": [lock.pk], "post": "yes"})

    assert not AccessAttempt.objects.exists()
    assert admin_login(client, "clerk", PASSWORD).status_code == 302
    assert logged_in(client)


def test_force_login_and_the_test_clients_login_are_not_tracked(clerk):
    client = Client()
    assert client.login(username="clerk", password=PASSWORD)
    client.force_login(clerk)

    assert client.get(API).status_code == 200
    assert not AccessAttempt.objects.exists()
