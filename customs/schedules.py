"""Recurring customs jobs (written by `manage.py setup_schedules`)."""
from django_q.models import Schedule

SCHEDULES = [
    {"name": "海关数据上传重试", "func": "customs.jobs.uploads_dispatch", "schedule_type": Schedule.MINUTES,
     "minutes": 1},
]
