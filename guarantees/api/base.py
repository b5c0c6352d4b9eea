"""Base of the served guarantee interfaces: POST, JSON or form, signed, fresh, answered `{"code", "message"}`.

Whatever goes wrong (bad body, bad sign, a bug) is answered with HTTP 200 and code 0, never a 5xx
and never an HTML page.
"""
from django.conf import settings
from rest_framework.response import Response

from guarantees.api.auth import guarantor_authenticate, timestamp_check, wire_params
from guarantees.api.parsers import ExactJSONParser
from guarantees.services.notices import notice_receive, notice_replayed
from guarantees.wire import GUARANTEE_ENVELOPE
from procurement.kernel.parsers import StrictFormParser, StrictMultiPartParser
from procurement.kernel.served import ServedView

TAG = "电子保函（金融机构调用）"


class GuaranteeView(ServedView):
    """A served interface: subclasses set `interface`, `input_serializer` and `handler(guarantor, data)`."""

    envelope = GUARANTEE_ENVELOPE
    parser_classes = [ExactJSONParser, StrictFormParser, StrictMultiPartParser]
    interface = ""
    handler = None

    def body_limit(self):
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
