"""Our complaints as Open311 service requests, and the notice a new request is answered with."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ...config import Settings
from ...domain.model import Complaint
from ...domain.org_settings import OrgSettings
from ...domain.vocabulary import Channel, Language, Status
from .dates import w3
from .labels import STATUS_NOTES, TEXT, colon, service_name, t

CLOSED = frozenset({Status.closed, Status.withdrawn, Status.not_accepted})


def to_request(complaint: Complaint, settings: Settings, lang: Language, org: OrgSettings) -> dict:
    """A complaint as an Open311 service request.

    Free text and location are published only for complaints posted through Open311
    (whose clients know the API is public) and not marked confidential; web, phone and
    letter complaints show their status and dates only.
    """
    tz = ZoneInfo(settings.timezone)
    public = complaint.channel == Channel.open311 and not complaint.data.complainant.confidential
    location = complaint.data.location if public else None
    resolution = complaint.deadlines.get("resolution")
    return {
        "service_request_id": complaint.number,
        "status": _open_closed(complaint),
        "status_notes": _status_notes(complaint, public, lang),
        "service_name": service_name(complaint.data.category, lang, org),
        "service_code": complaint.data.category,
        "description": complaint.data.description if public else None,
        "agency_responsible": complaint.department,
        "service_notice": None,
        "requested_datetime": w3(complaint.received_at, tz),
        "updated_datetime": w3(updated_at(complaint), tz),
        "expected_datetime": w3(resolution.due, tz) if resolution else None,
        "address": location.address_string if location else None,
        "address_id": location.address_id if location else None,
        "zipcode": location.zipcode if location else None,
        "lat": location.lat if location else None,
        "long": location.long if location else None,
        "media_url": complaint.data.media_url if public else None,
    }


def _open_closed(complaint: Complaint) -> str:
    return "closed" if complaint.status in CLOSED else "open"


def _status_notes(complaint: Complaint, public: bool, lang: Language) -> str:
    """The latest public message to the complainant (issue 17), where free text is
    published at all (see to_request); otherwise the state's label."""
    if public and complaint.last_public_message:
        return complaint.last_public_message
    notes = t(STATUS_NOTES[complaint.status], lang)
    if public and complaint.status == Status.not_accepted and complaint.refusal_reason:
        notes += f"{colon(lang)}{complaint.refusal_reason}"
    return notes


def updated_at(complaint: Complaint) -> datetime:
    """When the last event was recorded, or a later moment the record carries."""
    c = complaint
    moments = [
        c.updated_at,
        c.received_at,
        c.registered_at,
        c.paused_at,
        c.resolved_at,
        c.closed_at,
    ]
    for deadline in c.deadlines.values():
        moments += [deadline.start, deadline.met_at]
    if c.extension is not None:
        moments += [c.extension.requested_at, c.extension.decided_at]
    return max(moment for moment in moments if moment is not None)


def notice(complaint: Complaint | None, number: str, settings: Settings, lang: Language) -> str:
    """The service_notice of a new request: its number and when acceptance is decided."""
    text = t(TEXT["notice"], lang).format(number=number)
    acceptance = complaint.deadlines.get("acceptance") if complaint else None
    if acceptance:
        due = acceptance.due.astimezone(ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M")
        text += t(TEXT["notice_due"], lang).format(due=due)
    return text
