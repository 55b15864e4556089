"""Response bodies, declared so that the OpenAPI document describes what routes return.

Imported when the document is built (openapi.Later), not when the app loads."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import ConfigDict, Field

from ..domain.base import Model
from .receipt import Receipt as Receipt  # documented under this module's name too


class ErrorDetail(Model):
    code: str
    message: str
    fields: dict[str, str] | None = None


class ErrorBody(Model):
    error: ErrorDetail


class TimelineItem(Model):
    at: str
    event: str
    details: dict[str, str] | None = None


class PublicView(Model):
    number: str
    status: str
    kind: str
    category: str
    subject: str
    received_at: str
    deadlines: dict[str, str]
    timeline: list[TimelineItem]


class DeadlineLeft(Model):
    due: str
    working_hours_left: float  # negative: working hours since the deadline passed
    overdue: bool
    due_soon: bool  # due within one working day (8 business hours)


class DeadlineClock(Model):
    """Pending deadlines as of the response, in working hours on the business calendar."""

    deadlines: dict[str, DeadlineLeft]
    nearest: str | None = None
    paused: bool
    escalation_level: int


class ResponsibleView(Model):
    department: str
    person: str | None = Field(
        default=None, description='"***" when the caller may not see who (handlers)'
    )


class FindingView(Model):
    """The finding (internal): never on a public surface; the person masked as above."""

    substantiated: Literal["yes", "partly", "no"]
    valid: bool
    responsible: ResponsibleView | None = None
    action: str | None = None
    masked: bool = False


class RecusedStaff(Model):
    user_id: str
    reason: str = Field(description='"respondent" (the person complained about) or the reason')


class StaffComplaint(Model):
    """A complaint as staff see it (identity masked where the caller may not see it)."""

    model_config = ConfigDict(extra="allow")

    number: str
    status: str
    grade: str
    department: str
    channel: str
    received_at: str
    assignee: str | None = None
    escalation_level: int
    version: int
    allowed_actions: list[str]
    deadlines: dict[str, dict]
    data: dict
    clock: DeadlineClock | None = None
    finding: FindingView | None = None
    reply_count: int = Field(default=0, description="the complainant's replies on the case")
    replies_unread: int = Field(
        default=0,
        description="replies the handler (assignee) has not opened; the assignee's GET of"
        " the case marks them seen (`replied` queue)",
    )
    recused: list[RecusedStaff] | None = Field(
        default=None, description="staff who must stay out of the case (回避): one case's view"
    )


class ListWindow(Model):
    received_from: date = Field(description="first day received the list covers")
    received_to: date = Field(description="last day received the list covers")


class StaffList(Model):
    """One page. Each request does bounded work (a fixed number of index queries), so a
    page may be short or empty while more follow: the list is complete only when
    next_cursor is null. Nothing is left out by age: the unfiltered list covers every
    day from RECEIVED_SINCE, open and closed cases alike, as `window` says."""

    items: list[StaffComplaint]
    next_cursor: str | None = Field(
        default=None, description="pass as `cursor` for the next page; null: no more"
    )
    window: ListWindow


class HistoryItem(Model):
    at: str
    action: str
    actor: str
    role: str
    public: bool
    changes: dict[str, list]
    details: dict


class HistoryEntry(Model):
    items: list[HistoryItem]


class StatusChange(Model):
    number: str
    status: str
    recomplaint: str | None = None
    recomplaint_token: str | None = None


class FailedNotification(Model):
    number: str
    id: str
    channel: str
    audience: str
    subject: str
    attempts: int
    last_error: str | None = None
    created_at: str


class FailedNotifications(Model):
    items: list[FailedNotification]


class QueuePage(Model):
    queue: Literal["mine", "to_accept", "due", "waiting", "follow_up", "replied"]
    items: list[StaffComplaint]
    next_cursor: str | None = None


class QueueCount(Model):
    queue: Literal["mine", "to_accept", "due", "waiting", "follow_up", "replied"]
    count: int
    capped: bool  # always false: the counts are counters kept exact (kept for old clients)


class QueueCounts(Model):
    queues: list[QueueCount]


class StaffMember(Model):
    user_id: str
    name: str
    roles: list[str]
    departments: list[str]  # only those the caller covers


class StaffDirectory(Model):
    department: str | None = None
    people: list[StaffMember]


class DirectoryQuery(Model):
    department: str | None = None
    case: str | None = Field(
        default=None,
        max_length=40,
        description="a complaint number: leave out the staff recused from it (回避)",
    )


class LocalUser(Model):
    user_id: str
    name: str
    roles: list[str]
    departments: list[str]


class LocalUsers(Model):
    people: list[LocalUser]


class LocalSignIn(Model):
    model_config = ConfigDict(extra="forbid")

    user_id: str


class LocalToken(Model):
    id_token: str
    expires_in: int
