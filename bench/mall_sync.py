"""Benchmark of a mall-standard supplier (seed 001): a first docking of 20,000 SKUs over 50 pools, then an
incremental pass with 2,000 new and modified SKUs.

Prints, per phase: wall time, HTTP calls per interface (with whether every batch interface was called with full
batches), and the time a bare `requests` loop takes to make the very same calls (replayed from the sandbox's
request log, images included) to the same sandbox. The sandbox runs in its own process; the sync writes to a
scratch SQLite database (var/bench_mall.sqlite3) unless DATABASE_URL is set. The reference data is the demo's
plus cloned leaf categories, so that the SKUs spread over 50 pools.

    .venv/bin/python bench/mall_sync.py [--skus 20000] [--changes 2000] [--latency-ms 0]
"""
import argparse
import json
import math
import multiprocessing
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
SCRATCH_DB = BASE_DIR / "var" / "bench_mall.sqlite3"
BENCH_REFERENCE = BASE_DIR / "var" / "bench_mall_reference.json"

from bench.harness import bench_supplier, setup_scratch_django, timed_sync  # noqa: E402

POOLS = 50
BATCH_INTERFACES = ("detail", "shelf_states", "images", "prices")


def write_reference():
    """The demo reference with leaf categories cloned until there are POOLS of them."""
    from procurement.suppliers.sandbox_catalog import REFERENCE_FILE

    document = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    parents = {c.get("parentCode") for c in document["categories"]}
    leaves = [c for c in document["categories"] if c["code"] not in parents and c.get("params")]
    for n in range(POOLS - len(leaves)):
        model = leaves[n % len(leaves)]
        document["categories"].append({**model, "code": f"{model['code']}B{n:02d}",
                                       "interfaceCode": f"{model['interfaceCode']}_B{n:02d}",
                                       "name": f"{model['name']}（基准{n:02d}）"})
    BENCH_REFERENCE.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def serve_sandbox(skus, changes, latency_ms, port_queue):
    """Child process: the sandbox supplier, logging every request, with bench routes to read the log and churn."""
    from procurement.kernel.sandbox import SandboxResponse, serve
    from procurement.suppliers.mall.sandbox import MallSupplierSandbox
    from procurement.suppliers.sandbox_catalog import Reference, generate

    reference = Reference(BENCH_REFERENCE)
    products = generate(skus + changes // 2, broken=False, base_url="", prefix="MS", reference=reference)
    sandbox = MallSupplierSandbox(products, reference=reference)
    sandbox.place(list(products)[:skus])
    sandbox.faults.update(latency_ms=latency_ms)
    sandbox.log = []
    original = sandbox.handle

    def logged(request):
        if not request.path.startswith("/_"):
            sandbox.log.append((request.method, request.path, request.params()))
        return original(request)

    def take_log(request):
        log, sandbox.log = sandbox.log, []
        return SandboxResponse.json(log)

    def churn(request):
        codes = list(products)
        sandbox.add(codes[skus:])  # new SKUs, in the new-SKU list
        for code in codes[: changes - (len(codes) - skus)]:
            sandbox.change_detail(code, name=f"{products[code].detail['name']} 新款")  # in the modified list
        return SandboxResponse.json({"changes": len(sandbox.changes)})

    sandbox.handle = logged
    sandbox.routes.update({"/_bench/log": take_log, "/_bench/churn": churn})
    running = serve(sandbox)
    sandbox.public_url = running.url
    port_queue.put(running.url)
    while True:
        time.sleep(3600)


def bare_replay(session, url, log):
    """The same requests, made one after another by a bare `requests` loop (with its own token), each reply read."""
    from procurement.kernel import crypto

    started, token = time.perf_counter(), None
    for method, path, params in log:
        if method == "GET":
            _ = session.get(url + path, headers={"Range": "bytes=0-1023"}, timeout=30).content
        elif path.endswith("access_token"):
            params = {**params, "password": crypto.sm3_hex("sandbox-password")}
            token = session.post(url + path, data=params, timeout=30).json()["result"]["access_token"]
        else:
            session.post(url + path, data={**params, "token": token}, timeout=30).json()
    return time.perf_counter() - started


def phase(name, supplier, url, session, expected):
    """One sync (until the feed is drained), then the bare loop over its very calls; `expected`: interface → SKUs
    it had to be asked for (the least number of batch calls is that over 100)."""
    import requests

    requests.post(url + "/_bench/log", timeout=60)  # what came before (the last bare loop) is not this phase's
    wall, runs, calls = timed_sync(supplier)
    log = requests.post(url + "/_bench/log", timeout=60).json()
    bare = bare_replay(session, url, log)
    full = {interface: (calls[interface], math.ceil(count / 100)) for interface, count in expected.items()}
    print(f"== {name}")
    print(f"  events received      {sum(r.received for r in runs)}, SKUs new {sum(r.skus_new for r in runs)}, "
          f"changed {sum(r.skus_changed for r in runs)}")
    print(f"  wall time            {wall:.2f} s")
    print(f"  bare requests loop   {bare:.2f} s   (same {len(log)} calls)   ratio {wall / bare:.2f}x (target ≤ 1.2x)")
    print(f"  HTTP calls           {json.dumps(dict(sorted(calls.items())), ensure_ascii=False)}")
    print(f"  image checks         {sum(1 for method, _path, _params in log if method == 'GET')}")
    print("  full batches         " + ", ".join(f"{i} {made}/{least}{' ✓' if made == least else ' ✗'}"
                                                for i, (made, least) in full.items()))
    return wall, bare


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=20_000)
    parser.add_argument("--changes", type=int, default=2_000, help="half new SKUs, half modified ones")
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every sandbox reply")
    args = parser.parse_args()
    write_reference()
    setup_scratch_django(SCRATCH_DB)
    import requests

    fork = multiprocessing.get_context("fork")
    port_queue = fork.Queue()
    child = fork.Process(target=serve_sandbox, args=(args.skus, args.changes, args.latency_ms, port_queue),
                         daemon=True)
    child.start()
    try:
        url = port_queue.get(timeout=300)
        supplier = bench_supplier("BENCH-MALL", "基准测试网上商城电商", "mall", url, BENCH_REFERENCE)
        session = requests.Session()
        first = phase(f"first docking: {args.skus} SKUs over {POOLS} pools", supplier, url, session,
                      dict.fromkeys(BATCH_INTERFACES, args.skus))
        requests.post(url + "/_bench/churn", timeout=120)
        new = args.changes // 2  # new SKUs: every part; modified ones: detail and images again
        second = phase(f"incremental: {args.changes} new and modified SKUs", supplier, url, session,
                       {"detail": args.changes, "images": args.changes, "shelf_states": new, "prices": new})
        wall, bare = first[0] + second[0], first[1] + second[1]
        print(f"== sandbox latency {args.latency_ms} ms per reply; total: sync {wall:.2f} s, bare {bare:.2f} s, "
              f"ratio {wall / bare:.2f}x")
    finally:
        child.terminate()
        child.join(timeout=10)


if __name__ == "__main__":
    main()
