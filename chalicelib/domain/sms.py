"""Text messages to complainants (SMS through SNS): templates in zh-CN and en, and the
segment arithmetic that keeps each of them within two segments.

A GSM-7 message fits 160 characters in one segment and 153 per segment when split
(extension characters such as `{` or `€` take two); anything outside GSM-7 goes as UCS-2:
70 UTF-16 units in one segment, 67 per segment when split. Chinese text is UCS-2.
Texts carry only the case number and a link: no name, no subject, no free text that
staff typed (a refusal reason or an outcome is read on the tracking page).

Every text begins with the organisation's signature in full-width brackets (【某市投诉中心】):
mainland carriers refuse a text without the registered one. The brackets are not GSM-7, so
every signed text, English too, goes as UCS-2: 134 units in two segments, the signature
included (tests/unit/test_sms.py counts every template signed, in both languages).
"""

from __future__ import annotations

import math
import re

from .vocabulary import Language

MAX_SEGMENTS = 2
# Characters between the brackets of a signature (mainland registrations take 2 and up).
MIN_SIGNATURE_CHARS = 2
MAX_SIGNATURE_CHARS = 10
_SIGNATURE = re.compile(
    f"【[^【】\\s\U00010000-\U0010ffff]{{{MIN_SIGNATURE_CHARS},{MAX_SIGNATURE_CHARS}}}】"
)

_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = set("^{}\\[~]|€\f")


def is_gsm7(text: str) -> bool:
    return all(char in _GSM_BASIC or char in _GSM_EXTENSION for char in text)


def segments(text: str) -> int:
    """How many SMS segments the text takes."""
    if is_gsm7(text):
        units = sum(2 if char in _GSM_EXTENSION else 1 for char in text)
        single, multi = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    if units <= single:
        return 1
    return math.ceil(units / multi)


# template name -> {language: text}. {link} is a tracking or survey link.
TEMPLATES: dict[str, dict[Language, str]] = {
    "received": {
        Language.zh_cn: "您的投诉已登记，编号{number}。查询进度：{link}",
        Language.en: "Your complaint {number} is registered. Track it: {link}",
    },
    "received_open311": {
        Language.zh_cn: "您的报告已登记，编号{number}，请在提交所用的应用中查询进度。",
        Language.en: "Your report is registered as {number}. Follow it in the app you used.",
    },
    "accepted": {
        Language.zh_cn: "您的投诉{number}已受理，我们将安排专人处理。查询：{link}",
        Language.en: "Your complaint {number} was accepted. Track: {link}",
    },
    "not_accepted": {
        Language.zh_cn: "您的投诉{number}不予受理，理由请查询：{link}",
        Language.en: "Complaint {number} was not accepted. The reason: {link}",
    },
    "transferred": {
        Language.zh_cn: "您的投诉{number}已转交其他部门或单位处理，详情：{link}",
        Language.en: "Your complaint {number} was transferred. Details: {link}",
    },
    "resolved": {
        Language.zh_cn: "您的投诉{number}已处理，处理结果请查询：{link}",
        Language.en: "Complaint {number} was resolved. The outcome: {link}",
    },
    "survey": {
        Language.zh_cn: "您的投诉已处理，请评价满意度：{link} {reply_by}前未回复将自动关闭。",
        Language.en: "Rate how we handled it by {reply_by}: {link}",
    },
    "message_left": {
        Language.zh_cn: "回访未能联系上您，请在{reply_by}前评价：{link}",
        Language.en: "We missed you. Rate us by {reply_by}: {link}",
    },
    # The conversation (issue 17): the text itself is read on the tracking page.
    "message": {
        Language.zh_cn: "关于您的投诉{number}有新消息，请查看：{link}",
        Language.en: "A new message about your complaint {number}: {link}",
    },
    "info_request": {
        Language.zh_cn: "您的投诉{number}需补充材料，请于{reply_by}前查看并回复：{link}",
        Language.en: "{number}: please send what we need by {reply_by}: {link}",
    },
    "info_reminder": {
        Language.zh_cn: "提醒：您的投诉{number}需于{reply_by}前补充材料：{link}",
        Language.en: "Reminder, {number}: please reply by {reply_by}: {link}",
    },
    "info_expired": {
        Language.zh_cn: "您的投诉{number}未在期限内补充材料，视为撤销，可再次投诉：{link}",
        Language.en: "{number} withdrawn: no reply in time. See: {link}",
    },
}

# Events whose complainant notice goes by SMS when SMS is their channel.
EVENT_TEMPLATES = {
    "accepted": "accepted",
    "not_accepted": "not_accepted",
    "transferred": "transferred",
    "resolved": "resolved",
    "message_sent": "message",
    "info_requested": "info_request",
    "info_request_reminded": "info_reminder",
}


def render(template: str, language: Language, **values: str) -> str:
    return TEMPLATES[template][Language(language)].format(**values)


def check_signature(signature: str) -> str:
    """The signature as configured (SMS_SIGNATURE), or ValueError: 【, 2 to 10 characters
    of the Basic Multilingual Plane without spaces or brackets, 】."""
    if not _SIGNATURE.fullmatch(signature):
        raise ValueError(
            f"an SMS signature is 【, {MIN_SIGNATURE_CHARS} to {MAX_SIGNATURE_CHARS} characters"
            f" without spaces or brackets, then 】: {signature!r}"
        )
    return signature


def signed(signature: str, text: str) -> str:
    """What is sent: the signature, then the text (an empty signature adds nothing)."""
    return signature + text


def track_link(base_url: str, number: str) -> str:
    return f"{base_url.rstrip('/')}/track?number={number}"


def survey_link(base_url: str, number: str, token: str) -> str:
    """The survey page's short form (`n`, `t`): it keeps the Chinese texts in two segments."""
    return f"{base_url.rstrip('/')}/survey?n={number}&t={token}"


# Every template, signed with a signature of MAX_SIGNATURE_CHARS, stays within two segments
# for a PUBLIC_BASE_URL up to this long, a five-digit case number and a survey token of 22
# characters (tests/unit/test_sms.py).
MAX_BASE_URL = 32
