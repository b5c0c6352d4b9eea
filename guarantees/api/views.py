"""The interfaces guarantors call (seed 003), at the seed's names under /guarantee/."""
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view

from guarantees.api import serializers as s
from guarantees.api.base import TAG, GuaranteeView
from guarantees.queries import section_anomalies
from guarantees.services import notices
from guarantees.wire import guarantee_reply


def documented(summary, request, name, data=None):
    return extend_schema_view(
        post=extend_schema(
            summary=summary, tags=[TAG], responses={200: s.reply(name, data)},
            request={"application/json": request, "application/x-www-form-urlencoded": request},
        )
    )


@documented("（二）投保申请结果通知 baohannotice", s.BaohanNotice, "BaohanNoticeReply")
class BaohanNoticeEndpoint(GuaranteeView):
    interface = "baohannotice"
    input_serializer = s.BaohanNotice
    handler = staticmethod(notices.baohannotice_apply)


@documented("（四）还原保函通知 restorenotice", s.RestoreNotice, "RestoreNoticeReply")
class RestoreNoticeEndpoint(GuaranteeView):
    interface = "restorenotice"
    input_serializer = s.RestoreNotice
    handler = staticmethod(notices.restorenotice_apply)


@documented("（六）开具发票通知 invoicenotice", s.InvoiceNotice, "InvoiceNoticeReply")
class InvoiceNoticeEndpoint(GuaranteeView):
    interface = "invoicenotice"
    input_serializer = s.InvoiceNotice
    handler = staticmethod(notices.invoicenotice_apply)


@documented("（八）退保通知 quitnotice", s.QuitNotice, "QuitNoticeReply")
class QuitNoticeEndpoint(GuaranteeView):
    interface = "quitnotice"
    input_serializer = s.QuitNotice
    handler = staticmethod(notices.quitnotice_apply)


@documented("（十二）获取标段异常信息 getbiaoduanyichang", s.AnomalyQuery, "AnomalyReply",
            data=s.inline_serializer("AnomalyData", {"yichanglist": s.Anomaly(many=True)}))
class AnomaliesEndpoint(GuaranteeView):
    """A query: nothing changes, so it is answered afresh each time rather than stored."""

    interface = "getbiaoduanyichang"
    input_serializer = s.AnomalyQuery

    def replayed(self, guarantor, params):
        return None

    def answer(self, guarantor, params, data):
        rows = section_anomalies(guarantor, data["updatetime"], timezone.now())
        return guarantee_reply(True, "查询成功", {"yichanglist": rows})
