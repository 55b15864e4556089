"""How a complaint is shown to staff. Masking of identities happens here only: a
confidential complainant's, and the person a finding names as responsible.

Every staff response or export that carries a complaint goes through `staff_view`, and
every audit entry through `event_view`.
"""

from __future__ import annotations

from ..domain.actor import Actor, Role
from ..domain.events import DomainEvent
from ..domain.lifecycle import DECIDERS, TRANSITIONS, Action, covers, may
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


def sees_responsible_person(actor: Actor, department: str | None) -> bool:
    """A person found responsible: supervisors and up of that department, quality and
    admin. Handlers (and intake agents) see the department only."""
    if actor.roles & {Role.QUALITY, Role.ADMIN}:
        return True
    return bool(actor.roles & DECIDERS) and department is not None and covers(actor, department)


def masked_finding(finding: dict | None, actor: Actor) -> dict | None:
    responsible = (finding or {}).get("responsible") or {}
    if not responsible.get("person"):
        return finding
    if sees_responsible_person(actor, responsible.get("department")):
        return finding
    return {**finding, "responsible": {**responsible, "person": MASK}, "masked": True}


def staff_view(complaint: Complaint, actor: Actor) -> dict:
    doc = complaint.model_dump(
        mode="json", exclude={"tracking_token_hash", "survey_token_hash", "version"}
    )
    if not sees_identity(actor, complaint):
        doc["data"]["complainant"] = masked_complainant(doc["data"]["complainant"])
    doc["finding"] = masked_finding(doc["finding"], actor)
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


def event_view(event: DomainEvent, actor: Actor, masked_for: Complaint | None = None) -> dict:
    """`masked_for`: the case, when the caller may not see who complained: the details
    a complainant wrote or sent (a reply's text and sender) are scrubbed of the identity.
    A finding's person is masked for those who may not see it (`masked_finding`)."""
    details = event.details
    if masked_for is not None:
        details = _scrubbed(details, masked_for)
    changes = dict(event.changes)
    if "finding" in changes:  # a resolution records it, a reopen keeps the earlier one
        changes["finding"] = [masked_finding(value, actor) for value in changes["finding"]]
    return {
        "at": event.at.isoformat(),
        "action": event.type,
        "actor": event.actor,
        "role": event.actor_role,
        "public": event.public,
        "changes": changes,
        "details": details,
    }


def _scrubbed(value, complaint: Complaint):
    if isinstance(value, dict):
        return {
            key: MASK if key == "from" and item else _scrubbed(item, complaint)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_scrubbed(item, complaint) for item in value]
    if isinstance(value, str):
        return scrub(value, complaint)
    return value


# -- the conversation's thread (issue 17) ----------------------------------------------------

THREAD_MESSAGES = {
    "message_sent": "message",
    "info_requested": "request",
    "info_request_reminded": "reminder",
}
PUBLIC_THREAD = (*THREAD_MESSAGES, "complainant_replied")


def scrub(text: str | None, complaint: Complaint) -> str | None:
    """The complainant's identity taken out of free text (a reply's signature, a contact
    summary, a file name): for staff who may not see it, like the masked fields."""
    if not text:
        return text
    person = complaint.data.complainant
    values = [person.email, person.name, person.office_phone, person.organisation]
    if person.mobile:
        values += [person.mobile, person.mobile.removeprefix("+86")]
    for value in sorted((str(v) for v in values if v), key=len, reverse=True):
        text = text.replace(value, MASK)
    return text


def thread_view(complaint: Complaint, events, entries, views, actor: Actor) -> list[dict]:
    """Every message, reply, contact and note in time order, for staff."""
    hide = not sees_identity(actor, complaint)
    files = {item.id: item for item in complaint.attachments}
    items = []
    for event in events:
        item = _thread_item(event, complaint, entries, views, files)
        if item is None:
            continue
        if hide:
            item = _masked_item(item, complaint)
        items.append(item)
    return items


def _thread_item(event: DomainEvent, complaint, entries, views, files) -> dict | None:
    details = event.details
    base = {"at": event.at.isoformat(), "event": event.type}
    if event.type in THREAD_MESSAGES:
        message_id = details.get("message_id")
        return {
            **base,
            "id": message_id,
            "type": THREAD_MESSAGES[event.type],
            "direction": "outbound",
            "channel": details.get("channel", "tracking_page"),
            "from": {"user": event.actor, "role": event.actor_role},
            "text": details.get("text", ""),
            "request": _request(details),
            "attachments": _files(details, files),
            "delivery": delivery_state(message_id, entries),
            "read_at": _read_at(message_id, views),
        }
    if event.type == "complainant_replied":
        return {
            **base,
            "id": details.get("message_id"),
            "type": "reply",
            "direction": "inbound",
            "channel": "email" if details.get("via") == "email" else "web",
            "from": {"role": "complainant", "sender": details.get("from")},
            "text": details.get("text", ""),
            "attachments": _files(details, files),
            "answers_request": details.get("request"),
        }
    if event.type == "reply_after_expiry":
        return {
            **base,
            "type": "reply",
            "direction": "inbound",
            "channel": "email" if details.get("via") == "email" else "web",
            "from": {"role": "complainant"},
            "text": details.get("text", ""),
            "late": True,  # after its request expired: kept, the case stays as decided
        }
    if event.type == "mail_held":
        return {
            **base,
            "type": "held",
            "direction": "inbound",
            "channel": "email",
            "id": details.get("mail_id"),
            "from": {"role": "unknown", "sender": details.get("from")},
            "reasons": details.get("reasons", []),
            "subject": details.get("subject"),
            "text": details.get("text", ""),
            "files": details.get("files", []),
        }
    if event.type == "held_mail_discarded":
        return {**base, "type": "held_decided", "id": details.get("mail_id"), "decision": "discard"}
    if event.type == "contact_recorded":
        keys = ("channel", "direction", "outcome", "summary", "first_contact")
        return {
            **base,
            "type": "contact",
            "from": {"user": event.actor, "role": event.actor_role},
            "contact_at": details.get("at"),
            **{key: details.get(key) for key in keys},
        }
    if event.type == "note_added":
        return {
            **base,
            "type": "note",
            "internal": True,
            "from": {"user": event.actor, "role": event.actor_role},
            "text": details.get("text", ""),
        }
    if event.type.startswith("callback_"):
        shown = {k: v for k, v in details.items() if k in ("outcome", "slot", "note", "attempt")}
        return {
            **base,
            "type": "callback",
            "direction": "outbound",
            "channel": "phone",
            "from": {"user": event.actor, "role": event.actor_role},
            **shown,
        }
    if details.get("by") == "info_request_expired":
        return {**base, "type": "expired", "outcome": event.type}
    return None


def _request(details: dict) -> dict | None:
    if "items" not in details:
        return None
    return {"items": details["items"], "reply_by": details.get("reply_by")}


def _files(details: dict, files: dict) -> list[dict]:
    result = []
    for file_id in details.get("attachments", []):
        stored = files.get(file_id)
        if stored:
            result.append(
                {
                    "id": file_id,
                    "filename": stored.filename,
                    "content_type": stored.content_type,
                    "size_bytes": stored.size_bytes,
                }
            )
    return result


def delivery_state(message_id: str | None, entries) -> str | None:
    """queued, sent, failed or suppressed: what became of the complainant's copy."""
    mine = [
        entry.status
        for entry in entries
        if message_id
        and entry.id.startswith(f"{message_id}-")
        and entry.message.audience == "complainant"
    ]
    for state in ("sent", "pending", "suppressed", "failed"):
        if state in mine:
            return "queued" if state == "pending" else state
    return None  # nothing to send it by: the tracking page only


def _read_at(message_id: str | None, views: dict):
    seen = views.get(message_id) if message_id else None
    return seen.isoformat() if seen else None


def _masked_item(item: dict, complaint: Complaint) -> dict:
    item = dict(item)
    for key in ("text", "summary"):
        if key in item:
            item[key] = scrub(item[key], complaint)
    if item.get("from", {}).get("sender"):
        item["from"] = {**item["from"], "sender": MASK}
    for key in ("subject",):
        if item.get(key):
            item[key] = scrub(item[key], complaint)
    if item.get("files"):
        item["files"] = [scrub(name, complaint) for name in item["files"]]
    if item.get("attachments"):
        item["attachments"] = [
            {**f, "filename": scrub(f["filename"], complaint)} for f in item["attachments"]
        ]
    if item.get("request"):
        request = item["request"]
        item["request"] = {**request, "items": [scrub(i, complaint) for i in request["items"]]}
    return item


def public_thread_view(complaint: Complaint, events, views) -> list[dict]:
    """What the complainant sees: messages from staff by role and department (never a
    name or an id), their own replies; nothing internal."""
    files = {item.id: item for item in complaint.attachments}
    items = []
    for event in events:
        if event.type not in PUBLIC_THREAD:
            continue
        details = event.details
        outbound = event.type in THREAD_MESSAGES
        item = {
            "id": details.get("message_id"),
            "at": event.at.isoformat(),
            "type": THREAD_MESSAGES.get(event.type, "reply"),
            "direction": "outbound" if outbound else "inbound",
            "from": (
                {"role": event.actor_role, "department": complaint.department}
                if outbound
                else {"role": "complainant"}
            ),
            "text": details.get("text", ""),
            "attachments": _files(details, files),
        }
        if outbound:
            item["request"] = _request(details)
            item["read_at"] = _read_at(details.get("message_id"), views)
        items.append(item)
    return items
