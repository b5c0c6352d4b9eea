"""Benchmark of orders: 1,000 orders through submit → confirm → query → logistics against a sandbox supplier, beside
a bare `requests` loop making the same calls in the same run; and the storefront API creating orders under 32
concurrent clients on gunicorn.

1. The supplier side (in this process, on a fresh PostgreSQL database): 1,000 orders are placed first (not timed);
   then each is submitted, confirmed (the job's own follow-up), shipped by the sandbox, and followed (order query
   and logistics) by `--workers` processes, as that many job workers would. The sandbox (in its own process) logs
   every request; the bare loop replays them one after another.
2. The storefront API: POST /api/staff/orders, a unique storefront number per request (each order checked for
   stock live at the sandbox, then made), on gunicorn with 2 workers; wrk with 32 connections; session-authenticated
   like the storefront's own back end.

Run: .venv/bin/python bench/orders.py [--orders 1000] [--latency-ms 0] [--seconds 10] [--protocol emall|mall]
"""
import argparse
import multiprocessing
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import fresh_database, gunicorn_server, load, machine_note, report, setup_django

SKUS = 120
PASSWORD = "sandbox-password"


def serve_sandbox(protocol, latency_ms, port_queue):
    """Child process: the sandbox supplier with every request logged and a bench route to ship every order."""
    from procurement.kernel.sandbox import SandboxResponse, serve

    if protocol == "emall":
        from procurement.suppliers.emall.sandbox import build_sandbox
    else:
        from procurement.suppliers.mall.sandbox import build_sandbox
    sandbox = build_sandbox(SKUS, broken=False)
    for product in sandbox.products.values():
        product.stock = dict.fromkeys(product.stock, 10**9)  # stock never runs out in a benchmark
    sandbox.log = []
    original = sandbox.handle

    def logged(request):
        if not request.path.startswith("/_"):
            sandbox.log.append((request.path, request.params()))
        return original(request)

    def take_log(request):
        log, sandbox.log = sandbox.log, []
        return SandboxResponse.json(log)

    def ship_all(request):
        shipped = sum(1 for number in list(sandbox.orders) if _ship(sandbox, number))
        return SandboxResponse.json({"shipped": shipped})

    def set_latency(request):
        sandbox.faults.update(latency_ms=int(request.params()["ms"]))
        return SandboxResponse.json({})

    sandbox.handle = logged
    sandbox.routes.update({"/_bench/log": take_log, "/_bench/ship": ship_all, "/_bench/latency": set_latency})
    running = serve(sandbox)
    if hasattr(sandbox, "public_url"):
        sandbox.public_url = running.url
    port_queue.put(running.url)
    while True:
        time.sleep(3600)


def _ship(sandbox, number):
    try:
        sandbox.ship(number)
        return True
    except Exception:  # noqa: BLE001 - an order not in a state to ship
        return False


def setup_catalog(protocol, url):
    """The supplier, its SKUs synced and listed, a purchasing unit with a purchaser and an address."""
    from django.contrib.auth.models import Group, User

    from catalog.extras import extras_refresh
    from catalog.listing import sku_approve
    from catalog.reference.importer import reference_import
    from catalog.sync.passes import sync_pass
    from orders.models import DeliveryAddress, Purchaser, PurchasingUnit
    from procurement.demo import REFERENCE_FILE
    from procurement.kernel.credit_code import credit_code_check_character
    from procurement.kernel.statemachine import by_source
    from procurement.models import Area, Supplier

    reference_import([REFERENCE_FILE])
    supplier = Supplier.objects.create(code="BENCH-ORD", name="基准测试电商", protocol=protocol, base_url=url,
                                       parameters={"username": "mall"}, secret_parameters={"password": PASSWORD})
    assert sync_pass(supplier.pk).outcome == "done"
    if protocol == "mall":
        extras_refresh(supplier.pk)
    skus = list(supplier.skus.filter(status="pending_review"))
    for sku in skus:
        sku_approve(sku, actor=by_source("bench"))
    code = "12120000BENCH0001"[:17]
    unit = PurchasingUnit.objects.create(name="基准测试单位", credit_code=code + credit_code_check_character(code),
                                         region=Area.objects.get(code="120000"))
    purchaser = Purchaser.objects.create(unit=unit, name="基准采购员", phone="13900000000", external_id="bench-buyer")
    address = DeliveryAddress.objects.create(purchaser=purchaser, area=Area.objects.get(code="120101"),
                                             address="天津市和平区南京路 1 号", receiver="王老师",
                                             receiver_phone="13800000000")
    user = User.objects.create_user("bench-storefront", password="Bench-Storefront-1", is_staff=True)
    user.groups.add(Group.objects.get(name="订单管理"))
    return supplier, [s.sku_code for s in skus], address


def place_orders(supplier, codes, address, count):
    from catalog.models import Sku
    from orders.services.intake import Cart, CartLine, orders_place
    from procurement.kernel.statemachine import by_source

    skus = {s.sku_code: s for s in Sku.objects.filter(supplier=supplier, sku_code__in=codes)}
    orders = []
    for n in range(count):
        sku = skus[codes[n % len(codes)]]
        cart = Cart(purchaser=address.purchaser, address=address, lines=[CartLine(sku, 1 + n % 3, sku.price)],
                    storefront_no=f"BENCH-{n:06d}")
        orders += orders_place(cart, actor=by_source("bench"))[0]
    return [o.pk for o in orders]


def pipeline(order_ids, workers, url):
    """Submit → confirm for every order (`workers` processes, as the job cluster's workers are), the supplier ships
    them all, then query → logistics."""
    import requests
    from django.db import connections

    started = time.perf_counter()
    _in_workers(workers, _submit_and_confirm, order_ids)
    sending = time.perf_counter() - started
    requests.post(url + "/_bench/ship", timeout=600)  # the supplier's side, not timed as ours
    started = time.perf_counter()
    _in_workers(workers, _poll, order_ids)
    connections.close_all()
    return sending + time.perf_counter() - started


def _in_workers(workers, work, order_ids):
    from django.db import connections

    connections.close_all()  # each forked worker opens its own connection, never the parent's socket
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(work, order_ids, chunksize=8)


def _submit_and_confirm(order_id):
    from orders.models import OrderCommand
    from orders.services.commands import command_send

    for action in ("submit", "confirm"):
        command = OrderCommand.objects.filter(order_id=order_id, action=action).first()
        if command is not None:
            command_send(command.pk)


def _poll(order_id):
    from orders.services.tracking import order_poll

    order_poll(order_id)


def bare_replay(session, url, log, protocol):
    from procurement.kernel import crypto

    token_path = "/api/auth2/access_token" if protocol == "emall" else "/api/auth/access_token"
    token = session.post(url + token_path, data={"username": "mall", "password": crypto.sm3_hex(PASSWORD),
                                                 "timestamp": "2026-01-01 00:00:00"}, timeout=30).json()
    token = token["result"]["access_token"]
    calls = [(path, params) for path, params in log if not path.endswith("access_token")]
    started = time.perf_counter()
    for path, params in calls:
        session.post(url + path, data={**params, "token": token}, timeout=30).json()
    return time.perf_counter() - started, len(calls)


def supplier_phase(args, url):
    import requests

    from orders.models import Order

    supplier, codes, address = setup_catalog(args.protocol, url)
    order_ids = place_orders(supplier, codes, address, args.orders)
    requests.post(url + "/_bench/log", timeout=60)  # what placing the orders asked (stock) is not this phase's
    requests.post(url + "/_bench/latency", data={"ms": args.latency_ms}, timeout=30)
    wall = pipeline(order_ids, args.workers, url)
    log = requests.post(url + "/_bench/log", timeout=120).json()
    bare, calls = bare_replay(requests.Session(), url, log, args.protocol)
    states = Counter(Order.objects.values_list("status", flat=True))
    interfaces = Counter(path.rsplit("/", 1)[-1] for path, _ in log)
    print(f"== {args.orders} orders, {args.protocol} sandbox, {args.latency_ms} ms per reply, {args.workers} workers")
    print(f"  our orders by state  {dict(states)}")
    print(f"  calls                {dict(sorted(interfaces.items()))}")
    print(f"  submit → confirm → query → logistics   {wall:.2f} s   ({args.orders / wall:.0f} orders/s)")
    print(f"  bare requests loop   {bare:.2f} s   (same {calls} calls, one after another)   ratio {wall / bare:.2f}x")
    return supplier


def api_phase(args, url, database_url):
    import requests

    body = ('{"storefrontNo": "WRK-{n}", "purchaser": "bench-buyer", "addressId": %d, '
            '"lines": [{"supplier": "BENCH-ORD", "sku": "%s", "quantity": 1, "price": "%s"}]}')
    from catalog.models import Sku
    from orders.models import DeliveryAddress

    sku = Sku.objects.filter(supplier__code="BENCH-ORD", status="listed").order_by("sku_code").first()
    address = DeliveryAddress.objects.get(purchaser__external_id="bench-buyer")
    template = body % (address.pk, sku.sku_code, sku.price)
    requests.post(url + "/_bench/latency", data={"ms": 0}, timeout=30)
    with gunicorn_server(database_url, workers=2) as base:
        headers = _signed_in(base)
        rows = {
            "GET /healthz (trivial)": load(base + "/healthz", method="GET", seconds=args.seconds),
            "POST /api/staff/orders": load(base + "/api/staff/orders", template=template, headers=headers,
                                           content_type="application/json", seconds=args.seconds),
        }
    report(f"storefront API on gunicorn (2 workers), wrk 32 connections, {args.seconds} s; {machine_note()}", rows,
           baseline="GET /healthz (trivial)")


def _signed_in(base):
    """Headers of a signed-in staff session, as the storefront's back end holds one. The server runs with production
    settings behind a TLS proxy, so the requests say they came over https (the cookies are Secure)."""
    import requests

    secure = {"X-Forwarded-Proto": "https", "Origin": base.replace("http://", "https://")}
    page = requests.get(base + "/admin/login/", headers=secure, timeout=10)
    csrf = page.cookies["csrftoken"]
    signed = requests.post(base + "/admin/login/", headers={**secure, "Cookie": f"csrftoken={csrf}"},
                           data={"username": "bench-storefront", "password": "Bench-Storefront-1",
                                 "csrfmiddlewaretoken": csrf}, allow_redirects=False, timeout=10)
    session = signed.cookies["sessionid"]
    csrf = signed.cookies.get("csrftoken", csrf)
    headers = {**secure, "Cookie": f"csrftoken={csrf}; sessionid={session}", "X-CSRFToken": csrf}
    probe = requests.post(base + "/api/staff/orders", headers={**headers, "Content-Type": "application/json"},
                          data="{}", timeout=10)
    if probe.status_code != 400:  # an empty order is refused on its fields, after authentication and CSRF
        raise SystemExit(f"the signed-in probe got {probe.status_code}: {probe.text[:300]}")
    return headers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--workers", type=int, default=4, help="processes taking the supplier work, as job workers")
    parser.add_argument("--protocol", choices=["emall", "mall"], default="emall")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--no-api", action="store_true", help="only the supplier side")
    args = parser.parse_args()
    database_url = fresh_database("bench_orders")
    setup_django(database_url)
    fork = multiprocessing.get_context("fork")
    port_queue = fork.Queue()
    child = fork.Process(target=serve_sandbox, args=(args.protocol, 0, port_queue), daemon=True)
    child.start()
    try:
        url = port_queue.get(timeout=120)
        supplier_phase(args, url)
        if not args.no_api:
            api_phase(args, url, database_url)
    finally:
        child.terminate()
        child.join(timeout=10)


if __name__ == "__main__":
    main()
