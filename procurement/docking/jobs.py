"""django-q2 task functions of the docking test tool: load by id, call a service, nothing else."""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from procurement.docking.models import DockingRun
from procurement.docking.services import RUN_JOB, run_execute
from procurement.kernel.queue import enqueue


def docking_run(run_id):
    """Run (or resume) one run; a finished one, or one another worker is running, is left alone."""
    run = run_execute(run_id)
    return run.get_status_display() if run is not None else "无需处理"


def docking_runs_recover():
    """The schedule's job: runs a dead worker left running (no progress for DOCKING_STALE_SECONDS) and queued runs
    whose job never came are handed to a job again, which resumes them or closes them as interrupted: no run waits
    forever."""
    stale = timezone.now() - timedelta(seconds=settings.DOCKING_STALE_SECONDS)
    left = DockingRun.objects.filter(status=DockingRun.Status.RUNNING, heartbeat_at__lt=stale)
    forgotten = DockingRun.objects.filter(status=DockingRun.Status.QUEUED, created_at__lt=stale)
    ids = sorted({*left.values_list("pk", flat=True), *forgotten.values_list("pk", flat=True)})
    for run_id in ids:
        enqueue(RUN_JOB, run_id, task_name=f"docking-run-{run_id}-recover")
    return len(ids)
