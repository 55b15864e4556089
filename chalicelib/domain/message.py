"""A message to send (e-mail, SNS topic, SMS), as rendered when its event is recorded."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import sms
from .model import Complaint


@dataclass(frozen=True)
class Message:
    channel: str  # "email" (SES), "topic" (SNS topic) or "sms" (SNS to a phone number)
    audience: str  # complainant, supervisors, handler, ...
    recipient: str  # an e-mail address, or the department the topic message is for
    subject: str
    body: str
    attributes: dict[str, str] = field(default_factory=dict)


def sms_message(
    complaint: Complaint, template: str, values: dict, link: str | None = None
) -> Message:
    link = link or sms.track_link(values["track_url"].removesuffix("/track"), complaint.number)
    text = sms.render(template, complaint.data.language, **{**values, "link": link})
    return Message("sms", "complainant", str(complaint.data.complainant.mobile), template, text)


def topic_message(
    audience: str, recipient: str, subject: str, body: str, values: dict, attributes: dict
) -> Message:
    """A notice to staff on the SNS topic, its subject and body filled in from `values`."""
    text = (subject.format(**values), body.format(**values))
    return Message("topic", audience, recipient, *text, attributes)
