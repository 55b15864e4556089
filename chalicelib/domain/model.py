"""The complaint record (服务请求单/投诉登记表) and the values it is made of.

Pure Python: pydantic validates, nothing here talks to AWS.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, PrivateAttr

from .base import Model, empty_dict, empty_list
from .callbacks import CallbackState, FollowUpFeedback
from .complaint_input import ComplaintInput
from .events import DomainEvent
from .fields import Strict, Text
from .finding import Finding
from .grading import default_grade
from .info_request import InfoRequest
from .vocabulary import Channel, Status

# Statuses in which nobody has to act any more: such complaints leave the deadline index.
FINAL_STATUSES = frozenset({Status.not_accepted, Status.closed, Status.withdrawn})
REOPENING_EVENTS = frozenset({"reopened"})  # the one change a closed case takes
# A follow-up answer that comes after another settled (and maybe closed) the case is kept
# as additional feedback (issue 11): it changes no status, deadline or figure, and on a
# closed case it is written to the audit trail only (the record is not changed).
# A reply that lost the race with the expiry of its request for information (issue 17)
# is kept the same way, so both are in the audit trail.
AFTER_CLOSE_EVENTS = frozenset({"follow_up_feedback", "reply_after_expiry"})
# Personal-data retention (domain/retention.py) strips a long-closed case of the
# complainant's data: the one change to a closed record besides reopen.
RETENTION_EVENTS = frozenset({"anonymised"})


class StoredAttachment(Model):
    """A file linked to the case, kept privately in object storage under `key`.

    Recorded when its upload is granted; `uploaded_at` is set once the stored object was
    checked against what was declared.
    """

    id: str
    key: str
    filename: str
    content_type: str
    size_bytes: int
    added_at: datetime
    uploaded_at: datetime | None = None
    version_id: str | None = None  # the stored version that was checked and confirmed


class PartUsed(Strict):
    name: Text(200, min_length=1)
    quantity: int = Field(default=1, ge=1, le=100_000)


class HandlingRecord(Model):
    """What the handler found and did (问题原因, 解决方案, 处理结果, 配品配件)."""

    root_cause: str | None = None
    solution: str | None = None
    result: str | None = None
    parts_used: list[PartUsed] = Field(default_factory=empty_list)
    actual_start: datetime | None = None
    actual_finish: datetime | None = None


class ExtensionRequest(Model):
    requested_by: str
    requested_at: datetime
    reason: str
    new_due: datetime
    status: str = "pending"  # pending | approved | refused
    decided_by: str | None = None
    decided_at: datetime | None = None


class SurveyAnswer(Strict):
    """The complainant's follow-up answer (回访): satisfaction 1-5, solved or not."""

    score: int = Field(ge=1, le=5)
    solved: bool
    comment: Text(2000) | None = None

    @property
    def dissatisfied(self) -> bool:
        return not self.solved or self.score <= 2


class Deadline(Model):
    """One period the organisation must act within; `start` is when its clock began.

    `first_due` is the due this obligation began with, kept once a grade change or a pause
    has moved `due`: reminders and escalations are keyed by it, so moving a deadline never
    tells anyone twice. An extension or a reopen starts a new obligation (a new due, no
    `first_due`).
    """

    start: datetime
    due: datetime
    met_at: datetime | None = None
    first_due: datetime | None = None

    @property
    def obligation(self) -> datetime:
        return self.first_due or self.due

    def move(self, due: datetime) -> None:
        """The same obligation, due at another time (a grade change, a pause)."""
        if due != self.due:
            self.first_due = self.obligation
            self.due = due

    @property
    def pending(self) -> bool:
        return self.met_at is None


class Conflict(Model):
    """A member of staff who must stay out of the case (回避): direct interest."""

    user_id: str
    reason: str
    marked_by: str
    marked_at: datetime


class Complaint(Model):
    """The stored record. `number` and `received_at` are set by the system, never typed."""

    number: str
    received_at: datetime
    channel: Channel
    status: Status = Status.received
    grade: str
    department: str
    tracking_token_hash: str
    data: ComplaintInput
    assignee: str | None = None
    deadlines: dict[str, Deadline] = Field(default_factory=empty_dict)
    next_due_at: datetime | None = None
    escalation_level: int = 0
    registered_at: datetime | None = None
    updated_at: datetime | None = None  # when the last event was recorded
    handling: HandlingRecord = Field(default_factory=HandlingRecord)
    extension: ExtensionRequest | None = None
    paused_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    refusal_reason: str | None = None
    transferred_to: str | None = None
    related_to: str | None = None
    # The finding of a re-complained case's original, when it named a responsible
    # department: the assessment counts the re-complaint against that department.
    related_responsible: str | None = None
    finding: Finding | None = None  # internal (service/views.py masks the person)
    conflicts: list[Conflict] = Field(default_factory=empty_list)  # 回避, marked by a supervisor
    recomplaints: list[str] = Field(default_factory=empty_list)
    notices: list[str] = Field(default_factory=empty_list)  # keys of reminders/escalations sent
    survey_token_hash: str | None = None
    survey: SurveyAnswer | None = None
    callback: CallbackState | None = None  # 回访 by phone, when the case needs one
    follow_up_settled_by: str | None = None  # "survey" or "callback": the first answer
    feedback: list[FollowUpFeedback] = Field(default_factory=empty_list)  # answers after that
    attachments: list[StoredAttachment] = Field(default_factory=empty_list)
    # The conversation (domain/conversation.py): the last request for information, the
    # complainant's replies (all, today's for the daily limit, not yet opened by staff)
    # and the latest public message (Open311's status_notes).
    info_request: InfoRequest | None = None
    reply_count: int = 0
    replies_unread: int = 0
    reply_day: date | None = None
    reply_count_day: int = 0
    last_public_message: str | None = None
    anonymised_at: datetime | None = None  # personal data removed (domain/retention.py)
    version: int = 0
    _events: list[DomainEvent] = PrivateAttr(default_factory=empty_list)
    # What the case contributes to the monthly statistics (domain/stats.py), kept with
    # the record so the next change can move it exactly; None for a new case.
    _stats: dict | None = PrivateAttr(default=None)
    # The queue counters the case is counted in (domain/queue_cells.queue_booking), kept with
    # the record like `_stats`; None: not counted (new, or stored before the counters).
    _queues: list | None = PrivateAttr(default=None)
    # Whether the case was closed when read: every change records an event through
    # `record`, so refusing there holds for every path (staff, complainant, jobs, uploads).
    _closed_when_read: bool = PrivateAttr(default=False)

    def model_post_init(self, context) -> None:
        self._closed_when_read = self.status in FINAL_STATUSES

    @classmethod
    def receive(
        cls,
        *,
        number: str,
        data: ComplaintInput,
        received_at: datetime,
        channel: Channel,
        department: str,
        tracking_token_hash: str,
        actor: str = "complainant",
        actor_role: str = "complainant",
        recorded_at: datetime | None = None,
    ) -> Complaint:
        """`received_at` is when it came in; the audit event is stamped when it was recorded
        (later, for a letter or a call taken down afterwards)."""
        complaint = cls(
            number=number,
            received_at=received_at,
            channel=channel,
            grade=default_grade(data.kind, data.people_affected),
            department=department,
            tracking_token_hash=tracking_token_hash,
            data=data,
        )
        complaint.record(
            "received",
            recorded_at or received_at,
            actor=actor,
            actor_role=actor_role,
            changes={"status": [None, Status.received.value]},
            details={
                "channel": channel.value,
                "department": department,
                "received_at": received_at.isoformat(),
            },
        )
        return complaint

    @property
    def responsible_department(self) -> str | None:
        return self.finding.responsible_department if self.finding else None

    @property
    def closed_when_read(self) -> bool:
        return self._closed_when_read

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL_STATUSES

    def check_changeable(self, event_type: str) -> None:
        allowed = REOPENING_EVENTS | AFTER_CLOSE_EVENTS | RETENTION_EVENTS
        if self._closed_when_read and event_type not in allowed:
            from .errors import CaseClosed

            raise CaseClosed(
                f"a complaint that is {self.status.value} cannot be changed; "
                "a manager or director may reopen it",
                status=self.status.value,
                allowed=["reopen"] if self.status == Status.closed else [],
            )

    def record(self, event_type: str, at: datetime, **kwargs) -> DomainEvent:
        self.check_changeable(event_type)
        if event_type in REOPENING_EVENTS:
            self._closed_when_read = False  # reopened: open to changes from here on
        event = DomainEvent(type=event_type, at=at, **kwargs)
        self._events.append(event)
        self.updated_at = max(self.updated_at or at, at)
        return event

    def pending_events(self) -> list[DomainEvent]:
        return list(self._events)

    def clear_events(self) -> None:
        """After a commit: what was saved is what the next change starts from."""
        self._events.clear()
        self._closed_when_read = self.status in FINAL_STATUSES
