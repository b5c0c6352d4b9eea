"""A test-side supplier client for the served e-mall interfaces (seed 000 §7.1)."""
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from procurement.kernel.wire import format_wire_time
from procurement.services.accounts import login_sign, password_digest, token_issue
from tests.procurement.factories import ACCOUNT_PASSWORD


def now_wire():
    return format_wire_time(datetime.now(UTC))


def login_params(account, password=ACCOUNT_PASSWORD, timestamp=None, secret=None):
    timestamp = timestamp or now_wire()
    digest = password_digest(password)
    sign = login_sign(account.username, digest, timestamp, secret or account.client_secret)
    return {"username": account.username, "password": digest, "timestamp": timestamp, "sign": sign}


def distinct_logins(account, count, **options):
    """`count` token requests, each signed anew: a sign is usable once, so each has its own timestamp."""
    now = datetime.now(UTC)
    return [login_params(account, timestamp=format_wire_time(now - timedelta(seconds=n)), **options)
            for n in range(1, count + 1)]


def envelope(response):
    """The JSON of a served-interface reply, after checking it is never HTML and never a 5xx."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    assert b"\n" not in response.content
    return json.loads(response.content)


class EmallCaller:
    def __init__(self, client):
        self.client = client

    def post(self, path, data=None, *, as_json=False):
        if as_json:
            body, content_type = json.dumps(data or {}), "application/json"
        else:
            body, content_type = urlencode(data or {}), "application/x-www-form-urlencoded"
        return envelope(self.client.post(path, body, content_type=content_type))

    def raw(self, path, body, content_type, method="post"):
        return envelope(getattr(self.client, method)(path, body, content_type=content_type))

    def token_for(self, account):
        raw, _ = token_issue(account)
        return raw
