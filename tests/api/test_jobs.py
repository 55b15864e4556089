"""The scheduled job: reminders, escalations, quiet hours, digests, follow-up, outbox retry."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.adapters.clock import FixedClock
from chalicelib.domain.complaint_input import ComplaintInput
from chalicelib.service.intake import submit_complaint
from chalicelib.service.jobs import run_jobs
from tests.helpers import (
    NOT_SUBSTANTIATED,
    complaint_body,
    sent_emails,
    services_at,
    topic_messages,
)

TZ = ZoneInfo("Asia/Shanghai")
FRIDAY = datetime(2026, 2, 13, 10, 0, tzinfo=TZ)  # the Friday before the Spring Festival


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def services(aws):
    return services_at(FRIDAY)


def receive(services, when=FRIDAY, **overrides):
    services.clock = FixedClock(when)
    data = ComplaintInput.model_validate(complaint_body(**overrides))
    return submit_complaint(data, services).number


def run(services, when):
    services.clock = FixedClock(when)
    return run_jobs(services, when)


def history(services, number):
    return services.complaints.load_with_events(number)[1]


def chased(services, number):
    return [
        (event.type, event.details["deadline"], event.details["role"])
        for event in history(services, number)
        if event.type in ("reminded", "escalated")
    ]


def staff_notes():
    return [
        n
        for n in topic_messages()
        if n[3]["audience"]["Value"] != "supervisors"
        or "Reminder" in (n[2] or "")
        or "Escalation" in (n[2] or "")
    ]


def test_deadlines_skip_the_spring_festival_and_count_the_worked_saturday(services):
    number = receive(services)
    due = {
        name: d.due.astimezone(TZ) for name, d in services.complaints.load(number).deadlines.items()
    }
    # Grade C: acceptance 3 working days: Sat 14 Feb (worked), then 24 and 25 Feb.
    assert due["acceptance"] == at(2026, 2, 25, 18, 0)
    assert due["first_contact"] == at(2026, 2, 14, 10, 0)  # 24 hours on the clock
    # Resolution 15 working days: 14 Feb, 24-27 Feb, 28 Feb (worked Saturday), 2-13 Mar.
    assert due["resolution"] == at(2026, 3, 12, 18, 0)


def test_one_reminder_then_one_escalation_per_level(services):
    number = receive(services)
    run(services, at(2026, 2, 14, 9, 30))  # 75% of first contact passed (at 04:00: quiet)
    assert chased(services, number) == [("reminded", "first_contact", "supervisor")]
    run(services, at(2026, 2, 14, 9, 35))
    assert len(chased(services, number)) == 1  # nothing twice
    run(services, at(2026, 2, 14, 10, 5))  # breached
    assert chased(services, number)[-1] == ("escalated", "first_contact", "manager")
    run(services, at(2026, 2, 24, 18, 1))  # a working day later, but after hours: wait
    assert len(chased(services, number)) == 2
    run(services, at(2026, 2, 25, 9, 0))
    events = chased(services, number)
    assert sorted(events[2:]) == [
        ("escalated", "first_contact", "director"),
        ("reminded", "acceptance", "supervisor"),
    ]
    complaint = services.complaints.load(number)
    assert complaint.escalation_level == 3
    for when in (at(2026, 2, 25, 9, 5), at(2026, 2, 25, 9, 10)):
        run(services, when)
    assert chased(services, number) == events  # retried runs send nothing more


def test_handler_is_reminded_once_assigned(services):
    from chalicelib.domain.actor import Actor
    from chalicelib.domain.lifecycle import Action
    from chalicelib.service import staff

    number = receive(services)
    boss = Actor("sup-1", roles=["supervisor"], departments=["service"])
    for action, body in ((Action.accept, {}), (Action.assign, {"handler": "han-1"})):
        version = services.complaints.load(number).version
        staff.act(number, action, body, boss, version, services)
    run(services, at(2026, 2, 14, 9, 30))
    assert chased(services, number) == [("reminded", "first_contact", "handler")]
    [note] = [
        n for n in topic_messages() if n[3]["audience"]["Value"] == "handler" and "Reminder" in n[2]
    ]
    assert note[3]["user"]["Value"] == "han-1"


def test_quiet_hours_hold_staff_notices_until_the_next_business_hour(services):
    number = receive(services)
    run(services, at(2026, 2, 14, 4, 5))  # reminder point passed at 04:00, a quiet hour
    assert chased(services, number) == []
    assert services.complaints.load(number).next_due_at == at(2026, 2, 14, 9, 0)
    report = run(services, at(2026, 2, 14, 9, 0))
    assert report.notices == 1 and len(chased(services, number)) == 1


def test_many_notices_for_one_person_make_one_digest(services):
    numbers = [receive(services) for _ in range(4)]
    before = len(topic_messages())
    report = run(services, at(2026, 2, 14, 9, 30))
    assert report.changed == 4 and report.notices == 4
    new = topic_messages()[before:]
    assert len(new) == 1
    assert all(number in new[0][1] for number in numbers)
    assert new[0][2].startswith("4 complaints")


def test_job_reads_only_what_is_due(services):
    due_first = receive(services)
    later = receive(services, when=at(2026, 3, 2, 10, 0))
    assert services.complaints.due_numbers(at(2026, 2, 14, 9, 30)) == [due_first]
    assert later not in services.complaints.due_numbers(at(2026, 2, 14, 9, 30))


def test_two_overlapping_runs_send_each_notice_once(services, monkeypatch):
    from moto.core.botocore_stubber import BotocoreStubber

    lock, original = threading.Lock(), BotocoreStubber.__call__

    def atomic(self, *args, **kwargs):
        with lock:
            return original(self, *args, **kwargs)

    monkeypatch.setattr(BotocoreStubber, "__call__", atomic)
    numbers = [receive(services) for _ in range(3)]
    when = at(2026, 2, 14, 9, 30)
    threads = [threading.Thread(target=run_jobs, args=(services, when)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for number in numbers:
        assert chased(services, number) == [("reminded", "first_contact", "supervisor")]


def resolve(services, number, when):
    from chalicelib.domain.actor import Actor
    from chalicelib.domain.lifecycle import Action
    from chalicelib.service import staff

    services.clock = FixedClock(when)
    boss = Actor("sup-1", roles=["supervisor"], departments=["service"])
    resolution = {
        "root_cause": "a",
        "solution": "b",
        "result": "Refunded",
        "finding": NOT_SUBSTANTIATED,
    }
    steps = (
        (Action.accept, {}),
        (Action.assign, {"handler": "sup-1"}),
        (Action.start, {}),
        (Action.resolve, resolution),
    )
    for action, body in steps:
        version = services.complaints.load(number).version
        staff.act(number, action, body, boss, version, services)


def test_follow_up_survey_then_auto_close_without_reply(services):
    number = receive(services, when=at(2026, 3, 2, 10, 0), language="en")
    resolve(services, number, at(2026, 3, 3, 10, 0))
    follow_up = services.complaints.load(number).deadlines["follow_up"].due
    run(services, follow_up + timedelta(minutes=1))
    survey = sent_emails()[-1]
    assert survey.subject.startswith("How did we do?") and "/survey?number=" in survey.body
    reply_by = services.complaints.load(number).deadlines["follow_up_reply"].due
    run(services, reply_by - timedelta(minutes=5))
    assert services.complaints.load(number).status.value == "resolved"
    run(services, reply_by + timedelta(minutes=1))
    complaint = services.complaints.load(number)
    assert complaint.status.value == "closed" and complaint.next_due_at is None
    types = [event.type for event in history(services, number)]
    assert types[-2:] == ["follow_up_sent", "closed"]


def test_survey_answers(client, services):

    from tests.helpers import post_json

    receipts = []
    for _ in range(2):
        services.clock = FixedClock(at(2026, 3, 2, 10, 0))
        receipts.append(post_json(client, "/complaints", complaint_body()).json_body)
    for receipt in receipts:
        resolve(services, receipt["number"], at(2026, 3, 3, 10, 0))
    run(services, services.complaints.load(receipts[0]["number"]).deadlines["follow_up"].due)
    happy, unhappy = receipts
    [link] = [m.body for m in sent_emails() if f"number={happy['number']}&" in m.body]
    survey_token = link.split("token=")[1].split()[0]

    path = f"/complaints/{happy['number']}/survey"
    bad = post_json(client, path, {"score": 9, "solved": True}, {"X-Tracking-Token": survey_token})
    assert bad.status_code == 400
    ok = post_json(client, path, {"score": 5, "solved": True}, {"X-Tracking-Token": survey_token})
    assert ok.status_code == 200 and ok.json_body["status"] == "closed"

    path = f"/complaints/{unhappy['number']}/survey"
    answer = {"score": 1, "solved": False, "comment": "Nothing changed"}
    again = post_json(client, path, answer, {"X-Tracking-Token": unhappy["tracking_token"]})
    assert again.status_code == 200
    new = services.complaints.load(again.json_body["recomplaint"])
    from chalicelib.domain.tokens import token_matches

    assert token_matches(again.json_body["recomplaint_token"], new.tracking_token_hash)
    assert new.related_to == unhappy["number"] and new.grade == "B"
    assert services.complaints.load(unhappy["number"]).survey.score == 1


def test_outbox_retry_backs_off_then_delivers_once(services):
    from chalicelib.adapters.notifier import AwsNotifier

    good = services.notifier
    services.notifier = AwsNotifier("unverified@example.net", good.topic_arn)
    number = receive(services, when=at(2026, 3, 2, 10, 0))
    services.notifier = good
    assert sent_emails() == []

    early = run(services, at(2026, 3, 2, 10, 2))  # before the first backoff (5 minutes)
    assert early.outbox_retried == 0
    later = run(services, at(2026, 3, 2, 10, 6))
    assert later.outbox_retried == 1 and len(sent_emails()) == 1
    run(services, at(2026, 3, 2, 11, 0))
    assert len(sent_emails()) == 1  # a delivered notification is never sent again
    assert number in sent_emails()[0].subject


def test_outbox_gives_up_after_the_limit_and_lists_for_admins(client, services, token):
    from chalicelib.adapters.notifier import AwsNotifier
    from chalicelib.service.outbox import MAX_ATTEMPTS

    services.notifier = AwsNotifier("unverified@example.net", services.notifier.topic_arn)
    receive(services, when=at(2026, 3, 2, 10, 0))
    when = at(2026, 3, 2, 10, 0)
    for _ in range(MAX_ATTEMPTS + 2):
        when += timedelta(hours=3)
        run(services, when)
    failed = client.http.get("/staff/outbox/failed", headers={"Authorization": token("admin", ())})
    [item] = failed.json_body["items"]
    assert item["attempts"] == MAX_ATTEMPTS and "MessageRejected" in item["last_error"]
    assert "@" not in item["last_error"]
    refused = client.http.get(
        "/staff/outbox/failed", headers={"Authorization": token("supervisor")}
    )
    assert refused.status_code == 403


def test_unresolved_after_a_month_goes_up_a_grade(services):
    number = receive(services, when=at(2026, 3, 2, 10, 0))
    run(services, at(2026, 4, 1, 10, 5))
    complaint = services.complaints.load(number)
    assert complaint.grade == "B"
    assert "grade_changed" in [event.type for event in history(services, number)]


def test_an_owed_retry_is_claimed_by_one_run_only(services):
    from chalicelib.adapters.notifier import AwsNotifier

    good = services.notifier
    services.notifier = AwsNotifier("unverified@example.net", good.topic_arn)
    receive(services, when=at(2026, 3, 2, 10, 0))
    services.notifier = good
    later = at(2026, 3, 2, 10, 6)
    first = services.complaints.outbox_owed(later)
    second = services.complaints.outbox_owed(later)  # an overlapping run
    assert len(first) == 1 and second == []
    # Unsent after the lease (the first run died), the entry is owed again.
    assert len(services.complaints.outbox_owed(later + timedelta(minutes=11))) == 1


def test_undelivered_entries_of_a_crashed_request_are_picked_up_after_a_grace(
    services, monkeypatch
):
    import chalicelib.service.intake as intake

    monkeypatch.setattr(intake, "deliver", lambda *args: None)  # died right after commit
    number = receive(services, when=at(2026, 3, 2, 10, 0))
    # The command itself may still be delivering: the job leaves new entries alone.
    assert services.complaints.outbox_owed(at(2026, 3, 2, 10, 1)) == []
    owed = services.complaints.outbox_owed(at(2026, 3, 2, 10, 3))
    assert {entry.number for entry in owed} == {number} and len(owed) == 2


def escalations(services, number):
    return [
        (event.details["deadline"], event.details["level"])
        for event in history(services, number)
        if event.type in ("reminded", "escalated")
    ]


def test_the_grade_review_neither_moves_a_breached_deadline_nor_tells_anyone_twice(services):
    """Issue 13 item 1: received Fri 13 Feb 10:00, never accepted; jobs run every working
    day; a month later the grade goes up."""
    number = receive(services)
    before = services.complaints.load(number).deadlines
    day = at(2026, 2, 24, 9, 0)
    while day < at(2026, 3, 20):
        run(services, day)
        run(services, day.replace(hour=18, minute=5))
        day += timedelta(days=1)
    complaint = services.complaints.load(number)
    assert complaint.grade == "B"  # reviewed on 15 Mar
    told = escalations(services, number)
    assert len(told) == len(set(told)), told  # one level, one obligation: told once
    assert ("acceptance", 3) in told
    for name in ("acceptance", "first_contact", "resolution"):
        # each was breached before the review: its due stays where it was
        assert complaint.deadlines[name].due == before[name].due, name


def test_a_grade_change_never_moves_a_deadline_into_the_past(services):
    from chalicelib.domain.actor import Actor
    from chalicelib.domain.lifecycle import Action
    from chalicelib.service import staff

    number = receive(services)
    boss = Actor("man-1", roles=["manager"], departments=["service"])
    for action, body in ((Action.accept, {}), (Action.assign, {"handler": "han-1"})):
        services.clock = FixedClock(at(2026, 2, 24, 9, 0))
        version = services.complaints.load(number).version
        staff.act(number, action, body, boss, version, services)
    now = at(2026, 3, 4, 10, 0)  # grade A would have been due on 24 Feb
    services.clock = FixedClock(now)
    version = services.complaints.load(number).version
    staff.act(
        number, Action.change_grade, {"grade": "A", "reason": "media"}, boss, version, services
    )
    resolution = services.complaints.load(number).deadlines["resolution"]
    assert resolution.due == now


def test_grade_change_notices_in_quiet_hours_wait_for_the_morning_digest(services):
    """Issue 13 item 2: the review runs at 22:00 on a Sunday; supervisors hear of it in the
    morning, in one digest with that run's other notices."""
    numbers = [receive(services, when=at(2026, 3, 2, 10, 0)) for _ in range(2)]
    run(services, at(2026, 3, 2, 17, 0))
    before = len(topic_messages())
    report = run(services, at(2026, 4, 5, 22, 0))  # Sunday night, a month on
    assert topic_messages()[before:] == []  # nothing to staff at night
    assert all(services.complaints.load(n).grade == "B" for n in numbers)
    assert report.changed == 2 and report.held == 2

    run(services, at(2026, 4, 7, 9, 0))  # Tue 7 Apr 2026: first working morning (清明 on Mon)
    new = topic_messages()[before:]
    grade_notes = [
        n for n in new if "Grade B" in n[1] and n[3]["audience"]["Value"] == "supervisors"
    ]
    assert len(grade_notes) == 1 and len(new) <= 2, [n[2] for n in new]
    assert all(number in grade_notes[0][1] for number in numbers)
    run(services, at(2026, 4, 7, 9, 5))
    assert len(topic_messages()) == before + len(new)  # each sent once
