"""The administration audit store (domain/admin_audit.py): one item per entry in a month's
partition, pk=AUDIT#<yyyy-mm> (UTC), sk=<at ISO>#<random>, read newest first by one Query.

A change and its entry commit together: a use case that writes with pynamodb's
`TransactWrite` adds the entry with `add_to(tx, entry)`; a low-level TransactWriteItems
takes `transact_put(entry)`; something that changes nothing writes `record(entry)` alone.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC

from pynamodb.attributes import ListAttribute, UnicodeAttribute

from ..domain.admin_audit import AuditEntry
from ..domain.errors import InvalidCommand
from .dynamo import Item, conditional_write

PREFIX = "AUDIT#"


class AdminAuditItem(Item):
    """pk=AUDIT#<yyyy-mm>, sk=<at>#<hex>: one administration audit entry, immutable but for
    a staff-account change's `details.state` (adapters/account_journal.py)."""

    at = UnicodeAttribute()
    actor = UnicodeAttribute()
    roles = ListAttribute(of=UnicodeAttribute)
    action = UnicodeAttribute()
    target = UnicodeAttribute()
    changes = UnicodeAttribute()  # JSON {path: [before, after]}
    details = UnicodeAttribute()  # JSON


def item_of(entry: AuditEntry) -> AdminAuditItem:
    stamp = entry.at.astimezone(UTC).isoformat()
    return AdminAuditItem(
        f"{PREFIX}{stamp[:7]}",
        f"{stamp}#{secrets.token_hex(4)}",
        at=stamp,
        actor=entry.actor,
        roles=list(entry.roles),
        action=entry.action,
        target=entry.target,
        changes=json.dumps(entry.changes, ensure_ascii=False, default=str),
        details=json.dumps(entry.details, ensure_ascii=False, default=str),
    )


def done_details() -> str:
    """The details of an entry whose change was recorded first and then made
    (adapters/account_journal.py): its state goes from pending to done."""
    return json.dumps({"state": "done"})


def add_to(tx, entry: AuditEntry) -> None:
    """Put the entry in a pynamodb TransactWrite: it commits with the change or not at all."""
    tx.save(item_of(entry), condition=AdminAuditItem.pk.does_not_exist())


def transact_put(entry: AuditEntry, table_name: str | None = None) -> dict:
    """The entry as one element of a low-level TransactWriteItems call."""
    item = item_of(entry)
    return {
        "Put": {
            "TableName": table_name or AdminAuditItem.Meta.table_name,
            "Item": item.serialize(),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def record(entry: AuditEntry) -> None:
    """One PutItem, for an action that changes nothing else (a subject access, a read)."""
    item = item_of(entry)
    # Refused only for the same microsecond and random suffix: never in practice.
    conditional_write(item.save, condition=AdminAuditItem.pk.does_not_exist())


def read(month: str, limit: int, cursor: str | None) -> tuple[list[dict], str | None]:
    """One month's entries, newest first: one Query of its partition."""
    kwargs = {"scan_index_forward": False, "limit": limit}
    if cursor:
        if not cursor.startswith(month) or len(cursor) > 100:
            raise InvalidCommand("invalid cursor", {"cursor": "not a cursor from this list"})
        kwargs["exclusive_start_key"] = {"pk": {"S": PREFIX + month}, "sk": {"S": cursor}}
    page = AdminAuditItem._get_connection().query(PREFIX + month, **kwargs)
    entries = [_entry(raw) for raw in page.get("Items", [])]
    last = page.get("LastEvaluatedKey")
    return entries, (last["sk"]["S"] if last else None)


def _entry(raw: dict) -> dict:
    return {
        "at": raw["at"]["S"],
        "actor": raw["actor"]["S"],
        "roles": [role["S"] for role in raw["roles"]["L"]],
        "action": raw["action"]["S"],
        "target": raw["target"]["S"],
        "changes": json.loads(raw["changes"]["S"]),
        "details": json.loads(raw["details"]["S"]),
    }
