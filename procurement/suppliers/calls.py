"""Calls to supplier platforms that answer `{"success", "desc", "result"}` (both supplier standards, 000 §6.1 and
001 §2.1): a form POST per interface, transient trouble retried within the call, a refused token refreshed once.

A connector using it sets `paths` (interface → path) and `retry`, and defines `token_expired(document)`.
"""
import abc
from decimal import Decimal

from procurement.kernel import http
from procurement.kernel.retry import call_with_retries
from procurement.suppliers.base import TokenExpired
from procurement.suppliers.records import flag


def reply_success(document):
    """A reply's `success` as True or False, or None when it is neither (booleans and their texts are accepted)."""
    value = document.get("success") if isinstance(document, dict) else None
    return value if isinstance(value, bool) else flag(value) if isinstance(value, str) else None


class EnvelopeCalls:
    paths = {}
    retry = None

    @abc.abstractmethod
    def token_expired(self, document):
        """Whether a reply says the token is no longer valid (each protocol says it its own way)."""

    def authorised(self, interface, params, reference="", once=False):
        """`interface` with the token; a token refused as expired is refreshed once and the call sent again.

        `once`: no retry of transient failures within the call (a call that is not safe to repeat blindly, such as
        a pre-order: its caller finds out what happened before trying again).
        """
        def send(token):
            stamped, party = {**params, "token": token}, self.counterparty(token)
            if once:
                return self.post_once(interface, stamped, party, reference=reference)
            return self.post(interface, stamped, counterparty=party, reference=reference)

        return self.with_token(send)

    def post(self, interface, params, *, counterparty, reference=""):
        """One interface call, its transient failures retried with back-off; returns `result`."""
        return call_with_retries(self.retry, lambda: self.post_once(interface, params, counterparty,
                                                                    reference=reference))

    def post_once(self, interface, params, counterparty, timeout=None, reference=""):
        self.count_call(interface)
        reply = http.call(counterparty, interface, self.paths[interface], data=params,
                          reference=(reference or params.get("sku", ""))[:100], timeout=timeout)
        # Amounts stay exact: a JSON number with a fraction is read as a Decimal, never a float.
        document = reply.json(parse_float=Decimal)
        success = reply_success(document)
        if success is None:
            http.bad_reply(reply.attempt_id, "回复不是约定的报文（缺少 success）")
        if success is False and self.token_expired(document):
            http.record_outcome(reply.attempt_id, "refused", "token_expired")
            raise TokenExpired("令牌已过期（token_expired）", reply.attempt_id, code=str(document.get("code", "")))
        if not success:
            http.refuse(reply, document.get("code", ""), str(document.get("desc", "")))
        return document.get("result")


def as_list(result):
    """`result` that must be an array (a transient bad reply otherwise)."""
    if not isinstance(result, list):
        raise http.BadReply("result 应为数组")
    return result


def as_object(result):
    if not isinstance(result, dict):
        raise http.BadReply("result 应为对象")
    return result
