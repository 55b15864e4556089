"""The process's one botocore session and one client per AWS service, made on first use.

A Lambda cold start pays for every session (credential and endpoint resolution, loading
service models) and every client it creates. Everything that talks to AWS takes its client
from here: the repository and every pynamodb model (through SharedConnection), the
Powertools idempotency layer, the notifier and the attachments adapter. Importing this
module imports no botocore; tests/api/test_cold_start.py counts what a first request makes.
"""

from __future__ import annotations

import os
import threading

from ..loading import long_lived

# Creating sessions and clients is not thread-safe in botocore; using a client is.
_lock = threading.RLock()
_session = None
_clients: dict[str, object] = {}

# pynamodb's defaults (pynamodb/settings.py), for every DynamoDB caller alike.
DYNAMODB_CONFIG = {
    "parameter_validation": False,  # pynamodb builds well-formed requests; saves CPU
    "connect_timeout": 15,
    "read_timeout": 30,
    "max_pool_connections": 10,
    "retries": {"total_max_attempts": 4, "mode": "standard"},
}
# The services the app calls. The deployment package keeps botocore's models of these
# only (infra/package.py): a client of another service would fail on Lambda, so add it here.
SERVICES = ("dynamodb", "ses", "sns", "s3", "cognito-idp")  # cognito-idp: the staff directory
# SigV4 everywhere: SigV2 presigning is refused by newer regions and being retired.
CLIENT_CONFIG = {"dynamodb": DYNAMODB_CONFIG, "s3": {"signature_version": "s3v4"}}


def region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


def session():
    """The one botocore session of this process."""
    global _session
    with _lock:
        if _session is None:
            with long_lived("session"):
                from botocore.session import get_session

                _session = get_session()
        return _session


def client(service: str):
    """The one client of `service` (a botocore client: boto3's clients are the same class)."""
    found = _clients.get(service)
    if found is not None:
        return found
    if service not in SERVICES:
        raise ValueError(f"{service} is not in adapters.aws.SERVICES (see infra/package.py)")
    with _lock:
        if service not in _clients:
            with long_lived(f"client {service}"):
                from botocore.config import Config

                config = Config(**CLIENT_CONFIG.get(service, {}))
                _clients[service] = session().create_client(
                    service, region_name=region(), config=config
                )
        return _clients[service]


def reset() -> None:
    """Forget the session and clients (tests that swap the AWS environment)."""
    global _session
    with _lock:
        _session = None
        _clients.clear()
