"""Orders end to end with a supplier of each standard, over real HTTP against the sandboxes: every state, the
refusals, a lost reply (exactly one supplier order), cancel before and after confirmation, a split order, credit
terms through payment, reconciliation mismatches, returns, a late invoice, a worker killed before confirming."""
from datetime import timedelta

import pytest
from django.utils import timezone

from orders.jobs import commands_dispatch
from orders.models import Order, OrderCommand, ReconciliationMismatch
from orders.services.commands import command_send
from orders.services.intake import Cart, CartLine, orders_place
from orders.services.invoices import invoice_fetch
from orders.services.payments import payment_check, payment_record
from orders.services.reconciliation import reconciliation_run, reconciliation_start
from orders.services.returns import return_poll, return_request
from orders.services.staff import order_cancel
from orders.services.tracking import order_poll
from procurement.kernel.delivery import Delivery
from procurement.kernel.statemachine import IllegalTransition, by_source
from procurement.suppliers.registry import connector_for

pytestmark = pytest.mark.django_db
Status = Order.Status
ACTOR = by_source("test")


def run_commands():
    """Send every command due now (retries made due at once), as the job cluster would."""
    for _ in range(10):
        OrderCommand.objects.filter(status=Delivery.Status.RETRYING).update(next_attempt_at=timezone.now())
        due = list(OrderCommand.objects.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING])
                   .values_list("pk", flat=True))
        if not due:
            return
        for pk in due:
            command_send(pk)


def buy(shop, protocol, codes=("SB000001",), quantity=1, credit=False, confirm=True):
    emall, mall, emall_supplier, mall_supplier, address = shop
    supplier = emall_supplier if protocol == "emall" else mall_supplier
    prefix = "SB" if protocol == "emall" else "MS"
    skus = [supplier.skus.get(sku_code=prefix + code[2:]) for code in codes]
    cart = Cart(purchaser=address.purchaser, address=address, lines=[CartLine(s, quantity, s.price) for s in skus],
                credit_terms=credit, confirm_on_submit=confirm)
    [order], _ = orders_place(cart, actor=ACTOR)
    sandbox = emall if protocol == "emall" else mall
    return sandbox, order


def fresh(order):
    return Order.objects.get(pk=order.pk)


@pytest.mark.parametrize("protocol", ["emall", "mall"])
def test_an_order_goes_through_every_state_to_its_invoice(shop, protocol):
    sandbox, order = buy(shop, protocol, ("SB000001", "SB000002"))

    run_commands()
    assert fresh(order).status == Status.CONFIRMED
    sandbox.ship(order.number)
    order_poll(order.pk)
    assert fresh(order).status == Status.SHIPPED
    sandbox.deliver(order.number)
    order_poll(order.pk)
    invoice = invoice_fetch(order.pk)

    order = fresh(order)
    assert order.status == Status.COMPLETED and order.supplier_order_no == sandbox.orders[order.number].order_id
    [shipment] = order.shipments.all()
    assert shipment.lines.count() == 2 and shipment.steps.exists()
    assert invoice.issued and invoice.file.read().startswith(b"%PDF")
    path = [(c.from_state, c.to_state) for c in order.status_changes.order_by("at", "id")]
    assert path == [("new", "submitted"), ("submitted", "confirmed"), ("confirmed", "shipped"),
                    ("shipped", "completed")]


@pytest.mark.parametrize("protocol", ["emall", "mall"])
def test_a_price_changed_at_the_supplier_refuses_the_order_with_its_words(shop, protocol):
    sandbox, order = buy(shop, protocol)
    sandbox.faults.update(price_changed=order.lines.get().sku_code)

    run_commands()

    order = fresh(order)
    assert order.status == Status.REFUSED and "价格" in order.stop_reason
    assert sandbox.orders_created == 0


@pytest.mark.parametrize("protocol", ["emall", "mall"])
def test_a_lost_submit_reply_leaves_exactly_one_order_at_the_supplier(shop, protocol):
    sandbox, order = buy(shop, protocol)
    sandbox.faults.update(lose_submit_reply=1)

    run_commands()

    order = fresh(order)
    assert order.status == Status.CONFIRMED
    assert sandbox.orders_created == 1 and order.supplier_order_no == sandbox.orders[order.number].order_id
    submit = order.commands.get(action="submit")
    assert submit.attempts == 2


@pytest.mark.parametrize("protocol", ["emall", "mall"])
def test_cancel_before_confirmation_is_done_at_the_supplier(shop, protocol):
    sandbox, order = buy(shop, protocol, confirm=False)
    run_commands()
    assert fresh(order).status == Status.SUBMITTED

    order_cancel(fresh(order), actor=ACTOR, reason="采购人改主意")
    run_commands()

    assert fresh(order).status == Status.CANCELLED and sandbox.orders[order.number].state == 5


def test_cancel_after_the_supplier_confirmed_is_refused_and_refusal_of_delivery_offered(shop):
    sandbox, order = buy(shop, "mall", confirm=False)
    run_commands()
    order = fresh(order)
    # The supplier confirmed it, and our confirm's reply never came back: we still think it unconfirmed.
    connector_for(order.supplier).order_confirm(order.number, order.supplier_order_no)

    order_cancel(order, actor=ACTOR, reason="想取消")
    run_commands()

    order = fresh(order)
    assert order.status == Status.SUBMITTED and "可让采购人拒收" in order.stop_reason
    assert sandbox.orders[order.number].state == 2
    order_poll(order.pk)  # the order query brings us up to date
    assert fresh(order).status == Status.CONFIRMED
    with pytest.raises(IllegalTransition, match="可让采购人拒收"):
        order_cancel(fresh(order), actor=ACTOR, reason="再试")


def test_a_split_order_keeps_each_child_with_its_lines(shop):
    sandbox, order = buy(shop, "mall", ("SB000001", "SB000002", "SB000003"))
    sandbox.faults.update(split_orders=1)

    run_commands()
    order_poll(order.pk)

    children = {c.number: c for c in fresh(order).sub_orders.all()}
    assert len(children) == 3
    assert sorted(line["sku"] for c in children.values() for line in c.lines) == ["MS000001", "MS000002", "MS000003"]


@pytest.mark.parametrize("protocol", ["emall", "mall"])
def test_credit_terms_become_due_on_delivery_and_settle_when_the_supplier_finds_the_transfer(shop, protocol):
    sandbox, order = buy(shop, protocol, credit=True)
    run_commands()
    sandbox.deliver(order.number)
    order_poll(order.pk)
    order = fresh(order)
    assert order.payment_status == Order.PaymentStatus.DUE and order.due_date > timezone.localdate()

    payment_record(order, serial_no="BANK-0001", amount=order.total, paid_at=timezone.now(), bank_name="工商银行",
                   bank_account="0302 0000 1234", actor=ACTOR)
    run_commands()
    sandbox.check_payments(order.number)
    payment_check(order.pk)

    assert fresh(order).payment_status == Order.PaymentStatus.SETTLED
    assert "BANK-0001" in sandbox.orders[order.number].payments


def test_a_transfer_the_supplier_finds_wrong_is_shown_as_such(shop):
    sandbox, order = buy(shop, "mall", credit=True)
    run_commands()
    sandbox.deliver(order.number)
    order_poll(order.pk)
    sandbox.faults.update(payment_rejected=1)
    payment_record(fresh(order), serial_no="BANK-0002", amount=order.total, paid_at=timezone.now(),
                   bank_name="工商银行", bank_account="0302", actor=ACTOR)
    run_commands()
    sandbox.check_payments(order.number)

    payment_check(order.pk)

    order = fresh(order)
    assert order.payment_status == Order.PaymentStatus.WRONG and order.payments.get().verdict == "wrong"


def test_reconciliation_lists_every_mismatch_the_supplier_shows(shop):
    sandbox, first = buy(shop, "mall", ("SB000001",))
    _, second = buy(shop, "mall", ("SB000002",))
    run_commands()
    sandbox.faults.update(reconciliation_disagree=1)
    _, _, _, mall_supplier, _ = shop

    run = reconciliation_start(mall_supplier, timezone.localdate())
    reconciliation_run(run.pk)

    kinds = set(ReconciliationMismatch.objects.filter(run=run).values_list("kind", flat=True))
    assert {"amount", "missing_here", "missing_there"} <= kinds


def test_a_return_of_every_piece_makes_the_order_returned(shop):
    sandbox, order = buy(shop, "mall", ("SB000001",), quantity=2)
    run_commands()
    sandbox.deliver(order.number)
    order_poll(order.pk)
    line = fresh(order).lines.get()
    with pytest.raises(IllegalTransition, match="最多还可退换 2 件"):
        return_request(fresh(order), quantities={line: 3}, exchange=False, reason="多了", actor=ACTOR)

    request = return_request(fresh(order), quantities={line: 2}, exchange=False, reason="质量问题", actor=ACTOR)
    run_commands()
    for _ in range(3):
        sandbox.advance_return(request.__class__.objects.get(pk=request.pk).supplier_service_id)
        return_poll(request.pk)

    assert request.__class__.objects.get(pk=request.pk).status == "done"
    assert fresh(order).status == Status.RETURNED


def test_a_late_invoice_is_fetched_once_issued(shop):
    sandbox, order = buy(shop, "mall")
    sandbox.faults.update(invoice_late=2)
    run_commands()
    sandbox.deliver(order.number)
    order_poll(order.pk)

    assert invoice_fetch(order.pk).issued is False
    invoice = invoice_fetch(order.pk)

    assert invoice.issued and invoice.file


def test_a_worker_killed_before_confirming_is_resumed_by_the_dispatcher(shop):
    sandbox, order = buy(shop, "emall")
    submit = order.commands.get()
    command_send(submit.pk)
    confirm = fresh(order).commands.get(action="confirm")
    # The worker took the confirm and died: the row stays claimed ("sending") with its clock running.
    OrderCommand.objects.filter(pk=confirm.pk).update(status=Delivery.Status.SENDING, attempts=1,
                                                      claimed_at=timezone.now() - timedelta(hours=1))

    assert commands_dispatch() == 1
    run_commands()

    assert fresh(order).status == Status.CONFIRMED and sandbox.orders_created == 1
