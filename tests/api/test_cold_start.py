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
# Dataclasses a module the first intake imports may define without the intake making one:
# each costs ~0.5 ms of every cold start (its methods are generated and compiled).
UNMADE_DATACLASSES_ALLOWED = {
    "chalicelib.domain.actor.Actor",  # the staff's caller: lifecycle and views name it
    "chalicelib.service.ports.RepeatState",  # made by an intake that names a respondent
}
# Counts the instances of each of our dataclasses, from before the app is imported.
COUNTING_DATACLASSES = r"""
import dataclasses
made_of = {}
_process = dataclasses._process_class
def _counting(cls, *a, **k):
    cls = _process(cls, *a, **k)
    if cls.__module__.startswith(("chalicelib", "app")):
        name = f"{cls.__module__}.{cls.__qualname__}"
        made_of[name] = 0
        init = cls.__init__
        def counted(self, *x, _name=name, _init=init, **y):
            made_of[_name] += 1
            _init(self, *x, **y)
        cls.__init__ = counted
    return cls
dataclasses._process_class = _counting
"""


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


def first_intake(env, listing: str, before: str = ""):
    """The JSON `listing` prints after the bench's first intake, run in a fresh process
    (`before` runs ahead of the child's own code)."""
    code = "import json\n" + listing + "sys.stdout.flush()"
    child = before + cold_start.CHILD.replace("sys.stdout.flush()", code)
    done = subprocess.run(
        [sys.executable, "-c", child, "intake"],
        cwd=cold_start.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_the_first_intake_leaves_other_routes_bodies_unloaded(local_aws):
    listing = (
        "constants = sys.modules['email_validator.rfc_constants'].__name__\n"
        "print(json.dumps([constants, sorted(sys.modules)]))\n"
    )
    constants, names = first_intake(local_aws, listing)
    loaded = set(names)
    assert "chalicelib.domain.complaint_input" in loaded  # the intake did run
    # email_validator checked the address over the constants that compile cheaply.
    assert constants == "chalicelib.domain.email_rfc_constants"
    assert sorted(loaded.intersection(NOT_AT_FIRST_INTAKE)) == []


def test_the_first_intake_makes_every_dataclass_its_modules_define(local_aws):
    made_of = first_intake(local_aws, "print(json.dumps(made_of))\n", COUNTING_DATACLASSES)
    assert made_of["chalicelib.service.intake.Receipt"] == 1  # the intake did run
    unmade = {name for name, count in made_of.items() if not count}
    assert sorted(unmade - UNMADE_DATACLASSES_ALLOWED) == []
