"""The catalog's recurring jobs: poll suppliers whose interval has passed, refresh stock of listed SKUs."""
from django_q.models import Schedule

SCHEDULES = [
    {"name": "拉取电商商品消息", "func": "catalog.jobs.sync_due", "schedule_type": Schedule.MINUTES, "minutes": 1},
    {"name": "刷新上架商品库存", "func": "catalog.jobs.refresh_stock_due", "schedule_type": Schedule.MINUTES,
     "minutes": 5},
    {"name": "刷新电商扩展信息与地址", "func": "catalog.jobs.refresh_extras_due", "schedule_type": Schedule.MINUTES,
     "minutes": 15},
]
