"""Personal-data retention (issue 21 item 6): what anonymising a long-closed case removes.

Pure Python. The case itself stays (number, kind, category, grade, department, dates,
deadlines, status, handling, survey score): the statistics and the organisation's record
of what it did are built from them. What identifies or reaches the complainant goes:
their identity fields, contact details they wrote into their own texts (description,
desired outcome, replies, survey comment), the link they sent, their files, the tokens
that opened the case to them, and the keyed-hash lookup rows that found it by them.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from .complaint_input import Complainant
from .model import Complaint

REDACTED = "[已删除 removed]"
ANONYMISED_EVENT = "anonymised"
# Events whose free text the complainant wrote: the text loses its contact details.
COMPLAINANT_TEXT_EVENTS = frozenset(
    {"complainant_replied", "reply_after_expiry", "follow_up_feedback", "survey_answered"}
)
# Detail fields of an event that name or reach the complainant outright (mail sender).
IDENTITY_DETAILS = ("from", "sender", "reply_to", "recipient", "to")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Seven or more digits, with the separators and prefixes people write numbers with.
_PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s()\-.]{5,}\d(?![\w])")
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}")


def cutoff(now: datetime, years: int) -> datetime:
    """Cases closed before this instant are past retention (29 Feb becomes 28 Feb)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return (now - timedelta(days=1)).replace(year=now.year - years)


def closed_at(complaint: Complaint) -> datetime | None:
    """When the case became final (closed, withdrawn, not accepted); None while open."""
    if complaint.is_open:
        return None
    return complaint.closed_at or complaint.updated_at or complaint.received_at


def redact(text: str | None, known: list[str]) -> str | None:
    """`text` without e-mail addresses, phone numbers and the complainant's known values."""
    if not text:
        return text
    for value in sorted((v for v in known if v and len(v) > 1), key=len, reverse=True):
        text = text.replace(value, REDACTED)
    text = _EMAIL.sub(REDACTED, text)
    return _PHONE.sub(lambda m: REDACTED if _is_number(m.group()) else m.group(), text)


def _is_number(value: str) -> bool:
    """Seven digits or more, and not a date (2024-03-01, 2024.3.1)."""
    return sum(ch.isdigit() for ch in value) >= 7 and not _DATE.fullmatch(value.strip())


def known_values(complaint: Complaint) -> list[str]:
    """The complainant's own values as the record holds them (name, numbers, address)."""
    person = complaint.data.complainant
    values = [
        person.name,
        person.email,
        person.office_phone,
        person.address,
        person.organisation,
    ]
    if person.mobile:
        values += [person.mobile, person.mobile.removeprefix("+86")]
    return [str(v) for v in values if v]


def anonymise(complaint: Complaint, at: datetime) -> dict:
    """Strip the record of the complainant's data; returns what was removed (counts and
    kinds only, for the audit event). The caller records the event and saves."""
    known = known_values(complaint)
    data = complaint.data
    person = data.complainant
    removed = [
        name
        for name in ("name", "mobile", "office_phone", "email", "address", "organisation")
        if getattr(person, name)
    ]
    # Anonymous from now on: the validator asks a named complainant for a way to reach them.
    data.complainant = Complainant(anonymous=True, confidential=person.confidential)
    data.description = redact(data.description, known) or REDACTED
    data.desired_outcome = redact(data.desired_outcome, known)
    data.subject = redact(data.subject, known) or REDACTED
    if data.media_url:
        data.media_url = None
        removed.append("media_url")
    if data.attachments:  # the files they declared at intake, by their own file names
        data.attachments = []
        removed.append("declared_files")
    if data.location and data.location.address_string:
        data.location.address_string = redact(data.location.address_string, known)
    if complaint.survey and complaint.survey.comment:
        complaint.survey.comment = redact(complaint.survey.comment, known)
    for feedback in complaint.feedback:
        feedback.answers = redact_details(feedback.answers, known)
    complaint.last_public_message = redact(complaint.last_public_message, known)
    # No token opens the case any more: a stored hash no token can hash to.
    complaint.tracking_token_hash = f"anonymised:{secrets.token_hex(16)}"
    complaint.survey_token_hash = None
    complaint.anonymised_at = at
    return {
        "fields": removed,
        "attachments": len(complaint.attachments),
        "retention_closed_at": closed_at(complaint).isoformat(),
    }


def redact_details(details: dict, known: list[str]) -> dict:
    """An event's details with the complainant's contact details taken out of its text."""
    out = {}
    for name, value in details.items():
        if name in IDENTITY_DETAILS and value:
            out[name] = REDACTED
        elif isinstance(value, str):
            out[name] = redact(value, known)
        elif isinstance(value, dict):
            out[name] = redact_details(value, known)
        else:
            out[name] = value
    return out
