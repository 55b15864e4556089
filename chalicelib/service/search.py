"""Lookup (issue 18): a complainant's or respondent's complaints, within the caller's scope.

The rules are the staff API's: a complaint is returned only if the caller may view it
(role, department, a handler's own cases); a confidential complainant's cases are found by
their phone or e-mail only by users who may see that complainant's identity. Searches by
phone, e-mail or tracking token are logged (who, when, kind of key, how many results).
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..domain.actor import Actor, Role
from ..domain.errors import Forbidden
from ..domain.lifecycle import Action, may
from ..domain.lookup import IDENTITY_KINDS, LOGGED_KINDS, LookupKind, partition
from ..domain.lookup_queries import SearchQuery
from ..domain.model import Complaint
from .context import Services
from .views import sees_identity

LOG_READERS = (Role.QUALITY, Role.ADMIN)


def search(query: dict, actor: Actor, services: Services) -> dict:
    wanted = SearchQuery.model_validate(query).checked()
    if not actor.roles:
        raise Forbidden("your role may not search complaints")
    kind = wanted.kind
    if kind == LookupKind.number:
        complaints, cursor = _by_number(wanted, services), None
    else:
        keys = _partitions(wanted, actor, services)
        complaints, cursor = services.complaints.find(keys, wanted.limit, wanted.cursor)
    items = [summary(c) for c in complaints if visible(c, actor, kind)]
    if kind in LOGGED_KINDS:
        services.complaints.log_search(
            services.clock.now(), actor.user_id, [r.value for r in actor.roles], kind, len(items)
        )
    return {"kind": kind.value, "items": items, "next_cursor": cursor}


def _by_number(wanted: SearchQuery, services: Services) -> list[Complaint]:
    complaint = services.complaints.load(wanted.normalised())
    return [complaint] if complaint else []


def _partitions(wanted: SearchQuery, actor: Actor, services: Services) -> list[str]:
    secret = services.complaints.lookup_key
    value = wanted.normalised()
    keys = [partition(secret, wanted.kind, value)]
    # Confidential complainants' identity keys are read only by users who may see some
    # confidential identity; the department is checked on each complaint found.
    if wanted.kind in IDENTITY_KINDS and _sees_some_identity(actor, services):
        keys.append(partition(secret, wanted.kind, value, confidential=True))
    return keys


def _sees_some_identity(actor: Actor, services: Services) -> bool:
    return any(
        may(actor, Action.view_identity, department=department)
        for department in services.org.codes("departments", active_only=False)
    )


def visible(complaint: Complaint, actor: Actor, kind: LookupKind) -> bool:
    if not may(actor, Action.view, department=complaint.department, assignee=complaint.assignee):
        return False
    # Found by who they are: only by users who may see who they are.
    return kind not in IDENTITY_KINDS or sees_identity(actor, complaint)


def summary(complaint: Complaint) -> dict:
    """What a search result shows: nothing about the complainant."""
    return {
        "number": complaint.number,
        "status": complaint.status.value,
        "open": complaint.is_open,
        "grade": complaint.grade,
        "department": complaint.department,
        "received_at": complaint.received_at.astimezone(UTC).isoformat(),
        "subject": complaint.data.subject,
        "category": complaint.data.category,
        "channel": complaint.channel.value,
    }


def access_log(query: dict, actor: Actor, services: Services) -> dict:
    from ..domain.lookup_queries import LogQuery

    if not actor.has_role(*LOG_READERS):
        raise Forbidden("only quality and admin may read the search log")
    wanted = LogQuery.model_validate(query)
    month = wanted.month or _this_month(services.clock.now())
    entries, cursor = services.complaints.search_log(month, wanted.limit, wanted.cursor)
    return {"month": month, "items": entries, "next_cursor": cursor}


def _this_month(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m")
