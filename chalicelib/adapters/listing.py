"""Complaints by time of receipt, for the Open311 read API: Query on by_month, never a Scan.

by_month is keyed by the month of receipt in the organisation's time zone, sorted by
list_sk = "<received_at in UTC ISO>#<number>", so a time window is one key range per month.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..domain.model import Complaint
from .dynamo import ComplaintItem


def month_keys(start: datetime, end: datetime, timezone: str) -> list[str]:
    """The by_month partitions ("YYYY-MM") a window touches, newest first."""
    tz = ZoneInfo(timezone)
    return months_between(start.astimezone(tz).date(), end.astimezone(tz).date())


def months_between(first: date, last: date) -> list[str]:
    """ "YYYY-MM" of every month from `last` back to `first`, newest first."""
    months, cursor = [], date(last.year, last.month, 1)
    while cursor >= date(first.year, first.month, 1):
        months.append(cursor.strftime("%Y-%m"))
        cursor = (cursor - timedelta(days=1)).replace(day=1)
    return months


def received_between(
    months: list[str], start: datetime, end: datetime, *, page_size: int = 100
) -> Iterator[Complaint]:
    """Complaints received in [start, end], newest first, read lazily page by page.

    The caller stops iterating once it has what it needs, so no more pages are read.
    """
    low = _utc_iso(start)
    # "#" ends the timestamp in list_sk; "#\uffff" keeps every number at `end` itself.
    high = f"{_utc_iso(end)}#\uffff"
    for month in months:
        rows = ComplaintItem.by_month.query(
            month,
            range_key_condition=ComplaintItem.list_sk.between(low, high),
            scan_index_forward=False,
            page_size=page_size,
        )
        for item in rows:
            yield item.to_complaint()


def _utc_iso(value: datetime) -> str:
    # The same rendering the repository writes into list_sk, so string order is time order.
    return value.astimezone(UTC).isoformat()
