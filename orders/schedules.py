"""The orders' recurring jobs: commands owed to suppliers, following orders, after-sales, daily reconciliation."""
from django_q.models import Schedule

SCHEDULES = [
    {"name": "重发订单指令", "func": "orders.jobs.commands_dispatch", "schedule_type": Schedule.MINUTES, "minutes": 1},
    {"name": "查询电商订单状态与物流", "func": "orders.jobs.poll_orders_due", "schedule_type": Schedule.MINUTES,
     "minutes": 1},
    {"name": "跟进退换货、账期付款与电子发票", "func": "orders.jobs.follow_after_sales",
     "schedule_type": Schedule.MINUTES, "minutes": 60},
    {"name": "订单对账（前一天）", "func": "orders.jobs.reconcile_yesterday", "schedule_type": Schedule.DAILY},
    {"name": "重发订单对账", "func": "orders.jobs.reconciliations_dispatch", "schedule_type": Schedule.MINUTES,
     "minutes": 5},
]
