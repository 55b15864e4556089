"""The complaint record (服务请求单/投诉登记表) and the values it is made of.

Pure Python: pydantic validates, nothing here talks to AWS.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    ConfigDict,
    EmailStr,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)

from .base import Model
from .callbacks import CallbackState, FollowUpFeedback
from .contact import ContactPreference, normalise_mobile
from .events import DomainEvent
from .finding import Finding
from .grading import default_grade
from .info_request import InfoRequest
from .patterns import NON_BLANK, SPACE


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

DEFAULT_CATEGORIES = (
    "product_quality",
    "service_attitude",
    "service_efficiency",
    "professional_competence",
    "billing",
    "delivery",
    "other",
)

# A leading bracket too: "(010) 6552 1234" is how an area code is commonly written.
_PHONE = re.compile(r"^\+?[0-9(][0-9 ()\-]{4,24}$")
# What the documents promise (stricter: no space at the end, which would be stripped).
PHONE_PATTERN = r"^\+?[0-9(][0-9 ()\-]{3,23}[0-9()\-]$"
# contact.normalise_mobile's rule as the documents give it (without separators): a mainland
# mobile with or without +86/0086/86, or E.164 outside +86.
MOBILE_PATTERN = (
    r"^(?:(?:\+86|0086|86)?1[3-9][0-9]{9}|\+(?:[1-79][0-9]{6,14}|8[0-57-9][0-9]{5,13}))$"
)


def Text(max_length: int, min_length: int = 0):  # noqa: N802 - reads like a type
    constraints = StringConstraints(
        strip_whitespace=True, min_length=min_length, max_length=max_length
    )
    if not min_length:
        return Annotated[str, constraints]
    # Whitespace is stripped before the length is checked: say so in the JSON Schema.
    return Annotated[str, constraints, Field(json_schema_extra={"pattern": NON_BLANK})]


def Configured(max_length: int, setting: str):  # noqa: N802 - reads like a type
    """Text whose allowed values are an organisation's setting (checked by the service);
    the OpenAPI document lists them (see http/openapi.py)."""
    return Annotated[Text(max_length, 1), Field(json_schema_extra={"x-configured": setting})]


def OneOf(values) -> type:  # noqa: N802 - reads like a type
    """A string the service checks against `values` (its own validator names them): the
    JSON Schema lists them as an enum."""
    return Annotated[str, Field(json_schema_extra={"enum": list(values)})]


def _present(name: str, schema: dict | None = None) -> dict:
    return {"required": [name], "properties": {name: schema or {"type": "string"}}}


# "name is required unless the complaint is anonymous", and a way to reach them, in JSON Schema.
NAMED_UNLESS_ANONYMOUS = {
    "if": {"properties": {"anonymous": {"const": False}}},
    "then": {
        **_present("name", {"type": "string", "pattern": NON_BLANK}),
        "anyOf": [
            _present("mobile"),
            _present("office_phone"),
            _present("email"),
            _present("address", {"type": "string", "pattern": NON_BLANK}),
        ],
        # A contact preference needs the contact it names.
        "allOf": [
            {
                "if": _present("contact_preference", {"const": preference}),
                "then": {"anyOf": [_present(name) for name in names]},
            }
            for preference, names in (
                ("email", ("email",)),
                ("sms", ("mobile",)),
                ("phone", ("mobile", "office_phone")),
            )
        ],
    },
}


_LINK = re.compile(r"^https?://[^\s/?#@]+[^\s]*$", re.IGNORECASE)


def _http_link(value: str) -> str:
    # Kept as given (no normalising): staff open exactly what the complainant sent.
    if not _LINK.match(value):
        raise ValueError("must be an http or https URL")
    return value


# A link to a photo or video of the problem, as a reporting app sends one, shown to staff.
MEDIA_URL_PATTERN = f"^[hH][tT][tT][pP][sS]?://[^{SPACE}/?#@]+[^{SPACE}]*$"  # _LINK
MediaUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=2000),
    AfterValidator(_http_link),
    Field(json_schema_extra={"pattern": MEDIA_URL_PATTERN}),
]


class Strict(Model):
    """Unknown fields are errors: a typo in a form must not silently drop data."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _any_case(word: str) -> str:
    return "".join(f"[{c}{c.upper()}]" for c in word)


# The e-mail check refuses special-use domains (RFC 6761), e.g. a.b@example.test.
SPECIAL_USE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
EMAIL_PATTERN = (
    r"^(?!.*[@.](?:" + "|".join(_any_case(name) for name in SPECIAL_USE_DOMAINS) + r")$)"
)
Email = Annotated[EmailStr, Field(max_length=254, json_schema_extra={"pattern": EMAIL_PATTERN})]
Phone = Annotated[Text(30), Field(json_schema_extra={"pattern": PHONE_PATTERN})]
Mobile = Annotated[Text(30), Field(json_schema_extra={"pattern": MOBILE_PATTERN})]


class Complainant(Strict):
    model_config = ConfigDict(json_schema_extra=NAMED_UNLESS_ANONYMOUS)

    name: Text(100) | None = None
    mobile: Mobile | None = None
    office_phone: Phone | None = None
    email: Email | None = None
    address: Text(500) | None = None
    organisation: Text(200) | None = None
    anonymous: bool = False
    confidential: bool = False
    # How they want to hear from us; unset: e-mail if given, else SMS to the mobile.
    contact_preference: ContactPreference | None = None

    @field_validator("office_phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value and not _PHONE.match(value):
            raise ValueError("not a valid phone number")
        return value or None

    @field_validator("mobile")
    @classmethod
    def _mobile(cls, value: str | None) -> str | None:
        return normalise_mobile(value) if value else None

    @model_validator(mode="after")
    def _contact_unless_anonymous(self) -> Complainant:
        if self.anonymous:
            return self
        if not self.name:
            raise ValueError("name is required unless the complaint is anonymous")
        if not (self.mobile or self.office_phone or self.email or self.address):
            raise ValueError(
                "give at least one of mobile, office_phone, email or address,"
                " or mark the complaint anonymous"
            )
        needs = {
            ContactPreference.email: ("email", self.email),
            ContactPreference.sms: ("mobile", self.mobile),
            ContactPreference.phone: ("mobile or office_phone", self.mobile or self.office_phone),
        }.get(self.contact_preference)
        if needs and not needs[1]:
            raise ValueError(f"contact_preference {self.contact_preference} needs {needs[0]}")
        return self


class Product(Strict):
    name: Text(200) | None = None
    model: Text(100) | None = None
    serial_number: Text(100) | None = None
    batch: Text(100) | None = None
    shipment_number: Text(100) | None = None
    shipped_on: date | None = None


class Respondent(Strict):
    """Who is complained about (被投诉对象): a department, a person, or both."""

    department: Text(100) | None = None
    person: Text(100) | None = None


ALLOWED_ATTACHMENT_TYPES = ("image/jpeg", "image/png", "application/pdf", "text/plain")


class AttachmentRef(Strict):
    """Evidence the complainant refers to; files themselves are uploaded separately."""

    filename: Text(255, min_length=1)
    content_type: OneOf(ALLOWED_ATTACHMENT_TYPES)
    size_bytes: int = Field(ge=1, le=10 * 1024 * 1024)

    @field_validator("content_type")
    @classmethod
    def _allowed_type(cls, value: str) -> str:
        if value not in ALLOWED_ATTACHMENT_TYPES:
            raise ValueError(f"must be one of: {', '.join(ALLOWED_ATTACHMENT_TYPES)}")
        return value


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


class Location(Strict):
    """Where the problem is, as an Open311 client gives it (WGS84 and/or an address)."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {
                    "required": ["lat", "long"],
                    "properties": {"lat": {"type": "number"}, "long": {"type": "number"}},
                },
                {"properties": {"lat": {"type": "null"}, "long": {"type": "null"}}},
            ]
        }
    )

    lat: float | None = Field(default=None, ge=-90, le=90)
    long: float | None = Field(default=None, ge=-180, le=180)
    address_string: Text(500) | None = None
    address_id: Text(100) | None = None
    zipcode: Text(20) | None = None

    @model_validator(mode="after")
    def _lat_with_long(self) -> Location:
        if (self.lat is None) != (self.long is None):
            raise ValueError("lat and long must be given together")
        return self


class ComplaintInput(Strict):
    """What a complainant (or an agent on their behalf) submits."""

    kind: Kind = Kind.complaint
    category: Configured(50, "categories")
    problem_type: ProblemType | None = None
    severity: Severity = Severity.normal
    priority: Priority = Priority.medium
    subject: Text(200, min_length=1)
    description: Text(10_000, min_length=1)
    desired_outcome: Text(2_000) | None = None
    complainant: Complainant
    respondent: Respondent | None = None
    product: Product | None = None
    department: Configured(100, "departments") | None = None
    required_completion_date: date | None = None
    people_affected: int = Field(default=1, ge=1, le=100_000)
    attachments: list[AttachmentRef] = Field(default_factory=list, max_length=10)
    location: Location | None = None
    media_url: MediaUrl | None = None
    language: Language = Language.zh_cn


class PartUsed(Strict):
    name: Text(200, min_length=1)
    quantity: int = Field(default=1, ge=1, le=100_000)


class HandlingRecord(Model):
    """What the handler found and did (问题原因, 解决方案, 处理结果, 配品配件)."""

    root_cause: str | None = None
    solution: str | None = None
    result: str | None = None
    parts_used: list[PartUsed] = Field(default_factory=list)
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
    deadlines: dict[str, Deadline] = Field(default_factory=dict)
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
    conflicts: list[Conflict] = Field(default_factory=list)  # 回避, marked by a supervisor
    recomplaints: list[str] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)  # keys of reminders/escalations sent
    survey_token_hash: str | None = None
    survey: SurveyAnswer | None = None
    callback: CallbackState | None = None  # 回访 by phone, when the case needs one
    follow_up_settled_by: str | None = None  # "survey" or "callback": the first answer
    feedback: list[FollowUpFeedback] = Field(default_factory=list)  # answers after that
    attachments: list[StoredAttachment] = Field(default_factory=list)
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
    _events: list[DomainEvent] = PrivateAttr(default_factory=list)
    # What the case contributes to the monthly statistics (domain/stats.py), kept with
    # the record so the next change can move it exactly; None for a new case.
    _stats: dict | None = PrivateAttr(default=None)
    # The queue counters the case is counted in (domain/queues.queue_booking), kept with
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
