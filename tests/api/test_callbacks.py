"""Follow-up by phone and SMS (issue 11) and the follow-up recorded as sent when nothing
was sent (issue 13 item 9), over moto: SMS in SNS, callbacks in the table."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from chalicelib.adapters.clock import FixedClock
from chalicelib.domain.actor import Actor
from chalicelib.domain.complaint_input import ComplaintInput
from chalicelib.domain.lifecycle import Action
from chalicelib.service import callbacks, staff
from chalicelib.service.intake import answer_survey, submit_complaint
from chalicelib.service.jobs import run_jobs
from tests.helpers import NOT_SUBSTANTIATED, complaint_body, post_json, topic_messages

TZ = ZoneInfo("Asia/Shanghai")
MOBILE_ONLY = {"name": "王五", "mobile": "139 1234 5678"}
OFFICE_ONLY = {"name": "赵六", "office_phone": "010-6512 3456"}
WITH_EMAIL = {"name": "Li Lei", "email": "li@example.com", "mobile": "13800138000"}
AGENT = Actor("agent-1", roles=["intake_agent"], departments=["service"])
BOSS = Actor("sup-1", roles=["supervisor"], departments=["service"])


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def services(aws):
    from chalicelib.wiring import get_services

    services = get_services()
    services.clock = FixedClock(at(2026, 3, 2, 10))
    return services


def sms_sent() -> list[tuple[str, str]]:
    return list(sns_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sms_messages.values())


def receive(services, complainant, when=None, **overrides) -> str:
    services.clock = FixedClock(when or at(2026, 3, 2, 10))
    body = complaint_body(complainant=complainant, **overrides)
    return submit_complaint(ComplaintInput.model_validate(body), services).number


def act(services, number, action, body=None, actor=BOSS):
    version = services.complaints.load(number).version
    return staff.act(number, action, body or {}, actor, version, services)


def resolve(services, number, when=None):
    services.clock = FixedClock(when or at(2026, 3, 3, 10))
    act(services, number, Action.accept)
    act(services, number, Action.assign, {"handler": "handler-1"})
    act(services, number, Action.start)
    act(
        services,
        number,
        Action.resolve,
        {"root_cause": "a", "solution": "b", "result": "ok", "finding": NOT_SUBSTANTIATED},
    )


def call(services, number, outcome, slot="morning", when=None, **extra):
    if when:
        services.clock = FixedClock(when)
    body = {"outcome": outcome, "slot": slot, **extra}
    return callbacks.record(number, body, AGENT, None, services)


def due_list(services, moment, **query):
    services.clock = FixedClock(moment)
    return callbacks.list_due(query, AGENT, services)["items"]


def events(services, number) -> list[str]:
    return [event.type for event in services.complaints.load_with_events(number)[1]]


SATISFIED = {"solved": True, "satisfaction": 5, "staff_attitude": 4, "comment": "好"}
UNHAPPY = {"solved": False, "satisfaction": 1, "staff_attitude": 2, "comment": "还是坏的"}


# -- SMS ------------------------------------------------------------------------------


def test_a_mobile_only_complainant_gets_the_acknowledgement_by_sms(services):
    number = receive(services, MOBILE_ONLY)
    [(phone, text)] = sms_sent()
    assert phone == "+8613912345678"  # stored and dialled normalised
    assert text.startswith("【某市投诉中心】您的投诉已登记")  # the signature comes first
    assert number in text and f"/track?number={number}" in text
    assert "王五" not in text and "Rude" not in text  # no personal data, no subject
    stored = services.complaints.load(number).data.complainant
    assert stored.mobile == "+8613912345678"


def test_decisions_and_outcome_follow_by_sms_in_the_complaints_language(services):
    number = receive(services, MOBILE_ONLY, language="en")
    resolve(services, number)
    texts = [text for _, text in sms_sent()]
    # Every text begins with the registered signature (SMS_SIGNATURE, tests/conftest.py).
    assert all(text.startswith("【某市投诉中心】") for text in texts), texts
    assert texts[0].startswith(f"【某市投诉中心】Your complaint {number} is registered")
    assert any("was accepted" in text for text in texts)
    assert any("was resolved" in text for text in texts)
    assert not any(text == "ok" for text in texts)  # the outcome's text stays on the page


def test_an_email_complainant_gets_no_sms_unless_they_prefer_it(services):
    receive(services, WITH_EMAIL)
    assert sms_sent() == []
    receive(services, {**WITH_EMAIL, "contact_preference": "sms"})
    assert len(sms_sent()) == 1


def test_a_preference_without_its_channel_is_refused(client):
    body = complaint_body(
        complainant={"name": "张三", "email": "a@b.cn", "contact_preference": "sms"}
    )
    response = post_json(client, "/complaints", body)
    assert response.status_code == 400
    assert "complainant" in response.json_body["error"]["fields"]


def test_the_daily_sms_cap_holds_messages_in_the_outbox_until_the_next_day(services, monkeypatch):
    from chalicelib.adapters.sms import DynamoSmsGate, GatedNotifier

    counted = []
    monkeypatch.setattr("chalicelib.observability.count", lambda name, **d: counted.append(name))
    inner = services.notifier.inner
    gate = DynamoSmsGate(2, lambda: services.calendar)
    services.notifier = GatedNotifier(inner, gate, lambda: services.clock.now())
    numbers = [receive(services, MOBILE_ONLY) for _ in range(3)]
    assert len(sms_sent()) == 2
    assert counted.count("SmsDeferred") == 1
    # The third waits, pending, for the next day's opening: not a failure, no attempt used.
    assert services.complaints.outbox_owed(at(2026, 3, 2, 23, 0)) == []
    owed = services.complaints.outbox_owed(at(2026, 3, 3, 9, 0))  # claims it for 10 min
    assert [(e.number, e.attempts, e.status) for e in owed] == [(numbers[2], 0, "pending")]
    services.clock = FixedClock(at(2026, 3, 3, 9, 15))
    report = run_jobs(services, at(2026, 3, 3, 9, 15))
    assert report.failed == 0
    assert len(sms_sent()) == 3


def test_an_opted_out_mobile_gets_no_more_sms(client, services):
    receipt = post_json(client, "/complaints", complaint_body(complainant=MOBILE_ONLY)).json_body
    assert len(sms_sent()) == 1
    path = f"/complaints/{receipt['number']}/sms-opt-out"
    assert post_json(client, path, {}, {"X-Tracking-Token": "wrong"}).status_code == 404
    answer = post_json(client, path, {}, {"X-Tracking-Token": receipt["tracking_token"]})
    assert answer.status_code == 200 and answer.json_body["sms"] == "opted_out"
    resolve(services, receipt["number"])
    post_json(client, "/complaints", complaint_body(complainant=MOBILE_ONLY))
    assert len(sms_sent()) == 1  # neither this case's updates nor a new case's receipt


# -- callbacks ------------------------------------------------------------------------


def test_a_resolved_mobile_only_case_is_in_the_callback_list(client, services, token):
    number = receive(services, MOBILE_ONLY)
    resolve(services, number)  # Tue 3 Mar: due 3 working days on, Fri 6 Mar
    assert due_list(services, at(2026, 3, 5, 10)) == []
    [item] = due_list(services, at(2026, 3, 6, 10))
    assert (item["number"], item["due_on"], item["overdue"]) == (number, "2026-03-06", False)
    assert item["phone"] == "+8613912345678"
    assert due_list(services, at(2026, 3, 9, 10), when="overdue")[0]["overdue"] is True
    assert due_list(services, at(2026, 3, 9, 10), when="today") == []
    # Over HTTP: intake agents and quality make callbacks; a handler does not.
    listed = client.http.get("/staff/callbacks", headers={"Authorization": token("intake_agent")})
    assert listed.status_code == 200 and listed.json_body["items"][0]["number"] == number
    quality = token("quality", "*")
    assert (
        client.http.get("/staff/callbacks", headers={"Authorization": quality}).status_code == 200
    )
    handler = token("handler")
    assert (
        client.http.get("/staff/callbacks", headers={"Authorization": handler}).status_code == 403
    )
    other = token("intake_agent", "sales")
    query = "/staff/callbacks?department=service"
    assert client.http.get(query, headers={"Authorization": other}).status_code == 403


def test_an_email_grade_c_case_owes_no_callback_but_grade_a_does(services):
    ordinary = receive(services, WITH_EMAIL)
    major = receive(services, WITH_EMAIL, people_affected=12)  # 10+ complainants: grade A
    resolve(services, ordinary)
    resolve(services, major)
    assert [item["number"] for item in due_list(services, at(2026, 3, 6, 10))] == [major]


def test_the_caller_sees_the_number_and_nobody_sees_more_than_before(client, services, token):
    confidential = {**MOBILE_ONLY, "confidential": True}
    number = receive(services, confidential)
    resolve(services, number)
    services.clock = FixedClock(at(2026, 3, 6, 10))
    [item] = callbacks.list_due({}, AGENT, services)["items"]
    assert item["phone"] == "+8613912345678" and item["name"] == "***"
    # The case itself, for the same agent and everyone else, stays as masked as before.
    view = client.http.get(
        f"/staff/complaints/{number}", headers={"Authorization": token("intake_agent")}
    )
    assert view.json_body["data"]["complainant"]["mobile"] == "***"
    assert "13912345678" not in view.body.decode()
    history = client.http.get(
        f"/staff/complaints/{number}/history", headers={"Authorization": token("handler")}
    )
    assert "13912345678" not in history.body.decode()


def test_three_unanswered_calls_then_a_message_then_the_case_closes(services):
    # Resolved Wed 11 Feb 2026: the callback is due 3 working days on, Sat 14 Feb (a
    # worked Saturday); retries skip the Spring Festival (15-23 Feb).
    number = receive(services, MOBILE_ONLY, when=at(2026, 2, 9, 10))
    resolve(services, number, when=at(2026, 2, 11, 10))
    assert due_list(services, at(2026, 2, 14, 9))[0]["slot"] == "morning"
    result = call(services, number, "no_answer", "morning", when=at(2026, 2, 14, 10))
    assert (result["callback"]["due_on"], result["callback"]["slot"]) == ("2026-02-24", "afternoon")
    assert due_list(services, at(2026, 2, 23, 10)) == []  # still the holiday
    call(services, number, "busy", "afternoon", when=at(2026, 2, 24, 15))
    assert due_list(services, at(2026, 2, 25, 9))[0]["slot"] == "morning"
    sent_before = len(sms_sent())
    result = call(services, number, "no_answer", "morning", when=at(2026, 2, 25, 10))
    assert result["callback"]["status"] == "message_left" and result["status"] == "resolved"
    phone, text = sms_sent()[sent_before]
    assert phone == "+8613912345678" and "/survey?n=" in text
    assert due_list(services, at(2026, 2, 26, 10)) == []  # no more calls owed
    # Two working days without a reply (26, 27 Feb): `make jobs` closes it.
    reply_by = services.complaints.load(number).deadlines["follow_up_reply"].due
    assert reply_by == at(2026, 2, 27, 18)
    services.clock = FixedClock(reply_by - timedelta(minutes=5))
    run_jobs(services, reply_by - timedelta(minutes=5))
    assert services.complaints.load(number).status.value == "resolved"
    services.clock = FixedClock(reply_by + timedelta(minutes=1))
    run_jobs(services, reply_by + timedelta(minutes=1))
    complaint = services.complaints.load(number)
    assert complaint.status.value == "closed" and complaint.follow_up_settled_by is None
    types = events(services, number)
    assert types.count("callback_attempted") == 3 and "callback_message_left" in types
    assert "follow_up_sent" not in types  # the message left was the follow-up


def test_a_satisfied_call_closes_the_case_at_once(services):
    number = receive(services, MOBILE_ONLY)
    resolve(services, number)
    result = call(services, number, "reached", when=at(2026, 3, 6, 10), answers=SATISFIED)
    assert result["status"] == "closed" and result["settled_by"] == "callback"
    complaint, history = services.complaints.load_with_events(number)
    settled = next(e for e in history if e.type == "follow_up_settled")
    assert settled.details["follow_up_answer"] is True and settled.details["score"] == 5
    assert settled.details["satisfied"] is True and settled.actor == "agent-1"
    assert complaint.callback.status.value == "settled"


def test_a_dissatisfied_call_opens_the_linked_recomplaint_one_grade_up(services):
    number = receive(services, MOBILE_ONLY)
    resolve(services, number)
    result = call(services, number, "reached", when=at(2026, 3, 6, 10), answers=UNHAPPY)
    new = services.complaints.load(result["recomplaint"])
    old = services.complaints.load(number)
    assert result["status"] == "closed" and result["recomplaint_token"]
    assert (new.related_to, new.grade, old.grade) == (number, "B", "C")
    assert old.recomplaints == [new.number] and old.status.value == "closed"
    assert "还是坏的" in new.data.description


def test_a_dissatisfied_complainant_may_ask_for_the_case_to_be_reopened(services):
    number = receive(services, MOBILE_ONLY)
    resolve(services, number)
    before = len(topic_messages())
    result = call(
        services,
        number,
        "reached",
        when=at(2026, 3, 6, 10),
        answers=UNHAPPY,
        if_dissatisfied="reopen",
        reason="the repair did not hold",
    )
    complaint = services.complaints.load(number)
    assert result["status"] == "in_progress" and complaint.assignee == "handler-1"
    told = [n for n in topic_messages()[before:] if n[3]["audience"]["Value"] == "handler"]
    assert told and "the repair did not hold" in told[0][1]


def test_a_refused_call_settles_and_a_wrong_number_stops_calling(services):
    refused = receive(services, MOBILE_ONLY)
    wrong = receive(services, MOBILE_ONLY)
    for number in (refused, wrong):
        resolve(services, number)
    assert call(services, refused, "refused", when=at(2026, 3, 6, 10))["status"] == "closed"
    result = call(services, wrong, "wrong_number", when=at(2026, 3, 6, 11))
    assert result["callback"]["status"] == "unreachable"
    assert [i["number"] for i in due_list(services, at(2026, 3, 6, 12))] == []


def test_callback_and_survey_race_one_settles_the_other_is_feedback(services):
    number = receive(services, MOBILE_ONLY)
    resolve(services, number)
    follow_up = services.complaints.load(number).deadlines["follow_up"].due
    services.clock = FixedClock(follow_up)
    run_jobs(services, follow_up)  # the SMS survey goes out
    survey_text = sms_sent()[-1][1]
    survey_token = survey_text.split("&t=")[1].split()[0]
    # The callback reads the case, then the survey answer commits before it saves.
    stale = services.complaints.load(number)
    real_load = services.complaints.load
    loads = iter([stale])
    services.complaints.load = lambda n: next(loads, None) or real_load(n)
    answer_survey(number, survey_token, {"score": 4, "solved": True}, services)
    closed_version = real_load(number).version
    result = call(services, number, "reached", answers=UNHAPPY)
    services.complaints.load = real_load
    assert result["settled_by"] == "survey" and result["recorded_as"] == "additional_feedback"
    complaint = services.complaints.load(number)
    assert complaint.status.value == "closed" and complaint.recomplaints == []
    # Nothing changes a closed case but reopen: the late answer is in the audit trail only.
    assert complaint.feedback == [] and complaint.version == closed_version
    types = events(services, number)
    assert types.count("survey_answered") == 1 and "follow_up_settled" not in types
    assert types.count("follow_up_feedback") == 1


def test_a_survey_after_a_settling_callback_is_kept_as_feedback(client, services):
    receipt = post_json(client, "/complaints", complaint_body(complainant=MOBILE_ONLY)).json_body
    number = receipt["number"]
    resolve(services, number)
    call(services, number, "reached", when=at(2026, 3, 6, 10), answers=SATISFIED)
    closed_version = services.complaints.load(number).version
    path = f"/complaints/{number}/survey"
    late = post_json(
        client, path, {"score": 1, "solved": False}, {"X-Tracking-Token": receipt["tracking_token"]}
    )
    assert late.status_code == 200 and late.json_body["recorded_as"] == "additional_feedback"
    complaint = services.complaints.load(number)
    assert complaint.status.value == "closed" and complaint.recomplaints == []
    assert complaint.follow_up_settled_by == "callback"
    assert complaint.version == closed_version and complaint.feedback == []
    assert events(services, number).count("follow_up_feedback") == 1


def test_recording_a_call_over_http(client, services, token):
    number = receive(services, MOBILE_ONLY)
    resolve(services, number)
    services.clock = FixedClock(at(2026, 3, 6, 10))
    path = f"/staff/complaints/{number}/callbacks"
    agent = {"Authorization": token("intake_agent")}
    bad = post_json(client, path, {"outcome": "reached", "slot": "noon"}, agent)
    assert bad.status_code == 400
    handler = {"Authorization": token("handler", user="handler-1")}
    assert (
        post_json(client, path, {"outcome": "busy", "slot": "morning"}, handler).status_code == 403
    )
    stale = post_json(
        client, path, {"outcome": "busy", "slot": "morning"}, {**agent, "If-Match": '"1"'}
    )
    assert stale.status_code == 409
    ok = post_json(client, path, {"outcome": "busy", "slot": "morning"}, agent)
    assert ok.status_code == 200 and ok.headers["ETag"] == f'"{ok.json_body["version"]}"'
    assert ok.json_body["callback"]["attempts"][0]["outcome"] == "busy"
    unknown = post_json(
        client,
        "/staff/complaints/TS-20260101-0009/callbacks",
        {"outcome": "busy", "slot": "morning"},
        agent,
    )
    assert unknown.status_code == 404


def test_the_morning_digest_goes_once_per_department(services):
    for _ in range(2):
        number = receive(services, MOBILE_ONLY)
        resolve(services, number)
    before = len(topic_messages())
    services.clock = FixedClock(at(2026, 3, 6, 9, 0))
    run_jobs(services, at(2026, 3, 6, 9, 0))
    run_jobs(services, at(2026, 3, 6, 9, 5))
    digests = [n for n in topic_messages()[before:] if n[3]["audience"]["Value"] == "callbacks"]
    assert len(digests) == 1 and digests[0][3]["department"]["Value"] == "service"
    assert "2 callbacks due" in digests[0][1]


def test_an_overdue_callback_escalates_to_the_supervisor(services):
    number = receive(services, MOBILE_ONLY)
    resolve(services, number)  # due Fri 6 Mar, 18:00
    services.clock = FixedClock(at(2026, 3, 9, 10))
    run_jobs(services, at(2026, 3, 9, 10))
    escalated = [
        e for e in services.complaints.load_with_events(number)[1] if e.type == "escalated"
    ]
    assert [(e.details["deadline"], e.details["role"]) for e in escalated] == [
        ("callback", "supervisor")
    ]


# -- issue 13 item 9 ------------------------------------------------------------------


def test_no_follow_up_is_recorded_as_sent_when_nothing_was_sent(services):
    """Before: the job stamped `follow_up_sent` and opened a reply window for a
    complainant it had no channel to, then closed the case as "no reply"."""
    number = receive(services, OFFICE_ONLY)
    resolve(services, number)
    follow_up = services.complaints.load(number).deadlines["follow_up"].due
    services.clock = FixedClock(follow_up + timedelta(minutes=1))
    run_jobs(services, follow_up + timedelta(minutes=1))
    complaint, history = services.complaints.load_with_events(number)
    types = [event.type for event in history]
    assert "follow_up_sent" not in types and "follow_up_by_callback" in types
    assert "follow_up_reply" not in complaint.deadlines
    # Weeks later the case is still open for its callback, never closed as unanswered.
    later = follow_up + timedelta(days=30)
    services.clock = FixedClock(later)
    run_jobs(services, later)
    assert services.complaints.load(number).status.value == "resolved"
    assert due_list(services, later)[0]["phone"] == "010-6512 3456"


def test_a_follow_up_by_sms_is_recorded_with_its_channel(services):
    number = receive(services, MOBILE_ONLY)
    resolve(services, number)
    follow_up = services.complaints.load(number).deadlines["follow_up"].due
    services.clock = FixedClock(follow_up)
    run_jobs(services, follow_up)
    sent = [
        e for e in services.complaints.load_with_events(number)[1] if e.type == "follow_up_sent"
    ]
    assert sent[0].details["channel"] == "sms"
    assert "/survey?n=" in sms_sent()[-1][1]
