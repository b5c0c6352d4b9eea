"""Recurring jobs: each app lists its own in `<app>/schedules.py`; `setup_schedules` writes them by name."""
from django_q.models import Schedule

from procurement.appmodules import app_modules

SCHEDULES = [
    {"name": "清理过期令牌", "func": "procurement.jobs.purge_tokens", "schedule_type": Schedule.DAILY},
    # Runs a dead worker left (procurement/docking/jobs.py): resumed or closed, never stuck.
    {"name": "对接测试续测", "func": "procurement.docking.jobs.docking_runs_recover", "schedule_type": Schedule.MINUTES,
     "minutes": 5},
]


def all_schedules():
    return [spec for module in app_modules("schedules") for spec in module.SCHEDULES]


def schedules_sync():
    """Create or update every schedule by name; returns the names written."""
    names = []
    for spec in all_schedules():
        spec = dict(spec)
        name = spec.pop("name")
        Schedule.objects.update_or_create(name=name, defaults=spec)
        names.append(name)
    return names
