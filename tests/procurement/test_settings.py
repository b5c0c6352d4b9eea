"""Production settings: `check --deploy` is clean, and missing secrets stop the process at start."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-only-secret-" + "z" * 20,
    "FIELD_ENCRYPTION_KEYS": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "ALLOWED_HOSTS": "mall.example.gov.cn",
    "CUSTOMS_ALLOWED_NETWORKS": "10.20.0.0/16",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DJANGO_SETTINGS_MODULE"}
    # An empty .env path keeps the developer's local .env (DEBUG=1) out of these runs.
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, capture_output=True, text=True,
                          env={**clean, "DJANGO_READ_DOT_ENV": "0", **env})


@pytest.mark.slow
def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    result = manage("check", **env)

    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


@pytest.mark.slow
def test_a_malformed_boolean_fails_fast():
    result = manage("check", **{**PRODUCTION, "DEBUG": "maybe"})

    assert result.returncode != 0
