from datetime import UTC, datetime, timedelta


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock tests and the local job runner (--now) can set."""

    def __init__(self, at: datetime):
        self.at = at

    def now(self) -> datetime:
        return self.at


class OffsetClock:
    """The system clock moved by a fixed offset: time flows, but from a chosen instant.

    The local stack started with `make run NOW=...` serves with it, and `make jobs` reads
    the same offset, so the server and the job runner agree on "now" (scripts/local_clock.py).
    """

    def __init__(self, offset: timedelta):
        self.offset = offset

    @classmethod
    def starting_at(cls, at: datetime) -> "OffsetClock":
        return cls(at - datetime.now(UTC))

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset
