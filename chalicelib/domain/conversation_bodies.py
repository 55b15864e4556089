"""What staff and the complainant send to talk about a case (沟通与补正): messages,
requests for information, contacts, replies and the decision on held mail. The rules
are in domain/conversation.py, which every case's deadlines need; only the routes that
take these bodies load them.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, Field

from .base import empty_list
from .conversation import ContactChannel, ContactOutcome, Direction
from .fields import Strict, Text


class HeldMailDecision(Strict):
    decision: Literal["accept", "discard"]


class InfoRequestBody(Strict):
    items: list[Text(500, min_length=1)] = Field(min_length=1, max_length=20)
    reply_by: date | None = Field(
        default=None,
        description="default: INFO_REQUEST_DAYS working days from today (5); "
        "never before the next working day",
    )


class StaffMessage(Strict):
    """A public message to the complainant; with `request`, a request for information."""

    text: Text(5000, min_length=1)
    attachments: list[Text(64, min_length=1)] = Field(
        default_factory=empty_list,
        max_length=10,
        description="ids of files already uploaded and confirmed on this case",
    )
    request: InfoRequestBody | None = None


class ContactBody(Strict):
    channel: ContactChannel
    direction: Direction
    outcome: ContactOutcome
    summary: Text(2000, min_length=1)
    at: AwareDatetime | None = Field(
        default=None, description="when it happened (default: now); not in the future"
    )


class ReplyBody(Strict):
    """The complainant's answer: text only (never rendered as HTML), and files uploaded
    through the upload flow first."""

    text: Text(5000, min_length=1)
    attachments: list[Text(64, min_length=1)] = Field(default_factory=empty_list, max_length=10)
