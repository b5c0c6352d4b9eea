"""Benchmark of the docking test tool: a full run of every case of each protocol against its sandbox supplier with
20 ms latency on every reply, as a supplier's test environment far away would answer; at the configured
concurrency (DOCKING_CONCURRENCY, default 4) and, for comparison, one case at a time. Each run must finish within
a minute (issue 13); it reports its own duration.

On a fresh PostgreSQL database (committed data: the cases run on threads with their own connections), the sandbox
in this process on its own threads.

Run: .venv/bin/python bench/docking.py [--latency-ms 20] [--concurrency 4]
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import fresh_database, machine_note, setup_django

SKUS = 120
LIMIT_SECONDS = 60


def one_run(protocol, latency_ms, concurrency):
    """(cases, verdict, duration ms as the run recorded it, wall seconds, most cases at once)."""
    from django.conf import settings

    from procurement.docking.services import endpoint_set, run_execute, run_start
    from procurement.kernel.sandbox import serve
    from procurement.models import Supplier

    if protocol == "emall":
        from procurement.suppliers.emall.sandbox import build_sandbox
    else:
        from procurement.suppliers.mall.sandbox import build_sandbox
    sandbox = build_sandbox(SKUS, broken=False)
    sandbox.faults.update(latency_ms=latency_ms)
    running = serve(sandbox)
    sandbox.public_url = running.url
    settings.DOCKING_CONCURRENCY = concurrency
    try:
        code = f"BENCH-{protocol}-{concurrency}".upper()
        supplier = Supplier.objects.create(code=code, name=f"基准测试电商 {code}", protocol=protocol,
                                           base_url="http://127.0.0.1:9/", parameters={"username": "mall"})
        endpoint_set(supplier, running.url, {"username": "mall", "password": "sandbox-password"})
        started = time.monotonic()
        run = run_execute(run_start(supplier, via="command", enqueue_job=False).pk)
        wall = time.monotonic() - started
    finally:
        running.stop()
    failed = [case.name for case in run.cases.exclude(verdict="passed")]
    return run.cases.count(), run.get_status_display(), run.duration_ms, wall, run.summary["max_parallel"], failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=4)
    options = parser.parse_args()
    setup_django(fresh_database("bench_docking"))
    from catalog.reference.importer import reference_import
    from procurement.demo import REFERENCE_FILE

    reference_import([REFERENCE_FILE])
    print(f"Docking test tool: a full run per protocol, sandbox latency {options.latency_ms} ms per reply")
    print(f"{'protocol':<10}{'concurrency':>12}{'cases':>7}{'verdict':>9}{'run ms':>9}{'wall s':>8}{'at once':>9}")
    slow = []
    for protocol in ("emall", "mall"):
        for concurrency in (options.concurrency, 1):
            cases, verdict, ms, wall, peak, failed = one_run(protocol, options.latency_ms, concurrency)
            print(f"{protocol:<10}{concurrency:>12}{cases:>7}{verdict:>9}{ms:>9}{wall:>8.1f}{peak:>9}"
                  + (f"   未通过：{', '.join(failed)}" if failed else ""))
            if ms > LIMIT_SECONDS * 1000:
                slow.append(f"{protocol} @ {concurrency}")
    print(machine_note())
    if slow:
        sys.exit(f"longer than {LIMIT_SECONDS} s: {', '.join(slow)}")


if __name__ == "__main__":
    main()
