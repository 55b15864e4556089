"""Idempotent commands through Powertools' DynamoDB persistence layer.

The caller's Idempotency-Key names the command; the JSON body is the payload Powertools
validates, so the same key with a different body is refused instead of replayed.

Powertools writes the command's record twice: in progress before it runs, completed after.
The delivery outcomes of the messages the command sent (repository.record_deliveries) are
held meanwhile and written in the same transaction as the completed record, so a keyed
intake makes one write after sending, not two. If that write fails, or the command fails
after sending, the outcomes are written on their own before the error goes on: a message
sent is always recorded as sent, so the retry job never sends it again.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache

from ..config import get_settings

EXPIRES_AFTER_SECONDS = 24 * 3600

_command: ContextVar[Callable[[dict], dict]] = ContextVar("idempotent_command")


class _Held:
    """Delivery outcomes held for the completion record: TransactWriteItems Puts, and how
    to write them on their own instead."""

    # A plain class, not a dataclass: every cold start would build its methods (~0.5 ms),
    # and only a keyed command makes one.
    def __init__(self) -> None:
        self.puts: list[dict] = []
        self.fallbacks: list[Callable[[], None]] = []

    def write_alone(self) -> None:
        if self.puts:
            for write in self.fallbacks:
                write()
            self.puts.clear()


_held: ContextVar[_Held | None] = ContextVar("held_outcomes", default=None)


def hold_for_completion(puts: list[dict], write_alone: Callable[[], None]) -> bool:
    """Inside an idempotent command: keep these outcome Puts for the completion record's
    transaction (True). Outside one: False, and the caller writes them itself."""
    held = _held.get()
    if held is None:
        return False
    held.puts += puts
    held.fallbacks.append(write_alone)
    return True


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

    class CompletedWithOutcomes(DynamoDBPersistenceLayer):
        """Powertools' layer; its completion update carries the held delivery outcomes."""

        @property
        def client(self):
            held = _held.get()
            return _Completing(self._client, held) if held and held.puts else self._client

        @client.setter
        def client(self, value):
            self._client = value

    store = CompletedWithOutcomes(
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
    held = _Held()
    reset, reset_held = _command.set(command), _held.set(held)
    try:
        return _wrapped()(request={"key": f"{scope}:{key}", "body": body})
    except IdempotencyValidationError as error:
        raise KeyReusedWithOtherBody(str(error)) from error
    except IdempotencyAlreadyInProgressError as error:
        raise AlreadyInProgress(str(error)) from error
    finally:
        _held.reset(reset_held)
        _command.reset(reset)
        held.write_alone()  # not written with the completion record: on their own


class _Completing:
    """The DynamoDB client as the completion write sees it: Powertools' UpdateItem of the
    record goes out as one transaction with the held outcome Puts."""

    def __init__(self, client, held: _Held):
        self._client, self._held = client, held

    def update_item(self, **update):
        items = [{"Update": update}, *self._held.puts]
        self._client.transact_write_items(TransactItems=items)
        self._held.puts.clear()

    def __getattr__(self, name):
        return getattr(self._client, name)


def reset() -> None:
    """Tests swap tables between runs; forget the cached persistence layer."""
    _wrapped.cache_clear()
    _config.cache_clear()
