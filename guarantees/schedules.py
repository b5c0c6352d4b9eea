"""Recurring jobs of the guarantee app (written by `manage.py setup_schedules`)."""
from django_q.models import Schedule

SCHEDULES = [
    {"name": "保函：开标还原与报文发送", "func": "guarantees.jobs.dispatch",
     "schedule_type": Schedule.MINUTES, "minutes": 1},
    {"name": "保函：每日对账（checkbaohanlist）", "func": "guarantees.jobs.daily_check",
     "schedule_type": Schedule.DAILY},
]
