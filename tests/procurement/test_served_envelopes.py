"""Every method on every path under a served prefix answers that protocol's envelope: never HTML, never a redirect.

The served paths are read from the URL map (every view built on ServedView), so a new interface is covered
as soon as it is routed. The client enforces CSRF checks, as a browser-less caller meets them.
"""
import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from procurement.kernel.served import ServedView

pytestmark = pytest.mark.django_db

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"]


def _served_paths(patterns=None, prefix="/"):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _served_paths(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class is not None and issubclass(view_class, ServedView):
                yield prefix + str(pattern.pattern)


SERVED = sorted(_served_paths())


def protocol_of(path):
    if path.startswith("/guarantee"):
        return "guarantee"
    return "customs" if path.startswith("/customs") else "emall"


def neighbours(path):
    """Paths next to a served one: a trailing slash, an unknown sibling, a case change, a suffix."""
    parent = path.rsplit("/", 1)[0]
    return [path + "/", parent + "/nope", path.upper(), path + ".json", path + "/x"]


PREFIX_PATHS = ["/guarantee", "/guarantee/", "/guarantee/nope", "/customs", "/customs/", "/customs/nope",
                "/gyssc", "/gyssc/", "/nope", "/"]


def assert_envelope(response, protocol):
    assert response.status_code == 200, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    assert "Location" not in response
    if response.request["REQUEST_METHOD"] == "HEAD":
        assert response.content == b""
        return
    body = json.loads(response.content)
    if protocol == "emall":
        assert body["success"] is False and body["code"].startswith("50"), body
    elif protocol == "guarantee":
        assert body["code"] == 0 and body["message"], body
    else:
        assert body["code"].startswith("2") and "serviceTime" in body, body


@pytest.fixture
def caller():
    return Client(enforce_csrf_checks=True)


def test_the_url_map_serves_every_protocol():
    assert {"/gyssc/token", "/getAreas", "/guarantee/baohannotice", "/customs/platDataOpen"} <= set(SERVED)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", SERVED)
def test_every_method_on_a_served_interface_answers_its_envelope(caller, path, method):
    response = caller.generic(method, path, b"", content_type="application/x-www-form-urlencoded")

    assert_envelope(response, protocol_of(path))
    if method not in ("POST", "HEAD"):
        assert "POST" in response.content.decode(), "a refused method says that POST is what is served"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", sorted({n for path in SERVED for n in neighbours(path)} | set(PREFIX_PATHS)))
def test_every_method_on_a_path_next_to_a_served_one_answers_the_envelope(caller, path, method):
    response = caller.generic(method, path, b'{"token": "x"}', content_type="application/json")

    assert_envelope(response, protocol_of(path))


@pytest.mark.parametrize("path", ["/gyssc/token", "/customs/platDataOpen", "/guarantee/baohannotice"])
def test_options_shows_no_metadata_nor_docstrings(caller, path):
    text = caller.options(path).content.decode()

    for leak in ('"name"', '"parses"', '"renders"', "description", "ServedView", "interface"):
        assert leak not in text


@pytest.mark.parametrize("path", ["/gyssc/token", "/gyssc/token/", "/customs/platDataOpen", "/guarantee/baohannotice"])
def test_a_request_for_an_unknown_host_answers_the_envelope_not_the_400_page(caller, path):
    response = caller.post(path, b"{}", content_type="application/json", HTTP_HOST="evil.example")

    assert_envelope(response, protocol_of(path))


def test_a_path_without_its_slash_is_answered_not_redirected(caller, settings):
    settings.APPEND_SLASH = True

    for path in ["/customs", "/guarantee", "/gyssc/platform"]:
        assert_envelope(caller.post(path, b"{}", content_type="application/json"), protocol_of(path))


def test_the_admin_still_gets_its_pages(caller):
    assert caller.get("/admin/").status_code == 302  # to its login page
    assert b"<html" in caller.get("/admin/login/").content
    assert caller.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 403  # CSRF, as before


@pytest.mark.parametrize("path, protocol", [("/gyssc/token", "emall"), ("/customs/platDataOpen", "customs")])
def test_a_failed_csrf_check_outside_the_admin_answers_the_envelope(rf, path, protocol):
    from procurement.views import csrf_failure

    request = rf.post(path)
    response = csrf_failure(request, reason="no cookie")
    response.request = {"REQUEST_METHOD": "POST"}

    assert_envelope(response, protocol)
    assert csrf_failure(rf.post("/api/staff/payments"), reason="no cookie").status_code == 403
    assert b"<html" in csrf_failure(rf.post("/admin/login/"), reason="no cookie").content.lower()
