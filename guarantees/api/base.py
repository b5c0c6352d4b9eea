"""Base of the served guarantee interfaces: POST, JSON or form, signed, fresh, answered `{"code", "message"}`.

Whatever goes wrong (bad body, bad sign, a bug) is answered with HTTP 200 and code 0, never a 5xx
and never an HTML page.
"""
from django.conf import settings
from rest_framework.response import Response

from guarantees.api.auth import guarantor_authenticate, timestamp_check, wire_params
from guarantees.api.parsers import ExactJSONParser
from guarantees.errors import NoticeRefused
from guarantees.services.notices import notice_receive, notice_replayed
from procurement.api.base import EnvelopeView, describe_error
from procurement.api.parsers import StrictFormParser, StrictMultiPartParser
from procurement.wire import guarantee_reply

TAG = "电子保函（金融机构调用）"


class GuaranteeView(EnvelopeView):
    """A served interface: subclasses set `interface`, `input_serializer` and `handler(guarantor, data)`."""

    parser_classes = [ExactJSONParser, StrictFormParser, StrictMultiPartParser]
    interface = ""
    handler = None

    @property
    def max_body_bytes(self):
        # A Base64 file grows by 4/3; the other fields fit in the margin.
        return settings.GUARANTEE_MAX_BODY_BYTES

    def post(self, request):
        params = wire_params(request.data)
        guarantor = guarantor_authenticate(params)
        earlier = self.replayed(guarantor, params)
        if earlier is not None:
            return Response(earlier)
        timestamp_check(params.get("timestamp"))
        return Response(self.answer(guarantor, params, self.validated(params)))

    def replayed(self, guarantor, params):
        return notice_replayed(guarantor, self.interface, params["sign"])

    def answer(self, guarantor, params, data):
        return notice_receive(guarantor, self.interface, params, data, type(self).handler)

    def handle_exception(self, exc):
        message = str(exc) if isinstance(exc, NoticeRefused) else describe_error(exc)[1]
        return Response(guarantee_reply(False, message))
