"""Benchmark harness: a fresh PostgreSQL database, the app under gunicorn, and wrk as the load generator.

wrk (C, epoll) is used rather than a Python client so that the load generator takes as little as
possible of the CPU the server under test needs. `make bench` installs it when it is missing.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"

# Production-like settings for the server under test (DEBUG off, no TLS redirect on loopback).
SERVER_ENV = {"DEBUG": "0", "SECURE_SSL_REDIRECT": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING"}


@dataclass
class LoadResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def fresh_database(name):
    """Drop and recreate `name` on the local PostgreSQL, migrate it, and return its URL."""
    sys.path.insert(0, str(BASE_DIR))
    from tests.support.fresh_postgres import recreate

    recreate(name)
    url = f"{PG}/{name}"
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=BASE_DIR,
                   env={**os.environ, "DATABASE_URL": url}, check=True)
    return url


def setup_django(database_url):
    """Configure Django in this process against the benchmark database (to load data)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procurement.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn_server(database_url, workers=2, env=None):
    """The app under gunicorn (sync workers) on a free port; yields its base URL."""
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [gunicorn, "procurement.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--backlog", "512", "--log-level", "warning"],
        cwd=BASE_DIR, env={**os.environ, **SERVER_ENV, "DATABASE_URL": database_url, **(env or {})},
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url + "/healthz", process)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            if requests.get(url, timeout=1).ok:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} not up after {timeout}s")


_LUA = r"""
local bodies = %(bodies)s
local template = %(template)s
local method = "%(method)s"
local content_type = "%(content_type)s"
local fixed_headers = %(headers)s
local counter = 0
thread_id = 0  -- a global: setup() gives each thread its own with thread:set()
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local body = nil
  if template ~= nil then
    body = string.gsub(template, "{n}", tostring(thread_id * 1000000000 + counter))
  elseif #bodies > 0 then
    body = bodies[(counter %% #bodies) + 1]
  end
  local headers = {}
  for name, value in pairs(fixed_headers) do headers[name] = value end
  if body ~= nil then headers["Content-Type"] = content_type end
  return wrk.format(method, nil, headers, body)
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format('WRKJSON {"requests": %%d, "seconds": %%f, "p50_us": %%d, "p99_us": %%d, "errors": %%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99), errors))
end
"""


def _lua_string(text):
    return "[==[" + text + "]==]"


def load(url, *, method="POST", bodies=(), template=None, content_type="application/x-www-form-urlencoded",
         concurrency=32, seconds=10, threads=2, headers=None):
    """Drive `url` with `concurrency` connections for `seconds`; bodies cycle, or `{n}` in `template` is unique."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make bench` (it installs wrk) or `apt-get install -y wrk`")
    script = _LUA % {
        "bodies": "{" + ",".join(_lua_string(b) for b in bodies) + "}",
        "template": _lua_string(template) if template is not None else "nil",
        "method": method,
        "content_type": content_type,
        "headers": "{" + ",".join(f"[ {_lua_string(k)} ]={_lua_string(v)}" for k, v in (headers or {}).items()) + "}",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        run = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{seconds}s", "--timeout", "5s",
             "-s", handle.name, url],
            capture_output=True, text=True, check=True,
        )
    finally:
        os.unlink(handle.name)
    summary = next((line for line in run.stdout.splitlines() if line.startswith("WRKJSON")), None)
    if summary is None:  # wrk falls back to plain GETs when its script does not load: say why instead
        raise SystemExit(f"wrk did not run the benchmark script: {run.stderr.strip()[:500]}")
    figures = json.loads(summary[8:])
    return LoadResult(
        rps=figures["requests"] / figures["seconds"], p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000, requests=figures["requests"], errors=figures["errors"],
    )


def report(title, rows, baseline=None):
    """Print `rows` ({name: LoadResult}) as a table, with throughput relative to `baseline`."""
    print(f"\n{title}")
    print(f"{'endpoint':<34}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}{'vs trivial':>12}")
    base = rows[baseline].rps if baseline else None
    for name, result in rows.items():
        ratio = f"{result.rps / base:.2f}×" if base else ""
        print(f"{name:<34}{result.rps:>10.0f}{result.p50_ms:>10.1f}{result.p99_ms:>10.1f}{result.errors:>8}{ratio:>12}")


def machine_note():
    cores = os.cpu_count()
    return f"machine: {cores} cores; server and wrk share them; Python {sys.version.split()[0]}"


# --- the catalog-sync benchmarks ------------------------------------------------------------------

def setup_scratch_django(scratch_db):
    """Django in this process on DATABASE_URL, or else on a fresh scratch SQLite file; migrated."""
    if "DATABASE_URL" not in os.environ:
        scratch_db.unlink(missing_ok=True)
    os.environ.setdefault("CATALOG_PASS_SECONDS", "3600")
    setup_django(os.environ.get("DATABASE_URL") or f"sqlite:///{scratch_db}")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_supplier(code, name, protocol, url, reference_file):
    """The reference data imported and a fresh supplier `code` on `protocol` pointing at the sandbox `url`."""
    from catalog.reference.importer import reference_import
    from procurement.models import Supplier

    reference_import([reference_file])
    Supplier.objects.filter(code=code).delete()
    return Supplier.objects.create(code=code, name=name, protocol=protocol, base_url=url,
                                   parameters={"username": "mall"}, secret_parameters={"password": "sandbox-password"})


def timed_sync(supplier):
    """Sync passes until one receives nothing: (seconds, the runs, calls per interface over all of them)."""
    from collections import Counter

    from catalog.sync.passes import sync_pass

    started, runs = time.perf_counter(), []
    while not runs or runs[-1].received:
        runs.append(sync_pass(supplier.pk, trigger="bench"))
        assert runs[-1].outcome == "done", runs[-1].error
    calls = Counter()
    for run in runs:
        calls.update(run.calls)
    return time.perf_counter() - started, runs, calls
