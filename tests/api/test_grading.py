"""Automatic grades at intake: collective complaints and the same issue raised repeatedly."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.adapters.clock import FixedClock
from chalicelib.domain.complaint_input import ComplaintInput
from chalicelib.service.intake import submit_complaint
from tests.helpers import complaint_body

START = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
RESPONDENT = {"department": "Counter 3", "person": "Wang"}


@pytest.fixture
def services(aws):
    from chalicelib.wiring import get_services

    return get_services()


def intake(services, email, when=START, **overrides):
    services.clock = FixedClock(when)
    body = complaint_body(**{"respondent": RESPONDENT, **overrides})
    body["complainant"] = {"name": "X", "email": email}
    number = submit_complaint(ComplaintInput.model_validate(body), services).number
    return services.complaints.load_with_events(number)


@pytest.mark.parametrize("people, grade", [(1, "C"), (3, "B"), (9, "B"), (10, "A")])
def test_collective_complaints_are_graded_by_people_affected(services, people, grade):
    complaint, _ = intake(services, "a@example.com", people_affected=people)
    assert complaint.grade == grade


def test_third_different_complainant_within_30_days_makes_it_grade_b(services):
    intake(services, "a@example.com")
    intake(services, "b@example.com", when=START + timedelta(days=10))
    third, events = intake(services, "c@example.com", when=START + timedelta(days=20))
    assert third.grade == "B"
    [change] = [event for event in events if event.type == "grade_changed"]
    assert change.changes["grade"] == ["C", "B"] and "3 complainants" in change.details["reason"]
    # Higher grade, shorter deadline: B resolves in 10 working days, C in 15.
    expected = services.calendar.working_days_deadline(third.received_at, 10)
    assert third.deadlines["resolution"].due == expected


def test_the_same_complainant_again_does_not_count_twice(services):
    for day in (0, 1, 2):
        complaint, _ = intake(services, "same@example.com", when=START + timedelta(days=day))
    assert complaint.grade == "C"


def test_complaints_older_than_30_days_drop_out(services):
    intake(services, "a@example.com")
    intake(services, "b@example.com", when=START + timedelta(days=5))
    late, _ = intake(services, "c@example.com", when=START + timedelta(days=40))
    assert late.grade == "C"


def test_other_respondent_is_another_issue(services):
    intake(services, "a@example.com")
    intake(services, "b@example.com")
    other, _ = intake(services, "c@example.com", respondent={"department": "Counter 4"})
    assert other.grade == "C"


def test_repeat_item_names_nobody(services):
    from chalicelib.adapters.dynamo import RepeatItem

    intake(services, "a@example.com")
    items = list(RepeatItem.batch_get([(f"REPEAT#{key}", "REPEAT") for key in _issue_keys()]))
    assert items and "a@example.com" not in items[0].seen and "Wang" not in items[0].pk


def _issue_keys():
    from chalicelib.domain.grading import issue_key

    return [issue_key("service_attitude", "Counter 3", "Wang")]
