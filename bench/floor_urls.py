"""The app's URLs plus the floor of any interface that commits before answering, for bench/customs.py.

POST /bench/durable-insert: a plain Django view (no DRF, no validation, no job) that inserts the raw
body as one row in autocommit, so one round trip (no connection-check ping, as platDataOpen) and one
durable commit, and answers a small JSON. Whatever it reaches
beside the trivial view bounds what platDataOpen, which must commit before it answers, can reach.
"""
from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from procurement.kernel.rowsql import fetch_one_repeatable
from procurement.urls import urlpatterns as app_urlpatterns

FLOOR_TABLE = "bench_durable_insert"
FLOOR_PATH = "bench/durable-insert"


def floor_table_create():
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {FLOOR_TABLE} (id bigserial PRIMARY KEY, body text NOT NULL)")


@csrf_exempt
def durable_insert(request):
    fetch_one_repeatable(f"INSERT INTO {FLOOR_TABLE} (body) VALUES (%s) RETURNING id", [request.body.decode()])
    return JsonResponse({"code": "10000", "message": ""})


urlpatterns = [path(FLOOR_PATH, durable_insert), *app_urlpatterns]
