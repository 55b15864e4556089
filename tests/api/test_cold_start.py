"""A cold start makes one botocore session and one client per service, whoever asks.

Runs bench/cold_start.py's scenarios, untimed, in fresh interpreters against moto's server:
import the app, then the first intake, staff read or job run through the Lambda handler.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench import cold_start

# Bodies and queries of other routes, and what only an admin's change writes: the first
# intake runs without them (docs/architecture.md, "Cold start").
NOT_AT_FIRST_INTAKE = (
    "chalicelib.domain.commands",
    "chalicelib.domain.conversation_bodies",
    "chalicelib.domain.callback_input",
    "chalicelib.domain.lookup_queries",
    "chalicelib.domain.queue_filters",
    "chalicelib.domain.listing",
    "chalicelib.domain.audit_query",
    "chalicelib.domain.admin_audit",
    "chalicelib.adapters.admin_audit",
    # The console's queues: saving a case needs only the cells it is counted in (queue_cells).
    "chalicelib.domain.queues",
    # Who acts on a case, for the use cases that act on one (staff, jobs, the complainant's).
    "chalicelib.domain.action_context",
    # EmailStr's module: domain/email_address checks addresses without its version lookup.
    "pydantic.networks",
)


@pytest.fixture(scope="module")
def local_aws():
    port = cold_start.free_port()
    env = cold_start.local_env(port)
    with cold_start.moto_server(env, port):
        yield env


@pytest.mark.parametrize(
    ("scenario", "clients"),
    [
        ("import", "none"),
        ("intake", "dynamodb,ses,sns"),  # repository, pynamodb models, SES, SNS
        ("staff", "dynamodb"),
        ("job", "dynamodb"),
    ],
)
def test_one_session_and_one_client_per_service(local_aws, scenario, clients):
    sessions = "0" if scenario == "import" else "1"
    made = cold_start.made_by(scenario, local_aws, cold_start.ROOT)
    assert made == f"{sessions} session(s); clients: {clients}"


def test_an_idempotent_intake_shares_the_dynamodb_client(local_aws):
    """Powertools' idempotency layer is given the process's client, not a session of its own."""
    made = cold_start.made_by("keyed", local_aws, cold_start.ROOT)
    assert made == "1 session(s); clients: dynamodb,ses,sns"


def test_the_first_intake_leaves_other_routes_bodies_unloaded(local_aws):
    listing = (
        "import json\n"
        "constants = sys.modules['email_validator.rfc_constants'].__name__\n"
        "print(json.dumps([constants, sorted(sys.modules)]))\n"
        "sys.stdout.flush()"
    )
    child = cold_start.CHILD.replace("sys.stdout.flush()", listing)
    done = subprocess.run(
        [sys.executable, "-c", child, "intake"],
        cwd=cold_start.ROOT,
        env=local_aws,
        capture_output=True,
        text=True,
        check=True,
    )
    constants, names = json.loads(done.stdout.splitlines()[-1])
    loaded = set(names)
    assert "chalicelib.domain.complaint_input" in loaded  # the intake did run
    # email_validator checked the address over the constants that compile cheaply.
    assert constants == "chalicelib.domain.email_rfc_constants"
    assert sorted(loaded.intersection(NOT_AT_FIRST_INTAKE)) == []
