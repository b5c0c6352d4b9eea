"""A real django-q2 cluster process for tests, on the test database and whichever broker is configured."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def test_database_url():
    """The URL of the database the tests run on, for processes the tests start."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def wait_until(predicate, timeout=30.0, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


class JobCluster:
    """`manage.py qcluster` in a child process; started on demand, stopped (or killed) by the test."""

    def __init__(self):
        self.process = None
        self.output = ""

    def start(self, **env):
        child_env = {**os.environ, "DATABASE_URL": test_database_url(), **{k: str(v) for k, v in env.items()}}
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"], cwd=BASE_DIR, env=child_env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        )
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            # Only the cluster's own process: it tells its sentinel, which winds the workers down.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        self._kill_group()  # no worker may outlive the test and take the next test's jobs
        self._drain()

    def kill(self):
        """SIGKILL the whole cluster (sentinel and workers), as a crash would."""
        self._kill_group()

    def _kill_group(self):
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # every process of the group has already exited
        if self.process.poll() is None:
            self.process.wait(timeout=10)

    def _drain(self):
        if self.process and self.process.stdout and not self.process.stdout.closed:
            self.output = self.process.stdout.read().decode("utf-8", "replace")
            self.process.stdout.close()
