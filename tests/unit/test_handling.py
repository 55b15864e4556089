"""What each staff action does to a complaint: status, audit event, deadlines.

All times are in Asia/Shanghai on the default CN calendar in 2026. The reference complaint
is received on Monday 2026-01-05 10:00, grade C: acceptance due Thu 01-08 18:00 (3 working
days), first contact Tue 01-06 10:00 (24 h), resolution Mon 01-26 18:00 (15 working days),
grade review Wed 02-04 10:00 (30 days). 2026 holidays used below: the Spring Festival is
off from Sun 02-15 to Mon 02-23, with Sat 02-14 and Sat 02-28 worked instead (调休).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from chalicelib.domain import commands as c
from chalicelib.domain.action_context import Context
from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.calendar import BusinessCalendar
from chalicelib.domain.complaint_input import ComplaintInput
from chalicelib.domain.conversation_bodies import ContactBody
from chalicelib.domain.deadlines import initial_deadlines
from chalicelib.domain.errors import CaseClosed, DomainError, IllegalTransition, InvalidCommand
from chalicelib.domain.grading import GRADES
from chalicelib.domain.handling import (
    BODIES,
    body_model,
    converse,
    link_recomplaint,
    perform,
    stamp,
    withdraw,
)
from chalicelib.domain.lifecycle import TRANSITIONS, Action
from chalicelib.domain.model import FINAL_STATUSES, Complaint, PartUsed
from chalicelib.domain.sla import ExtensionNotLater, ExtensionTooLong, SlaPolicy
from chalicelib.domain.vocabulary import Channel, Status
from tests.unit.test_lifecycle import BEFORE_CLOSING

SH = ZoneInfo("Asia/Shanghai")
CAL = BusinessCalendar()
POLICY = SlaPolicy()
C_LIMITS = POLICY.limits_for("C")
DEPARTMENTS = ("service", "sales", "quality")
EXTERNAL = "市场监督管理局"

SUPERVISOR = Actor("sup-1", name="Wang", roles={Role.SUPERVISOR}, departments={"service"})
HANDLER = Actor("han-1", name="Zhao", roles={Role.HANDLER}, departments={"service"})
MANAGER = Actor("man-1", name="Qian", roles={Role.MANAGER}, departments={"service"})

S, A = Status, Action


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


RECEIVED = sh(2026, 1, 5, 10)
ACCEPTANCE_DUE = sh(2026, 1, 8, 18)
FIRST_CONTACT_DUE = sh(2026, 1, 6, 10)
RESOLUTION_DUE = sh(2026, 1, 26, 18)
REVIEW_DUE = sh(2026, 2, 4, 10)
FULL_HANDLING = {"root_cause": "worn seal", "solution": "replace seal", "result": "fixed"}
NOT_FOUND = {"substantiated": "no", "valid": False}  # the finding a complaint resolves with
RESOLVE = c.Resolve(**FULL_HANDLING, finding=NOT_FOUND)


def complaint_input(**overrides) -> ComplaintInput:
    body = {
        "category": "product_quality",
        "subject": "Leaking washer",
        "description": "Water on the floor after every wash.",
        "complainant": {"name": "Li Lei", "mobile": "13800000000"},
        **overrides,
    }
    return ComplaintInput.model_validate(body)


def new_complaint(received_at: datetime = RECEIVED, **overrides) -> Complaint:
    """As intake builds one: Complaint.receive, then the grade's initial deadlines."""
    data = complaint_input(**overrides)
    complaint = Complaint.receive(
        number="TS-20260105-0001",
        data=data,
        received_at=received_at,
        channel=Channel.web,
        department="service",
        tracking_token_hash="0" * 64,
    )
    limits = POLICY.limits_for(complaint.grade)
    complaint.deadlines = initial_deadlines(received_at, limits, CAL, data.people_affected)
    return complaint


def ctx(at: datetime, actor: Actor = SUPERVISOR, grade: str = "C", **kwargs) -> Context:
    return Context(
        actor=actor,
        at=at,
        calendar=CAL,
        limits=POLICY.limits_for(grade),
        internal_departments=DEPARTMENTS,
        **kwargs,
    )


# The usual road, each step at a fixed time; drive() walks it to any status.
ROAD = {
    S.accepted: (None, A.accept, c.Empty(), sh(2026, 1, 5, 11)),
    S.not_accepted: (None, A.refuse, c.Refuse(reason="already in court"), sh(2026, 1, 5, 11)),
    S.transferred: (
        None,
        A.transfer,
        c.Transfer(to=EXTERNAL, reason="their jurisdiction"),
        sh(2026, 1, 5, 11),
    ),
    S.assigned: (S.accepted, A.assign, c.Assign(handler="han-1"), sh(2026, 1, 5, 12)),
    S.in_progress: (S.assigned, A.start, c.Empty(), sh(2026, 1, 5, 14)),
    S.waiting_for_complainant: (S.in_progress, A.wait, c.Wait(reason="photos"), sh(2026, 1, 6, 10)),
    S.resolved: (
        S.in_progress,
        A.resolve,
        c.Resolve(**FULL_HANDLING, finding=NOT_FOUND),
        sh(2026, 1, 7, 10),
    ),
    S.closed: (S.resolved, A.close, c.Empty(), sh(2026, 1, 8, 10)),
}
AFTER_ROAD = sh(2026, 1, 9, 10)  # Friday, later than every step of the road


def drive(complaint: Complaint, status: Status) -> Complaint:
    if status == S.withdrawn:
        withdraw(complaint, None, sh(2026, 1, 5, 11))
    elif status != S.received:
        previous, action, body, at = ROAD[status]
        if previous:
            drive(complaint, previous)
        perform(complaint, action, body, ctx(at))
        if action == A.start:
            # The handler calls the complainant when starting (issue 17: Start alone is
            # not contact), so the road's cases have met their first contact.
            converse(complaint, A.record_contact, REACHED, ctx(at))
    complaint.clear_events()
    return complaint


REACHED = ContactBody(channel="phone", direction="outbound", outcome="reached", summary="called")


def at_status(status: Status, **overrides) -> Complaint:
    return drive(new_complaint(**overrides), status)


def only_event(complaint: Complaint):
    events = complaint.pending_events()
    assert len(events) == 1, [e.type for e in events]
    return events[0]


def dumped(complaint: Complaint) -> dict:
    return complaint.model_dump(mode="json")


# -- one action at a time --------------------------------------------------------------------

ACTION_CASES = [
    # (from, action, body, actor, to, event type, details, changed fields)
    (S.received, A.accept, c.Empty(), SUPERVISOR, S.accepted, "accepted", {},
     {"status", "deadlines"}),
    (S.received, A.accept, c.Empty(note="clear case"), SUPERVISOR, S.accepted, "accepted",
     {"note": "clear case"}, {"status", "deadlines"}),
    (S.received, A.refuse, c.Refuse(reason="already in court"), SUPERVISOR, S.not_accepted,
     "not_accepted", {"reason": "already in court"},
     {"status", "deadlines", "refusal_reason", "closed_at"}),
    (S.received, A.transfer, c.Transfer(to=EXTERNAL, reason="theirs"), SUPERVISOR,
     S.transferred, "transferred", {"to": EXTERNAL, "reason": "theirs"},
     {"status", "deadlines", "transferred_to"}),
    (S.received, A.transfer, c.Transfer(to="sales", reason="sales issue"), SUPERVISOR,
     S.transferred, "transferred", {"to": "sales", "reason": "sales issue"},
     {"status", "deadlines", "transferred_to", "department"}),
    (S.received, A.add_note, c.Note(text="called back"), SUPERVISOR, S.received, "note_added",
     {"text": "called back"}, set()),
    (S.transferred, A.accept, c.Empty(), SUPERVISOR, S.accepted, "accepted", {}, {"status"}),
    (S.transferred, A.close, c.Empty(), SUPERVISOR, S.closed, "closed", {},
     {"status", "deadlines", "closed_at"}),
    (S.accepted, A.assign, c.Assign(handler="han-1"), SUPERVISOR, S.assigned, "assigned",
     {"handler": "han-1"}, {"status", "assignee"}),
    (S.accepted, A.transfer, c.Transfer(to=EXTERNAL, reason="theirs"), SUPERVISOR,
     S.transferred, "transferred", {"to": EXTERNAL, "reason": "theirs"},
     {"status", "transferred_to"}),
    (S.assigned, A.assign, c.Assign(handler="han-2"), SUPERVISOR, S.assigned, "assigned",
     {"handler": "han-2"}, {"assignee"}),
    (S.assigned, A.start, c.Empty(), HANDLER, S.in_progress, "in_progress", {},
     {"status", "handling"}),
    (S.assigned, A.record_handling, c.HandlingUpdate(root_cause="seal"), HANDLER, S.assigned,
     "handling_recorded", {}, {"handling"}),
    (S.in_progress, A.assign, c.Assign(handler="han-2"), SUPERVISOR, S.assigned, "assigned",
     {"handler": "han-2"}, {"status", "assignee"}),
    (S.in_progress, A.wait, c.Wait(reason="need photos"), HANDLER, S.waiting_for_complainant,
     "waiting_for_complainant", {"reason": "need photos"}, {"status", "paused_at"}),
    (S.in_progress, A.record_handling,
     c.HandlingUpdate(root_cause="seal", parts_used=[PartUsed(name="seal", quantity=2)]),
     HANDLER, S.in_progress, "handling_recorded", {}, {"handling"}),
    (S.in_progress, A.record_handling, c.HandlingUpdate(), HANDLER, S.in_progress,
     "handling_recorded", {}, set()),
    (S.in_progress, A.resolve, RESOLVE, HANDLER, S.resolved, "resolved",
     {"result": "fixed"},
     {"status", "deadlines", "handling", "resolved_at", "callback", "finding"}),
    (S.in_progress, A.add_note, c.Note(text="spoke to Li"), HANDLER, S.in_progress,
     "note_added", {"text": "spoke to Li"}, set()),
    (S.waiting_for_complainant, A.resume, c.Empty(), HANDLER, S.in_progress, "resumed", {},
     {"status", "paused_at", "deadlines"}),
    (S.waiting_for_complainant, A.resolve, RESOLVE, HANDLER, S.resolved,
     "resolved", {"result": "fixed"},
     {"status", "deadlines", "handling", "resolved_at", "paused_at", "callback", "finding"}),
    (S.resolved, A.close, c.Empty(note="survey ok"), SUPERVISOR, S.closed, "closed",
     {"note": "survey ok"}, {"status", "deadlines", "closed_at", "callback"}),
    (S.resolved, A.reopen, c.Reopen(reason="not fixed"), MANAGER, S.in_progress, "reopened",
     {"reason": "not fixed"}, {"status", "deadlines", "resolved_at", "callback", "finding"}),
    (S.closed, A.reopen, c.Reopen(reason="not fixed"), MANAGER, S.in_progress, "reopened",
     {"reason": "not fixed"}, {"status", "deadlines", "resolved_at", "closed_at", "finding"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("start", "action", "body", "actor", "target", "event_type", "details", "changed"),
    ACTION_CASES,
    ids=[f"{case[0].value}-{case[1].value}-{i}" for i, case in enumerate(ACTION_CASES)],
)
def test_action_moves_status_and_records_one_event(
    start, action, body, actor, target, event_type, details, changed
):
    complaint = at_status(start)
    before = dumped(complaint)
    perform(complaint, action, body, ctx(AFTER_ROAD, actor))
    after = dumped(complaint)

    assert complaint.status == target
    event = only_event(complaint)
    assert event.type == event_type
    assert event.at == AFTER_ROAD
    assert event.actor == actor.user_id
    assert event.actor_role == actor.highest_role().value
    assert event.details == details
    # before and after of each changed field, and nothing else
    assert set(event.changes) == changed
    for name, (old, new) in event.changes.items():
        assert old == before[name] and new == after[name] and old != new
    if start != target:
        assert event.changes["status"] == [start.value, target.value]


@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.value)
def test_a_refused_action_records_nothing(status):
    complaint = at_status(status)
    illegal = [a for a in BODIES if (status, a) not in TRANSITIONS]
    for action in illegal:
        with pytest.raises(IllegalTransition):
            perform(complaint, action, body_model(action).model_construct(), ctx(AFTER_ROAD))
    assert complaint.status == status
    assert complaint.pending_events() == []


def test_every_transition_action_has_a_body_and_only_those_do():
    assert set(BODIES) == {action for (_, action) in TRANSITIONS}
    assert all(body_model(action).__name__ == name for action, name in BODIES.items())


def test_the_audit_never_carries_version_next_due_or_the_complaint_text():
    complaint = new_complaint()
    complaint.version = 7
    for status in (S.accepted, S.assigned, S.in_progress, S.resolved, S.closed):
        _, action, body, at = ROAD[status]
        perform(complaint, action, body, ctx(at))
    events = complaint.pending_events()
    assert [e.type for e in events] == [
        "received", "accepted", "assigned", "in_progress", "resolved", "closed"
    ]  # fmt: skip
    for event in events:
        assert not {"version", "next_due_at", "data"} & set(event.changes)


# -- acceptance ------------------------------------------------------------------------------


def test_accept_meets_the_acceptance_deadline_only():
    complaint = new_complaint()
    at = sh(2026, 1, 6, 9, 30)
    perform(complaint, A.accept, c.Empty(), ctx(at))
    assert complaint.deadlines["acceptance"].met_at == at
    assert complaint.deadlines["acceptance"].due == ACCEPTANCE_DUE
    for name in ("first_contact", "resolution", "grade_review"):
        assert complaint.deadlines[name].pending


def test_refuse_meets_acceptance_and_finishes_the_case():
    complaint = new_complaint()
    at = sh(2026, 1, 6, 9, 30)
    perform(complaint, A.refuse, c.Refuse(reason="no specific facts"), ctx(at))
    assert complaint.status == S.not_accepted
    assert complaint.deadlines["acceptance"].met_at == at
    assert complaint.refusal_reason == "no specific facts"
    assert complaint.closed_at == at
    assert complaint.next_due_at is None  # leaves the due index


def test_a_refusal_needs_a_reason():
    with pytest.raises(ValidationError):
        c.Refuse(reason="   ")
    with pytest.raises(ValidationError):
        c.Refuse.model_validate({})


def test_an_internal_transfer_gives_the_department_a_fresh_acceptance_period():
    complaint = at_status(S.accepted)
    at = sh(2026, 1, 7, 10)  # Wednesday: 3 working days -> Monday 01-12
    perform(complaint, A.transfer, c.Transfer(to="sales", reason="billing"), ctx(at))
    assert complaint.status == S.transferred
    assert complaint.department == "sales"
    assert complaint.transferred_to == "sales"
    assert complaint.assignee is None
    acceptance = complaint.deadlines["acceptance"]
    assert (acceptance.start, acceptance.due, acceptance.met_at) == (at, sh(2026, 1, 12, 18), None)


def test_an_external_transfer_keeps_the_department_and_ends_acceptance():
    complaint = new_complaint()
    at = sh(2026, 1, 6, 10)
    perform(complaint, A.transfer, c.Transfer(to=EXTERNAL, reason="theirs"), ctx(at))
    assert complaint.department == "service"
    assert complaint.transferred_to == EXTERNAL
    assert complaint.deadlines["acceptance"].met_at == at
    assert complaint.deadlines["acceptance"].due == ACCEPTANCE_DUE


def test_a_transfer_needs_a_target_and_a_reason():
    for body in ({"to": "sales"}, {"reason": "x"}, {"to": "", "reason": "x"}):
        with pytest.raises(ValidationError):
            c.Transfer.model_validate(body)


# -- handling --------------------------------------------------------------------------------


def test_start_records_the_actual_start_but_is_not_contact():
    # Issue 17: opening the case is not contact; a reached contact or a delivered message is.
    complaint = at_status(S.assigned)
    at = sh(2026, 1, 5, 16)
    perform(complaint, A.start, c.Empty(), ctx(at, HANDLER))
    assert complaint.deadlines["first_contact"].pending
    assert complaint.deadlines["resolution"].pending
    assert complaint.handling.actual_start == at


def test_a_second_start_after_reassignment_keeps_the_first_actual_start():
    complaint = at_status(S.in_progress)
    first = complaint.handling.actual_start
    perform(complaint, A.assign, c.Assign(handler="han-2"), ctx(sh(2026, 1, 6, 10)))
    perform(complaint, A.start, c.Empty(), ctx(sh(2026, 1, 6, 11), HANDLER))
    assert complaint.handling.actual_start == first == ROAD[S.in_progress][3]


def test_record_handling_merges_with_what_was_recorded():
    complaint = at_status(S.in_progress)
    at = AFTER_ROAD
    perform(complaint, A.record_handling, c.HandlingUpdate(root_cause="seal"), ctx(at, HANDLER))
    update = c.HandlingUpdate(solution="new seal", parts_used=[PartUsed(name="seal")])
    perform(complaint, A.record_handling, update, ctx(at, HANDLER))
    assert complaint.handling.root_cause == "seal"
    assert complaint.handling.solution == "new seal"
    assert [p.name for p in complaint.handling.parts_used] == ["seal"]
    second = complaint.pending_events()[1]
    assert set(second.changes) == {"handling"}
    old, new = second.changes["handling"]
    assert old["solution"] is None and new["solution"] == "new seal"


def test_handling_finish_before_start_is_refused():
    with pytest.raises(ValidationError):
        c.HandlingUpdate(actual_start=sh(2026, 1, 6, 10), actual_finish=sh(2026, 1, 6, 9))


def test_resolve_meets_resolution_and_review_and_schedules_the_follow_up():
    complaint = at_status(S.in_progress)
    at = sh(2026, 1, 7, 10)  # follow-up for grade C: 5 working days later
    perform(complaint, A.resolve, c.Resolve(**FULL_HANDLING, finding=NOT_FOUND), ctx(at, HANDLER))
    assert complaint.status == S.resolved
    assert complaint.resolved_at == at
    assert complaint.deadlines["resolution"].met_at == at
    assert complaint.deadlines["grade_review"].met_at == at
    follow_up = complaint.deadlines["follow_up"]
    assert (follow_up.start, follow_up.due, follow_up.met_at) == (at, sh(2026, 1, 14, 18), None)
    assert complaint.handling.actual_finish == at
    # A mobile-only complainant is owed a callback 3 working days on (8, 9, 12 Jan):
    # the job next looks at the case when that day is missed.
    assert complaint.deadlines["callback"].due == sh(2026, 1, 12, 18)
    assert complaint.next_due_at == sh(2026, 1, 12, 18)


@pytest.mark.parametrize(
    "given",
    [
        {},
        {"root_cause": "seal"},
        {"solution": "new seal"},
        {"result": "fixed"},
        {"root_cause": "seal", "solution": "new seal"},
        {"root_cause": "seal", "result": "fixed"},
        {"solution": "new seal", "result": "fixed"},
        {"root_cause": "", "solution": "new seal", "result": "fixed"},
    ],
)
def test_resolve_requires_root_cause_solution_and_result(given):
    complaint = at_status(S.in_progress)
    with pytest.raises(InvalidCommand) as caught:
        perform(
            complaint, A.resolve, c.Resolve(**given, finding=NOT_FOUND), ctx(AFTER_ROAD, HANDLER)
        )
    missing = {name for name in FULL_HANDLING if not given.get(name)}
    assert caught.value.fields == {name: "is required to resolve" for name in missing}
    assert complaint.status == S.in_progress
    assert complaint.pending_events() == []


def test_resolve_counts_what_was_recorded_before():
    complaint = at_status(S.in_progress)
    recorded = c.HandlingUpdate(root_cause="seal", solution="new seal")
    perform(complaint, A.record_handling, recorded, ctx(AFTER_ROAD, HANDLER))
    perform(
        complaint, A.resolve, c.Resolve(result="fixed", finding=NOT_FOUND), ctx(AFTER_ROAD, HANDLER)
    )
    assert complaint.status == S.resolved
    assert complaint.pending_events()[-1].details == {"result": "fixed"}


# -- pauses ----------------------------------------------------------------------------------


def paused(wait_at: datetime, received_at: datetime = RECEIVED) -> Complaint:
    complaint = new_complaint(received_at)
    for action, body in (
        (A.accept, c.Empty()),
        (A.assign, c.Assign(handler="han-1")),
        (A.start, c.Empty()),
    ):
        perform(complaint, action, body, ctx(received_at + timedelta(hours=1)))
    perform(complaint, A.wait, c.Wait(reason="photos"), ctx(wait_at, HANDLER))
    complaint.clear_events()
    return complaint


@pytest.mark.parametrize(
    ("wait_at", "resume_at", "resolution_due"),
    [
        # Friday after hours to Monday before opening: no business time, nothing moves.
        (sh(2026, 1, 9, 18, 30), sh(2026, 1, 12, 8, 30), RESOLUTION_DUE),
        # Friday 17:00 to Monday 10:00: two business hours (Fri 17-18, Mon 9-10).
        (sh(2026, 1, 9, 17), sh(2026, 1, 12, 10), sh(2026, 1, 27, 11)),
        # Four business hours on a Wednesday: due moves to Tuesday 13:00.
        (sh(2026, 1, 7, 10), sh(2026, 1, 7, 14), sh(2026, 1, 27, 13)),
        # A whole working week (45 business hours): five working days later.
        (sh(2026, 1, 12, 9), sh(2026, 1, 19, 9), sh(2026, 2, 2, 18)),
        # Paused after the due had passed: pausing cannot cure lateness.
        (sh(2026, 1, 27, 10), sh(2026, 1, 27, 14), RESOLUTION_DUE),
    ],
)
def test_resume_shifts_pending_deadlines_by_the_paused_business_time(
    wait_at, resume_at, resolution_due
):
    complaint = paused(wait_at)
    met = {name: d.model_copy() for name, d in complaint.deadlines.items() if not d.pending}
    perform(complaint, A.resume, c.Empty(), ctx(resume_at, HANDLER))
    assert complaint.status == S.in_progress
    assert complaint.paused_at is None
    assert complaint.deadlines["resolution"].due == resolution_due
    assert complaint.deadlines["grade_review"].due == REVIEW_DUE  # a calendar-day review
    for name, deadline in met.items():  # met deadlines never move
        assert complaint.deadlines[name] == deadline
    assert ("deadlines" in only_event(complaint).changes) is (resolution_due != RESOLUTION_DUE)


def test_a_pause_over_the_spring_festival_counts_only_the_make_up_saturday():
    # Received Mon 02-09, grade C: resolution due Fri 03-06 18:00 (15 working days,
    # counting Sat 02-14 and Sat 02-28). Paused Fri 02-13 18:00 to Tue 02-24 09:00: the only
    # business time inside is Saturday 02-14, 9 hours, one working day: due Mon 03-09 18:00.
    received = sh(2026, 2, 9, 10)
    complaint = paused(sh(2026, 2, 13, 18), received)
    assert complaint.deadlines["resolution"].due == sh(2026, 3, 6, 18)
    perform(complaint, A.resume, c.Empty(), ctx(sh(2026, 2, 24, 9), HANDLER))
    assert complaint.deadlines["resolution"].due == sh(2026, 3, 9, 18)


def test_a_pause_inside_the_festival_holiday_moves_nothing():
    received = sh(2026, 2, 9, 10)
    complaint = paused(sh(2026, 2, 14, 18), received)  # after the make-up Saturday's close
    perform(complaint, A.resume, c.Empty(), ctx(sh(2026, 2, 24, 9), HANDLER))
    assert complaint.deadlines["resolution"].due == sh(2026, 3, 6, 18)


def test_nobody_is_chased_while_waiting_for_the_complainant():
    complaint = paused(sh(2026, 1, 7, 10))
    # Only the calendar-day grade review remains scheduled while paused.
    assert complaint.next_due_at == REVIEW_DUE
    perform(complaint, A.resume, c.Empty(), ctx(sh(2026, 1, 7, 14), HANDLER))
    assert complaint.next_due_at < REVIEW_DUE


def test_resolving_while_waiting_ends_the_pause_first():
    complaint = paused(sh(2026, 1, 7, 10))
    at = sh(2026, 1, 7, 14)
    perform(complaint, A.resolve, c.Resolve(**FULL_HANDLING, finding=NOT_FOUND), ctx(at, HANDLER))
    resolution = complaint.deadlines["resolution"]
    assert (resolution.due, resolution.met_at) == (sh(2026, 1, 27, 13), at)
    assert complaint.paused_at is None


# -- reopening -------------------------------------------------------------------------------


def test_reopen_restarts_the_resolution_deadline():
    complaint = at_status(S.closed)
    at = sh(2026, 2, 2, 10)  # 15 working days: through the festival, to make-up Sat 02-28
    perform(complaint, A.reopen, c.Reopen(reason="leaks again"), ctx(at, MANAGER))
    assert complaint.status == S.in_progress
    assert complaint.closed_at is None and complaint.resolved_at is None
    resolution = complaint.deadlines["resolution"]
    assert (resolution.start, resolution.due, resolution.met_at) == (at, sh(2026, 2, 28, 18), None)
    assert not complaint.deadlines["first_contact"].pending


def test_reopen_of_a_resolved_case_cancels_the_follow_up():
    complaint = at_status(S.resolved)
    at = sh(2026, 1, 8, 10)
    perform(complaint, A.reopen, c.Reopen(reason="leaks again"), ctx(at, MANAGER))
    assert complaint.deadlines["follow_up"].met_at == at
    assert complaint.deadlines["resolution"].pending


def test_close_meets_every_pending_deadline():
    complaint = at_status(S.resolved)
    at = sh(2026, 1, 8, 10)
    perform(complaint, A.close, c.Empty(), ctx(at))
    assert all(not d.pending for d in complaint.deadlines.values())
    assert complaint.deadlines["follow_up"].met_at == at
    assert complaint.closed_at == at
    assert complaint.next_due_at is None


# -- grades ----------------------------------------------------------------------------------


def test_change_grade_with_the_new_grades_limits_shortens_pending_deadlines():
    complaint = at_status(S.accepted)
    at = sh(2026, 1, 5, 12)
    context = ctx(at, policy=POLICY, actor=MANAGER)
    perform(complaint, A.change_grade, c.GradeChange(grade="A", reason="media"), context)
    assert complaint.grade == "A"
    assert complaint.deadlines["acceptance"].due == ACCEPTANCE_DUE  # met: stays
    assert complaint.deadlines["first_contact"].due == sh(2026, 1, 5, 22)  # 12 h
    assert complaint.deadlines["resolution"].due == sh(2026, 1, 12, 18)  # 5 working days
    assert complaint.deadlines["grade_review"].due == REVIEW_DUE
    event = only_event(complaint)
    assert (event.type, event.details) == ("grade_changed", {"grade": "A", "reason": "media"})
    assert event.changes["grade"] == ["C", "A"]
    assert set(event.changes) == {"grade", "deadlines"}


def test_change_grade_with_the_context_the_service_builds_shortens_deadlines():
    complaint = at_status(S.accepted)
    # The service builds the Context from the complaint's grade as loaded: C.
    context = ctx(sh(2026, 1, 5, 12), grade=complaint.grade, policy=POLICY, actor=MANAGER)
    perform(complaint, A.change_grade, c.GradeChange(grade="A", reason="media"), context)
    assert complaint.deadlines["resolution"].due == sh(2026, 1, 12, 18)


def test_change_grade_to_the_same_grade_on_a_plain_case_moves_nothing():
    complaint = at_status(S.in_progress)
    before = {name: d.model_copy() for name, d in complaint.deadlines.items()}
    perform(complaint, A.change_grade, c.GradeChange(grade="C", reason="checked"), ctx(AFTER_ROAD))
    assert complaint.deadlines == before
    assert only_event(complaint).changes == {}


def _internally_transferred() -> Complaint:
    complaint = new_complaint()
    perform(complaint, A.transfer, c.Transfer(to="sales", reason="x"), ctx(sh(2026, 1, 12, 10)))
    return complaint


def _reopened() -> Complaint:
    complaint = at_status(S.closed)
    perform(complaint, A.reopen, c.Reopen(reason="x"), ctx(sh(2026, 2, 2, 10), MANAGER))
    return complaint


def _extended() -> Complaint:
    complaint = at_status(S.in_progress)
    request = c.ExtensionRequestBody(reason="parts", new_due=sh(2026, 1, 28, 18))
    perform(complaint, A.request_extension, request, ctx(AFTER_ROAD, HANDLER))
    perform(complaint, A.decide_extension, c.ExtensionDecision(approve=True), ctx(AFTER_ROAD))
    return complaint


def _paused_and_resumed() -> Complaint:
    complaint = paused(sh(2026, 1, 7, 10))
    perform(complaint, A.resume, c.Empty(), ctx(sh(2026, 1, 7, 14), HANDLER))
    return complaint


@pytest.mark.parametrize(
    "history", [_internally_transferred, _reopened, _extended, _paused_and_resumed]
)
def test_change_grade_to_the_same_grade_keeps_every_deadline_where_it_was(history):
    complaint = history()
    before = {name: d.due for name, d in complaint.deadlines.items()}
    at = sh(2026, 2, 3, 10)
    perform(complaint, A.change_grade, c.GradeChange(grade="C", reason="checked"), ctx(at))
    assert {name: d.due for name, d in complaint.deadlines.items()} == before


def test_an_unknown_grade_is_refused():
    with pytest.raises(ValidationError):
        c.GradeChange(grade="E", reason="x")


# -- extensions ------------------------------------------------------------------------------


def requested(new_due: datetime) -> Complaint:
    complaint = at_status(S.in_progress)
    body = c.ExtensionRequestBody(reason="waiting for parts", new_due=new_due)
    perform(complaint, A.request_extension, body, ctx(AFTER_ROAD, HANDLER))
    return complaint


@pytest.mark.parametrize(
    "new_due",
    [sh(2026, 1, 26, 18, 1), sh(2026, 1, 28, 18), sh(2026, 1, 29, 18)],  # cap: 3 working days
)
def test_an_extension_request_within_the_cap_is_recorded_pending(new_due):
    complaint = requested(new_due)
    request = complaint.extension
    assert (request.status, request.new_due, request.requested_by) == ("pending", new_due, "han-1")
    assert complaint.deadlines["resolution"].due == RESOLUTION_DUE  # not before approval
    event = only_event(complaint)
    assert event.type == "extension_requested"
    assert event.details == {"reason": "waiting for parts", "requested_due": new_due.isoformat()}
    assert set(event.changes) == {"extension"}


@pytest.mark.parametrize(
    ("new_due", "error"),
    [
        (sh(2026, 1, 29, 18, 1), ExtensionTooLong),  # a minute past the 3-working-day cap
        (sh(2026, 2, 9, 18), ExtensionTooLong),
        (RESOLUTION_DUE, ExtensionNotLater),
        (sh(2026, 1, 20, 18), ExtensionNotLater),
    ],
)
def test_an_extension_request_outside_the_cap_is_refused(new_due, error):
    complaint = at_status(S.in_progress)
    body = c.ExtensionRequestBody(reason="parts", new_due=new_due)
    with pytest.raises(error) as caught:
        perform(complaint, A.request_extension, body, ctx(AFTER_ROAD, HANDLER))
    assert isinstance(caught.value, InvalidCommand)
    assert set(caught.value.fields) == {"new_due"}
    assert complaint.extension is None
    assert complaint.pending_events() == []


def test_an_approved_extension_moves_the_resolution_deadline():
    complaint = requested(sh(2026, 1, 28, 18))
    complaint.clear_events()
    at = sh(2026, 1, 9, 11)
    perform(complaint, A.decide_extension, c.ExtensionDecision(approve=True), ctx(at))
    assert complaint.deadlines["resolution"].due == sh(2026, 1, 28, 18)
    assert complaint.deadlines["resolution"].pending
    request = complaint.extension
    assert (request.status, request.decided_by, request.decided_at) == ("approved", "sup-1", at)
    event = only_event(complaint)
    assert event.type == "extension_approved"
    assert event.details == {"reason": "waiting for parts", "new_due": "2026-01-28T18:00:00+08:00"}
    assert set(event.changes) == {"extension", "deadlines"}


def test_a_refused_extension_leaves_the_deadline():
    complaint = requested(sh(2026, 1, 28, 18))
    complaint.clear_events()
    decision = c.ExtensionDecision(approve=False, note="do it on time")
    perform(complaint, A.decide_extension, decision, ctx(sh(2026, 1, 9, 11)))
    assert complaint.deadlines["resolution"].due == RESOLUTION_DUE
    assert complaint.extension.status == "refused"
    event = only_event(complaint)
    assert (event.type, event.details) == ("extension_refused", {"note": "do it on time"})
    assert set(event.changes) == {"extension"}


@pytest.mark.parametrize("approve", [True, False])
def test_deciding_without_a_pending_request_is_refused(approve):
    complaint = at_status(S.in_progress)
    with pytest.raises(InvalidCommand) as caught:
        decision = c.ExtensionDecision(approve=approve)
        perform(complaint, A.decide_extension, decision, ctx(AFTER_ROAD))
    assert set(caught.value.fields) == {"approve"}
    assert complaint.pending_events() == []


def test_a_decided_request_cannot_be_decided_again():
    complaint = requested(sh(2026, 1, 28, 18))
    perform(complaint, A.decide_extension, c.ExtensionDecision(approve=False), ctx(AFTER_ROAD))
    with pytest.raises(InvalidCommand):
        perform(complaint, A.decide_extension, c.ExtensionDecision(approve=True), ctx(AFTER_ROAD))
    assert complaint.deadlines["resolution"].due == RESOLUTION_DUE


# -- the complainant's own actions -----------------------------------------------------------


@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.value)
def test_withdraw_from_each_status(status):
    complaint = at_status(status)
    before = dumped(complaint)
    at = sh(2026, 1, 9, 20)
    if status not in BEFORE_CLOSING:
        with pytest.raises(IllegalTransition) as caught:
            withdraw(complaint, "changed my mind", at)
        assert caught.value.details == {"status": status.value, "allowed": []}
        assert dumped(complaint) == before
        assert complaint.pending_events() == []
        return
    withdraw(complaint, "changed my mind", at)
    assert complaint.status == S.withdrawn
    assert complaint.closed_at == at
    assert complaint.next_due_at is None
    event = only_event(complaint)
    assert event.type == "withdrawn"
    assert (event.actor, event.actor_role) == ("complainant", "complainant")
    assert event.details == {"reason": "changed my mind"}
    assert event.changes["status"] == [status.value, "withdrawn"]
    assert event.changes["closed_at"] == [None, at.isoformat()]
    assert event.public


def test_withdraw_without_a_reason_records_no_reason():
    complaint = new_complaint()
    withdraw(complaint, None, AFTER_ROAD)
    assert complaint.pending_events()[-1].details == {}


def test_a_recomplaint_closes_a_resolved_original_and_links_it():
    original = at_status(S.resolved)
    at = sh(2026, 1, 12, 9)
    link_recomplaint(original, "TS-20260112-0003", at)
    assert original.status == S.closed
    assert original.closed_at == at
    assert original.recomplaints == ["TS-20260112-0003"]
    assert original.next_due_at is None
    event = only_event(original)
    assert (event.type, event.actor, event.at) == ("recomplained", "complainant", at)
    assert event.details == {"new_number": "TS-20260112-0003"}
    assert event.changes["status"] == ["resolved", "closed"]
    assert event.changes["recomplaints"] == [[], ["TS-20260112-0003"]]
    assert event.public


def stored(complaint: Complaint) -> Complaint:
    """The complaint as the repository hands it back after a commit."""
    return Complaint.model_validate_json(complaint.model_dump_json())


def test_a_recomplaint_does_not_change_a_closed_original():
    original = stored(at_status(S.closed))
    with pytest.raises(CaseClosed):
        link_recomplaint(original, "TS-20260112-0003", sh(2026, 1, 12, 9))
    assert original.recomplaints == [] and original.pending_events() == []


@pytest.mark.parametrize("status", sorted(FINAL_STATUSES), ids=str)
def test_nothing_changes_a_closed_case_but_reopen(status):
    """Issue 13 item 3: every change records an event, and the record refuses it on a
    case that was closed when read, whatever the path (staff, complainant, job, upload)."""
    complaint = stored(at_status(status))
    at = sh(2026, 3, 2, 10)
    with pytest.raises(CaseClosed):
        stamp(complaint, "attachment_uploaded", ctx(at), {"id": "x"})
    with pytest.raises(CaseClosed):
        stamp(complaint, "follow_up_sent", ctx(at), {}, lambda c: setattr(c, "notices", ["k"]))
    with pytest.raises(IllegalTransition):
        perform(complaint, A.add_note, c.Note(text="late note"), ctx(at))
    assert complaint.pending_events() == []
    if status == S.closed:
        perform(complaint, A.reopen, c.Reopen(reason="new facts"), ctx(at, MANAGER))
        assert complaint.status == S.in_progress
        perform(complaint, A.add_note, c.Note(text="after reopening"), ctx(at))


# -- who is on record ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "role_name", "expected"),
    [
        ({Role.SUPERVISOR}, None, "supervisor"),
        ({Role.HANDLER, Role.SUPERVISOR}, None, "supervisor"),
        ({Role.DIRECTOR, Role.ADMIN}, None, "director"),
        ({Role.QUALITY}, None, "quality"),
        ({Role.ADMIN}, None, "admin"),
        (set(), None, "staff"),
        (set(), "system", "system"),
        ({Role.MANAGER}, "system", "system"),
    ],
)
def test_the_role_on_record(roles, role_name, expected):
    actor = Actor("u-1", roles=roles)
    assert ctx(AFTER_ROAD, actor, role_name=role_name).role == expected


# -- property: any sequence of actions ---------------------------------------------------------

PARAMS = st.fixed_dictionaries(
    {
        "note": st.sampled_from([None, "note"]),
        "to": st.sampled_from(["service", "sales", EXTERNAL]),
        "handler": st.sampled_from(["han-1", "han-2"]),
        "handling": st.fixed_dictionaries(
            {},
            optional={
                "root_cause": st.just("seal"),
                "solution": st.just("new seal"),
                "result": st.just("fixed"),
                "parts_used": st.just([PartUsed(name="seal")]),
            },
        ),
        "approve": st.booleans(),
        "finding": st.sampled_from(
            [
                None,
                NOT_FOUND,
                {
                    "substantiated": "yes",
                    "valid": True,
                    "responsible": {"department": "sales"},
                    "action": "training",
                },
            ]
        ),
        "grade": st.sampled_from(GRADES),
        "extension_hours": st.integers(min_value=-30, max_value=120),
    }
)


def body_for(action: Action, p: dict, complaint: Complaint):
    if action == A.request_extension:
        due = complaint.deadlines["resolution"].due
        new_due = due + timedelta(hours=p["extension_hours"])
        return c.ExtensionRequestBody(reason="parts", new_due=new_due)
    build = {
        A.refuse: lambda: c.Refuse(reason="no facts"),
        A.transfer: lambda: c.Transfer(to=p["to"], reason="theirs"),
        A.assign: lambda: c.Assign(handler=p["handler"]),
        A.wait: lambda: c.Wait(reason="photos"),
        A.record_handling: lambda: c.HandlingUpdate(**p["handling"]),
        A.resolve: lambda: c.Resolve(**p["handling"], finding=p["finding"]),
        A.mark_conflict: lambda: c.MarkConflict(user_id=p["handler"], reason="neighbour"),
        A.reopen: lambda: c.Reopen(reason="again"),
        A.add_note: lambda: c.Note(text="note"),
        A.decide_extension: lambda: c.ExtensionDecision(approve=p["approve"]),
        A.change_grade: lambda: c.GradeChange(grade=p["grade"], reason="review"),
    }
    return build.get(action, lambda: c.Empty(note=p["note"]))()


def run_sequence(steps) -> None:
    """Apply each step as the service would (a failed command is discarded with its
    partial changes), checking the status after each, and the events at the end."""
    complaint = new_complaint()
    complaint.clear_events()
    at, succeeded = RECEIVED, 0
    for action, hours, params in steps:
        at += timedelta(hours=hours)
        status, saved = complaint.status, complaint.model_copy(deep=True)
        events = len(complaint.pending_events())
        body = body_for(action, params, complaint)
        context = ctx(at, grade=complaint.grade)  # as service/staff.py context_for does
        try:
            perform(complaint, action, body, context)
        except DomainError:
            assert complaint.status == status
            assert len(complaint.pending_events()) == events
            assert (status, action) not in TRANSITIONS or action in FALLIBLE
            complaint = saved
            continue
        succeeded += 1
        assert complaint.status == TRANSITIONS[(status, action)]
        assert complaint.pending_events()[-1].at == at
        if complaint.status in FINAL_STATUSES:
            assert complaint.next_due_at is None
    assert len(complaint.pending_events()) == succeeded


# Legal transitions that may still be refused for what the body says or the record holds.
# (A grade change to A or B is refused unless a manager or director decides it.)
FALLIBLE = {A.resolve, A.request_extension, A.decide_extension, A.change_grade}
STEP = st.tuples(st.sampled_from(list(Action)), st.integers(min_value=1, max_value=96), PARAMS)
NO_GRADE_STEP = st.tuples(
    st.sampled_from([a for a in Action if a != A.change_grade]),
    st.integers(min_value=1, max_value=96),
    PARAMS,
)
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(st.lists(NO_GRADE_STEP, max_size=30))
def test_any_sequence_of_actions_follows_the_transition_table(steps):
    run_sequence(steps)


_DEFAULTS = {
    "note": None,
    "to": "sales",
    "handler": "han-1",
    "handling": {},
    "approve": True,
    "grade": "C",
    "extension_hours": 1,
}


@PROPERTY
@example([(A.transfer, 168, _DEFAULTS), (A.change_grade, 1, _DEFAULTS)])
@given(st.lists(STEP, max_size=30))
def test_any_sequence_including_grade_changes_follows_the_transition_table(steps):
    run_sequence(steps)
