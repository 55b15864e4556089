"""Which messages a domain event causes, and their text in zh-CN and en.

Messages are rendered when the event is recorded and kept in the outbox, so a retry
sends exactly what the first attempt would have sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .events import DomainEvent
from .model import Complaint, Language


@dataclass(frozen=True)
class Message:
    channel: str  # "email" (SES) or "topic" (SNS)
    audience: str  # complainant, supervisors, handler, ...
    recipient: str  # an e-mail address, or the department the topic message is for
    subject: str
    body: str
    attributes: dict[str, str] = field(default_factory=dict)


_ACK = {
    Language.zh_cn: (
        "投诉已登记：{number}",
        "您好，\n\n我们已收到您的投诉《{subject}》，编号 {number}。\n"
        "查询进度：请访问 {track_url} ，输入编号和提交时获得的查询码。\n"
        "接下来：我们将在受理时限内决定是否受理，并通知您结果。\n",
    ),
    Language.en: (
        "Complaint received: {number}",
        'Hello,\n\nWe have received your complaint "{subject}", number {number}.\n'
        "Track it at {track_url} with the number and the tracking token you were given "
        "when you submitted it.\n"
        "What happens next: we will decide whether to accept it within our deadline and "
        "tell you the outcome.\n",
    ),
}

_NEW_FOR_SUPERVISORS = (
    "New complaint {number}",
    "{number} [{grade}] {subject}\n部门 Department: {department}\n渠道 Channel: {channel}\n",
)


def messages_for(event: DomainEvent, complaint: Complaint, *, track_url: str) -> list[Message]:
    if event.type == "received":
        return _on_received(complaint, track_url)
    return []


def _on_received(complaint: Complaint, track_url: str) -> list[Message]:
    values = {
        "number": complaint.number,
        "subject": complaint.data.subject,
        "grade": complaint.grade,
        "department": complaint.department,
        "channel": complaint.channel.value,
        "track_url": track_url,
    }
    messages = [_to_supervisors(complaint, values)]
    email = complaint.data.complainant.email
    if email:
        subject, body = _ACK[complaint.data.language]
        messages.insert(
            0,
            Message(
                channel="email",
                audience="complainant",
                recipient=str(email),
                subject=subject.format(**values),
                body=body.format(**values),
            ),
        )
    return messages


def _to_supervisors(complaint: Complaint, values: dict) -> Message:
    subject, body = _NEW_FOR_SUPERVISORS
    return Message(
        channel="topic",
        audience="supervisors",
        recipient=complaint.department,
        subject=subject.format(**values),
        body=body.format(**values),
        attributes={"audience": "supervisors", "department": complaint.department},
    )


@dataclass
class OutboxEntry:
    """One owed notification; committed with the change that caused it, delivered after."""

    number: str
    id: str
    message: Message
    created_at: datetime
    status: str = "pending"  # pending | sent | failed
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None
    next_attempt_at: datetime | None = None

    def mark_sent(self, at: datetime) -> None:
        self.status, self.sent_at, self.attempts = "sent", at, self.attempts + 1
        self.last_error = self.next_attempt_at = None

    def mark_failed(self, at: datetime, error: str, retry_at: datetime | None) -> None:
        self.attempts += 1
        self.last_error = error[:500]
        self.next_attempt_at = retry_at
        self.status = "pending" if retry_at else "failed"
