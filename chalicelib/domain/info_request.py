"""A request for information (一次性告知 / 补正) as the complaint record keeps it."""

from __future__ import annotations

from datetime import date, datetime

from .base import Model


class InfoRequest(Model):
    id: str
    items: list[str]
    reply_by: date
    due: datetime  # the end of business on reply_by
    requested_at: datetime
    requested_by: str
    status: str = "open"  # open | answered | expired
    on_expiry: str = "withdraw"  # INFO_REQUEST_EXPIRY when asked: what the complainant is told
    reminded_at: datetime | None = None
    answered_at: datetime | None = None
    expired_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.status == "open"
