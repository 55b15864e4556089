"""Which received dates the service takes: a complaint is dated between the organisation's
first day of records and now, and staff may date one taken down later only so far back.

Lists and the public read API's filters are bounded the same way, so no request can ask for a range
nobody could mean (year 0001, 9999-12-31) and every walk over months has an end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .errors import InvalidCommand

FUTURE_FILTER_DAYS = 366  # a list may ask up to a year ahead (e.g. "received this year")


@dataclass(frozen=True)
class ReceivedBounds:
    since: date  # RECEIVED_SINCE: nothing was received before this day
    lookback_days: int  # RECEIVED_LOOKBACK_DAYS: how far back staff may date a complaint
    timezone: str

    def earliest_received(self, now: datetime) -> datetime:
        floor = datetime.combine(self.since, time(0), tzinfo=ZoneInfo(self.timezone))
        return max(floor, now - timedelta(days=self.lookback_days))

    def check_received_at(self, value: datetime, now: datetime) -> None:
        """A complaint taken down later: not in the future, not before the look-back."""
        if value > now:
            raise InvalidCommand(
                "received_at is in the future", {"received_at": "is in the future"}
            )
        earliest = self.earliest_received(now)
        if value < earliest:
            shown = earliest.astimezone(ZoneInfo(self.timezone)).isoformat(timespec="seconds")
            raise InvalidCommand(
                "received_at is too far back",
                {
                    "received_at": f"must not be before {shown}: a complaint "
                    f"is dated at most {self.lookback_days} days back and not before "
                    f"{self.since.isoformat()}"
                },
            )

    def latest_filter(self, today: date) -> date:
        return today + timedelta(days=FUTURE_FILTER_DAYS)

    def check_filter_date(self, name: str, value: date | None, today: date) -> None:
        """A date a list or search filters on: within [since, a year from today]."""
        if value is None:
            return
        latest = self.latest_filter(today)
        if not self.since <= value <= latest:
            raise InvalidCommand(
                f"{name} is out of range",
                {name: f"must be between {self.since.isoformat()} and {latest.isoformat()}"},
            )
