"""TransactWriteItems for the local AWS that rolls back only the items it touched.

moto 5.2 deep-copies every table a transaction names before it starts, so each intake or
staff action costs time in proportion to everything the table holds: on the local stack a
few hundred complaints (each with its events, outbox entries and statistics cells) made
every transaction slower than the one before, until requests queued behind the one lock
of scripts/local_aws.py ran past a client's timeout. This keeps moto's semantics (the same
checks, the same cancellation reasons, nothing applied when any operation fails) and
snapshots just the items named in the transaction. It is safe only because local_aws.py
lets one request into moto at a time. The tests' in-process mock uses it too
(tests/conftest.py), where moto's copy made a test's transactions slower with every item
it wrote; its threaded tests let one AWS call into moto at a time as well.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.dynamodb.comparisons import get_filter_expression as condition_of
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType

OPERATIONS = {"ConditionCheck", "Put", "Delete", "Update"}


def install() -> None:
    DynamoDBBackend.transact_write_items = transact_write_items


def _key(backend: DynamoDBBackend, op_type: str, op: dict) -> dict:
    if op_type != "Put":
        return op["Key"]
    table = backend.get_table(op["TableName"])
    attrs = op["Item"]
    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attrs[table.range_key_attr]
    return key


def _restore(backend: DynamoDBBackend, saved: list[tuple[str, dict, Any]]) -> None:
    for table_name, key, item in reversed(saved):
        table = backend.get_table(table_name)
        hash_value = DynamoType(key[table.hash_key_attr])
        range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        if item is None:
            if table.get_item(hash_value, range_value) is not None:
                table.delete_item(hash_value, range_value)
        else:
            table.put_item(item.to_json()["Attributes"])


def _apply(backend: DynamoDBBackend, op_type: str, op: dict, key: dict) -> None:
    names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    condition = op.get("ConditionExpression")
    common = {
        "condition_expression": condition,
        "expression_attribute_names": names,
        "expression_attribute_values": values,
    }
    if op_type == "Put":
        backend.put_item(op["TableName"], op["Item"], **common)
    elif op_type == "Delete":
        backend.delete_item(op["TableName"], key, **common)
    elif op_type == "Update":
        backend.update_item(
            op["TableName"], key, update_expression=op["UpdateExpression"], **common
        )


def _check(backend: DynamoDBBackend, op: dict, key: dict) -> None:
    current = backend.get_item(op["TableName"], key)
    expression = op.get("ConditionExpression")
    if expression is None:
        return
    condition = condition_of(
        expression, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    )
    if not condition.expr(current):
        original = None
        if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
            original = current.to_json()["Attributes"]
        failure = ConditionalCheckFailed(item=original)
        failure.old_item = original
        raise failure


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    saved: list[tuple[str, dict, Any]] = []
    seen: set[tuple[str, str]] = set()
    errors: list[tuple] = []
    for entry in transact_items:
        if len(entry) > 1:
            raise TransactWriteSingleOpException
        try:
            op_type, op = next(iter(entry.items()))
            if op_type not in OPERATIONS:
                raise ValueError("Unsupported transaction operation")
            key = _key(self, op_type, op)
            marker = (str(op["TableName"]), str(dict(sorted(key.items()))))
            if marker in seen:
                raise MultipleTransactionsException()
            seen.add(marker)
            _check(self, op, key)
            saved.append((op["TableName"], key, copy.deepcopy(self.get_item(op["TableName"], key))))
            _apply(self, op_type, op, key)
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            _restore(self, saved)
            raise
        except ConditionalCheckFailed as error:
            errors.append(("ConditionalCheckFailed", str(error.message), error.old_item))
        except Exception as error:  # noqa: BLE001 - moto reports any failure as a reason
            errors.append((type(error).__name__, str(error), None))
    if any(code is not None for code, _, _ in errors):
        _restore(self, saved)
        raise TransactionCanceledException(errors)
