"""What the conversation's events send (domain/conversation.py): the public message or
request for information to the complainant on their channel, the reminder and the end of
an unanswered request, and the notice to the handler that the complainant replied.

Texts in zh-CN and en; rendered when the event is recorded (the outbox keeps them).
"""

from __future__ import annotations

from . import sms
from .contact import written_channel
from .events import DomainEvent
from .message import Message, sms_message, topic_message
from .model import Complaint
from .vocabulary import Language

EXPIRED = "info_request_expired"  # details["by"] of the events an expiry records

_EMAIL = {
    "message_sent": (
        ("关于您的投诉 {number} 的消息", "您好，\n\n{text}\n\n查询与回复：{track_url}\n"),
        (
            "A message about your complaint {number}",
            "Hello,\n\n{text}\n\nTrack and reply: {track_url}\n",
        ),
    ),
    "info_requested": (
        (
            "请补充材料：{number}",
            "您好，\n\n{text}\n\n为处理您的投诉 {number}，请一次性补充以下材料：\n{items}\n\n"
            "请于 {reply_by} 前回复本邮件，或在 {track_url} 回复。逾期未补充的，"
            "{consequence}\n",
        ),
        (
            "Information needed: {number}",
            "Hello,\n\n{text}\n\nTo handle your complaint {number} we need all of the "
            "following:\n{items}\n\nPlease reply to this e-mail, or at {track_url}, by "
            "{reply_by}. If it does not reach us by then, {consequence}\n",
        ),
    ),
    "info_request_reminded": (
        (
            "提醒：请于 {reply_by} 前补充材料（{number}）",
            "您好，\n\n您的投诉 {number} 尚待您补充以下材料：\n{items}\n\n"
            "请于 {reply_by} 前回复本邮件，或在 {track_url} 回复。\n",
        ),
        (
            "Reminder: information needed by {reply_by} ({number})",
            "Hello,\n\nYour complaint {number} still needs the following from you:\n{items}"
            "\n\nPlease reply to this e-mail, or at {track_url}, by {reply_by}.\n",
        ),
    ),
    EXPIRED: (
        (
            "投诉视为撤销：{number}",
            "您好，\n\n我们未在 {reply_by} 前收到您的投诉 {number} 所需材料，"
            "该投诉视为撤销。\n如仍需投诉，可随时重新提交：{new_url}\n",
        ),
        (
            "Complaint treated as withdrawn: {number}",
            "Hello,\n\nThe information we asked for about your complaint {number} did not "
            "reach us by {reply_by}, so the complaint is treated as withdrawn.\n"
            "You may complain again at any time: {new_url}\n",
        ),
    ),
}
_CONSEQUENCE = {
    "withdraw": ("投诉将视为撤销。", "the complaint will be treated as withdrawn."),
    "resume": (
        "我们将根据现有材料处理。",
        "we will decide with what we have.",
    ),
}
SMS_EXPIRED = "info_expired"

_TO_HANDLER = {
    "complainant_replied": (
        "Complainant replied {number}",
        "{number} [{grade}] {subject}\n投诉人已回复 The complainant replied ({via}).\n",
    ),
    "resumed": (
        "No reply in time {number}",
        "{number} [{grade}] {subject}\n补正期限已过，请根据现有材料处理 "
        "The requested information did not come by {reply_by}: decide with what there is.\n",
    ),
}

EVENTS = frozenset(
    {"message_sent", "info_requested", "info_request_reminded", "complainant_replied"}
)


def handles(event: DomainEvent) -> bool:
    return event.type in EVENTS or event.details.get("by") == EXPIRED


def messages(event: DomainEvent, complaint: Complaint, values: dict) -> list:
    if event.type in _TO_HANDLER:
        return _to_handler(event, complaint, values)
    key = EXPIRED if event.type == "withdrawn" else event.type
    values = _values(complaint, values)
    channel = written_channel(complaint.data.complainant)
    if channel == "sms":
        template = SMS_EXPIRED if key == EXPIRED else sms.EVENT_TEMPLATES[key]
        return [sms_message(complaint, template, values)]
    if channel != "email":
        return []  # anonymous, or no written channel: the tracking page only
    zh, en = _EMAIL[key]
    subject, body = zh if complaint.data.language == Language.zh_cn else en
    address = str(complaint.data.complainant.email)
    return [
        Message("email", "complainant", address, subject.format(**values), body.format(**values))
    ]


def _values(complaint: Complaint, values: dict) -> dict:
    request = complaint.info_request
    items = request.items if request else []
    zh = complaint.data.language == Language.zh_cn
    consequence = _CONSEQUENCE.get(request.on_expiry if request else "", _CONSEQUENCE["withdraw"])
    return {
        "text": "",
        **values,
        "items": "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1)),
        "reply_by": request.reply_by.isoformat() if request else values.get("reply_by", ""),
        "consequence": consequence[0 if zh else 1],
        "new_url": values["track_url"].removesuffix("/track") + "/",
    }


def _to_handler(event: DomainEvent, complaint: Complaint, values: dict) -> list:
    if event.type == "resumed" and event.details.get("by") != EXPIRED:
        return []
    subject, body = _TO_HANDLER[event.type]
    values = {"via": "web", "reply_by": "", **values}
    if complaint.assignee:
        attributes = {"audience": "handler", "department": complaint.department}
        attributes["user"] = complaint.assignee
        audience, recipient = "handler", complaint.assignee
    else:
        attributes = {"audience": "supervisors", "department": complaint.department}
        audience, recipient = "supervisors", complaint.department
    return [topic_message(audience, recipient, subject, body, values, attributes)]
