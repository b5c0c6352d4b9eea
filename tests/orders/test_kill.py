"""A worker SIGKILLed while the supplier is answering its submit or its confirm: resumed, the order ends confirmed
with exactly one order at the supplier.

The sending worker is a child process (`manage.py shell` running the job's own function); the sandbox holds
its reply back after it has acted, so the kill lands after the supplier made its change and before ours
committed, the window a lost order would come from.
"""
import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from orders.jobs import commands_dispatch
from orders.models import Order, OrderCommand
from procurement.kernel.delivery import Delivery
from tests.orders.test_lifecycle import buy, fresh, run_commands
from tests.support import cluster

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
Status = Order.Status


class HeldReply:
    """Wraps a sandbox route: the supplier acts, then holds its reply until released (or 30 s)."""

    def __init__(self, sandbox, path):
        self.acted, self.release = threading.Event(), threading.Event()
        self.sandbox, self.path, self.route = sandbox, path, sandbox.routes[path]
        sandbox.routes[path] = self

    def __call__(self, request):
        reply = self.route(request)
        self.acted.set()
        self.release.wait(timeout=30)
        return reply

    def restore(self):
        self.sandbox.routes[self.path] = self.route
        self.release.set()


def send_in_child(command):
    env = {**os.environ, "DATABASE_URL": cluster.test_database_url()}
    code = f"from orders.services.commands import command_send; command_send({command.pk})"
    return subprocess.Popen([sys.executable, "manage.py", "shell", "-c", code], cwd=cluster.BASE_DIR, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def kill_while_held(sandbox, path, command):
    held = HeldReply(sandbox, path)
    worker = send_in_child(command)
    try:
        assert held.acted.wait(timeout=60), worker.communicate(timeout=5)[0].decode("utf-8", "replace")
        worker.kill()
        worker.wait(timeout=10)
    finally:
        held.restore()
    # The dead worker's claim is older than the dispatcher's patience (moved to the past rather than waited for).
    OrderCommand.objects.filter(pk=command.pk, status=Delivery.Status.SENDING).update(
        claimed_at=timezone.now() - timedelta(hours=1))


@pytest.mark.parametrize("protocol", ["emall", "mall"])
def test_a_worker_killed_after_the_supplier_took_the_submit_is_resumed_without_a_second_order(shop, protocol):
    sandbox, order = buy(shop, protocol)
    submit = order.commands.get()

    kill_while_held(sandbox, "/api/order/submit", submit)

    assert sandbox.orders_created == 1
    assert fresh(order).status == Status.NEW
    assert OrderCommand.objects.get(pk=submit.pk).status == Delivery.Status.SENDING
    assert commands_dispatch() == 1
    run_commands()
    order = fresh(order)
    assert order.status == Status.CONFIRMED and order.supplier_order_no
    assert sandbox.orders_created == 1
    assert order.status_changes.filter(to_state=Status.SUBMITTED).count() == 1


@pytest.mark.parametrize("protocol", ["emall", "mall"])
def test_a_worker_killed_after_the_supplier_confirmed_is_resumed_to_confirmed(shop, protocol):
    sandbox, order = buy(shop, protocol)
    run_commands_until(order, Status.SUBMITTED)
    confirm = fresh(order).commands.get(action=OrderCommand.Action.CONFIRM)

    kill_while_held(sandbox, "/api/order/confirm", confirm)

    assert fresh(order).status == Status.SUBMITTED
    assert commands_dispatch() == 1
    run_commands()
    order = fresh(order)
    assert order.status == Status.CONFIRMED and not order.stop_reason
    assert sandbox.orders_created == 1
    assert order.status_changes.filter(to_state=Status.CONFIRMED).count() == 1


def run_commands_until(order, status):
    """Send the submit alone: its confirm is left queued for the test to send."""
    from orders.services.commands import command_send

    command_send(order.commands.get(action=OrderCommand.Action.SUBMIT).pk)
    assert fresh(order).status == status
