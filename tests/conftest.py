"""Every test runs against moto, started before the app (and any client) is imported.

No test reads the machine's clock: "now" is the pinned instant of the `clock` fixture
(tests/clock.py, tests/README.md), which the services under test are built with.
"""

import json
import os
import tempfile

KEY_DIR = tempfile.mkdtemp(prefix="complaints-test-keys-")

LOCAL_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "TABLE_NAME": "complaints-test",
    "IDEMPOTENCY_TABLE": "complaints-idempotency-test",
    "NOTIFY_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:complaints-notifications",
    "SES_SENDER": "complaints@example.org",
    "SMS_SIGNATURE": "【某市投诉中心】",
    "ATTACHMENTS_BUCKET": "complaints-attachments-test",
    "DEPARTMENTS": "service,sales,quality",
    "POWERTOOLS_METRICS_NAMESPACE": "ComplaintsTest",
    "POWERTOOLS_SERVICE_NAME": "complaints",
    "AUTH_JWKS_FILE": os.path.join(KEY_DIR, "jwks.json"),
    "AUTH_ISSUER": "http://127.0.0.1/test-issuer",
    "AUTH_AUDIENCE": "complaints-test",
    # The test client gives every request one source; tests/api/test_abuse.py sets its own.
    "INTAKE_LIMIT_PER_SOURCE_HOUR": "100000",
    "ACK_LIMIT_PER_SOURCE_HOUR": "100000",
}
for _key, _value in LOCAL_ENV.items():
    os.environ[_key] = _value
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AUTH_JWKS_URL", None)

import pytest  # noqa: E402
from moto import mock_aws  # noqa: E402

from scripts import moto_expressions, moto_transactions  # noqa: E402
from tests.clock import (  # noqa: E402,F401 - pytest hooks of the pinned clock
    clock,
    pinned_clock,
    pytest_addoption,
    pytest_configure,
    pytest_generate_tests,
)
from tests.scheduling import pytest_xdist_make_scheduler  # noqa: E402,F401 - `make test`'s order

_mock = mock_aws()
_mock.start()
# The local stack's TransactWriteItems (rolls back only the items it touched) instead of
# moto's, which deep-copies the whole table once per item of every transaction: the same
# checks and cancellation reasons, at a cost that does not grow with what earlier steps of
# a test wrote. Threaded tests serialise their AWS calls (moto is not thread-safe), as it
# requires.
moto_transactions.install()
# One parse per update expression text (scripts/moto_expressions.py): moto parsed it again
# for every item it updated.
moto_expressions.install()


def _parse_cognitos_signing_key_once() -> None:
    """moto's user pools all sign with one constant key (its jwks-private.json), yet each new
    pool parses it again: 110 ms of RSA arithmetic for every test with a staff pool. The
    parsed key is immutable, so every pool may share it."""
    from types import SimpleNamespace

    from joserfc import jwk
    from moto.cognitoidp import models

    parsed = {}

    def import_key(data, *args, **kwargs):
        key = json.dumps(data, sort_keys=True)
        if key not in parsed:
            parsed[key] = jwk.RSAKey.import_key(data, *args, **kwargs)
        return parsed[key]

    models.jwk = SimpleNamespace(RSAKey=SimpleNamespace(import_key=import_key))


_parse_cognitos_signing_key_once()


def fresh_aws(services_clock) -> None:
    """An empty moto, then the tables, topic, verified sender and buckets; services are built
    on `services_clock`."""
    from chalicelib import wiring
    from chalicelib.adapters import idempotency
    from scripts.bootstrap import bootstrap

    _mock.reset()
    idempotency.reset()
    wiring.set_services(None)
    wiring.set_clock(services_clock)
    bootstrap()


def forget_services() -> None:
    from chalicelib import wiring

    wiring.set_services(None)
    wiring.set_clock(None)


@pytest.fixture
def aws(pinned_clock):  # noqa: F811 - the fixture imported above
    """Fresh tables, topic and verified sender for each test; services on the pinned clock."""
    fresh_aws(pinned_clock)
    yield
    forget_services()


def add_staff_pool(monkeypatch) -> str:
    """moto's user pool with the role groups and the demo users, as `make run` makes it; the
    app's staff directory reads it."""
    from chalicelib.adapters import directory
    from scripts.bootstrap import bootstrap_staff

    pool = bootstrap_staff()["staff_pool"]
    monkeypatch.setenv("STAFF_USER_POOL_ID", pool)
    monkeypatch.setattr(directory, "_directory", None)
    return pool


@pytest.fixture
def staff_pool(aws, monkeypatch):
    """moto's user pool with the role groups and the demo users, as `make run` makes it."""
    from chalicelib.adapters import directory

    yield add_staff_pool(monkeypatch)
    directory._directory = None


@pytest.fixture
def client(aws):
    from chalice.test import Client

    from app import app

    with Client(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def token():
    """Mint a staff bearer token: token("supervisor", "service", user="sup-1")."""
    from scripts.mint_token import mint

    def make(roles, departments=("service",), user=None):
        roles = [roles] if isinstance(roles, str) else list(roles)
        departments = [departments] if isinstance(departments, str) else list(departments)
        subject = user or f"{roles[0]}-1"
        return "Bearer " + mint(subject, roles, departments, key_dir=KEY_DIR)

    return make
