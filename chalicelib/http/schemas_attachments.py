"""Response bodies of the attachment routes, for the OpenAPI document (built on demand)."""

from __future__ import annotations

from ..domain.base import Model


class PresignedPost(Model):
    url: str
    fields: dict[str, str]


class AttachmentItem(Model):
    id: str
    filename: str
    content_type: str
    size_bytes: int
    added_at: str
    uploaded: bool
    download_url: str | None = None


class UploadGrant(Model):
    """POST the file to `upload.url` as multipart/form-data: every field, then `file`."""

    attachment_id: str
    attachment: AttachmentItem
    upload: PresignedPost
    confirm_url: str


class AttachmentList(Model):
    number: str
    items: list[AttachmentItem]
    expires_in: int | None = None
