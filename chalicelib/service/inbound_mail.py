"""A complainant's e-mail reply (issue 17 item 4): the raw message SES stored (or the local
SMTP listener), read at the edge (inbound/parse.py), lands in the case's thread once.

- The case is the one its reply address names (reply+<token>@INBOUND_DOMAIN, checked
  with the service's key); anything else is ignored.
- The same message twice (SES redelivers, the function is retried) adds one entry: the
  message's id is kept on its event, and the check is made again under the version
  condition after any race.
- A message that SES marks as spam or virus, that fails SPF or DKIM, or whose sender is
  not the complainant's address does not act on the case: it is kept aside (`mail_held`)
  for staff to accept or discard, both audited.
- Files: the types and sizes uploads allow, at most as many as a case holds; others are
  left out and named on the entry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain import handling
from ..domain.action_context import Context
from ..domain.actor import Actor
from ..domain.complaint_input import ALLOWED_ATTACHMENT_TYPES
from ..domain.conversation_bodies import HeldMailDecision, ReplyBody
from ..domain.errors import CaseClosed, Conflict, NotFound, StaleVersion
from ..domain.lifecycle import Action, authorize
from ..domain.limits import TooManyRequests
from ..domain.model import StoredAttachment
from ..domain.reply_address import number_from
from .context import Services
from .conversation import TRIES, reply
from .staff import commit, context_for, load

if TYPE_CHECKING:
    from ..inbound.parse import InboundMail

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
NO_TEXT = "（见附件 / see the attached files）"


@dataclass(frozen=True)
class Outcome:
    result: str  # added | duplicate | held | ignored | closed
    number: str | None = None


def receive(mail: InboundMail, services: Services, storage=None, raw_key=None) -> Outcome:
    """`mail` as inbound/parse.py read it; `raw_key` where the raw message is kept."""
    number = _case_number(mail, services)
    if number is None:
        return Outcome("ignored")
    for _ in range(TRIES):
        complaint, events, _, _ = services.complaints.load_thread(number)
        if complaint is None:
            return Outcome("ignored")
        if any(event.details.get("mail_id") == mail.mail_id for event in events):
            return Outcome("duplicate", number)
        try:
            return _act(complaint, mail, services, storage, raw_key)
        except StaleVersion:
            continue  # changed meanwhile (maybe by this very mail): look again
    raise StaleVersion("the complaint kept changing; the mail will be retried")


def _case_number(mail: InboundMail, services: Services) -> str | None:
    settings = services.settings
    if not settings.inbound_domain:
        return None
    for address in mail.recipients:
        number = number_from(address, settings.inbound_domain, settings.limit_hash_key)
        if number:
            return number
    return None


def held_reasons(mail: InboundMail, complainant_email: str | None) -> list[str]:
    reasons = [
        name
        for name, failed in (
            ("spam", mail.spam),
            ("virus", mail.virus),
            ("spf", mail.spf_failed),
            ("dkim", mail.dkim_failed),
        )
        if failed
    ]
    if not complainant_email or mail.sender != str(complainant_email).lower():
        reasons.append("sender")
    return reasons


def _act(complaint, mail: InboundMail, services: Services, storage, raw_key) -> Outcome:
    number = complaint.number
    if not complaint.is_open:
        return Outcome("closed", number)  # the complainant may complain again (a new case)
    reasons = held_reasons(mail, complaint.data.complainant.email)
    if reasons:
        _hold(complaint, mail, reasons, services, raw_key)
        return Outcome("held", number)
    files, dropped = _store_files(complaint, mail, services, storage)
    text = mail.text[:5000] or (NO_TEXT if files else "")
    if not text:
        return Outcome("ignored", number)  # nothing written, nothing attached
    body = ReplyBody(text=text, attachments=[item.id for item in files])
    extra = {"mail_id": mail.mail_id, "from": mail.sender}
    if dropped:
        extra["dropped"] = dropped
    try:
        reply(number, complaint, body, services, via="email", extra=extra, files=files, tries=1)
    except TooManyRequests:
        _hold(complaint, mail, ["daily_limit"], services, raw_key)
        return Outcome("held", number)
    except CaseClosed:
        return Outcome("closed", number)
    return Outcome("added", number)


def _hold(complaint, mail: InboundMail, reasons, services: Services, raw_key) -> None:
    now = services.clock.now()
    details = {
        "mail_id": mail.mail_id,
        "reasons": reasons,
        "from": mail.sender,
        "subject": mail.subject[:200],
        "text": mail.text[:5000],
        "files": [item.filename for item in mail.files][:MAX_FILES],
    }
    if raw_key:
        details["raw_key"] = raw_key
    ctx = Context(
        actor=Actor(user_id="inbound-mail"),
        at=now,
        calendar=services.calendar,
        limits=services.sla.limits_for(complaint.grade),
        role_name="system",
    )
    handling.stamp(complaint, "mail_held", ctx, details)
    commit(complaint, services)


def _store_files(complaint, mail: InboundMail, services: Services, storage):
    storage = storage or _attachments()
    room = MAX_FILES - len(complaint.attachments)
    files, dropped = [], []
    now = services.clock.now()
    for item in mail.files:
        allowed = item.content_type in ALLOWED_ATTACHMENT_TYPES
        if not allowed or not 0 < len(item.data) <= MAX_FILE_BYTES or len(files) >= room:
            dropped.append(item.filename)
            continue
        file_id = uuid.uuid4().hex
        key = f"attachments/{complaint.number}/{file_id}"
        version = storage.put(key, item.data, item.content_type)
        files.append(
            StoredAttachment(
                id=file_id,
                key=key,
                filename=item.filename,
                content_type=item.content_type,
                size_bytes=len(item.data),
                added_at=now,
                uploaded_at=now,
                version_id=version,
            )
        )
    return files, dropped


def _attachments():
    from ..adapters import attachments

    return attachments


# -- staff: accept or discard what was kept aside --------------------------------------------


def decide_held(number: str, mail_id: str, body: dict, actor: Actor, services: Services) -> dict:
    """Accept (the text goes into the thread as the complainant's reply; files of a held
    mail are not kept) or discard a mail kept aside. Audited either way."""
    decision = HeldMailDecision.model_validate(body).decision
    complaint, events, _, _ = services.complaints.load_thread(number)
    if complaint is None:
        raise NotFound(f"no complaint {number}")
    authorize(
        actor, Action.send_message, department=complaint.department, assignee=complaint.assignee
    )
    held = next(
        (e for e in events if e.type == "mail_held" and e.details.get("mail_id") == mail_id), None
    )
    if held is None:
        raise NotFound("no mail kept aside with that id")
    if any(e.details.get("mail_id") == mail_id and e.type != "mail_held" for e in events):
        raise Conflict("that mail was decided already")
    if decision == "discard":
        ctx = context_for(complaint, actor, services)
        handling.stamp(complaint, "held_mail_discarded", ctx, {"mail_id": mail_id})
        commit(complaint, services)
    else:
        text = held.details.get("text") or NO_TEXT
        extra = {"mail_id": mail_id, "from": held.details.get("from"), "accepted_by": actor.user_id}
        complaint, _ = reply(
            number,
            complaint,
            ReplyBody(text=text),
            services,
            via="email",
            extra=extra,
            tries=1,
        )
    complaint = load(number, services)
    return {
        "number": number,
        "mail_id": mail_id,
        "decision": decision,
        "status": complaint.status.value,
    }
