"""Acknowledgement counters and the suppression list, in the complaints table.

| item | pk | sk | attributes |
|---|---|---|---|
| counter | `LIMIT#<kind>#<keyed hash>#<window>` | `LIMIT` | `n`, `ttl_expires` (TTL) |
| suppressed recipient | `SUPPRESSED#<keyed hash>` | `SUPPRESSED` | `reason`, `at` |

Keys are HMAC-SHA256 of the channel and the address (domain/limits.py): nothing here
names anyone. An intake takes its counters in its own transaction (`add_claims`): each an
update `ADD n 1` on condition `n < limit`, and a condition check that the recipient is
not suppressed, so two concurrent intakes can never both take the last acknowledgement
and no limit costs a call of its own. DynamoDB's TTL deletes counters after their window
(the table's TTL attribute is `ttl_expires`, which no other item carries).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist

from ..service.ports import LimitClaim
from .dynamo import Item

TTL_ATTRIBUTE = "ttl_expires"


class LimitItem(Item):
    n = NumberAttribute(default=0)
    ttl_expires = TTLAttribute(null=True)


class SuppressedItem(Item):
    reason = UnicodeAttribute()
    at = UnicodeAttribute()


# An address found not suppressed is not looked up again for this long in one process: the
# intake checks it before queueing the acknowledgement and the notifier before sending it.
CLEAR_FOR_SECONDS = 60.0


class DynamoLimits:
    def __init__(self):
        self._clear: dict[str, float] = {}  # key -> monotonic time the answer expires

    def count(self, key: str) -> int:
        try:
            return int(LimitItem.get(f"LIMIT#{key}", "LIMIT", consistent_read=True).n)
        except DoesNotExist:
            return 0

    def known_clear(self, key: str) -> None:
        self._remember_clear(key)

    def suppressed(self, key: str) -> str | None:
        if self._clear.get(key, 0.0) > time.monotonic():
            return None
        try:
            return SuppressedItem.get(f"SUPPRESSED#{key}", "SUPPRESSED").reason
        except DoesNotExist:
            self._remember_clear(key)
            return None

    def _remember_clear(self, key: str) -> None:
        if len(self._clear) > 10_000:
            self._clear.clear()
        self._clear[key] = time.monotonic() + CLEAR_FOR_SECONDS

    def suppress(self, key: str, reason: str, at: datetime) -> None:
        self._clear.pop(key, None)
        SuppressedItem(
            f"SUPPRESSED#{key}", "SUPPRESSED", reason=reason, at=at.astimezone(UTC).isoformat()
        ).save()


def add_claims(tx, claims: list[LimitClaim]) -> list[LimitClaim]:
    """Put an intake's limit claims in its transaction; returns them in the order put."""
    for claim in claims:
        if claim.kind == "clear":
            tx.condition_check(
                SuppressedItem,
                f"SUPPRESSED#{claim.key}",
                "SUPPRESSED",
                condition=SuppressedItem.pk.does_not_exist(),
            )
        else:
            tx.update(
                LimitItem(f"LIMIT#{claim.key}", "LIMIT"),
                actions=[LimitItem.n.add(1), LimitItem.ttl_expires.set(claim.expires_at)],
                condition=LimitItem.n.does_not_exist() | (LimitItem.n < claim.limit),
            )
    return list(claims)
