"""The staff-account journal: how a change that spans Cognito and DynamoDB stays whole.

Cognito and DynamoDB share no transaction, so a change is written as intent first:
1. claim: ONE TransactWriteItems puts the account's journal item (pk=ACCOUNT#<user id>,
   sk=JOURNAL) at version n+1 with the pending change, conditional on version n, and the
   audit entry with `details.state = pending`. Two admins who read the same account: the
   condition lets exactly one claim. A failure here changes nothing anywhere.
2. the change in Cognito (idempotent: it sets the target roles, departments, state).
3. finish: ONE TransactWriteItems clears the pending change (conditional on version n+1
   and a pending change) and sets the entry's state to `done`.
A failure after 1 leaves a recorded change that the next read or change of that account
finishes (step 2 again, then 3), so no change is ever in Cognito without its entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, PynamoDBException, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.admin_audit import AuditEntry
from ..domain.errors import StaleVersion
from ..domain.limits import TooManyRequests
from . import admin_audit
from .dynamo import Item, get_connection

PREFIX = "ACCOUNT#"
SORT = "JOURNAL"
RETRY_AFTER = 2  # seconds: a DynamoDB that did not answer usually does at once again


class AccountJournalItem(Item):
    """pk=ACCOUNT#<user id>, sk=JOURNAL: the version of an account's changes and the
    change under way, if any."""

    version = NumberAttribute()
    pending = UnicodeAttribute(null=True)  # JSON: the change and its audit entry's key


@dataclass(frozen=True)
class Journal:
    user_id: str
    version: int
    pending: dict | None


def read(user_id: str) -> Journal:
    """One consistent GetItem (a change claimed a moment ago must be seen)."""
    try:
        item = AccountJournalItem.get(PREFIX + user_id, SORT, consistent_read=True)
    except DoesNotExist:
        return Journal(user_id, 0, None)
    except PynamoDBException as error:
        raise _unavailable() from error
    pending = json.loads(item.pending) if item.pending else None
    return Journal(user_id, int(item.version), pending)


def claim(journal: Journal, change: dict, entry: AuditEntry) -> Journal:
    """Record the change and its audit entry (state pending) together, if nobody else
    changed the account since `journal` was read; the journal as claimed."""
    entry_item = admin_audit.item_of(entry)
    pending = {**change, "audit": [entry_item.pk, entry_item.sk]}
    item = AccountJournalItem(
        PREFIX + journal.user_id,
        SORT,
        version=journal.version + 1,
        pending=json.dumps(pending, ensure_ascii=False, sort_keys=True),
    )
    if journal.version:
        condition = AccountJournalItem.version == journal.version
    else:
        condition = AccountJournalItem.pk.does_not_exist()
    try:
        with TransactWrite(connection=get_connection()) as tx:
            tx.save(item, condition=condition)
            tx.save(entry_item, condition=admin_audit.AdminAuditItem.pk.does_not_exist())
    except TransactWriteError as error:
        if "ConditionalCheckFailed" in _reasons(error):
            raise StaleVersion(
                "another admin changed this account a moment ago: read it again",
                reason="stale",
            ) from error
        raise _unavailable() from error
    except PynamoDBException as error:
        raise _unavailable() from error
    return Journal(journal.user_id, journal.version + 1, pending)


def finish(journal: Journal, target: str | None = None) -> bool:
    """Clear the pending change and mark its audit entry done (naming its `target` once
    known: an invitation's user id); False if another request finished it first."""
    pk, sk = journal.pending["audit"]
    item = AccountJournalItem(PREFIX + journal.user_id, SORT)
    audit_item = admin_audit.AdminAuditItem(pk, sk)
    try:
        with TransactWrite(connection=get_connection()) as tx:
            tx.update(
                item,
                actions=[AccountJournalItem.pending.remove()],
                condition=(AccountJournalItem.version == journal.version)
                & AccountJournalItem.pending.exists(),
            )
            done = [admin_audit.AdminAuditItem.details.set(admin_audit.done_details())]
            if target:
                done.append(admin_audit.AdminAuditItem.target.set(target))
            tx.update(
                audit_item,
                actions=done,
                condition=admin_audit.AdminAuditItem.pk.exists(),
            )
    except TransactWriteError as error:
        if "ConditionalCheckFailed" in _reasons(error):
            return False
        raise _unavailable() from error
    except PynamoDBException as error:
        raise _unavailable() from error
    return True


def _reasons(error: TransactWriteError) -> list[str]:
    return [r.code for r in (error.cancellation_reasons or []) if r]


def _unavailable() -> TooManyRequests:
    return TooManyRequests(
        "the account's change log did not answer; nothing was left half done: send it again",
        retry_after=RETRY_AFTER,
    )
