"""Months of the statistics, in the organisation's time zone, and the instants they hold."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .calendar import BusinessCalendar

# -- months -------------------------------------------------------------------------------


def month_of(at: datetime, calendar: BusinessCalendar) -> str:
    return calendar.local(at).strftime("%Y-%m")


def month_start(month: str, calendar: BusinessCalendar) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year, number, 1, tzinfo=calendar.tz)


def month_end(month: str, calendar: BusinessCalendar) -> datetime:
    """00:00 on the 1st of the next month, organisation time."""
    return month_start(next_month(month), calendar)


def next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def previous_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def _dt(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()
