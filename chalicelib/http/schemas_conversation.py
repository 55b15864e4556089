"""Response bodies of the conversation's routes (issue 17), for the OpenAPI document.

Imported when the document is built (openapi.Later), not when the app loads."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from ..domain.base import Model

Delivery = Literal["queued", "sent", "failed", "suppressed"]


class ThreadFile(Model):
    id: str
    filename: str
    content_type: str
    size_bytes: int


class ThreadRequest(Model):
    items: list[str]
    reply_by: str | None = None


class StaffThreadItem(Model):
    """One entry of the staff thread. `type` says which of the other fields it has."""

    model_config = ConfigDict(extra="allow")

    at: str
    event: str
    type: Literal[
        "message", "request", "reminder", "reply", "contact", "note", "callback", "expired"
    ]
    direction: Literal["outbound", "inbound"] | None = None
    channel: str | None = Field(
        default=None,
        description="message: email, sms or tracking_page; reply: web or email; "
        "contact: phone, visit, sms, email, other",
    )
    text: str | None = None
    delivery: Delivery | None = Field(
        default=None, description="the complainant's copy; null: tracking page only"
    )
    read_at: str | None = Field(
        default=None, description="when the complainant first viewed it on the tracking page"
    )


class StaffThread(Model):
    number: str
    items: list[StaffThreadItem]


class PublicAuthor(Model):
    role: str
    department: str | None = None


class PublicThreadItem(Model):
    id: str | None = None
    at: str
    type: Literal["message", "request", "reminder", "reply"]
    direction: Literal["outbound", "inbound"]
    author: PublicAuthor = Field(alias="from")
    text: str = Field(description="plain text: show it as text, never as HTML")
    attachments: list[ThreadFile]
    request: ThreadRequest | None = None
    read_at: str | None = None


class PublicThread(Model):
    number: str
    status: str
    open_request: ThreadRequest | None = None
    items: list[PublicThreadItem]


class ReplyReceipt(Model):
    number: str
    status: str
    id: str


class HeldMailDecided(Model):
    number: str
    mail_id: str
    decision: Literal["accept", "discard"]
    status: str
