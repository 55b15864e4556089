from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock tests and the local job runner (--now) can set."""

    def __init__(self, at: datetime):
        self.at = at

    def now(self) -> datetime:
        return self.at
