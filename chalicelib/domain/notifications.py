"""Which messages a domain event causes, and their text in zh-CN and en.

Messages are rendered when the event is recorded and kept in the outbox, so a retry
sends exactly what the first attempt would have sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from . import conversation_texts, sms
from .contact import written_channel
from .events import DomainEvent
from .message import Message, sms_message, topic_message
from .model import Complaint
from .vocabulary import Language

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

# Reports from a city app (the open311 channel) carry no tracking token: the app tracks them.
_ACK_FROM_APP = {
    Language.zh_cn: (
        "投诉已登记：{number}",
        "您好，\n\n我们已收到您的报告《{subject}》，编号 {number}。"
        "您可在提交所用的应用中查询进度，联系我们时请提供编号。\n",
    ),
    Language.en: (
        "Report received: {number}",
        'Hello,\n\nWe have received your report "{subject}", number {number}. Follow it in '
        "the app you reported it with, and quote the number if you contact us.\n",
    ),
}

_NEW_FOR_SUPERVISORS = (
    "New complaint {number}",
    "{number} [{grade}] {subject}\n部门 Department: {department}\n渠道 Channel: {channel}\n",
)


# Updates to the complainant: event type -> (zh-CN, en) texts of (subject, body).
_TO_COMPLAINANT = {
    "accepted": (
        (
            "投诉已受理：{number}",
            "您的投诉 {number} 已受理，我们将安排专人处理。\n查询：{track_url}\n",
        ),
        (
            "Complaint accepted: {number}",
            "Your complaint {number} has been accepted and will be handled.\nTrack: {track_url}\n",
        ),
    ),
    "not_accepted": (
        ("投诉不予受理：{number}", "您的投诉 {number} 不予受理。理由：{reason}\n"),
        (
            "Complaint not accepted: {number}",
            "Your complaint {number} was not accepted. Reason: {reason}\n",
        ),
    ),
    "transferred": (
        ("投诉已转办：{number}", "您的投诉 {number} 已转交 {to} 处理。理由：{reason}\n"),
        (
            "Complaint transferred: {number}",
            "Your complaint {number} has been transferred to {to}. Reason: {reason}\n",
        ),
    ),
    "extension_approved": (
        ("投诉处理延期：{number}", "您的投诉 {number} 处理期限延至 {new_due}。理由：{reason}\n"),
        (
            "Complaint deadline extended: {number}",
            "The deadline of your complaint {number} is now {new_due}. Reason: {reason}\n",
        ),
    ),
    "closed": (
        ("投诉已关闭：{number}", "您的投诉 {number} 已办结归档。{note}\n"),
        ("Complaint closed: {number}", "Your complaint {number} is now closed. {note}\n"),
    ),
    "resolved": (
        (
            "投诉已处理：{number}",
            "您的投诉 {number} 已处理。处理结果：{result}\n查询：{track_url}\n",
        ),
        (
            "Complaint resolved: {number}",
            "Your complaint {number} has been resolved. Outcome: {result}\nTrack: {track_url}\n",
        ),
    ),
}

# Staff messages go to the SNS topic; subscriptions filter on these attributes.
_TO_STAFF = {
    "assigned": (
        "handler",
        "Complaint assigned {number}",
        "{number} [{grade}] {subject}\n已分配给您 Assigned to you: {handler}\n",
    ),
    "extension_requested": (
        "supervisors",
        "Extension requested {number}",
        "{number} [{grade}] {subject}\n延期申请 Extension requested to {requested_due}: {reason}\n",
    ),
    "transferred": (
        "supervisors",
        "New complaint {number}",
        "{number} [{grade}] {subject}\n转入 Transferred in: {reason}\n",
    ),
    "reminded": (
        "{role}",
        "Reminder {number}: {deadline} due {due}",
        "{number} [{grade}] {subject}\n催办 Reminder: {deadline} due {due}\n",
    ),
    "escalated": (
        "{role}",
        "Escalation {number}: {deadline} overdue",
        "{number} [{grade}] {subject}\n超时升级 Overdue, escalated to you (level {level}): "
        "{deadline} was due {due}\n",
    ),
    "reopened": (
        "handler",
        "Complaint reopened {number}",
        "{number} [{grade}] {subject}\n重新处理 Reopened to you: {reason}\n",
    ),
    "grade_changed": (
        "supervisors",
        "Grade {grade} {number}",
        "{number} [{grade}] {subject}\n投诉升级 Grade now {grade}: {reason}\n",
    ),
}


def messages_for(
    event: DomainEvent,
    complaint: Complaint,
    *,
    track_url: str,
    department_names: Mapping[str, Mapping[str, str]] | None = None,
) -> list[Message]:
    values = _values(event, complaint, track_url, department_names)
    if conversation_texts.handles(event):
        return conversation_texts.messages(event, complaint, values)
    if event.type == "received":
        return _on_received(complaint, values)
    messages = []
    email = complaint.data.complainant.email
    channel = written_channel(complaint.data.complainant)
    if event.type in sms.EVENT_TEMPLATES and channel == "sms":
        messages.append(sms_message(complaint, sms.EVENT_TEMPLATES[event.type], values))
    elif event.type in _TO_COMPLAINANT and email and channel == "email":
        zh, en = _TO_COMPLAINANT[event.type]
        subject, body = zh if complaint.data.language == Language.zh_cn else en
        messages.append(
            Message(
                "email", "complainant", str(email), subject.format(**values), body.format(**values)
            )
        )
    if event.type in _TO_STAFF:
        messages.extend(_staff_message(event, complaint, values))
    return messages


def _values(
    event: DomainEvent,
    complaint: Complaint,
    track_url: str,
    department_names: Mapping[str, Mapping[str, str]] | None = None,
) -> dict:
    values = {"note": ""}
    values.update({key: str(value) for key, value in event.details.items()})
    values.update(
        number=complaint.number,
        subject=complaint.data.subject,
        grade=complaint.grade,
        department=department_label(complaint.department, department_names),
        channel=complaint.channel.value,
        track_url=track_url,
    )
    return values


def department_label(code: str, names: Mapping[str, Mapping[str, str]] | None) -> str:
    """Staff notices are bilingual: "客服部 / Customer service (service)"; a code the settings
    do not name is shown as itself."""
    entry = (names or {}).get(code)
    if not entry:
        return code
    return f"{entry['zh-CN']} / {entry['en']} ({code})"


def _staff_message(event: DomainEvent, complaint: Complaint, values: dict) -> list[Message]:
    audience, subject, body = _TO_STAFF[event.type]
    audience = audience.format(**values)
    attributes = {"audience": audience, "department": complaint.department}
    if audience == "handler":
        if not complaint.assignee:
            return []
        attributes["user"] = complaint.assignee
    elif event.type == "transferred" and complaint.department != values.get("to"):
        return []  # transferred outside the organisation: nobody here to tell
    recipient = attributes.get("user", complaint.department)
    return [topic_message(audience, recipient, subject, body, values, attributes)]


def _on_received(complaint: Complaint, values: dict) -> list[Message]:
    messages = [_to_supervisors(complaint, values)]
    email = complaint.data.complainant.email
    channel = written_channel(complaint.data.complainant)
    if channel == "sms":
        template = "received_open311" if complaint.channel.value == "open311" else "received"
        messages.insert(0, sms_message(complaint, template, values))
    elif channel == "email":
        texts = _ACK_FROM_APP if complaint.channel.value == "open311" else _ACK
        subject, body = texts[complaint.data.language]
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


_SURVEY = {
    Language.zh_cn: (
        "满意度回访：{number}",
        "您好，您的投诉 {number} 已处理。请告诉我们问题是否解决、您是否满意（1-5分）：\n{url}\n"
        "如在 {reply_by} 前未收到回复，本投诉将自动关闭。\n",
    ),
    Language.en: (
        "How did we do? {number}",
        "Your complaint {number} was resolved. Please tell us whether it is solved and how "
        "satisfied you are (1-5):\n{url}\nIf we hear nothing by {reply_by}, the complaint "
        "will be closed.\n",
    ),
}


def survey_message(
    complaint: Complaint, base_url: str, token: str, reply_by: datetime, template: str = "survey"
) -> Message | None:
    """The survey link by the complainant's written channel; None if they have none."""
    channel = written_channel(complaint.data.complainant)
    if channel == "sms":
        values = {"number": complaint.number, "reply_by": reply_by.date().isoformat()}
        link = sms.survey_link(base_url, complaint.number, token)
        return sms_message(complaint, template, values, link=link)
    email = complaint.data.complainant.email
    if channel != "email":
        return None  # anonymous or no channel: the survey waits on the tracking page
    url = f"{base_url.rstrip('/')}/survey?number={complaint.number}&token={token}"
    subject, body = _SURVEY[complaint.data.language]
    values = {"number": complaint.number, "url": url, "reply_by": reply_by.isoformat()}
    return Message(
        "email", "complainant", str(email), subject.format(**values), body.format(**values)
    )


@dataclass
class OutboxEntry:
    """One owed notification; committed with the change that caused it, delivered after."""

    number: str
    id: str
    message: Message
    created_at: datetime
    status: str = "pending"  # pending | sent | failed | suppressed
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None
    next_attempt_at: datetime | None = None
    held: bool = False  # deferred or suppressed by this delivery: not a failure

    def mark_sent(self, at: datetime) -> None:
        self.status, self.sent_at, self.attempts = "sent", at, self.attempts + 1
        self.last_error = self.next_attempt_at = None

    def defer(self, until: datetime, reason: str) -> None:
        """Held back without counting an attempt (the daily SMS cap)."""
        self.last_error, self.next_attempt_at, self.status = reason[:500], until, "pending"
        self.held = True

    def suppress(self, reason: str) -> None:
        self.status, self.last_error, self.next_attempt_at = "suppressed", reason[:500], None
        self.held = True

    def mark_failed(self, at: datetime, error: str, retry_at: datetime | None) -> None:
        self.attempts += 1
        self.last_error = error[:500]
        self.next_attempt_at = retry_at
        self.status = "pending" if retry_at else "failed"
