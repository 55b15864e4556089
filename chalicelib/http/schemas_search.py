"""Response bodies of the lookup routes (http/search.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..domain.base import Model as BaseModel
from ..domain.lookup import LookupKind
from ..domain.vocabulary import Channel, Status

KINDS = Literal[tuple(kind.value for kind in LookupKind)]  # type: ignore[valid-type]
STATUSES = Literal[tuple(status.value for status in Status)]  # type: ignore[valid-type]
CHANNELS = Literal[tuple(channel.value for channel in Channel)]  # type: ignore[valid-type]


class SearchResult(BaseModel):
    """A complaint found: what it is about and where it stands, nothing about who."""

    number: str
    status: STATUSES
    open: bool
    grade: str
    department: str
    received_at: str
    subject: str
    category: str
    channel: CHANNELS


class SearchPage(BaseModel):
    """One page, newest first. A page may hold fewer than `limit` items (cases the caller
    may not see are left out) while more follow: the search is complete only when
    next_cursor is null."""

    kind: KINDS
    items: list[SearchResult]
    next_cursor: str | None = Field(
        default=None, description="pass as `cursor` with the same key; null: no more"
    )


class SearchLogEntry(BaseModel):
    at: str
    user: str
    roles: list[str]
    kind: Literal["phone", "email", "tracking_token"]
    results: int


class SearchLog(BaseModel):
    month: str
    items: list[SearchLogEntry]
    next_cursor: str | None = None
