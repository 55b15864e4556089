"""A cold start makes one botocore session and one client per service, whoever asks.

Runs bench/cold_start.py's scenarios, untimed, in fresh interpreters against moto's server:
import the app, then the first intake, staff read or job run through the Lambda handler.
"""

from __future__ import annotations

import pytest

from bench import cold_start


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
