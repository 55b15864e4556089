"""Working days and business hours (工作日/工作时间); see DOMAIN.md "Deadlines".

Pure domain: no I/O. Public holidays and the official make-up working days (调休) come
from the `holidays` package; an organisation's own days off and extra working days win
over it. Every datetime taken must be timezone-aware; every datetime returned is in the
calendar's own zone. Business hours are the half-open interval [start, end): 09:00 is
business time, 18:00 is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ONE_DAY = timedelta(days=1)
ZERO = timedelta(0)


# Years per computed table: one computation serves every date of its decade.
BLOCK_YEARS = 10
# Tables computed ahead from the pinned `holidays` package (scripts/holiday_tables.py):
# reading one costs a millisecond, computing one from the package about a hundred.
SHIPPED_TABLES = Path(__file__).with_name("holiday_tables.json")


@dataclass(frozen=True)
class HolidayTable:
    """Which days of a range of years are worked: weekdays but `off`, weekend days in `on`."""

    first_year: int
    last_year: int
    weekend: frozenset[int]
    off: frozenset[date]  # weekdays that are not worked (public holidays)
    on: frozenset[date]  # weekend days that are worked (调休)

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def is_working_day(self, d: date) -> bool:
        return d in self.on if d.weekday() in self.weekend else d not in self.off

    def to_json(self) -> dict:
        return {
            "first_year": self.first_year,
            "last_year": self.last_year,
            "weekend": sorted(self.weekend),
            "off": sorted(d.isoformat() for d in self.off),
            "on": sorted(d.isoformat() for d in self.on),
        }

    @classmethod
    def from_json(cls, data: dict) -> HolidayTable:
        return cls(
            first_year=data["first_year"],
            last_year=data["last_year"],
            weekend=frozenset(data["weekend"]),
            off=frozenset(map(date.fromisoformat, data["off"])),
            on=frozenset(map(date.fromisoformat, data["on"])),
        )


def compute_table(
    country: str, subdivision: str | None, first_year: int, last_year: int
) -> HolidayTable:
    """The table of [first_year, last_year] from the `holidays` package."""
    # A make-up day can fall in the year before its holiday (a late-December Saturday
    # worked for New Year), and the package records it only when that holiday's year is
    # loaded: so load the year after the range too.
    import holidays  # on first use, not at import: it is not needed to start a Lambda

    source = holidays.country_holidays(
        country, subdiv=subdivision, years=range(first_year, last_year + 2), expand=False
    )
    weekend = frozenset(source.weekend)
    off, on = set(), set()
    day, last = date(first_year, 1, 1), date(last_year, 12, 31)
    while day <= last:
        working = source.is_working_day(day)
        if day.weekday() in weekend and working:
            on.add(day)
        elif day.weekday() not in weekend and not working:
            off.add(day)
        day += ONE_DAY
    return HolidayTable(first_year, last_year, weekend, frozenset(off), frozenset(on))


@lru_cache(maxsize=1)
def shipped_tables() -> dict[str, dict]:
    """{country: table as JSON, plus the `holidays` version it was computed with}."""
    import json

    try:
        return json.loads(SHIPPED_TABLES.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


@lru_cache(maxsize=16)
def shipped_table(country: str) -> HolidayTable | None:
    data = shipped_tables().get(country)
    return HolidayTable.from_json(data) if data else None


@lru_cache(maxsize=64)
def _computed(country: str, subdivision: str | None, first_year: int) -> HolidayTable:
    return compute_table(country, subdivision, first_year, first_year + BLOCK_YEARS - 1)


def holiday_table(country: str, subdivision: str | None, year: int) -> HolidayTable:
    """The table covering `year`: the shipped one if it does, else one computed once per
    block of BLOCK_YEARS years and kept for the life of the process."""
    shipped = shipped_table(country) if subdivision is None else None
    if shipped is not None and shipped.covers(year):
        return shipped
    return _computed(country, subdivision, year - year % BLOCK_YEARS)


def _frozen_dates(days: Iterable[date]) -> frozenset[date]:
    return frozenset(days)


@dataclass(frozen=True)
class BusinessCalendar:
    country: str = "CN"
    subdivision: str | None = None
    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    timezone: str = "Asia/Shanghai"
    business_start: time = time(9, 0)
    business_end: time = time(18, 0)

    def __post_init__(self) -> None:
        # Callers pass plain sets from configuration; freeze them so the calendar stays
        # hashable and cannot change under a running computation.
        object.__setattr__(self, "extra_days_off", _frozen_dates(self.extra_days_off))
        object.__setattr__(self, "extra_working_days", _frozen_dates(self.extra_working_days))
        clash = self.extra_days_off & self.extra_working_days
        if clash:
            raise ValueError(f"dates both off and working: {sorted(clash)}")
        if not self.business_start < self.business_end:
            raise ValueError("business hours must start before they end")
        # Fail at configuration time, not at the first deadline computed.
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {self.timezone!r}") from exc
        if self.subdivision is None and shipped_table(self.country) is not None:
            return  # a known country: no need to load the package to check it
        import holidays

        subdivisions = holidays.list_supported_countries().get(self.country)
        if subdivisions is None:
            raise ValueError(f"no public-holiday data for country {self.country!r}")
        if self.subdivision is not None and self.subdivision not in subdivisions:
            raise ValueError(f"unknown subdivision {self.subdivision!r} of {self.country}")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    # --- days -------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        if isinstance(d, datetime):
            d = self.local(d).date()
        if d in self.extra_working_days:
            return True
        if d in self.extra_days_off:
            return False
        return holiday_table(self.country, self.subdivision, d.year).is_working_day(d)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        d += ONE_DAY
        while not self.is_working_day(d):
            d += ONE_DAY
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """The Nth working day after `d`; n=0 gives `d` itself, or the next working day."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return d if self.is_working_day(d) else self.next_working_day(d)
        for _ in range(n):
            d = self.next_working_day(d)
        return d

    def opening_time(self, d: date) -> datetime:
        return datetime.combine(d, self.business_start, tzinfo=self.tz)

    def closing_time(self, d: date) -> datetime:
        return datetime.combine(d, self.business_end, tzinfo=self.tz)

    # --- instants ---------------------------------------------------------------------

    def local(self, dt: datetime) -> datetime:
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError("datetime must be timezone-aware")
        return dt.astimezone(self.tz)

    def is_business_time(self, dt: datetime) -> bool:
        here = self.local(dt)
        return self.is_working_day(here.date()) and self._within_hours(here)

    def next_business_time(self, dt: datetime) -> datetime:
        """`dt` if it is business time, else the start of the next business period."""
        here = self.local(dt)
        day = here.date()
        if self.is_working_day(day):
            if here.time() < self.business_start:
                return self.opening_time(day)
            if self._within_hours(here):
                return here
        return self.opening_time(self.next_working_day(day))

    def working_days_deadline(self, received: datetime, n: int) -> datetime:
        """The end of business on the Nth working day after receipt.

        Day 0 is the working day on which the complaint is first seen in business hours:
        the receipt day if received during (or before) business hours on a working day,
        otherwise the next working day. The deadline is the business-hours end of the
        Nth working day after day 0, so n=0 means "by close of business on day 0" and
        n=1 received Friday 10:00 means the next working day at 18:00.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        day0 = self.next_business_time(received).date()
        return self.closing_time(self.add_working_days(day0, n))

    def hours_deadline(self, start: datetime, hours: float) -> datetime:
        """`hours` on the clock: weekends, holidays and nights count."""
        return _plus(self.local(start), timedelta(hours=hours)).astimezone(self.tz)

    # --- business time ----------------------------------------------------------------

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Business time inside [a, b); zero when b is not after a."""
        start, end = self.local(a), self.local(b)
        total = ZERO
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                lo = max(start, self.opening_time(day))
                hi = min(end, self.closing_time(day))
                if hi > lo:
                    total += _elapsed(lo, hi)
            day += ONE_DAY
        return total

    def add_working_time(self, dt: datetime, delta: timedelta) -> datetime:
        """The earliest instant at which `delta` of business time has passed since `dt`.

        Inverse of working_time_between: working_time_between(dt, result) == delta. Work
        that exactly fills a day ends at that day's close, not the next morning, so a
        deadline at 17:00 moved by one business hour lands at 18:00 the same day.
        """
        if delta < ZERO:
            raise ValueError("delta must not be negative")
        if delta == ZERO:
            return self.local(dt)
        at = self.next_business_time(dt)
        while True:
            left_today = _elapsed(at, self.closing_time(at.date()))
            if delta <= left_today:
                return _plus(at, delta).astimezone(self.tz)
            delta -= left_today
            at = self.opening_time(self.next_working_day(at.date()))

    def _within_hours(self, here: datetime) -> bool:
        return self.business_start <= here.time() < self.business_end


# Aware datetimes sharing one tzinfo subtract as wall-clock times in Python; going
# through UTC gives real elapsed time across daylight-saving changes.
def _elapsed(a: datetime, b: datetime) -> timedelta:
    return b.astimezone(UTC) - a.astimezone(UTC)


def _plus(dt: datetime, delta: timedelta) -> datetime:
    return dt.astimezone(UTC) + delta
