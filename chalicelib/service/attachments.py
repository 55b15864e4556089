"""Evidence files: the complainant uploads them (with the tracking token), staff download.

An upload is granted in two steps. `request_upload` records the file on the case (its
key, name, type and declared size, with an "attachment_added" audit event) and returns a
presigned POST that lets the browser put exactly that file under that key. Once the
browser has posted it, `confirm_upload` checks what storage holds against what was
declared and marks it uploaded. Staff only ever get links to confirmed files.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from ..domain.action_context import Context
from ..domain.actor import Actor
from ..domain.complaint_input import AttachmentRef
from ..domain.errors import Conflict, IllegalTransition, InvalidCommand, NotFound, StaleVersion
from ..domain.handling import stamp
from ..domain.lifecycle import Action, authorize
from ..domain.model import Complaint, StoredAttachment
from ..domain.tokens import token_matches
from .context import Services

MAX_ATTACHMENTS = 10  # as many as a complaint may declare (ComplaintInput.attachments)
SAVE_ATTEMPTS = 3


class TooManyAttachments(Conflict):
    code = "too_many_attachments"


class UploadMissing(Conflict):
    code = "upload_missing"


def _storage(storage):
    if storage is not None:
        return storage
    from ..adapters import attachments

    return attachments


def request_upload(number: str, token: str | None, body: dict, services: Services, storage=None):
    """Record the file on the case and return (attachment, presigned POST)."""
    ref = AttachmentRef.model_validate(body)
    attachment_id = uuid.uuid4().hex

    def add(complaint: Complaint) -> StoredAttachment:
        if not complaint.is_open:
            raise IllegalTransition(
                f"a complaint that is {complaint.status.value} takes no more attachments",
                status=complaint.status.value,
                allowed=[],
            )
        if len(complaint.attachments) >= MAX_ATTACHMENTS:
            raise TooManyAttachments(f"a complaint holds at most {MAX_ATTACHMENTS} attachments")
        now = services.clock.now()
        attachment = StoredAttachment(
            id=attachment_id,
            key=f"attachments/{complaint.number}/{attachment_id}",
            filename=ref.filename,
            content_type=ref.content_type,
            size_bytes=ref.size_bytes,
            added_at=now,
        )
        details = {"id": attachment_id, "filename": ref.filename, "size_bytes": ref.size_bytes}
        stamp(
            complaint,
            "attachment_added",
            _complainant(complaint, now, services),
            details,
            lambda c: c.attachments.append(attachment),
        )
        return attachment

    attachment = _change(number, token, services, add)
    upload = _storage(storage).presigned_upload(
        attachment.key, attachment.content_type, attachment.size_bytes
    )
    return attachment, upload


def confirm_upload(
    number: str, attachment_id: str, token: str | None, services: Services, storage=None
) -> StoredAttachment:
    """Mark the file uploaded once storage holds exactly what was declared."""
    storage = _storage(storage)

    def confirm(complaint: Complaint) -> StoredAttachment:
        attachment = _find(complaint, attachment_id)
        if attachment.uploaded_at is not None:
            return attachment
        found = storage.stored(attachment.key)
        if found is None:
            raise UploadMissing("the file has not reached storage; upload it, then confirm")
        if (found.size_bytes, found.content_type) != (
            attachment.size_bytes,
            attachment.content_type,
        ):
            # Real S3 refuses such a POST by its policy; whatever got there is not kept.
            storage.delete(attachment.key)
            raise InvalidCommand(
                "the stored file is not the one declared",
                fields={"file": "size or type differs from the declaration; upload it again"},
            )
        now = services.clock.now()
        stamp(
            complaint,
            "attachment_uploaded",
            _complainant(complaint, now, services),
            {"id": attachment.id},
            lambda c: _confirmed(_find(c, attachment_id), now, found.version_id),
        )
        return attachment

    return _change(number, token, services, confirm)


def public_list(number: str, token: str | None, services: Services) -> list[dict]:
    complaint = _own(services.complaints.load(number), token)
    return [attachment_view(attachment) for attachment in complaint.attachments]


def staff_list(number: str, actor: Actor, services: Services, storage=None) -> dict:
    """The case's files with short-lived download links; nothing about who sent them."""
    from .staff import load

    complaint = load(number, services)
    authorize(actor, Action.view, department=complaint.department, assignee=complaint.assignee)
    storage = _storage(storage)
    items = []
    for attachment in complaint.attachments:
        item = attachment_view(attachment)
        if attachment.uploaded_at is not None:
            item["download_url"] = storage.presigned_download(
                attachment.key,
                attachment.filename,
                attachment.content_type,
                attachment.version_id,
            )
        items.append(item)
    return {"number": complaint.number, "items": items, "expires_in": _expiry(storage)}


def _confirmed(attachment: StoredAttachment, at, version_id: str | None) -> None:
    attachment.uploaded_at = at
    attachment.version_id = version_id


def _expiry(storage) -> int:
    return int(getattr(storage, "DOWNLOAD_SECONDS", 300))


def attachment_view(attachment: StoredAttachment) -> dict:
    return {
        "id": attachment.id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size_bytes": attachment.size_bytes,
        "added_at": attachment.added_at.isoformat(),
        "uploaded": attachment.uploaded_at is not None,
    }


def _change(number: str, token: str | None, services: Services, change):
    """Load, change and commit with the version read; a concurrent change means re-read
    and try again, since the complainant holds no ETag to be told about."""
    from .staff import commit

    for attempt in range(SAVE_ATTEMPTS):
        complaint = _own(services.complaints.load(number), token)
        result = change(complaint)
        if not complaint.pending_events():
            return result
        try:
            commit(complaint, services)
            return result
        except StaleVersion:
            if attempt == SAVE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _own(complaint: Complaint | None, token: str | None) -> Complaint:
    # A wrong token looks exactly like an unknown number.
    if complaint is None or not token_matches(token, complaint.tracking_token_hash):
        raise NotFound("no complaint with that number and tracking token")
    return complaint


def _find(complaint: Complaint, attachment_id: str) -> StoredAttachment:
    for attachment in complaint.attachments:
        if attachment.id == attachment_id:
            return attachment
    raise NotFound("no attachment with that id on this complaint")


def _complainant(complaint: Complaint, now: datetime, services: Services) -> Context:
    limits = services.sla.limits_for(
        complaint.grade, kind=complaint.data.kind.value, category=complaint.data.category
    )
    return Context(
        actor=Actor(user_id="complainant"),
        at=now,
        calendar=services.calendar,
        limits=limits,
        role_name="complainant",
    )
