"""When the Open311 service list last changed, kept as one item of the complaints table.

Open311 discovery's `changeset` is a sortable time that clients compare to know when to
fetch the service list and definitions again. The services come from configuration
(CATEGORIES, DEPARTMENTS, ...), which a deployment changes without telling anyone, so the
time is recorded here: the item holds a digest of the services as last served and the
time they were first served so; a different digest writes a new time (later than the old
one), conditional on the digest it replaces, so concurrent readers agree on one time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DoesNotExist

from .dynamo import Item, conditional_write

KEY = ("OPEN311#CHANGESET", "CHANGESET")


class ChangesetItem(Item):  # on the process's one DynamoDB client
    """pk=OPEN311#CHANGESET, sk=CHANGESET: digest of the services served, and since when."""

    digest = UnicodeAttribute()
    since = UnicodeAttribute()  # ISO 8601, UTC


def changed_at(digest: str, now: datetime) -> datetime:
    """The time the services with this digest were first served (now, if they are new)."""
    for _ in range(3):
        current = _read()
        if current is not None and current.digest == digest:
            return datetime.fromisoformat(current.since)
        since = now.astimezone(UTC).replace(microsecond=0)
        if current is not None:
            since = max(since, datetime.fromisoformat(current.since) + timedelta(seconds=1))
        item = ChangesetItem(*KEY, digest=digest, since=since.isoformat())
        condition = (
            ChangesetItem.pk.does_not_exist()
            if current is None
            else ChangesetItem.digest == current.digest
        )
        if conditional_write(item.save, condition=condition):
            return since
    return since  # three rivals in a row: answer with ours; the next read settles it


def _read() -> ChangesetItem | None:
    try:
        return ChangesetItem.get(*KEY, consistent_read=True)
    except DoesNotExist:
        return None
