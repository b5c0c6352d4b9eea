"""Benchmark of catalog sync: 10,000 SKUs as type-6 messages, then 10,000 mixed price / shelf / detail messages.

Prints, per phase: wall time, messages per second, HTTP calls per interface, and the time a bare
`requests` loop takes to make the very same calls (replayed from the sandbox's request log) to the
same sandbox. The sandbox runs in its own process; the sync writes to a scratch SQLite database
(var/bench_catalog.sqlite3) unless DATABASE_URL is set.

    .venv/bin/python bench/catalog_sync.py [--skus 10000] [--mixed 10000] [--latency-ms 0]

--latency-ms adds that much to every sandbox reply (a supplier platform across a network rather
than on loopback); the bare loop waits for it too.
"""
import argparse
import json
import multiprocessing
import random
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
SCRATCH_DB = BASE_DIR / "var" / "bench_catalog.sqlite3"

from bench.harness import bench_supplier, setup_scratch_django, timed_sync  # noqa: E402


def serve_sandbox(skus, latency_ms, port_queue):
    """Child process: the sandbox supplier, with bench-only routes to snapshot, restore and churn."""
    from procurement.kernel.sandbox import SandboxResponse, serve
    from procurement.suppliers.emall.sandbox import build_sandbox

    sandbox = build_sandbox(skus)
    sandbox.faults.update(latency_ms=latency_ms)
    sandbox.log, sandbox.snapshot = [], {}
    rng = random.Random(11)
    original = sandbox.handle

    def logged(request):
        if not request.path.startswith("/_"):
            sandbox.log.append((request.path, request.params()))
        return original(request)

    def snapshot(request):
        sandbox.snapshot, sandbox.log = dict(sandbox.pending), []
        return SandboxResponse.json({"pending": len(sandbox.pending)})

    def restore(request):
        log = sandbox.log
        sandbox.pending, sandbox.log = dict(sandbox.snapshot), []
        return SandboxResponse.json(log)

    def churn(request):
        codes = list(sandbox.products)
        for _ in range(int(request.params()["count"])):
            _change(sandbox, rng.choice(codes), rng)
        return SandboxResponse.json({"pending": len(sandbox.pending)})

    sandbox.handle = logged
    sandbox.routes.update({"/_bench/snapshot": snapshot, "/_bench/restore": restore, "/_bench/churn": churn})
    running = serve(sandbox)
    port_queue.put(running.url)
    while True:
        time.sleep(3600)


def _change(sandbox, code, rng):
    product = sandbox.products[code]
    roll = rng.random()
    if roll < 0.4:
        sandbox.set_price(code, f"{float(product.mall_price) * rng.uniform(0.8, 0.99):.2f}")
    elif roll < 0.7:
        sandbox.set_shelf(code, product.shelf == 0)
    else:
        sandbox.change_detail(code, name=f"{product.detail['name'].split(' 第')[0]} 第{rng.randint(2, 9)}代")


def bare_replay(session, url, log):
    """The same requests, made by a bare `requests` loop (with its own token), each reply parsed."""
    from procurement.kernel import crypto

    started = time.perf_counter()
    token = None
    for path, params in log:
        if path.endswith("access_token"):
            params = {**params, "password": crypto.sm3_hex("sandbox-password")}
            token = session.post(url + path, data=params, timeout=30).json()["result"]["access_token"]
            continue
        session.post(url + path, data={**params, "token": token}, timeout=30).json()
    return time.perf_counter() - started


def phase(name, supplier, url, session):
    import requests

    requests.post(url + "/_bench/snapshot", timeout=30)
    wall, runs, calls = timed_sync(supplier)
    applied = sum(run.applied for run in runs)
    log = requests.post(url + "/_bench/restore", timeout=60).json()
    bare = bare_replay(session, url, log)
    batch_calls = sum(count for interface, count in calls.items() if interface not in
                      ("access_token", "getMessagePool", "delMessagePool"))
    print(f"== {name}")
    print(f"  messages applied     {applied}")
    print(f"  wall time            {wall:.2f} s   ({applied / wall:.0f} messages/s)")
    print(f"  bare requests loop   {bare:.2f} s   (same {len(log)} calls)   ratio {wall / bare:.2f}x (target ≤ 1.5x)")
    print(f"  HTTP calls           {json.dumps(dict(sorted(calls.items())), ensure_ascii=False)}")
    print(f"  batch calls          {batch_calls}  (one call per SKU would be {applied * _parts(name)})")
    return wall, bare


def _parts(name):
    return 6 if "type-6" in name else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=10_000)
    parser.add_argument("--mixed", type=int, default=10_000)
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every sandbox reply")
    args = parser.parse_args()
    setup_scratch_django(SCRATCH_DB)
    import requests

    fork = multiprocessing.get_context("fork")
    port_queue = fork.Queue()
    child = fork.Process(target=serve_sandbox, args=(args.skus, args.latency_ms, port_queue), daemon=True)
    child.start()
    try:
        url = port_queue.get(timeout=120)
        from procurement.demo import REFERENCE_FILE

        supplier = bench_supplier("BENCH", "基准测试电商", "emall", url, REFERENCE_FILE)
        session = requests.Session()
        first = phase(f"{args.skus} SKUs as type-6 messages", supplier, url, session)
        requests.post(url + "/_bench/churn", data={"count": args.mixed}, timeout=120)
        second = phase(f"{args.mixed} mixed price / shelf / detail messages", supplier, url, session)
        wall, bare = first[0] + second[0], first[1] + second[1]
        print(f"== sandbox latency {args.latency_ms} ms per reply; total: sync {wall:.2f} s, bare {bare:.2f} s, "
              f"ratio {wall / bare:.2f}x")
    finally:
        child.terminate()
        child.join(timeout=10)


if __name__ == "__main__":
    main()
