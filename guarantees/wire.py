"""The electronic-guarantee wire format (seed 003): the `{"code": 1|0, "message"}` reply."""
from guarantees.errors import NoticeRefused
from procurement.kernel.served import Envelope

GUARANTEE_OK = 1
GUARANTEE_FAIL = 0


def guarantee_reply(ok, message, data=None):
    reply = {"code": GUARANTEE_OK if ok else GUARANTEE_FAIL, "message": message}
    if data is not None:
        reply["data"] = data
    return reply



class GuaranteeEnvelope(Envelope):
    """Success `{"code": 1, "message", "data"?}`; any failure code 0 with the reason in `message`."""

    def ok(self, result):
        return result

    def own_failure(self, exc):
        return guarantee_reply(False, str(exc)) if isinstance(exc, NoticeRefused) else None

    def refused(self, refusal):
        return guarantee_reply(False, refusal.message)


GUARANTEE_ENVELOPE = GuaranteeEnvelope()
