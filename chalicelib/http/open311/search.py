"""The filters of GET requests in our terms: a received window, statuses, categories, paging."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ...domain.vocabulary import Status
from .dates import parse_moment, w3
from .errors import Open311Error
from .view import CLOSED

MAX_WINDOW = timedelta(days=90)
MAX_PAGE_SIZE = 1000  # the spec's "first 1000 requests"
MAX_DEPTH = 10_000  # page * page_size: how far paging may reach into one window
MAX_IDS = 100
STATUSES = {"open": frozenset(Status) - CLOSED, "closed": CLOSED}


def csv(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def request_window(query: dict[str, str], now: datetime, bounds):
    """[start, end] of requested_datetime: at most 90 days, by default the last 90; each
    date within the received dates the service keeps (domain/received.py)."""
    tz = ZoneInfo(bounds.timezone)
    start = parse_moment(query.get("start_date"), "start_date", tz, time.min)
    end = parse_moment(query.get("end_date"), "end_date", tz, time.max)
    _within(bounds, "start_date", start, now, tz)
    _within(bounds, "end_date", end, now, tz)
    if start and end:
        if end < start:
            raise Open311Error(400, "end_date is before start_date")
        if end - start > MAX_WINDOW:
            raise Open311Error(400, "start_date and end_date may not be more than 90 days apart")
    elif start:
        end = min(start + MAX_WINDOW, max(start, now))
    elif end:
        start = end - MAX_WINDOW
    else:
        start, end = now - MAX_WINDOW, now
    return start, end


def _within(bounds, name: str, moment: datetime | None, now: datetime, tz: ZoneInfo) -> None:
    if moment is None:
        return
    first = datetime.combine(bounds.since, time.min, tzinfo=tz)
    last = datetime.combine(bounds.latest_filter(now.astimezone(tz).date()), time.max, tzinfo=tz)
    if not first <= moment <= last:
        raise Open311Error(
            400,
            f"{name} must be between {w3(first, tz)} and {w3(last, tz)}: "
            "no request was received outside these dates",
        )


def statuses(raw: str | None) -> frozenset[Status] | None:
    """Our statuses for `open`, `closed` or both; None when the filter is not given."""
    names = set(csv(raw))
    unknown = names - STATUSES.keys()
    if unknown:
        raise Open311Error(400, f"status must be open or closed, not {sorted(unknown)[0]!r}")
    return frozenset().union(*(STATUSES[name] for name in names)) if names else None


def paging(query: dict[str, str]) -> tuple[int, int]:
    """(how many to skip, how many to return)."""
    page = _positive(query.get("page"), "page", 1)
    size = _positive(query.get("page_size"), "page_size", MAX_PAGE_SIZE)
    if size > MAX_PAGE_SIZE:
        raise Open311Error(400, f"page_size may be at most {MAX_PAGE_SIZE}")
    if page * size > MAX_DEPTH:
        raise Open311Error(400, "page is too deep; narrow the dates instead")
    return (page - 1) * size, size


def _positive(raw: str | None, name: str, default: int) -> int:
    if not raw:
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise Open311Error(400, f"{name} must be a positive whole number")
    return int(raw)
