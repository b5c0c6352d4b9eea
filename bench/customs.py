"""Benchmark of the customs interface: platDataOpen under load, and signed uploads against the sandbox customs.

1. platDataOpen (form field openReq, a unique sessionID per request) on gunicorn with 2 workers on
   PostgreSQL, beside the trivial JSON view (GET /healthz) on the same server in the same run; wrk with
   32 connections. Each request records a DataRequest and an Upload and queues the upload job, in one
   SQL statement and one commit: once with the django-q ORM broker (the embedded default), once with the
   Redis broker (production, pushed after the commit). A third row, platDataOpen refused at validation
   (no serviceTime), is the same HTTP handling without the database: the ceiling the recording starts from.
   A fourth row is the floor of any interface that must commit before it answers: a plain Django view
   (bench/floor_urls.py: no DRF, no validation, no job) inserting the raw body as one row, one commit.
2. Uploads per second with the sm2 signer: build, check §1.6.3, sign, POST to the sandbox customs (in its
   own process, verifying every signature), record the reply; one worker process, as one django-q worker.

Run: .venv/bin/python bench/customs.py [--seconds 10] [--uploads 200] [--database NAME] [--redis-url URL]
"""
import argparse
import multiprocessing
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import fresh_database, gunicorn_server, load, machine_note, report, setup_django

ORDERS = 1000
ORDER = "BENCH-ORD-00001"
CERT_NO = "BENCH-CERT-01"
REDIS_URL = "redis://127.0.0.1:6379/13"
BENCH_QUEUE = "customs-bench"
# The app's settings with the floor view's URL added (bench/floor_urls.py). wrk calls from loopback, as
# customs would from its registered network; the rate limit is counted on every call (as in production)
# but set high enough never to refuse one of the benchmark's.
SERVER_SETTINGS = {"DJANGO_SETTINGS_MODULE": "bench.floor_settings", "CUSTOMS_ALLOWED_NETWORKS": "127.0.0.0/8",
                   "CUSTOMS_RATE_PER_MINUTE": str(10**9)}


def populate():
    """1,000 payments, each with one order of two goods (non-ASCII names, decimal amounts)."""
    from datetime import datetime
    from decimal import Decimal

    from customs.models import CrossBorderOrder, OrderGoods, PaymentRecord
    from procurement.kernel.wire import SHANGHAI

    payments = PaymentRecord.objects.bulk_create(
        PaymentRecord(ebp_code="12019600AA", pay_code="4403160BUF", pay_transaction_id=f"BENCH-PAY-{n:05d}",
                      total_amount=Decimal(f"{100 + n}.{n % 100:02d}"), currency="142", ver_dept="3", pay_type="1",
                      trading_time=datetime(2026, 3, 5, 13, 33, 20, tzinfo=SHANGHAI),
                      inital_request=f"pay?order=BENCH-ORD-{n:05d}&amount={100 + n}", inital_response='{"code":"10000"}')
        for n in range(ORDERS)
    )
    orders = CrossBorderOrder.objects.bulk_create(
        CrossBorderOrder(payment=payment, order_no=f"BENCH-ORD-{n:05d}", recp_account="6217850100007893905",
                         recp_code="91350100M000100Y43", recp_name="天猫国际有限公司")
        for n, payment in enumerate(payments)
    )
    OrderGoods.objects.bulk_create(
        OrderGoods(order=order, position=p, gname=name, item_link=f"https://mall.example.cn/item/{order.pk}-{p}")
        for order in orders for p, name in enumerate(("婴儿配方奶粉 900克", "棉拖鞋「冬季款」"))
    )


def open_template(order_no, run, service_time=',"serviceTime":1533271903898'):
    """The form body customs sends; wrk makes `{n}` unique within a run, `run` tells runs apart."""
    document = f'{{"orderNo":"{order_no}","sessionID":"bench-{run}-@N@"{service_time}}}'
    return "openReq=" + quote(document, safe="").replace("%40N%40", "{n}")


def brokers(redis_url):
    """The job brokers platDataOpen enqueues into: the embedded default, and Redis as in production."""
    return {"ORM": {}, "Redis": {"REDIS_URL": redis_url, "Q_CLUSTER_NAME": BENCH_QUEUE}}


def _purge_redis_queue(redis_url):
    """Drop the jobs the Redis run enqueued (nothing consumes them)."""
    import redis

    redis.Redis.from_url(redis_url).delete(BENCH_QUEUE)


def _serve_sandbox(public_key, queue):
    from customs.sandbox import CustomsSandbox
    from procurement.kernel.sandbox import serve

    running = serve(CustomsSandbox(certificates={CERT_NO: public_key}))
    queue.put(running.url)
    running.thread.join()


def bench_uploads(count):
    """Send `count` pending uploads one after another; returns (uploads/s, p50 ms, p99 ms, done)."""
    from django.conf import settings

    from customs.models import Upload
    from customs.sandbox import UPLOAD_PATH
    from customs.upload import upload_send
    from procurement.kernel import crypto

    private_key, public_key = crypto.sm2_generate_keypair()
    queue = multiprocessing.get_context("fork").Queue()
    sandbox = multiprocessing.get_context("fork").Process(target=_serve_sandbox, args=(public_key, queue), daemon=True)
    sandbox.start()
    try:
        settings.CUSTOMS_UPLOAD_URL = queue.get(timeout=30) + UPLOAD_PATH
        settings.CUSTOMS_SIGNER, settings.CUSTOMS_SM2_PRIVATE_KEY, settings.CUSTOMS_CERT_NO = "sm2", private_key, CERT_NO
        ids = list(Upload.objects.filter(status=Upload.Status.PENDING).order_by("pk").values_list("pk", flat=True)[:count])
        timings, started = [], time.perf_counter()
        for upload_id in ids:
            begun = time.perf_counter()
            upload_send(upload_id)
            timings.append((time.perf_counter() - begun) * 1000)
        elapsed = time.perf_counter() - started
    finally:
        sandbox.terminate()
    done = Upload.objects.filter(pk__in=ids, status=Upload.Status.DONE).count()
    timings.sort()
    return len(ids) / elapsed, statistics.median(timings), timings[int(len(timings) * 0.99) - 1], done, len(ids)


def bench_recording(count=500):
    """Milliseconds per platDataOpen recording: lookup, two inserts, the job, one durable commit."""
    from customs.services import request_record

    started = time.perf_counter()
    for n in range(count):
        request_record(order_no=ORDER, session_id=f"service-{n}", service_time=1533271903898)
    return (time.perf_counter() - started) * 1000 / count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--database", default="procurement_customs_bench")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--redis-url", default=REDIS_URL, help="the Redis database of the Redis-broker run")
    args = parser.parse_args()

    database_url = fresh_database(args.database)
    setup_django(database_url)
    populate()
    from bench.floor_urls import FLOOR_PATH, floor_table_create

    floor_table_create()
    rows = {}
    for broker, env in brokers(args.redis_url).items():
        with gunicorn_server(database_url, workers=args.workers, env={**SERVER_SETTINGS, **env}) as base:
            load(base + "/customs/platDataOpen", template=open_template(ORDER, f"warm-{broker}"), seconds=2)
            rows[f"GET /healthz [{broker}]"] = load(base + "/healthz", method="GET", seconds=args.seconds)
            rows[f"POST platDataOpen [{broker}]"] = load(base + "/customs/platDataOpen",
                                                         template=open_template(ORDER, broker), seconds=args.seconds)
            if broker == "ORM":
                rows["POST platDataOpen refused, no DB"] = load(
                    base + "/customs/platDataOpen", template=open_template(ORDER, "refused", service_time=""),
                    seconds=args.seconds)
                rows["POST durable insert, plain Django"] = load(
                    f"{base}/{FLOOR_PATH}", template=open_template(ORDER, "floor"), seconds=args.seconds)
    _purge_redis_queue(args.redis_url)
    from customs.models import DataRequest

    recorded = DataRequest.objects.count()
    service_ms = bench_recording()
    rate, p50, p99, done, tried = bench_uploads(args.uploads)

    print(f"{ORDERS} payments × 1 order × 2 goods; gunicorn {args.workers} sync workers on PostgreSQL, once with each django-q "
          f"broker; wrk 32 connections, {args.seconds}s each after a 2s warm-up; every platDataOpen a new sessionID")
    print(machine_note())
    report("customs platDataOpen", rows, baseline="GET /healthz [ORM]")
    print(f"\n{recorded} requests recorded, each with its upload row and its job (in the same statement on the "
          f"ORM broker, pushed after the commit on Redis)")
    print("the recording alone (request_record, in process, ORM broker, no HTTP, one at a time): "
          f"{service_ms:.2f} ms per request "
          f"→ at most {1000 * args.workers / service_ms:.0f} req/s from {args.workers} sync workers even with free HTTP "
          f"handling and free cores")
    floor, trivial = rows["POST durable insert, plain Django"], rows["GET /healthz [ORM]"]
    print(f"floor [ORM]: one durable INSERT behind a plain Django view → {floor.rps / trivial.rps:.2f}× trivial, "
          f"p99 {floor.p99_ms:.1f} ms; the trivial view's own p99 → {trivial.p99_ms:.1f} ms")
    for broker in brokers(args.redis_url):
        trivial, served = rows[f"GET /healthz [{broker}]"], rows[f"POST platDataOpen [{broker}]"]
        print(f"targets [{broker}]: p99 < 20 ms → {served.p99_ms:.1f} ms; "
              f"throughput ≥ 0.5× trivial on the same server → {served.rps / trivial.rps:.2f}×")
    print(f"\nuploads (sm2 signer → sandbox customs verifying each signature, one worker): {rate:.1f} uploads/s, "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, {done}/{tried} accepted")


if __name__ == "__main__":
    main()
