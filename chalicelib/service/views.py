"""How a complaint is shown to staff. Masking of confidential identities happens here only.

Every staff response or export that carries a complaint goes through `staff_view`.
"""

from __future__ import annotations

from ..domain.actor import Actor
from ..domain.events import DomainEvent
from ..domain.lifecycle import TRANSITIONS, Action, may
from ..domain.model import Complaint

IDENTITY_FIELDS = ("name", "mobile", "office_phone", "email", "address", "organisation")
MASK = "***"


def sees_identity(actor: Actor, complaint: Complaint) -> bool:
    if not complaint.data.complainant.confidential:
        return True
    return may(actor, Action.view_identity, department=complaint.department)


def masked_complainant(complainant: dict) -> dict:
    hidden = {field: MASK for field in IDENTITY_FIELDS if complainant.get(field)}
    return {**complainant, **hidden, "masked": True}


def staff_view(complaint: Complaint, actor: Actor) -> dict:
    doc = complaint.model_dump(
        mode="json", exclude={"tracking_token_hash", "survey_token_hash", "version"}
    )
    if not sees_identity(actor, complaint):
        doc["data"]["complainant"] = masked_complainant(doc["data"]["complainant"])
    doc["version"] = complaint.version
    doc["allowed_actions"] = actions_for(actor, complaint)
    return doc


def actions_for(actor: Actor, complaint: Complaint) -> list[str]:
    return sorted(
        action.value
        for (status, action) in TRANSITIONS
        if status == complaint.status
        and may(actor, action, department=complaint.department, assignee=complaint.assignee)
    )


def event_view(event: DomainEvent) -> dict:
    return {
        "at": event.at.isoformat(),
        "action": event.type,
        "actor": event.actor,
        "role": event.actor_role,
        "public": event.public,
        "changes": event.changes,
        "details": event.details,
    }
