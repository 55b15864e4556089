"""Recusal (回避): who must stay out of a case, and why.

The person complained about (被投诉人) when that is a member of staff, matched against the
staff directory by user id or by name, and anyone a supervisor marked as having a direct
interest. They cannot be assigned the case, act on it, or record its finding; assignee
suggestions skip them. Pure: the service passes the directory's people in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .errors import Conflict
from .model import Complaint

RESPONDENT = "respondent"  # the reason code for the person complained about


class Recused(Conflict):
    code = "recused"


@dataclass(frozen=True)
class Staff:
    user_id: str
    name: str = ""


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.strip().casefold() == b.strip().casefold()


def is_respondent(complaint: Complaint, person: Staff) -> bool:
    respondent = complaint.data.respondent
    named = respondent.person if respondent else None
    return _same(named, person.user_id) or _same(named, person.name)


def reason_for(complaint: Complaint, person: Staff) -> str | None:
    """Why `person` must stay out of the case, or None."""
    if is_respondent(complaint, person):
        return RESPONDENT
    for conflict in complaint.conflicts:
        if conflict.user_id == person.user_id:
            return conflict.reason
    return None


def recused(complaint: Complaint, people: Iterable[Staff]) -> dict[str, str]:
    """user id -> reason, for the directory's people and everyone marked on the case."""
    found = {c.user_id: c.reason for c in complaint.conflicts}
    for person in people:
        reason = reason_for(complaint, person)
        if reason:
            found[person.user_id] = reason
    return found


def check(complaint: Complaint, person: Staff, doing: str) -> None:
    """409 when `person` must stay out of the case."""
    reason = reason_for(complaint, person)
    if reason is None:
        return
    who = "the person complained about" if reason == RESPONDENT else "recused from this case"
    raise Recused(
        f"{person.user_id} is {who} and cannot {doing} (回避)",
        user_id=person.user_id,
        reason=reason,
    )
