"""A notice that arrives while the reply to our own message is being applied (the sandbox bank, like a real one,
may send baohannotice before its answer to baohanapply is back) is applied, not refused as a stale change."""
import threading

import pytest
from django.db import connection, transaction

from guarantees.models import Guarantee, InvoiceRequest
from guarantees.services.moves import guarantee_move, invoice_move
from procurement.kernel.statemachine import by_source
from tests.guarantees.factories import GuaranteeFactory, IssuedGuaranteeFactory
from tests.guarantees.test_notices import baohannotice_fields

pytestmark = pytest.mark.django_db(transaction=True)
REPLY = by_source("test reply")
HOLD_SECONDS = 0.5


class MoveInFlight:
    """`move()` in another connection's transaction, held open (with its row lock) until released."""

    def __init__(self, move):
        self.move, self.failure = move, None
        self.moved, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._run)

    def __enter__(self):
        self.thread.start()
        assert self.moved.wait(10), "the concurrent move never ran"
        threading.Timer(HOLD_SECONDS, self.release.set).start()
        return self

    def __exit__(self, *exc):
        self.thread.join(10)
        assert self.failure is None, self.failure

    def _run(self):
        try:
            with transaction.atomic():
                self.move()
                self.moved.set()
                self.release.wait(10)
        except Exception as error:  # noqa: BLE001 - reported by __exit__, in the test's thread
            self.failure = error
            self.moved.set()
        finally:
            connection.close()


def test_baohannotice_during_the_baohanapply_reply_issues_the_guarantee(notice, guarantor):
    guarantee = GuaranteeFactory(guarantor=guarantor, status=Guarantee.Status.APPLYING)

    def reply_applied():
        guarantee_move(Guarantee.objects.get(pk=guarantee.pk), Guarantee.Status.APPLIED, actor=REPLY)

    with MoveInFlight(reply_applied):
        reply = notice.post("baohannotice", baohannotice_fields(guarantee))

    assert reply == {"code": 1, "message": "接收成功"}
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.ISSUED
    assert list(guarantee.events.order_by("id").values_list("to_state", flat=True)) == [
        Guarantee.Status.APPLIED, Guarantee.Status.ISSUED]


def test_invoicenotice_during_the_invoiceapply_reply_records_the_invoice(notice, guarantor):
    guarantee = IssuedGuaranteeFactory(guarantor=guarantor, status=Guarantee.Status.RESTORED)
    invoice = InvoiceRequest.objects.create(guarantee=guarantee, amount="100.00")

    def reply_sent():
        invoice_move(InvoiceRequest.objects.get(pk=invoice.pk), InvoiceRequest.Status.SENT, actor=REPLY)

    with MoveInFlight(reply_sent):
        reply = notice.post("invoicenotice", {"baohanno": guarantee.baohanno, "applystatus": "1",
                                              "invoiceno": "00012345", "invoicecode": "012001900111"})

    assert reply == {"code": 1, "message": "接收成功"}
    invoice.refresh_from_db()
    assert (invoice.status, invoice.invoice_no) == (InvoiceRequest.Status.ISSUED, "00012345")
