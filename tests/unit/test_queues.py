"""The console's queues in the domain: who opens which, the nearest deadline, time left."""

from datetime import UTC, date, datetime, time, timedelta

from chalicelib.domain.actor import Actor
from chalicelib.domain.calendar import BusinessCalendar
from chalicelib.domain.complaint_input import ComplaintInput
from chalicelib.domain.model import Complaint, Deadline
from chalicelib.domain.queue_cells import booking_changes, nearest_deadline, queue_booking
from chalicelib.domain.queues import Queue, clock, due_soon_until, own_cases_only, queues_for
from chalicelib.domain.vocabulary import Status

CALENDAR = BusinessCalendar(
    country="CN",
    extra_days_off=frozenset(),
    extra_working_days=frozenset(),
    timezone="Asia/Shanghai",
    business_start=time(9),
    business_end=time(18),
)
# Monday 2026-11-23, 10:00 in Shanghai.
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def complaint(**deadlines) -> Complaint:
    data = ComplaintInput(
        category="billing",
        subject="s",
        description="d",
        complainant={"name": "n", "mobile": "13800138000"},
    )
    return Complaint(
        number="TS-20261123-0001",
        received_at=NOW - timedelta(days=3),
        channel="web",
        grade="C",
        department="service",
        tracking_token_hash="x",
        data=data,
        deadlines={
            name: Deadline(start=NOW - timedelta(days=3), due=due)
            for name, due in deadlines.items()
        },
    )


def test_the_nearest_pending_deadline_sorts_the_case():
    case = complaint(resolution=NOW + timedelta(days=9), first_contact=NOW + timedelta(hours=2))
    assert nearest_deadline(case) == ("first_contact", NOW + timedelta(hours=2))
    case.deadlines["first_contact"].met_at = NOW
    assert nearest_deadline(case)[0] == "resolution"
    case.status = Status.closed
    assert nearest_deadline(case) is None  # finished cases leave the queues


def test_the_grade_review_does_not_sort_a_case():
    case = complaint(grade_review=NOW + timedelta(hours=1), resolution=NOW + timedelta(days=5))
    assert nearest_deadline(case)[0] == "resolution"


def test_time_left_is_in_working_hours_and_negative_once_breached():
    # Due Tuesday 10:00: 8 business hours left on Monday, 1 on Tuesday morning.
    soon = NOW + timedelta(days=1)
    # Breached last Friday at 17:00: 1 hour on Friday, 1 hour this Monday morning.
    breached = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    result = clock(complaint(resolution=soon, acceptance=breached), NOW, CALENDAR)
    assert result["deadlines"]["resolution"]["working_hours_left"] == 9.0
    assert result["deadlines"]["resolution"]["overdue"] is False
    assert result["deadlines"]["acceptance"] == {
        "due": breached.isoformat(),
        "working_hours_left": -2.0,
        "overdue": True,
        "due_soon": False,
    }
    assert result["nearest"] == "acceptance"


def test_who_opens_which_queue():
    handler = Actor("h", roles=["handler"], departments=["service"])
    supervisor = Actor("s", roles=["supervisor"], departments=["service"])
    intake = Actor("i", roles=["intake_agent"], departments=["service"])
    assert queues_for(handler) == [Queue.mine, Queue.due, Queue.waiting, Queue.replied]
    assert Queue.to_accept in queues_for(supervisor)
    assert queues_for(intake) == []
    assert own_cases_only(handler) and not own_cases_only(supervisor)
    assert date(2026, 11, 23).weekday() == 0


def test_the_due_queue_holds_exactly_what_the_clock_calls_due_soon():
    """The due queue's bound and each case's `due_soon` agree, also for a deadline that
    falls in the night or weekend after the 8th working hour (found by the clock guard)."""
    friday = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    until = due_soon_until(friday, CALENDAR)
    for hours in (1, 7.5, 8, 12, 24, 47, 71, 71.5, 72):  # up to Monday 10:00
        due = friday + timedelta(hours=hours)
        view = clock(complaint(resolution=due), friday, CALENDAR)["deadlines"]["resolution"]
        assert view["due_soon"] == (due <= until), hours


def test_unread_replies_book_the_replied_cells_and_the_seen_mark_unbooks_them():
    from chalicelib.domain.conversation import mark_replies_seen, opens_replies

    case = complaint(resolution=NOW + timedelta(days=2))
    case.status, case.assignee = Status.in_progress, "han-1"
    before = queue_booking(case)
    assert [cell for cell, _ in before] == ["D#service#in_progress", "A#han-1#in_progress"]
    case.replies_unread = 2
    after = queue_booking(case)
    assert {cell for cell, _ in after} - {cell for cell, _ in before} == {
        "RD#service#in_progress",
        "RA#han-1#in_progress",
    }
    assert not opens_replies(case, "sup-1") and opens_replies(case, "han-1")
    mark_replies_seen(case)
    changes = booking_changes(after, queue_booking(case))
    assert changes == {cell: {hour: -1} for cell, hour in after if cell.startswith("R")}
    assert not opens_replies(case, "han-1")
