"""`check --deploy` insists that the networks platDataOpen serves are named; a malformed network stops the start."""
import pytest
from django.core.checks import run_checks

from tests.procurement.test_settings import PRODUCTION, manage

# The deploy checks read the database too (counterparty URLs stored in clear text: procurement.kernel.clear_text).
pytestmark = pytest.mark.django_db


def customs_errors(deploy=True):
    return [message.id for message in run_checks(include_deployment_checks=deploy) if message.id.startswith("customs.")]


@pytest.mark.parametrize(("debug", "networks", "expected"), [
    (False, [], ["customs.E001"]),
    (False, ["*"], []),
    (False, ["10.20.0.0/16"], []),
    (True, [], []),
])
def test_the_deploy_check_wants_the_callers_named(settings, debug, networks, expected):
    settings.DEBUG, settings.CUSTOMS_ALLOWED_NETWORKS = debug, networks

    assert customs_errors() == expected


def test_the_check_is_a_deploy_check_only(settings):
    settings.DEBUG, settings.CUSTOMS_ALLOWED_NETWORKS = False, []

    assert customs_errors(deploy=False) == []


@pytest.mark.slow
def test_production_settings_without_customs_networks_fail_check_deploy():
    without = {name: value for name, value in PRODUCTION.items() if name != "CUSTOMS_ALLOWED_NETWORKS"}
    silent = manage("check", "--deploy", **without)
    named = manage("check", "--deploy", "--fail-level", "WARNING",
                   **{**PRODUCTION, "CUSTOMS_ALLOWED_NETWORKS": "10.20.0.0/16, 10.30.1.0/24"})

    assert silent.returncode != 0 and "customs.E001" in silent.stderr and "CUSTOMS_ALLOWED_NETWORKS" in silent.stderr
    assert named.returncode == 0, named.stdout + named.stderr


@pytest.mark.slow
def test_a_malformed_network_stops_the_start():
    result = manage("check", **{**PRODUCTION, "CUSTOMS_ALLOWED_NETWORKS": "10.20.0.300/16"})

    assert result.returncode != 0
    assert "CUSTOMS_ALLOWED_NETWORKS: '10.20.0.300/16' is neither a network" in result.stderr
