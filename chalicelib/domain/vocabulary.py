"""The words a complaint is described in: its channel, kind, problem type, severity,
priority, language and status.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    web = "web"
    phone = "phone"
    email = "email"
    fax = "fax"
    letter = "letter"
    visit = "visit"
    open311 = "open311"
    other = "other"


class Kind(StrEnum):
    complaint = "complaint"
    request = "request"
    suggestion = "suggestion"
    inquiry = "inquiry"
    misconduct_report = "misconduct_report"


class ProblemType(StrEnum):
    appearance_defect = "appearance_defect"
    functional_defect = "functional_defect"
    other = "other"


class Severity(StrEnum):
    serious = "serious"
    normal = "normal"
    minor = "minor"


class Priority(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


class Language(StrEnum):
    zh_cn = "zh-CN"
    en = "en"


class Status(StrEnum):
    received = "received"
    accepted = "accepted"
    not_accepted = "not_accepted"
    transferred = "transferred"
    assigned = "assigned"
    in_progress = "in_progress"
    waiting_for_complainant = "waiting_for_complainant"
    resolved = "resolved"
    closed = "closed"
    withdrawn = "withdrawn"
