"""Counterparties are reached over https (seed 000 §8.1.1 / §8.1.3; seeds 003 and 004 ask the same).

With DEBUG off a counterparty URL must be https, unless its host is the loopback (a local service, the
sandboxes) or is named in OUTBOUND_CLEAR_TEXT_HOSTS (a counterparty on a private line, by the operator's
explicit choice). The rule is applied when a URL is saved (a model validator), by `check --deploy`, and by
the outbound client itself, so no call leaves in clear text by accident.
"""
import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import DatabaseError


def clear_text_problem(url):
    """Why `url` may not be called as it is (in Chinese), or "" when it may."""
    parts = urlsplit(str(url))
    if settings.DEBUG or parts.scheme == "https" or not parts.hostname:
        return ""
    host = parts.hostname.lower()
    if _loopback(host) or host in {h.lower() for h in settings.OUTBOUND_CLEAR_TEXT_HOSTS}:
        return ""
    return (f"{url} 不是 https 地址：对外接口须使用 https（电子卖场标准 §8.1）；"
            "确需明文的内网主机请列入 OUTBOUND_CLEAR_TEXT_HOSTS")


def https_required(url):
    """Model field validator: the rule above, when a counterparty's URL is saved."""
    problem = clear_text_problem(url)
    if problem:
        raise ValidationError(problem)


def _loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def stored_urls_check(model, field, check_id):
    """A `check --deploy` check: every stored `model.field` URL may be called (the rule above)."""

    def check(app_configs, **kwargs):
        try:
            rows = list(model.objects.values_list("pk", field))
        except DatabaseError:  # not migrated yet: nothing stored to judge
            return []
        return [checks.Error(f"{model._meta.verbose_name} {pk}：{problem}", id=check_id)
                for pk, url in rows for problem in [clear_text_problem(url)] if problem]

    return check


def setting_url_check(name, check_id):
    """A `check --deploy` check of a URL setting."""

    def check(app_configs, **kwargs):
        problem = clear_text_problem(getattr(settings, name))
        return [checks.Error(f"{name}：{problem}", id=check_id)] if problem else []

    return check
