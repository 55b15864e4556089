"""The words Open311 answers carry, in zh-CN and en, and how a request picks its language."""

from __future__ import annotations

import re

from ...domain.org_settings import OrgSettings
from ...domain.vocabulary import Kind, Language, Priority, ProblemType, Severity, Status

ZH, EN = Language.zh_cn, Language.en

CHOICES = {
    "kind": {
        Kind.complaint: ("投诉", "Complaint"),
        Kind.request: ("请求", "Request"),
        Kind.suggestion: ("建议", "Suggestion"),
        Kind.inquiry: ("咨询", "Inquiry"),
        Kind.misconduct_report: ("举报", "Report of misconduct"),
    },
    "severity": {
        Severity.serious: ("严重", "Serious"),
        Severity.normal: ("一般", "Normal"),
        Severity.minor: ("轻微", "Minor"),
    },
    "priority": {
        Priority.high: ("高", "High"),
        Priority.medium: ("中", "Medium"),
        Priority.low: ("低", "Low"),
    },
    "problem_type": {
        ProblemType.appearance_defect: ("外观缺陷", "Appearance defect"),
        ProblemType.functional_defect: ("功能缺陷", "Functional defect"),
        ProblemType.other: ("其他", "Other"),
    },
    "yes_no": {"true": ("是", "Yes"), "false": ("否", "No")},
}
STATUS_NOTES = {
    Status.received: ("已登记，等待受理审查", "Received; awaiting the acceptance decision"),
    Status.accepted: ("已受理", "Accepted"),
    Status.not_accepted: ("不予受理", "Not accepted"),
    Status.transferred: ("已转办至负责机构", "Transferred to the body responsible"),
    Status.assigned: ("已分配处理人", "Assigned to a handler"),
    Status.in_progress: ("处理中", "Being handled"),
    Status.waiting_for_complainant: ("等待投诉人反馈", "Waiting for the complainant's reply"),
    Status.resolved: ("已处理，等待回访", "Resolved; follow-up pending"),
    Status.closed: ("已关闭", "Closed"),
    Status.withdrawn: ("投诉人已撤回", "Withdrawn by the complainant"),
}
TEXT = {
    "service_description": (
        "关于“{name}”的投诉、请求、建议与咨询",
        "Complaints, requests, suggestions and inquiries about {name}",
    ),
    "group": ("投诉", "Complaints"),
    "notice": ("已登记为投诉 {number}。", "Received as complaint {number}."),
    "notice_due": (
        "我们将在 {due} 前决定是否受理。",
        " We will decide whether to accept it by {due}.",
    ),
}


def t(pair: tuple[str, str], lang: Language) -> str:
    return pair[0] if lang == ZH else pair[1]


def colon(lang: Language) -> str:
    return "：" if lang == ZH else ": "


def service_name(code: str, lang: Language, org: OrgSettings) -> str:
    """The category's name in the organisation's settings (retired ones too)."""
    return org.name("categories", code, lang.value)


def pick_language(requested: str | None, accept_language: str | None) -> Language:
    """`locale`/`lang` first, then Accept-Language in order of preference; default en."""
    candidates = [requested] if requested else _by_preference(accept_language or "")
    for tag in candidates:
        tag = tag.strip().lower()
        if tag.startswith("zh"):
            return ZH
        if tag.startswith("en"):
            return EN
    return EN


def _by_preference(header: str) -> list[str]:
    weighted = []
    for part in header.split(","):
        tag, _, params = part.partition(";")
        quality = 1.0
        match = re.search(r"q=([0-9.]+)", params)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                quality = 0.0
        if tag.strip() and quality > 0:
            weighted.append((quality, tag))
    return [tag for _, tag in sorted(weighted, key=lambda pair: -pair[0])]
