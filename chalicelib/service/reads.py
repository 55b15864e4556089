"""Complaints read for the public read APIs: one or several by number, and those received
in a time window with given statuses and categories. What they may show is the caller's
business; these only find them, with bounded reads (a Query per month, never a Scan)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from itertools import islice

from ..domain.model import Complaint
from ..domain.vocabulary import Status
from .context import Services

READ_PAGE = 200  # the most complaints one page of the received-by-month index returns


def get_complaint(number: str, services: Services) -> Complaint | None:
    return services.complaints.load(number)


def get_complaints(numbers: list[str], services: Services) -> list[Complaint]:
    """In the order asked; unknown numbers left out."""
    return services.complaints.load_many(numbers)


def find_received(
    start: datetime,
    end: datetime,
    services: Services,
    *,
    statuses: Collection[Status] | None = None,
    categories: Collection[str] = (),
    skip: int = 0,
    limit: int,
) -> list[Complaint]:
    """Received in [start, end], newest first, in one of `statuses` (None: any) and one of
    `categories` (empty: any): `limit` of them after the first `skip`. Reading stops as
    soon as those are found."""
    rows = services.complaints.received_between(start, end, page_size=min(skip + limit, READ_PAGE))
    wanted = (c for c in rows if _matches(c, statuses, categories))
    return list(islice(wanted, skip, skip + limit))


def _matches(
    complaint: Complaint, statuses: Collection[Status] | None, categories: Collection[str]
) -> bool:
    if categories and complaint.data.category not in categories:
        return False
    return statuses is None or complaint.status in statuses
