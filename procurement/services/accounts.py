"""Supplier accounts on the mall's interfaces: creation, secrets, the token login of §7.1.1, token checks.

A failed login counts against the account (and locks it after EMALL_LOGIN_MAX_FAILURES) only when it can
have come from the account's holder: a wrong password under a valid sign, which needs the signing secret.
A wrong sign, an unknown username or a replayed sign counts against the caller's address instead, which
is refused for a while after EMALL_LOGIN_BAD_SIGNS_PER_ADDRESS of them. A sign is usable once.
The docking pages' browser sign-in (`account_sign_in`) has no sign: a person types the password, so anyone
who knows a username could fail there. Its failures never touch the account's lock (the token login above
stays usable); they count against the caller's address and, in a lock of the page's own, against the username.
"""
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from procurement.kernel import crypto
from procurement.kernel.fields import encrypted_fields
from procurement.kernel.throttle import Throttle
from procurement.kernel.wire import clock_skew_seconds
from procurement.models import AccessToken, Supplier, SupplierAccount, UsedLoginSign
from procurement.suppliers.emall.wire import ErrorCode, WireError

SUSPENDED = Supplier.DockingStatus.SUSPENDED
# The supplier platform's credentials (encrypted, decrypted on load): nothing here reads them.
SUPPLIER_SECRETS = encrypted_fields(Supplier)


def password_digest(clear_password):
    """What a supplier sends as `password`: the lowercase hex SM3 of its password."""
    return crypto.sm3_hex(clear_password)


def login_sign(username, password_digest_hex, timestamp, client_secret):
    """The token request's `sign`: HMAC-SM3 keyed with the account's signing secret."""
    message = f"password={password_digest_hex}&timestamp={timestamp}&username={username}"
    return crypto.hmac_sm3_hex(client_secret, message)


@sensitive_variables("clear_password")
def account_create(*, supplier, username, clear_password, is_active=True):
    """Create an account; returns it with its signing secret, which is shown to staff once."""
    account = SupplierAccount.objects.create(
        supplier=supplier, username=username, is_active=is_active,
        password=make_password(password_digest(clear_password)), client_secret=_new_secret(),
    )
    return account


@sensitive_variables("clear_password")
def account_set_password(account, clear_password):
    account.password = make_password(password_digest(clear_password))
    account.failed_logins = 0
    account.locked_until = None
    account.save(update_fields=["password", "failed_logins", "locked_until"])
    token_revoke(account.tokens.all())  # tokens got with the old password end with it


def account_regenerate_secret(account):
    account.client_secret = _new_secret()
    account.save(update_fields=["client_secret"])
    token_revoke(account.tokens.all())
    return account.client_secret


def account_unlock(account):
    SupplierAccount.objects.filter(pk=account.pk).update(failed_logins=0, locked_until=None)


def _new_secret():
    return secrets.token_hex(16)


@sensitive_variables("password", "sign")
def token_login(*, username, password, timestamp, sign, caller=""):
    """§7.1.1: check a token request and issue a token, or raise WireError with its §6.2 code.

    `caller` is the address the request came from (what bad signs are counted against)."""
    throttle = _bad_sign_throttle()
    if throttle.exceeded(caller):
        raise WireError(ErrorCode.OTHER, f"签名错误次数过多，请于 {throttle.retry_after()} 秒后重试")
    _check_timestamp(timestamp)
    account = _account_named(username)
    if account is None:
        throttle.hit(caller)
        raise WireError(ErrorCode.UNKNOWN_USER)
    _check_sign(account, username, password, timestamp, sign, throttle, caller)
    _admit(account, password)
    SupplierAccount.objects.filter(pk=account.pk).update(
        failed_logins=0, locked_until=None, last_login_at=timezone.now())
    return token_issue(account)


@sensitive_variables("clear_password")
def account_sign_in(*, username, clear_password, caller=""):
    """The docking pages' sign-in with the account's password: the account, or WireError (its `desc` is for the
    user). An unknown username or a wrong password also counts against the caller's address, as a bad sign does:
    one address cannot try password after password across accounts."""
    address, name = _bad_sign_throttle(), _page_sign_in_lock()
    if address.exceeded(caller):
        raise WireError(ErrorCode.OTHER, f"登录失败次数过多，请于 {address.retry_after()} 秒后重试")
    if name.exceeded(username):
        raise WireError(ErrorCode.OTHER, f"该账号在本页登录失败次数过多，已锁定，请于 {name.retry_after()} 秒后重试")
    account = _account_named(username)
    if account is None:
        address.hit(caller)
        make_password(password_digest(clear_password))  # the hasher's time too, as Django's ModelBackend does
        raise WireError(ErrorCode.WRONG_PASSWORD)  # the same words as a wrong password: names are not probed
    try:
        _admit(account, password_digest(clear_password), count_failure=False)
    except WireError as refused:
        if refused.code is ErrorCode.WRONG_PASSWORD:
            address.hit(caller)
            name.hit(username)
        raise
    return account


def _page_sign_in_lock():
    """The docking pages' own lock per username: as many tries as the token login allows, for as long."""
    return Throttle("docking-sign-in", settings.EMALL_LOGIN_MAX_FAILURES, settings.EMALL_LOGIN_LOCK_MINUTES * 60)


def _account_named(username):
    return (
        SupplierAccount.objects.select_related("supplier")
        .defer(*(f"supplier__{f}" for f in SUPPLIER_SECRETS))
        .filter(username=username).first()
    )


@sensitive_variables("digest")
def _admit(account, digest, *, count_failure=True):
    """Refuse a locked account, a wrong password (counted against the account unless told not to), an inactive
    account or a suspended supplier."""
    _check_not_locked(account)
    if not check_password(str(digest).lower(), account.password):
        if count_failure:
            _count_failure(account)
        raise WireError(ErrorCode.WRONG_PASSWORD)
    if not account.is_active:
        raise WireError(ErrorCode.OTHER, "账号已停用，请联系电子卖场")
    if account.supplier.docking_status == SUSPENDED:
        raise WireError(ErrorCode.OTHER, "电商已暂停对接，请联系电子卖场")


@sensitive_variables("password", "sign")
def _check_sign(account, username, password, timestamp, sign, throttle, caller):
    """5004 unless `sign` verifies and was never used before (then it is used now)."""
    expected = login_sign(username, password, timestamp, account.client_secret)
    if not crypto.constant_time_equals(expected, str(sign).lower()):
        throttle.hit(caller)
        raise WireError(ErrorCode.BAD_SIGN)
    if not _sign_claim(expected):
        throttle.hit(caller)
        raise WireError(ErrorCode.BAD_SIGN, "签名已使用过：每个签名只能使用一次，请以新的时间戳重新签名")


def _sign_claim(sign):
    """True for the one request that records `sign` first, whatever the number of web nodes or requests."""
    try:
        with transaction.atomic():
            UsedLoginSign.objects.create(digest=token_hash(sign))
    except IntegrityError:
        return False
    return True


def _check_not_locked(account):
    if account.locked_until and account.locked_until > timezone.now():
        local = timezone.localtime(account.locked_until).strftime("%H:%M")
        raise WireError(ErrorCode.OTHER, f"登录失败次数过多，账号已锁定，请于 {local} 后重试")


def _bad_sign_throttle():
    return Throttle("emall-login-bad-sign", settings.EMALL_LOGIN_BAD_SIGNS_PER_ADDRESS,
                    settings.EMALL_LOGIN_BAD_SIGN_WINDOW_SECONDS)


def _check_timestamp(timestamp):
    try:
        skew = clock_skew_seconds(timestamp)
    except (ValueError, OverflowError):
        raise WireError(ErrorCode.TIMESTAMP_FORMAT, "时间戳格式错误，应为 yyyy-MM-dd HH:mm:ss") from None
    if skew > settings.EMALL_TIMESTAMP_TOLERANCE_SECONDS:
        minutes = settings.EMALL_TIMESTAMP_TOLERANCE_SECONDS // 60
        raise WireError(ErrorCode.TIMESTAMP_FORMAT, f"时间戳与服务器时间相差超过 {minutes} 分钟")


def _count_failure(account):
    with transaction.atomic():
        SupplierAccount.objects.filter(pk=account.pk).update(failed_logins=F("failed_logins") + 1)
        failures = SupplierAccount.objects.values_list("failed_logins", flat=True).get(pk=account.pk)
        if failures >= settings.EMALL_LOGIN_MAX_FAILURES:
            until = timezone.now() + timedelta(minutes=settings.EMALL_LOGIN_LOCK_MINUTES)
            SupplierAccount.objects.filter(pk=account.pk).update(locked_until=until, failed_logins=0)


def token_issue(account):
    """A new token for the account; returns (raw token, AccessToken). Only the hash is stored."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    token = AccessToken.objects.create(
        account=account, key_hash=token_hash(raw), prefix=raw[:8], issued_at=now,
        expires_at=now + timedelta(hours=settings.EMALL_TOKEN_LIFETIME_HOURS),
    )
    return raw, token


def token_authenticate(raw):
    """The live token for `raw`, with its account and supplier; otherwise 5005 token_expired."""
    if not raw:
        raise WireError(ErrorCode.TOKEN_EXPIRED, "缺少token(token_expired)")
    token = (
        AccessToken.objects.select_related("account__supplier")
        .defer(*(f"account__{f}" for f in encrypted_fields(SupplierAccount)),
               *(f"account__supplier__{f}" for f in SUPPLIER_SECRETS))
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.account.is_active or token.account.supplier.docking_status == SUSPENDED:
        raise WireError(ErrorCode.TOKEN_EXPIRED)
    return token


def token_revoke(tokens):
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def tokens_purge(older_than_days=7):
    """Delete tokens that expired (or were revoked) more than `older_than_days` ago, and the used login signs
    whose timestamp window is over; returns how many rows went."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    expired = AccessToken.objects.filter(expires_at__lt=cutoff)
    revoked = AccessToken.objects.filter(revoked_at__lt=cutoff)
    return expired.delete()[0] + revoked.delete()[0] + _used_signs_purge()


def _used_signs_purge():
    # A sign used at `used_at` had a timestamp within the tolerance of it, so it verifies no more than one
    # tolerance after that timestamp: two tolerances after use, its timestamp refuses it (5001) anyway.
    window = timedelta(seconds=2 * settings.EMALL_TIMESTAMP_TOLERANCE_SECONDS)
    return UsedLoginSign.objects.filter(used_at__lt=timezone.now() - window).delete()[0]


def token_hash(raw):
    """What is stored of a token (and looked up by): its SHA-256, in hex."""
    return hashlib.sha256(str(raw).encode("utf-8")).hexdigest()
