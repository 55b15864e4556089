"""Acknowledgement counters and the suppression list, in the complaints table.

| item | pk | sk | attributes |
|---|---|---|---|
| counter | `LIMIT#<kind>#<keyed hash>#<window>` | `LIMIT` | `n`, `ttl_expires` (TTL) |
| suppressed recipient | `SUPPRESSED#<keyed hash>` | `SUPPRESSED` | `reason`, `at` |

Keys are HMAC-SHA256 of the channel and the address (domain/limits.py): nothing here
names anyone. A counter is one conditional UpdateItem (`ADD n 1` if `n < limit`), so two
concurrent intakes can never both take the last acknowledgement; DynamoDB's TTL deletes
counters after their window (the table's TTL attribute is `ttl_expires`, which no other
item carries).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError

from .dynamo import Item, _Meta

TTL_ATTRIBUTE = "ttl_expires"


class LimitItem(Item):
    Meta = _Meta
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    n = NumberAttribute(default=0)
    ttl_expires = TTLAttribute(null=True)


class SuppressedItem(Item):
    Meta = _Meta
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    reason = UnicodeAttribute()
    at = UnicodeAttribute()


# An address found not suppressed is not looked up again for this long in one process: the
# intake checks it before queueing the acknowledgement and the notifier before sending it.
CLEAR_FOR_SECONDS = 60.0


class DynamoLimits:
    def __init__(self):
        self._clear: dict[str, float] = {}  # key -> monotonic time the answer expires

    def take(self, key: str, limit: int, expires_at: datetime) -> bool:
        item = LimitItem(f"LIMIT#{key}", "LIMIT")
        try:
            item.update(
                actions=[LimitItem.n.add(1), LimitItem.ttl_expires.set(expires_at)],
                condition=LimitItem.n.does_not_exist() | (LimitItem.n < limit),
            )
        except UpdateError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def add(self, key: str, expires_at: datetime) -> int:
        item = LimitItem(f"LIMIT#{key}", "LIMIT")
        item.update(actions=[LimitItem.n.add(1), LimitItem.ttl_expires.set(expires_at)])
        return int(item.n)

    def suppressed(self, key: str) -> str | None:
        if self._clear.get(key, 0.0) > time.monotonic():
            return None
        try:
            return SuppressedItem.get(f"SUPPRESSED#{key}", "SUPPRESSED").reason
        except DoesNotExist:
            if len(self._clear) > 10_000:
                self._clear.clear()
            self._clear[key] = time.monotonic() + CLEAR_FOR_SECONDS
            return None

    def suppress(self, key: str, reason: str, at: datetime) -> None:
        self._clear.pop(key, None)
        SuppressedItem(
            f"SUPPRESSED#{key}", "SUPPRESSED", reason=reason, at=at.astimezone(UTC).isoformat()
        ).save()
