"""django-q2 task functions of the guarantee app: load by id, call a service, nothing else."""
from guarantees.models import CheckRun, OutboundMessage
from guarantees.services.messages import SEND_TASK, message_send
from guarantees.services.reconciliation import RUN_TASK, check_run_send, check_runs_create
from guarantees.services.restore import restores_due
from procurement.kernel.delivery import deliveries_dispatch


def send_message(pk):
    return message_send(pk)


def run_check(pk):
    return check_run_send(pk)


def dispatch():
    """Every minute: start due restores, then hand every due (or abandoned) delivery to a worker."""
    restored = restores_due()
    return {"restores": restored, "messages": deliveries_dispatch(OutboundMessage, SEND_TASK),
            "checks": deliveries_dispatch(CheckRun, RUN_TASK)}


def daily_check():
    return [run.pk for run in check_runs_create()]
