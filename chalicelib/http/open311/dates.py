"""W3C date-times as Open311 writes and reads them, in the organisation's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from .errors import Open311Error


def w3(moment: datetime, tz: ZoneInfo) -> str:
    """W3C date-time: the offset is +hh:mm; a zone's historical offset with seconds (local
    mean time before 1901, say) cannot be written so, and the moment is given in UTC."""
    local = moment.astimezone(tz)
    offset = local.utcoffset()
    if offset is not None and offset.seconds % 60:
        return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return local.isoformat(timespec="seconds")


def parse_moment(raw: str | None, name: str, tz: ZoneInfo, day_edge: time) -> datetime | None:
    """A w3 date-time, or a date meaning its `day_edge` in `tz`; None when not given."""
    if not raw:
        return None
    # A "+" in an unencoded query string arrives as a space.
    text = raw.strip().replace(" ", "+")
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), day_edge, tzinfo=tz)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Open311Error(
            400, f"{name} is not a w3 date-time, e.g. 2010-01-01T00:00:00Z"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def local_date(value: str, timezone: str, code: str, errors: list[str]) -> str:
    """The day a date or date-time attribute names, in the organisation's time zone."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        moment = datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError:
        errors.append(f"attribute[{code}] is not an ISO 8601 date")
        return value
    if moment.tzinfo is None:
        return moment.date().isoformat()
    return moment.astimezone(ZoneInfo(timezone)).date().isoformat()
