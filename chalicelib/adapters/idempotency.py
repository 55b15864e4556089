"""Idempotent commands through Powertools' DynamoDB persistence layer.

The caller's Idempotency-Key names the command; the JSON body is the payload Powertools
validates, so the same key with a different body is refused instead of replayed.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache

from ..config import get_settings

EXPIRES_AFTER_SECONDS = 24 * 3600

_command: ContextVar[Callable[[dict], dict]] = ContextVar("idempotent_command")


class KeyReusedWithOtherBody(Exception):
    pass


class AlreadyInProgress(Exception):
    pass


def _run(request: dict) -> dict:
    return _command.get()(request["body"])


@lru_cache(maxsize=1)
def _config():
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

    return IdempotencyConfig(
        event_key_jmespath="key",
        payload_validation_jmespath="body",
        expires_after_seconds=EXPIRES_AFTER_SECONDS,
        raise_on_no_idempotency_key=True,
    )


@lru_cache(maxsize=1)
def _wrapped() -> Callable:
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        idempotent_function,
    )

    from .aws import client

    store = DynamoDBPersistenceLayer(
        table_name=get_settings().idempotency_table, boto3_client=client("dynamodb")
    )
    return idempotent_function(
        data_keyword_argument="request", persistence_store=store, config=_config()
    )(_run)


def run_once(
    scope: str, key: str, body: dict, command: Callable[[dict], dict], lambda_context=None
) -> dict:
    """Run `command(body)` once per (scope, key); a retry gets the first result back.

    With the Lambda context, an in-progress record expires with the invocation, so a
    request killed mid-flight does not block its key until the record itself expires.
    """
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    if lambda_context is not None:
        _config().register_lambda_context(lambda_context)
    reset = _command.set(command)
    try:
        return _wrapped()(request={"key": f"{scope}:{key}", "body": body})
    except IdempotencyValidationError as error:
        raise KeyReusedWithOtherBody(str(error)) from error
    except IdempotencyAlreadyInProgressError as error:
        raise AlreadyInProgress(str(error)) from error
    finally:
        _command.reset(reset)


def reset() -> None:
    """Tests swap tables between runs; forget the cached persistence layer."""
    _wrapped.cache_clear()
    _config.cache_clear()
