"""Who is signed in to the supplier docking pages: a supplier API account, kept in the session.

The session holds the account's id and a digest of its password hash, so a password change (or a reset by
staff) ends every session of the account, as Django does for its users. Each request reloads the account:
an account made inactive, or a supplier suspended, is signed out at its next page.
"""
from functools import wraps

from django.http import Http404
from django.shortcuts import redirect
from django.utils.crypto import constant_time_compare, salted_hmac

from procurement.docking.pages_errors import not_found
from procurement.models import Supplier, SupplierAccount
from procurement.services.accounts import SUPPLIER_SECRETS

SESSION_KEY = "docking_account"


def _password_digest(account):
    return salted_hmac("procurement.docking.session", account.password).hexdigest()


def session_sign_in(request, account):
    request.session.cycle_key()  # a new session id at sign-in: a planted one is useless
    request.session[SESSION_KEY] = {"id": account.pk, "check": _password_digest(account)}


def session_sign_out(request):
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def signed_in_account(request):
    """The account signed in on this session, with its supplier, or None."""
    held = request.session.get(SESSION_KEY) or {}
    account = (SupplierAccount.objects.select_related("supplier")
               .defer(*(f"supplier__{f}" for f in SUPPLIER_SECRETS))
               .filter(pk=held.get("id"), is_active=True).first()) if held.get("id") else None
    if account is None or account.supplier.docking_status == Supplier.DockingStatus.SUSPENDED:
        return None
    if not constant_time_compare(held.get("check", ""), _password_digest(account)):
        return None
    return account


def supplier_page(view):
    """A page for the signed-in supplier: `request.account` and `request.supplier` set, or off to sign in.
    A 404 raised inside answers with the docking pages' own page."""

    @wraps(view)
    def page(request, *args, **kwargs):
        account = signed_in_account(request)
        if account is None:
            request.session.pop(SESSION_KEY, None)
            return redirect("docking:sign_in")
        request.account, request.supplier = account, account.supplier
        return own_not_found(view)(request, *args, **kwargs)

    return page


def own_not_found(view):
    """Http404 answered with the docking pages' own page, also with DEBUG on (Django's handler404 only runs off)."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return not_found(request)

    return answer
