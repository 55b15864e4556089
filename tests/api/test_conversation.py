"""Talking with the complainant (issue 17): messages, requests for information, replies
on the tracking page, the contact log and the staff thread, over moto with a pinned clock."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from chalicelib.adapters.clock import FixedClock
from tests.helpers import (
    complaint_body,
    post_json,
    sent_emails,
    services_at,
    staff_as,
    topic_messages,
)

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)  # a working day


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def services(client):
    return services_at(MONDAY)


@pytest.fixture
def staff(client, token, services):
    return staff_as(client, token)


def in_progress(client, staff, **overrides) -> tuple[str, str]:
    """A case assigned to han-1 and started; (number, tracking token)."""
    receipt = post_json(client, "/complaints", complaint_body(**overrides)).json_body
    number = receipt["number"]
    supervisor, handler = staff("supervisor"), staff("handler", user="han-1")
    assert supervisor.act(number, "accept").status_code == 200
    assert supervisor.act(number, "assign", {"handler": "han-1"}).status_code == 200
    assert handler.act(number, "start").status_code == 200
    return number, receipt["tracking_token"]


def public_get(client, number, token):
    return client.http.get(f"/complaints/{number}/messages", headers={"X-Tracking-Token": token})


def public_reply(client, number, token, body):
    return post_json(client, f"/complaints/{number}/messages", body, {"X-Tracking-Token": token})


REQUEST = {
    "text": "为核实情况，请补充以下材料。",
    "request": {"items": ["购物小票照片", "身份证复印件"]},
}


def test_start_no_longer_meets_first_contact(client, staff, services):
    number, _ = in_progress(client, staff)
    case = staff("supervisor").get(f"/staff/complaints/{number}").json_body
    assert case["deadlines"]["first_contact"]["met_at"] is None


def test_a_message_goes_by_email_and_meets_first_contact(client, staff, services):
    number, token = in_progress(client, staff, language="en")
    handler = staff("handler", user="han-1")
    before = len(sent_emails())
    response = handler.post(f"/staff/complaints/{number}/messages", {"text": "We called the shop."})
    assert response.status_code == 200, response.json_body
    mails = sent_emails()[before:]
    assert len(mails) == 1 and "We called the shop." in mails[0].body
    assert mails[0].destinations["ToAddresses"] == ["zhang@example.com"]
    case = handler.get(f"/staff/complaints/{number}").json_body
    assert case["deadlines"]["first_contact"]["met_at"] == MONDAY.isoformat()
    assert case["status"] == "in_progress"
    thread = handler.get(f"/staff/complaints/{number}/messages").json_body["items"]
    assert [(i["type"], i["delivery"], i["channel"]) for i in thread] == [
        ("message", "sent", "email")
    ]
    history = [
        i["action"] for i in handler.get(f"/staff/complaints/{number}/history").json_body["items"]
    ]
    assert history[-2:] == ["message_sent", "first_contact_made"]


def test_request_for_information_lists_every_item_with_the_default_date(client, staff, services):
    number, _ = in_progress(client, staff)
    handler = staff("handler", user="han-1")
    before = len(sent_emails())
    response = handler.post(f"/staff/complaints/{number}/messages", REQUEST)
    assert response.status_code == 200, response.json_body
    assert response.json_body["status"] == "waiting_for_complainant"
    assert response.json_body["clock"]["paused"] is True
    # Five working days from Monday 2 March 2026: Monday 9 March.
    assert response.json_body["info_request"]["reply_by"] == "2026-03-09"
    (mail,) = sent_emails()[before:]
    assert "1. 购物小票照片\n2. 身份证复印件" in mail.body
    assert "2026-03-09" in mail.body
    second = handler.post(f"/staff/complaints/{number}/messages", REQUEST)
    assert second.status_code == 409
    assert second.json_body["error"]["code"] == "conflict"


def test_reply_by_before_the_next_working_day_is_400(client, staff, services):
    number, _ = in_progress(client, staff)
    services.clock = FixedClock(at(2026, 3, 6, 10))  # a Friday: next working day is Monday
    body = {**REQUEST, "request": {**REQUEST["request"], "reply_by": "2026-03-07"}}
    response = staff("handler", user="han-1").post(f"/staff/complaints/{number}/messages", body)
    assert response.status_code == 400
    assert "request.reply_by" in response.json_body["error"]["fields"]


def test_a_web_reply_ends_the_wait_and_tells_the_handler(client, staff, services):
    number, token = in_progress(client, staff)
    handler = staff("handler", user="han-1")
    handler.post(f"/staff/complaints/{number}/messages", REQUEST)
    services.clock = FixedClock(at(2026, 3, 4, 11))
    notes = len(topic_messages())
    text = "<script>alert(1)</script> 小票已上传"
    response = public_reply(client, number, token, {"text": text})
    assert response.status_code == 201, response.json_body
    assert response.json_body["status"] == "in_progress"
    case = handler.get(f"/staff/complaints/{number}").json_body
    assert case["info_request"]["status"] == "answered"
    assert case["paused_at"] is None
    # The resolution clock moved by the two days waited (pause shifted the due).
    told = [n for n in topic_messages()[notes:] if n[3]["audience"]["Value"] == "handler"]
    assert told and told[0][3]["user"]["Value"] == "han-1"
    thread = public_get(client, number, token).json_body
    assert thread["open_request"] is None
    reply = thread["items"][-1]
    assert reply["type"] == "reply" and reply["text"] == text  # stored as text, as given
    assert thread["items"][0]["from"] == {"role": "handler", "department": "service"}
    assert "han-1" not in json.dumps(thread)


def test_the_public_thread_records_the_first_view(client, staff, services):
    number, token = in_progress(client, staff)
    handler = staff("handler", user="han-1")
    handler.post(f"/staff/complaints/{number}/messages", {"text": "Hello"})
    (item,) = handler.get(f"/staff/complaints/{number}/messages").json_body["items"]
    assert item["read_at"] is None
    services.clock = FixedClock(at(2026, 3, 2, 15))
    public_get(client, number, token)
    services.clock = FixedClock(at(2026, 3, 3, 15))
    public_get(client, number, token)
    (item,) = handler.get(f"/staff/complaints/{number}/messages").json_body["items"]
    assert item["read_at"] == at(2026, 3, 2, 15).isoformat()


def test_a_reply_on_a_closed_case_points_to_the_recomplaint(client, staff, services):
    receipt = post_json(client, "/complaints", complaint_body()).json_body
    number, token = receipt["number"], receipt["tracking_token"]
    post_json(client, f"/complaints/{number}/withdraw", {}, {"X-Tracking-Token": token})
    response = public_reply(client, number, token, {"text": "one more thing"})
    assert response.status_code == 409
    assert response.json_body["error"]["recomplaint"] == f"/complaints/{number}/recomplaint"


def test_replies_are_limited_per_case_per_day(client, staff, services, monkeypatch):
    from dataclasses import replace

    services.settings = replace(services.settings, public_messages_per_day=2)
    number, token = in_progress(client, staff)
    for _ in range(2):
        assert public_reply(client, number, token, {"text": "more"}).status_code == 201
    refused = public_reply(client, number, token, {"text": "more"})
    assert refused.status_code == 429
    # 14 hours to midnight in the organisation's time zone.
    assert refused.headers["Retry-After"] == str(14 * 3600)
    services.clock = FixedClock(at(2026, 3, 3, 9))
    assert public_reply(client, number, token, {"text": "more"}).status_code == 201


def test_a_wrong_token_is_404(client, staff, services):
    number, _ = in_progress(client, staff)
    assert public_get(client, number, "x" * 22).status_code == 404
    assert public_reply(client, number, "x" * 22, {"text": "hi"}).status_code == 404


def test_a_reached_phone_contact_meets_first_contact(client, staff, services):
    number, _ = in_progress(client, staff)
    handler = staff("handler", user="han-1")
    missed = {
        "channel": "phone",
        "direction": "outbound",
        "outcome": "no_answer",
        "summary": "rang",
    }
    assert handler.post(f"/staff/complaints/{number}/contacts", missed).status_code == 200
    case = handler.get(f"/staff/complaints/{number}").json_body
    assert case["deadlines"]["first_contact"]["met_at"] is None
    services.clock = FixedClock(at(2026, 3, 2, 11))
    when = at(2026, 3, 2, 10, 30).isoformat()
    reached = {**missed, "outcome": "reached", "summary": "talked", "at": when}
    response = handler.post(f"/staff/complaints/{number}/contacts", reached)
    assert response.status_code == 200, response.json_body
    assert response.json_body["deadlines"]["first_contact"]["met_at"] == when
    future = {**reached, "at": at(2026, 3, 2, 12).isoformat()}
    assert handler.post(f"/staff/complaints/{number}/contacts", future).status_code == 400
    thread = handler.get(f"/staff/complaints/{number}/messages").json_body["items"]
    assert [(i["type"], i["outcome"]) for i in thread] == [
        ("contact", "no_answer"),
        ("contact", "reached"),
    ]


def test_only_who_may_work_the_case_talks_to_the_complainant(client, staff, services):
    number, _ = in_progress(client, staff)
    other = staff("handler", user="han-2")
    assert other.post(f"/staff/complaints/{number}/messages", {"text": "hi"}).status_code == 403
    quality = staff("quality")
    assert quality.post(f"/staff/complaints/{number}/messages", {"text": "hi"}).status_code == 403
    assert (
        staff("supervisor").post(f"/staff/complaints/{number}/messages", {"text": "hi"}).status_code
        == 200
    )


def test_a_stale_if_match_is_409(client, staff, services):
    number, _ = in_progress(client, staff)
    handler = staff("handler", user="han-1")
    response = handler.post(f"/staff/complaints/{number}/messages", {"text": "hi"}, etag='"1"')
    assert response.status_code == 409


def test_confidential_identity_is_masked_in_the_thread(client, staff, services):
    complainant = {
        "name": "李四",
        "mobile": "13900139000",
        "email": "li.si@example.com",
        "confidential": True,
    }
    number, token = in_progress(client, staff, complainant=complainant)
    handler = staff("handler", user="han-1")
    handler.post(f"/staff/complaints/{number}/messages", {"text": "hi"})
    public_reply(client, number, token, {"text": "我是李四，电话 13900139000，li.si@example.com"})
    contact = {
        "channel": "phone",
        "direction": "inbound",
        "outcome": "reached",
        "summary": "李四 called",
    }
    handler.post(f"/staff/complaints/{number}/contacts", contact)
    seen_by_handler = json.dumps(
        handler.get(f"/staff/complaints/{number}/messages").json_body, ensure_ascii=False
    )
    for secret in ("李四", "13900139000", "li.si@example.com"):
        assert secret not in seen_by_handler
    seen_by_supervisor = json.dumps(
        staff("supervisor").get(f"/staff/complaints/{number}/messages").json_body,
        ensure_ascii=False,
    )
    assert "li.si@example.com" in seen_by_supervisor


def test_an_anonymous_complainant_reads_messages_on_the_tracking_page_only(client, staff, services):
    number, token = in_progress(client, staff, complainant={"anonymous": True})
    handler = staff("handler", user="han-1")
    before = len(sent_emails())
    handler.post(f"/staff/complaints/{number}/messages", {"text": "Please add a photo"})
    assert len(sent_emails()) == before
    (item,) = handler.get(f"/staff/complaints/{number}/messages").json_body["items"]
    assert item["channel"] == "tracking_page" and item["delivery"] is None
    case = handler.get(f"/staff/complaints/{number}").json_body
    assert case["deadlines"]["first_contact"]["met_at"] is None
    assert public_get(client, number, token).json_body["items"][0]["text"] == "Please add a photo"


def test_notes_stay_internal(client, staff, services):
    number, token = in_progress(client, staff)
    handler = staff("handler", user="han-1")
    handler.act(number, "notes", {"text": "internal: the shop manager is difficult"})
    staff_items = handler.get(f"/staff/complaints/{number}/messages").json_body["items"]
    assert [i["type"] for i in staff_items] == ["note"]
    assert "difficult" not in json.dumps(public_get(client, number, token).json_body)


# -- the job: reminder and expiry (item 6) ---------------------------------------------------


def run(services, when):
    from chalicelib.service.jobs import run_jobs

    services.clock = FixedClock(when)
    return run_jobs(services, when)


def requested(client, staff, services, **overrides):
    number, token = in_progress(client, staff, **overrides)
    response = staff("handler", user="han-1").post(f"/staff/complaints/{number}/messages", REQUEST)
    assert response.status_code == 200, response.json_body
    return number, token  # reply_by Monday 2026-03-09, due 18:00 that day


def subjects_since(before):
    return [mail.subject for mail in sent_emails()[before:]]


def test_one_reminder_two_working_days_before_in_business_hours(client, staff, services):
    number, _ = requested(client, staff, services)
    before = len(sent_emails())
    run(services, at(2026, 3, 5, 8, 30))  # Thursday before opening: not yet
    run(services, at(2026, 3, 4, 20, 0))  # earlier, at night: nothing either
    assert subjects_since(before) == []
    run(services, at(2026, 3, 5, 9, 5))
    run(services, at(2026, 3, 5, 9, 10))  # again: nothing more
    assert subjects_since(before) == ["提醒：请于 2026-03-09 前补充材料（" + number + "）"]
    assert services.complaints.load(number).info_request.reminded_at == at(2026, 3, 5, 9, 5)


def test_a_reminder_missed_at_night_waits_for_the_next_business_hour(client, staff, services):
    number, _ = requested(client, staff, services)
    before = len(sent_emails())
    services.clock = FixedClock(at(2026, 3, 5, 20))
    from chalicelib.service.jobs import handle_due

    handle_due(services.complaints.load(number), at(2026, 3, 5, 20), services)
    assert subjects_since(before) == []
    assert services.complaints.load(number).next_due_at == at(2026, 3, 6, 9)


def test_no_reply_in_time_withdraws_once(client, staff, services):
    from chalicelib.service.jobs import handle_due

    number, token = requested(client, staff, services)
    run(services, at(2026, 3, 9, 17, 55))
    assert services.complaints.load(number).status.value == "waiting_for_complainant"
    before = len(sent_emails())
    when = at(2026, 3, 9, 18, 1)
    first, second = services.complaints.load(number), services.complaints.load(number)
    services.clock = FixedClock(when)
    handle_due(first, when, services)
    with pytest.raises(Exception) as lost:  # the overlapping run read the same version
        handle_due(second, when, services)
    assert type(lost.value).__name__ == "StaleVersion"
    run(services, at(2026, 3, 9, 18, 10))
    case = services.complaints.load(number)
    assert case.status.value == "withdrawn" and case.info_request.status == "expired"
    assert subjects_since(before) == [f"投诉视为撤销：{number}"]
    history = [event.type for event in services.complaints.load_with_events(number)[1]]
    assert history.count("withdrawn") == 1
    # A reply just after: refused with the way to complain again, kept in the audit trail.
    services.clock = FixedClock(at(2026, 3, 9, 18, 12))
    late = public_reply(client, number, token, {"text": "附件在此"})
    assert late.status_code == 409 and late.json_body["error"]["recomplaint"]
    history = [event.type for event in services.complaints.load_with_events(number)[1]]
    assert history[-2:] == ["withdrawn", "reply_after_expiry"]
    thread = staff("supervisor").get(f"/staff/complaints/{number}/messages").json_body["items"]
    assert [i["type"] for i in thread][-2:] == ["expired", "reply"]


def test_a_reply_that_wins_the_race_keeps_the_case_open(client, staff, services):
    from chalicelib.service.jobs import handle_due

    number, token = requested(client, staff, services)
    when = at(2026, 3, 9, 18, 0)
    stale = services.complaints.load(number)  # the job read it, then the reply came
    services.clock = FixedClock(when)
    assert public_reply(client, number, token, {"text": "材料已补"}).status_code == 201
    with pytest.raises(Exception) as lost:
        handle_due(stale, when, services)
    assert type(lost.value).__name__ == "StaleVersion"
    run(services, at(2026, 3, 9, 18, 5))
    case = services.complaints.load(number)
    assert case.status.value == "in_progress" and case.info_request.status == "answered"


def test_expiry_may_resume_instead(client, staff, services):
    loaded = services.org_loaded  # the organisation's setting (issue 21)
    resume = loaded.settings.model_copy(update={"info_request_expiry": "resume"})
    services.settings_cache.put(resume, loaded.version + 1)
    number, _ = requested(client, staff, services)
    notes = len(topic_messages())
    run(services, at(2026, 3, 9, 18, 1))
    case = services.complaints.load(number)
    assert case.status.value == "in_progress" and case.paused_at is None
    assert case.info_request.status == "expired"
    # 18:01 is after hours: the handler hears at the next business hour.
    assert topic_messages()[notes:] == []
    run(services, at(2026, 3, 10, 9, 1))
    told = [n for n in topic_messages()[notes:] if n[3]["audience"]["Value"] == "handler"]
    assert told and "did not come by 2026-03-09" in told[0][1]


def test_statistics_count_the_conversation(client, staff, services):
    number, token = requested(client, staff, services)
    services.clock = FixedClock(at(2026, 3, 3, 10))
    public_reply(client, number, token, {"text": "ok"})
    report = staff("director", departments=("*",)).get("/staff/reports/2026-03").json_body
    text = json.dumps(report)
    assert '"info_requests": 1' in text and '"replies": 1' in text
    assert '"info_answered_in_time_rate": {"numerator": 1, "denominator": 1' in text
