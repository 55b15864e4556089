"""Use cases of the public: submit a complaint, and look at it with the tracking token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..domain import handling
from ..domain.actor import Actor
from ..domain.complaint_input import ComplaintInput
from ..domain.deadlines import SERVICE_DEADLINES
from ..domain.errors import IllegalTransition, InvalidCommand, NotFound, StaleVersion
from ..domain.follow_up import settle
from ..domain.grading import (
    complainant_key,
    grade_for_repeats,
    issue_key,
    one_grade_up,
    record_repeat,
)
from ..domain.lifecycle import Action
from ..domain.model import Complaint, SurveyAnswer
from ..domain.numbering import local_day
from ..domain.tokens import hash_token, new_tracking_token, token_matches
from ..domain.vocabulary import Channel, Status
from ..observability import count
from .acks import AckGate
from .context import Services
from .outbox import commit, deliver, entries_owed


@dataclass(frozen=True)
class Receipt:
    number: str
    status: str
    tracking_token: str
    received_at: datetime


def check_configured(data: ComplaintInput, services: Services) -> str:
    """Categories and departments are per organisation; returns the receiving department."""
    org = services.org  # only active ones take new complaints; retired ones stay readable
    categories, departments = org.codes("categories"), org.codes("departments")
    errors = {}
    if data.category not in categories:
        errors["category"] = f"must be one of: {', '.join(categories)}"
    department = data.department or org.default_department
    if department not in departments:
        errors["department"] = f"must be one of: {', '.join(departments)}"
    if errors:
        raise InvalidCommand("the complaint has invalid fields", fields=errors)
    return department


def submit_complaint(
    data: ComplaintInput,
    services: Services,
    *,
    channel: Channel = Channel.web,
    actor: str = "complainant",
    actor_role: str = "complainant",
    received_at: datetime | None = None,
    linked: Callable[[Complaint], list[Complaint]] | None = None,
    source: str | None = None,
) -> Receipt:
    """Register a complaint. `linked(new)` may change other complaints in the same commit.

    `source` (the caller's address, for public intake) is counted: past its hourly limit the
    caller gets TooManyRequests; past the acknowledgement limits the complaint is taken and
    its acknowledgement held (service/acks.py)."""
    department = check_configured(data, services)
    now = services.clock.now()
    gate = AckGate(services, now, source)
    token = new_tracking_token()

    def build(number: str):
        complaint = Complaint.receive(
            number=number,
            data=data,
            received_at=received_at or now,
            channel=channel,
            department=department,
            tracking_token_hash=hash_token(token),
            actor=actor,
            actor_role=actor_role,
            recorded_at=now,
        )
        complaint.registered_at = now
        others = linked(complaint) if linked else []
        repeat = _track_repeats(complaint, services, now)
        schedule_deadlines(complaint, services)
        outbox = entries_owed(services, now, complaint, *others)
        gate.apply(complaint, outbox)
        return complaint, outbox, others, repeat

    # The number carries the day it was registered, whatever day it was received.
    day = local_day(now, services.settings.timezone)
    complaint, outbox = services.complaints.create(day, build, gate.claims)
    gate.committed()
    deliver(outbox, services.notifier, services.complaints, services.clock.now())
    count("ComplaintsReceived", channel=channel.value, category=data.category)
    return Receipt(complaint.number, complaint.status.value, token, complaint.received_at)


def _track_repeats(complaint: Complaint, services: Services, now: datetime):
    """The same issue from 3+ different complainants within 30 days grades it B at least.

    Counted on a keyed item per issue, read and saved in the intake's own transaction.
    """
    data = complaint.data
    respondent = data.respondent
    issue = respondent and issue_key(data.category, respondent.department, respondent.person)
    if not issue:
        return None
    person = data.complainant
    contact = person.email or person.mobile or person.office_phone or person.name
    state = services.complaints.repeats(issue)
    key = complainant_key(None if person.anonymous else contact, complaint.tracking_token_hash)
    state.seen = record_repeat(state.seen, key, complaint.received_at)
    grade = grade_for_repeats(complaint.grade, len(state.seen))
    if grade != complaint.grade:
        from ..domain.action_context import Context

        ctx = Context(
            actor=Actor(user_id="system"),
            at=now,
            calendar=services.calendar,
            limits=services.sla.limits_for(grade),
            role_name="system",
        )
        reason = f"same issue from {len(state.seen)} complainants within 30 days"
        handling.stamp(
            complaint,
            "grade_changed",
            ctx,
            {"grade": grade, "reason": reason},
            lambda c: setattr(c, "grade", grade),
        )
    return state


def schedule_deadlines(complaint: Complaint, services: Services) -> None:
    from ..domain.deadlines import initial_deadlines, next_check_at

    limits = services.sla.limits_for(
        complaint.grade, kind=complaint.data.kind.value, category=complaint.data.category
    )
    complaint.deadlines = initial_deadlines(
        complaint.received_at, limits, services.calendar, complaint.data.people_affected
    )
    complaint.next_due_at = next_check_at(complaint, services.calendar)


def _own(complaint: Complaint | None, token: str | None) -> Complaint:
    """The complainant's complaint; a wrong token looks exactly like an unknown number."""
    if complaint is None or not token_matches(token, complaint.tracking_token_hash):
        raise NotFound("no complaint with that number and tracking token")
    return complaint


def public_view(number: str, token: str | None, services: Services) -> dict:
    complaint, events = services.complaints.load_with_events(number)
    complaint = _own(complaint, token)
    return {
        "number": complaint.number,
        "status": complaint.status.value,
        "kind": complaint.data.kind.value,
        "category": complaint.data.category,
        "subject": complaint.data.subject,
        "received_at": complaint.received_at.isoformat(),
        "deadlines": {
            name: deadline.due.isoformat()
            for name, deadline in complaint.deadlines.items()
            if deadline.pending and name in SERVICE_DEADLINES
        },
        "timeline": [
            {"at": event.at.isoformat(), "event": event.type, **_public_details(event)}
            for event in events
            if event.public
        ],
    }


PUBLIC_DETAILS = ("reason", "to", "new_due", "result", "new_number")


def _public_details(event) -> dict:
    # Only details written for the complainant (a refusal reason, a new date) go out.
    shown = {key: str(event.details[key]) for key in PUBLIC_DETAILS if key in event.details}
    return {"details": shown} if shown else {}


def withdraw(number: str, token: str | None, body: dict, services: Services) -> dict:
    from ..domain.commands import Withdraw

    command = Withdraw.model_validate(body)
    complaint = _own(services.complaints.load(number), token)
    handling.withdraw(complaint, command.reason, services.clock.now())
    commit(complaint, services)
    return {"number": complaint.number, "status": complaint.status.value}


def recomplain(number: str, token: str | None, body: dict, services: Services) -> Receipt:
    """A dissatisfied complainant's re-complaint (再投诉): a new case one grade up, linked
    both ways to the original, which it closes if it was only resolved."""
    from ..domain.commands import Recomplaint

    command = Recomplaint.model_validate(body)
    original = _own(services.complaints.load(number), token)
    if original.status not in (Status.resolved, Status.closed):
        raise IllegalTransition(
            "only a resolved or closed complaint can be complained about again",
            status=original.status.value,
            allowed=[],
        )
    update = {"description": command.description}
    if command.desired_outcome:
        update["desired_outcome"] = command.desired_outcome
    data = original.data.model_copy(update=update)

    def link(new: Complaint) -> list[Complaint]:
        new.related_to = original.number
        new.related_responsible = original.responsible_department
        new.grade = one_grade_up(original.grade)
        if not original.is_open:
            return []  # nothing changes a closed case: the link lives on the new one
        linked = original.model_copy(deep=True)  # fresh on every numbering attempt
        handling.link_recomplaint(linked, new.number, new.received_at)
        return [linked]

    return submit_complaint(data, services, channel=original.channel, linked=link)


def answer_survey(number: str, token: str | None, body: dict, services: Services) -> dict:
    """The follow-up answer, with the tracking token or the survey link's token.

    A satisfied answer closes the case; a dissatisfied one opens a re-complaint one grade
    up, linked to this one (which it closes), in the same transaction. If a callback
    settled the follow-up first, the answer is kept as additional feedback; a race with
    the callback is decided by the version condition, the loser re-read and re-decided.
    """
    answer = SurveyAnswer.model_validate(body)
    for attempt in range(3):
        try:
            return _answer_survey(number, token, answer, services)
        except StaleVersion:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _answer_survey(number: str, token: str | None, answer: SurveyAnswer, services) -> dict:
    complaint = services.complaints.load(number)
    survey_ok = complaint is not None and complaint.survey_token_hash is not None
    if not (survey_ok and token_matches(token, complaint.survey_token_hash)):
        complaint = _own(complaint, token)
    now = services.clock.now()
    ctx = complainant_context(complaint, now, services)
    answers = answer.model_dump(mode="json")
    if complaint.follow_up_settled_by == "callback":
        handling.stamp(
            complaint,
            "follow_up_feedback",
            ctx,
            {"by": "survey", **answers},
            lambda c: settle(c, "survey", now, answers),
        )
        commit(complaint, services)
        status = complaint.status.value
        return {"number": complaint.number, "status": status, "recorded_as": "additional_feedback"}
    if complaint.status != Status.resolved or complaint.survey is not None:
        raise IllegalTransition(
            "this complaint is not waiting for a follow-up answer",
            status=complaint.status.value,
            allowed=[],
        )
    # survey_answered is the event the statistics count as the follow-up's answer.
    handling.stamp(
        complaint,
        "survey_answered",
        ctx,
        answers,
        lambda c: (_take_answer(c, answer, now), settle(c, "survey", now, answers)),
    )
    if answer.dissatisfied:
        return _reopen_as_recomplaint(complaint, answer, services)
    from ..domain.commands import Empty

    handling.perform(complaint, Action.close, Empty(note="complainant satisfied"), ctx)
    commit(complaint, services)
    return {"number": complaint.number, "status": complaint.status.value}


def sms_opt_out(number: str, token: str | None, services: Services) -> dict:
    """The survey page's opt-out: the complainant's mobile gets no more SMS from us."""
    complaint = services.complaints.load(number)
    survey_ok = complaint is not None and complaint.survey_token_hash is not None
    if not (survey_ok and token_matches(token, complaint.survey_token_hash)):
        complaint = _own(complaint, token)
    mobile = complaint.data.complainant.mobile
    if mobile:
        services.sms_gate().opt_out(mobile)
    return {"number": complaint.number, "sms": "opted_out" if mobile else "no_mobile"}


def _take_answer(complaint: Complaint, answer: SurveyAnswer, now: datetime) -> None:
    complaint.survey = answer
    reply = complaint.deadlines.get("follow_up_reply")
    if reply and reply.pending:
        reply.met_at = now


def _reopen_as_recomplaint(complaint: Complaint, answer: SurveyAnswer, services) -> dict:
    description = f"{answer.comment or ''}\n\n(follow-up: not satisfied, score {answer.score})"
    data = complaint.data.model_copy(update={"description": description.strip()[:10_000]})

    def link(new: Complaint) -> list[Complaint]:
        new.related_to = complaint.number
        new.related_responsible = complaint.responsible_department
        new.grade = one_grade_up(complaint.grade)
        linked = complaint.model_copy(deep=True)
        handling.link_recomplaint(linked, new.number, new.received_at)
        return [linked]

    receipt = submit_complaint(data, services, channel=complaint.channel, linked=link)
    return {
        "number": complaint.number,
        "status": "closed",
        "recomplaint": receipt.number,
        "recomplaint_token": receipt.tracking_token,  # the new case's only key, given once
    }


def complainant_context(complaint: Complaint, now: datetime, services: Services):
    limits = services.sla.limits_for(
        complaint.grade, kind=complaint.data.kind.value, category=complaint.data.category
    )
    from ..domain.action_context import Context

    return Context(
        actor=Actor(user_id="complainant"),
        at=now,
        calendar=services.calendar,
        limits=limits,
        role_name="complainant",
    )
