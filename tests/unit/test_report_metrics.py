"""Every figure of the monthly report on hand-built cases (REPORTING.md, docs/reporting.md).

Cases are taken through the domain's own actions; each "commit" is accounted exactly as the
repository does it, and the month is read back through the report service's read path.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain import commands as c
from chalicelib.domain.action_context import Context
from chalicelib.domain.actor import Actor
from chalicelib.domain.calendar import BusinessCalendar
from chalicelib.domain.complaint_input import ComplaintInput
from chalicelib.domain.deadlines import initial_deadlines
from chalicelib.domain.handling import link_recomplaint, perform, stamp, withdraw
from chalicelib.domain.lifecycle import Action
from chalicelib.domain.model import Complaint, SurveyAnswer
from chalicelib.domain.reporting import values
from chalicelib.domain.sla import SlaPolicy
from chalicelib.domain.stats import account_commit
from chalicelib.domain.vocabulary import Channel
from chalicelib.service.reports import ReportQuery, month_counters

TZ = ZoneInfo("Asia/Shanghai")
HANDLING = {"root_cause": "cause", "solution": "fix", "result": "done"}
CAL = BusinessCalendar()
POLICY = SlaPolicy()
RESOLUTION = c.Resolve(
    root_cause="cause",
    solution="fix",
    result="done",
    finding={"substantiated": "no", "valid": False},
)


def t(month, day, hour=10, minute=0, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


class Ledger:
    """The counters as the table would hold them."""

    def __init__(self):
        self.cells = defaultdict(Counter)
        self.serial = 0

    def new(self, at, department="service", kind="complaint", related_to=None):
        self.serial += 1
        data = ComplaintInput(
            kind=kind,
            category="billing",
            subject="s",
            description="d",
            complainant={"anonymous": True},
        )
        case = Complaint.receive(
            number=f"TS-{self.serial:04d}",
            data=data,
            received_at=at,
            channel=Channel.web,
            department=department,
            tracking_token_hash="x",
        )
        case.related_to = related_to
        limits = POLICY.limits_for(case.grade, kind=kind, category="billing")
        case.deadlines = initial_deadlines(at, limits, CAL)
        return case

    def commit(self, *cases):
        items, bookings = account_commit(list(cases), CAL)
        for key, counters in items.items():
            self.cells[key].update(counters)
        for case, booking in zip(cases, bookings, strict=True):
            case._stats = booking
            case.version += 1
            case.clear_events()

    # the store the report service reads
    def report_cells(self, month):
        return {cell: n for (part, cell), n in self.cells.items() if part == f"STATS#{month}"}

    def open_cells(self):
        return {
            (part.removeprefix("LIVE#"), cell): n
            for (part, cell), n in self.cells.items()
            if part.startswith("LIVE#")
        }

    def month(self, month, now, **query):
        services = Services(self)
        groups, total = month_counters(month, ReportQuery(**query), None, services, now)
        return values(total, CAL), {key: values(n, CAL) for key, n in groups.items()}


@dataclass
class Services:
    complaints: Ledger
    calendar: BusinessCalendar = CAL


def act(case, action, body, at, user="sup-1", roles=("supervisor",)):
    actor = Actor(user_id=user, roles=roles, departments=("service", "sales"))
    limits = POLICY.limits_for(case.grade, kind=case.data.kind.value, category="billing")
    ctx = Context(
        actor=actor,
        at=at,
        calendar=CAL,
        limits=limits,
        internal_departments=("service", "sales"),
        policy=POLICY,
    )
    perform(case, action, body, ctx)
    return ctx


def change_grade(case, grade, at):
    """A manager regrades the case (the media took it up)."""
    return act(
        case,
        Action.change_grade,
        c.GradeChange(grade=grade, reason="media"),
        at,
        roles=("manager",),
    )


@pytest.fixture
def ledger():
    return Ledger()


def handle_to_resolution(ledger, case, accept_at, resolve_at, resolution=RESOLUTION):
    act(case, Action.accept, c.Empty(), accept_at)
    ledger.commit(case)
    act(case, Action.assign, c.Assign(handler="han-1"), accept_at)
    ledger.commit(case)
    act(case, Action.start, c.Empty(), accept_at)
    ledger.commit(case)
    act(case, Action.resolve, resolution, resolve_at)
    ledger.commit(case)


def test_received_and_closure_rate_count_cases_received_in_the_month(ledger):
    done = ledger.new(t(11, 2))
    ledger.commit(done)
    late = ledger.new(t(11, 30))
    ledger.commit(late)
    handle_to_resolution(ledger, done, t(11, 3), t(11, 10))
    handle_to_resolution(ledger, late, t(12, 1), t(12, 2))  # resolved in December
    nov, _ = ledger.month("2026-11", t(12, 20))
    assert nov["received"] == 2 and nov["accepted"] == 1 and nov["resolved"] == 1
    assert nov["closure_rate"] == {"numerator": 1, "denominator": 2, "value": 0.5}
    dec, _ = ledger.month("2026-12", t(12, 20))
    assert dec["received"] == 0 and dec["resolved"] == 1 and dec["accepted"] == 1
    assert dec["closure_rate"]["value"] is None  # 0 received: "-", never 0% or 100%


def test_a_case_accepted_late(ledger):
    case = ledger.new(t(11, 2))  # Monday; acceptance within 3 working days
    ledger.commit(case)
    due = case.deadlines["acceptance"].due
    assert due == t(11, 5, 18)
    act(case, Action.accept, c.Empty(), t(11, 6, 10))
    ledger.commit(case)
    nov, _ = ledger.month("2026-11", t(12, 1, 9))
    assert nov["on_time_acceptance_rate"] == {"numerator": 0, "denominator": 1, "value": 0.0}
    assert nov["overdue_acceptance"] == 0  # decided before the month ended
    # 4 working days of 9 hours; the histogram's bucket ends at 5 days
    assert nov["time_to_accept"] == {"mean": 36.0, "p50": 45.0, "p90": 45.0, "count": 1}


def test_a_case_accepted_on_time_and_one_never_decided(ledger):
    on_time, never = ledger.new(t(11, 2)), ledger.new(t(11, 2))
    ledger.commit(on_time)
    ledger.commit(never)
    act(on_time, Action.accept, c.Empty(), t(11, 5, 17))
    ledger.commit(on_time)
    nov, _ = ledger.month("2026-11", t(12, 3))
    assert nov["on_time_acceptance_rate"] == {"numerator": 1, "denominator": 2, "value": 0.5}
    assert nov["overdue_acceptance"] == 1
    # both are open at the end; both missed first contact (24 hours), one its acceptance
    assert nov["backlog"]["overdue"] == 2


def test_an_extension_makes_a_late_resolution_on_time(ledger):
    case = ledger.new(t(11, 2))
    ledger.commit(case)
    old_due = case.deadlines["resolution"].due
    assert old_due == t(11, 23, 18)
    act(case, Action.accept, c.Empty(), t(11, 3))
    act(case, Action.assign, c.Assign(handler="han-1"), t(11, 3))
    act(case, Action.start, c.Empty(), t(11, 3), user="han-1", roles=("handler",))
    ledger.commit(case)
    body = c.ExtensionRequestBody(reason="waiting for parts", new_due=t(11, 26, 18))
    act(case, Action.request_extension, body, t(11, 20), user="han-1", roles=("handler",))
    ledger.commit(case)
    act(case, Action.decide_extension, c.ExtensionDecision(approve=True), t(11, 20, 15))
    ledger.commit(case)
    act(case, Action.resolve, RESOLUTION, t(11, 25), user="han-1", roles=("handler",))
    ledger.commit(case)
    nov, _ = ledger.month("2026-11", t(12, 1, 9))
    assert nov["extensions"] == 1
    assert nov["on_time_resolution_rate"] == {"numerator": 1, "denominator": 1, "value": 1.0}


def test_an_extension_moves_the_case_to_the_month_of_its_new_deadline(ledger):
    case = ledger.new(t(11, 5))
    ledger.commit(case)
    assert case.deadlines["resolution"].due == t(11, 26, 18)
    act(case, Action.accept, c.Empty(), t(11, 6))
    act(case, Action.assign, c.Assign(handler="han-1"), t(11, 6))
    act(case, Action.start, c.Empty(), t(11, 6))
    ledger.commit(case)
    body = c.ExtensionRequestBody(reason="parts", new_due=t(12, 1, 18))
    act(case, Action.request_extension, body, t(11, 20), user="han-1", roles=("handler",))
    act(case, Action.decide_extension, c.ExtensionDecision(approve=True), t(11, 20))
    ledger.commit(case)
    nov, _ = ledger.month("2026-11", t(12, 2))
    dec, _ = ledger.month("2026-12", t(12, 2))
    assert nov["on_time_resolution_rate"]["denominator"] == 0
    assert dec["on_time_resolution_rate"]["denominator"] == 1
    assert dec["on_time_resolution_rate"]["numerator"] == 0  # not resolved yet
    assert nov["overdue_resolution"] == 0


def test_a_pause_is_not_counted_and_moves_the_deadline(ledger):
    case = ledger.new(t(11, 2))
    ledger.commit(case)
    act(case, Action.accept, c.Empty(), t(11, 2, 11))
    act(case, Action.assign, c.Assign(handler="han-1"), t(11, 2, 11))
    act(case, Action.start, c.Empty(), t(11, 2, 11))
    ledger.commit(case)
    act(case, Action.wait, c.Wait(reason="photos asked for"), t(11, 3, 10))
    ledger.commit(case)
    act(case, Action.resume, c.Empty(), t(11, 30, 10))  # 19 working days paused
    ledger.commit(case)
    moved = case.deadlines["resolution"].due
    assert moved > t(11, 30, 18)
    act(case, Action.resolve, RESOLUTION, t(12, 1, 10))
    ledger.commit(case)
    dec, _ = ledger.month("2026-12", t(12, 31))
    # 2 Nov 10:00 to 3 Nov 10:00 (9 h) + 30 Nov 10:00 to 1 Dec 10:00 (9 h)
    assert dec["time_to_resolve"]["mean"] == 18.0
    rate = dec["on_time_resolution_rate"] if moved.month == 12 else None
    assert rate == {"numerator": 1, "denominator": 1, "value": 1.0}
    nov, _ = ledger.month("2026-11", t(12, 31))
    assert nov["on_time_resolution_rate"]["denominator"] == 0


def test_a_withdrawn_case(ledger):
    early, late = ledger.new(t(11, 2)), ledger.new(t(11, 2))
    ledger.commit(early)
    ledger.commit(late)
    withdraw(early, "sorted it out myself", t(11, 3))
    ledger.commit(early)
    withdraw(late, None, t(11, 9))  # after the acceptance deadline of 5 Nov was missed
    ledger.commit(late)
    nov, _ = ledger.month("2026-11", t(12, 1, 9))
    assert nov["withdrawn"] == 2 and nov["received"] == 2 and nov["closed"] == 0
    # withdrawn before its deadline: no obligation left; after it: late, stays counted
    assert nov["on_time_acceptance_rate"] == {"numerator": 0, "denominator": 1, "value": 0.0}
    assert nov["on_time_resolution_rate"]["denominator"] == 0
    assert sum(nov["backlog"].values()) == 0


def test_a_recomplaint(ledger):
    first = ledger.new(t(11, 2))
    ledger.commit(first)
    handle_to_resolution(ledger, first, t(11, 3), t(11, 4))
    second = ledger.new(t(11, 12), related_to=first.number)
    link_recomplaint(first, second.number, t(11, 12))
    ledger.commit(second, first)
    other = ledger.new(t(11, 13))
    ledger.commit(other)
    nov, _ = ledger.month("2026-11", t(12, 1))
    assert nov["recomplaints"] == 1 and nov["received"] == 3
    assert nov["recomplaint_rate"] == {"numerator": 1, "denominator": 3, "value": 0.333333}
    assert nov["closed"] == 1  # the original, closed by the re-complaint


def test_reopened_case_counts_its_second_resolution_as_re_resolved(ledger):
    case = ledger.new(t(11, 2))
    ledger.commit(case)
    handle_to_resolution(ledger, case, t(11, 3), t(11, 4))
    act(case, Action.reopen, c.Reopen(reason="not fixed"), t(11, 6), roles=("manager",))
    ledger.commit(case)
    act(case, Action.resolve, RESOLUTION, t(11, 9))
    ledger.commit(case)
    nov, _ = ledger.month("2026-11", t(12, 1))
    assert nov["resolved"] == 1 and nov["re_resolved"] == 1
    assert nov["time_to_resolve"]["count"] == 1
    # a reopen starts a new resolution period (6 Nov + 15 working days = 27 Nov): both
    # periods fall in November and both were met
    assert case.deadlines["resolution"].due == t(11, 27, 18)
    assert nov["on_time_resolution_rate"] == {"numerator": 2, "denominator": 2, "value": 1.0}


def test_transfer_counts_for_the_first_department_and_resolution_for_the_second(ledger):
    case = ledger.new(t(11, 2), department="service")
    ledger.commit(case)
    act(case, Action.transfer, c.Transfer(to="sales", reason="their product"), t(11, 3))
    ledger.commit(case)
    handle_to_resolution(ledger, case, t(11, 4), t(11, 10))
    _, groups = ledger.month("2026-11", t(12, 1))
    assert groups["service"]["received"] == 1 and groups["service"]["transferred"] == 1
    assert groups["service"]["on_time_acceptance_rate"]["numerator"] == 1  # decided by transfer
    assert groups["sales"]["received"] == 0
    assert groups["sales"]["accepted"] == 1 and groups["sales"]["resolved"] == 1
    assert groups["sales"]["on_time_resolution_rate"]["numerator"] == 1


def test_follow_up_and_satisfaction(ledger):
    happy, unhappy = ledger.new(t(11, 2)), ledger.new(t(11, 2))
    for case, score in ((happy, 5), (unhappy, 2)):
        ledger.commit(case)
        handle_to_resolution(ledger, case, t(11, 3), t(11, 4))
        ctx = act(case, Action.add_note, c.Note(text="x"), t(11, 12))
        stamp(case, "follow_up_sent", ctx, {}, lambda c_: _met(c_, "follow_up", t(11, 12)))
        answer = SurveyAnswer(score=score, solved=score > 3)
        ctx = act(case, Action.add_note, c.Note(text="y"), t(11, 13))
        stamp(case, "survey_answered", ctx, answer.model_dump(mode="json"))
        ledger.commit(case)
    nov, _ = ledger.month("2026-11", t(12, 1))
    assert nov["follow_up_rate"] == {"numerator": 2, "denominator": 2, "value": 1.0}
    assert nov["satisfaction_rate"] == {"numerator": 1, "denominator": 2, "value": 0.5}
    assert nov["mean_satisfaction"] == {"sum": 7, "count": 2, "value": 3.5}


def _met(case, name, at):
    case.deadlines[name].met_at = at


def test_escalations_by_level(ledger):
    case = ledger.new(t(11, 2))
    ledger.commit(case)
    ctx = act(case, Action.add_note, c.Note(text="x"), t(11, 6))
    stamp(case, "escalated", ctx, {"deadline": "acceptance", "level": 2})
    stamp(case, "reminded", ctx, {"deadline": "resolution", "level": 0})
    ledger.commit(case)
    nov, _ = ledger.month("2026-11", t(12, 1))
    assert nov["escalations_L2"] == 1 and nov["escalations_L1"] == 0


def test_backlog_at_month_end_by_age_and_overdue(ledger):
    old = ledger.new(t(10, 8))  # open since October: over 20 working days, overdue
    ledger.commit(old)
    young = ledger.new(t(11, 27))  # Friday: one working day (Mon 30 Nov) by the end
    ledger.commit(young)
    gone = ledger.new(t(11, 2))
    ledger.commit(gone)
    handle_to_resolution(ledger, gone, t(11, 3), t(11, 4))
    nov, _ = ledger.month("2026-11", t(12, 10))
    # both overdue: the old one on acceptance, the young one on first contact (24 hours)
    assert nov["backlog"] == {"0-3": 1, "4-10": 0, "11-20": 0, "over_20": 1, "overdue": 2}
    oct_, _ = ledger.month("2026-10", t(12, 10))
    assert oct_["backlog"]["11-20"] == 1  # 8 Oct to 31 Oct, national-day week off
    # A change in December books November's snapshot from what the case was then:
    # the report does not move.
    act(young, Action.accept, c.Empty(), t(12, 2))
    ledger.commit(young)
    act(old, Action.refuse, c.Refuse(reason="no facts given"), t(12, 3))
    ledger.commit(old)
    assert ledger.month("2026-11", t(12, 10))[0]["backlog"] == nov["backlog"]
    assert ledger.month("2026-10", t(12, 10))[0]["backlog"] == oct_["backlog"]
    dec, _ = ledger.month("2026-12", t(12, 10))  # the running month: as of now
    assert sum(dec["backlog"][k] for k in ("0-3", "4-10", "11-20", "over_20")) == 1


def test_a_grade_change_does_not_change_a_past_month(ledger):
    case = ledger.new(t(11, 2))
    ledger.commit(case)
    before = ledger.month("2026-11", t(12, 20))
    change_grade(case, "B", t(12, 15))
    ledger.commit(case)
    after = ledger.month("2026-11", t(12, 20))
    assert after == before
    assert ledger.month("2026-11", t(12, 20), by="grade")[1].keys() == {"C"}


def test_letters_recorded_later_count_in_the_month_received(ledger):
    data = ComplaintInput(
        category="billing", subject="s", description="d", complainant={"anonymous": True}
    )
    case = Complaint.receive(
        number="TS-LETTER",
        data=data,
        received_at=t(11, 30, 15),
        channel=Channel.letter,
        department="service",
        tracking_token_hash="x",
        recorded_at=t(12, 2, 9),
    )
    case.deadlines = initial_deadlines(case.received_at, POLICY.limits_for("C"), CAL)
    ledger.commit(case)
    nov, groups = ledger.month("2026-11", t(12, 3), by="channel")
    assert nov["received"] == 1 and "letter" in groups
    assert nov["backlog"]["0-3"] == 1  # open at the end of November


def test_a_grade_change_that_brings_a_running_deadline_to_now_counts_as_the_record_says(
    ledger,
):
    """A running deadline the new grade's limit has already passed is due at once (never
    in the past, issue 13 item 1); the figures follow the record, as nothing was met or
    breached before the change."""
    case = ledger.new(t(11, 2))
    ledger.commit(case)
    act(case, Action.accept, c.Empty(), t(11, 3))
    act(case, Action.assign, c.Assign(handler="han-1"), t(11, 3))
    act(case, Action.start, c.Empty(), t(11, 3), user="han-1", roles=("handler",))
    ledger.commit(case)
    change_grade(case, "A", t(11, 16))
    ledger.commit(case)
    assert case.deadlines["resolution"].due == t(11, 16)
    act(case, Action.resolve, RESOLUTION, t(11, 20), user="han-1", roles=("handler",))
    ledger.commit(case)
    nov, _ = ledger.month("2026-11", t(12, 1, 9))
    assert nov["on_time_resolution_rate"] == {"numerator": 0, "denominator": 1, "value": 0.0}


def test_a_grade_change_that_moved_a_missed_deadline_would_not_move_the_figures(ledger):
    # The domain no longer moves a deadline already due on a grade change (issue 13 item
    # 1); the statistics hold the line on their own too, also at later changes.
    case = ledger.new(t(10, 20))
    ledger.commit(case)
    assert case.deadlines["resolution"].due.month == 11
    act(case, Action.accept, c.Empty(), t(10, 21))
    act(case, Action.assign, c.Assign(handler="han-1"), t(10, 21))
    act(case, Action.start, c.Empty(), t(10, 21))
    ledger.commit(case)
    before = [ledger.month(m, t(12, 20))[0] for m in ("2026-10", "2026-11")]
    assert before[1]["on_time_resolution_rate"]["denominator"] == 1
    ctx = act(case, Action.add_note, c.Note(text="x"), t(12, 15))

    def move(case_):
        case_.grade = "B"
        case_.deadlines["resolution"].due = t(10, 30, 18)

    stamp(case, "grade_changed", ctx, {"grade": "B"}, move)
    ledger.commit(case)
    assert [ledger.month(m, t(12, 20))[0] for m in ("2026-10", "2026-11")] == before
    act(case, Action.resolve, RESOLUTION, t(12, 16))
    ledger.commit(case)
    after = [ledger.month(m, t(12, 20))[0] for m in ("2026-10", "2026-11")]
    assert [a["on_time_resolution_rate"] for a in after] == [
        b["on_time_resolution_rate"] for b in before
    ]
    assert after[1]["overdue_resolution"] == 1


# -- the finding (issue 20) -----------------------------------------------------------------


def found(substantiated, responsible=None, valid=None, person=None):
    finding = {
        "substantiated": substantiated,
        "valid": substantiated != "no" if valid is None else valid,
    }
    if responsible:
        finding["responsible"] = {"department": responsible, "person": person}
        finding["action"] = "training"
    return c.Resolve(root_cause="cause", solution="fix", result="done", finding=finding)


def test_findings_by_responsible_department_against_a_hand_count(ledger):
    """Two found substantiated against sales, one partly against service (not valid), one
    not substantiated, one inquiry without a finding: hand-counted below."""
    workload = [
        ("service", found("yes", "sales")),
        ("service", found("yes", "sales", person="王五")),
        ("sales", found("partly", "service", valid=False)),
        ("service", found("no")),
    ]
    for day, (department, resolution) in enumerate(workload, start=2):
        case = ledger.new(t(11, day), department=department)
        ledger.commit(case)
        handle_to_resolution(ledger, case, t(11, day, 11), t(11, day + 5), resolution)
    inquiry = ledger.new(t(11, 9), kind="inquiry")
    ledger.commit(inquiry)
    handle_to_resolution(ledger, inquiry, t(11, 9, 11), t(11, 10), c.Resolve(**HANDLING))
    nov, by_department = ledger.month("2026-11", t(12, 1))
    assert (nov["substantiated"], nov["partly_substantiated"], nov["not_substantiated"]) == (
        2,
        1,
        1,
    )
    assert nov["valid_complaints"] == 2
    assert nov["substantiation_rate"] == {"numerator": 3, "denominator": 4, "value": 0.75}
    assert nov["resolved"] == 5  # the inquiry is resolved, with no finding
    # The receiving department's rows count where the case was handled...
    assert by_department["service"]["substantiated"] == 2
    assert by_department["sales"]["partly_substantiated"] == 1
    # ...by=responsible, whom the finding names ("-": none named).
    _, by_responsible = ledger.month("2026-11", t(12, 1), by="responsible")
    assert set(by_responsible) == {"sales", "service", "-"}
    assert by_responsible["sales"]["substantiated"] == 2
    assert by_responsible["sales"]["valid_complaints"] == 2
    assert by_responsible["service"]["partly_substantiated"] == 1
    assert by_responsible["service"]["valid_complaints"] == 0
    assert by_responsible["-"]["not_substantiated"] == 1
    # The resolution deadline met counts for the responsible department too (考核).
    assert by_responsible["sales"]["on_time_resolution_rate"]["denominator"] == 2


def test_substantiation_rate_of_two_found_against_sales_and_one_not(ledger):
    """The issue's "done when": 2/3."""
    for day, resolution in (
        (2, found("yes", "sales")),
        (3, found("yes", "sales")),
        (4, found("no")),
    ):
        case = ledger.new(t(11, day))
        ledger.commit(case)
        handle_to_resolution(ledger, case, t(11, day, 11), t(11, day + 1), resolution)
    nov, _ = ledger.month("2026-11", t(12, 1), kind="complaint")
    assert nov["substantiation_rate"] == {"numerator": 2, "denominator": 3, "value": 0.666667}


def test_a_finding_after_a_reopen_replaces_the_earlier_one_in_the_figures(ledger):
    case = ledger.new(t(11, 2))
    ledger.commit(case)
    handle_to_resolution(ledger, case, t(11, 3), t(11, 4), found("yes", "sales"))
    act(case, Action.reopen, c.Reopen(reason="new facts"), t(12, 2), roles=("manager",))
    ledger.commit(case)
    nov, _ = ledger.month("2026-11", t(12, 3))
    assert nov["substantiated"] == 1  # kept until a new finding is made
    act(case, Action.resolve, found("no"), t(12, 4))
    ledger.commit(case)
    nov, _ = ledger.month("2026-11", t(12, 5))
    dec, _ = ledger.month("2026-12", t(12, 5))
    assert (nov["substantiated"], nov["substantiation_rate"]["denominator"]) == (0, 0)
    assert (dec["not_substantiated"], dec["substantiation_rate"]["denominator"]) == (1, 1)
    assert dec["re_resolved"] == 1 and nov["resolved"] == 1


def test_a_recomplaint_counts_against_the_original_finding_responsible(ledger):
    first = ledger.new(t(11, 2))
    ledger.commit(first)
    handle_to_resolution(ledger, first, t(11, 3), t(11, 4), found("yes", "sales"))
    second = ledger.new(t(11, 12), related_to=first.number)
    second.related_responsible = first.responsible_department
    link_recomplaint(first, second.number, t(11, 12))
    ledger.commit(second, first)
    _, by_responsible = ledger.month("2026-11", t(12, 1), by="responsible")
    counters = Services(ledger).complaints.report_cells("2026-11")
    against = sum(
        n.get("recomplaints_against", 0)
        for cell, n in counters.items()
        if cell.endswith("#responsible#sales")
    )
    assert against == 1
    assert by_responsible["-"]["recomplaints"] == 1  # the new case itself has no finding yet
