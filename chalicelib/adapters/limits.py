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


class DynamoLimits:
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
        try:
            return SuppressedItem.get(f"SUPPRESSED#{key}", "SUPPRESSED").reason
        except DoesNotExist:
            return None

    def suppress(self, key: str, reason: str, at: datetime) -> None:
        SuppressedItem(
            f"SUPPRESSED#{key}", "SUPPRESSED", reason=reason, at=at.astimezone(UTC).isoformat()
        ).save()
