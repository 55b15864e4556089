"""The monthly report e-mail: due on the first working day at 09:00, sent exactly once
even when runs overlap or retry, with the tables, the CSV, the XLSX and the charts."""

import email
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import RawMessage, ses_backends

from tests.helpers import complaint_body, post_json

TZ = ZoneInfo("Asia/Shanghai")
RECIPIENTS = "management@example.org,quality@example.org"


def raw_sent() -> list:
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    return [m for m in sent if isinstance(m, RawMessage)]


@pytest.fixture
def services(client, monkeypatch):
    from chalicelib.adapters.clock import FixedClock
    from chalicelib.wiring import get_services

    monkeypatch.setenv("REPORT_RECIPIENTS", RECIPIENTS)
    services = get_services()
    services.clock = FixedClock(datetime(2026, 11, 10, 10, 0, tzinfo=TZ))
    for department in ("service", "sales"):
        body = complaint_body(department=department, language="en")
        assert post_json(client, "/complaints", body).status_code == 201
    return services


def run(services, when):
    from chalicelib.service.jobs import run_jobs

    services.clock.at = when
    return run_jobs(services, when)


def test_sent_once_on_the_first_working_day_from_nine(services):
    assert run(services, datetime(2026, 12, 1, 8, 55, tzinfo=TZ)).monthly_report is None
    assert raw_sent() == []
    first = run(services, datetime(2026, 12, 1, 9, 30, tzinfo=TZ))
    assert first.monthly_report == "REPORT-2026-11"
    assert len(raw_sent()) == 1
    assert set(raw_sent()[0].destinations) == set(RECIPIENTS.split(","))
    for later in (datetime(2026, 12, 1, 9, 35, tzinfo=TZ), datetime(2026, 12, 7, 10, tzinfo=TZ)):
        assert run(services, later).monthly_report is None
    assert len(raw_sent()) == 1


@pytest.mark.parametrize(
    "night",
    [
        datetime(2026, 12, 1, 23, 30, tzinfo=TZ),  # the first working day, after closing
        datetime(2026, 12, 2, 3, 0, tzinfo=TZ),  # the job was down until the small hours
    ],
)
def test_a_first_run_at_night_holds_it_for_business_hours(services, night):
    """Issue 19: queued at night, it goes at the next business hour, like every notice."""
    queued = run(services, night)
    assert queued.monthly_report == "REPORT-2026-11"
    assert queued.held == 1 and raw_sent() == []
    # Later night runs neither send it nor queue it again.
    assert run(services, datetime(2026, 12, 2, 8, 55, tzinfo=TZ)).monthly_report is None
    assert raw_sent() == []
    run(services, datetime(2026, 12, 2, 9, 0, tzinfo=TZ))
    assert len(raw_sent()) == 1
    run(services, datetime(2026, 12, 2, 9, 5, tzinfo=TZ))
    assert len(raw_sent()) == 1


def test_a_holiday_on_the_first_waits_for_the_first_working_day(services):
    # 1-7 October 2026 are National Day holidays; 10 October (a Saturday) is worked.
    from chalicelib.service.monthly_report import send_at

    first = send_at(datetime(2026, 10, 1).date(), services)
    assert first.date() > datetime(2026, 10, 7).date()
    assert run(services, datetime(2026, 10, 2, 9, 30, tzinfo=TZ)).monthly_report is None
    assert run(services, first.replace(minute=5)).monthly_report == "REPORT-2026-09"


def test_overlapping_runs_queue_it_once(services, monkeypatch):
    from chalicelib.service.monthly_report import queue_monthly_report

    now = datetime(2026, 12, 1, 9, 30, tzinfo=TZ)
    # Both runs looked before either wrote: the conditional write lets one through.
    monkeypatch.setattr(services.complaints, "outbox_exists", lambda *_: False)
    assert queue_monthly_report(now, services) is not None
    assert queue_monthly_report(now, services) is None


def test_a_failed_send_stays_in_the_outbox_until_delivered(services, monkeypatch):
    from chalicelib.service.ports import DeliveryError

    notifier = services.notifier
    real_send = notifier.send

    def failing(message):
        if message.channel == "raw_email":
            raise DeliveryError("Throttling: rate exceeded")
        return real_send(message)

    monkeypatch.setattr(notifier, "send", failing)
    assert run(services, datetime(2026, 12, 1, 9, 30, tzinfo=TZ)).failed >= 1
    assert raw_sent() == []
    monkeypatch.setattr(notifier, "send", real_send)
    retry = run(services, datetime(2026, 12, 1, 9, 40, tzinfo=TZ))
    assert retry.monthly_report is None and retry.outbox_retried == 1
    assert len(raw_sent()) == 1


def test_the_email_has_tables_csv_xlsx_and_charts(services):
    from openpyxl import load_workbook

    run(services, datetime(2026, 12, 1, 9, 30, tzinfo=TZ))
    message = email.message_from_string(raw_sent()[0].raw_data)
    assert "2026-11" in str(
        email.header.make_header(email.header.decode_header(message["Subject"]))
    )
    parts = {part.get_content_type(): part for part in message.walk()}
    text = parts["text/plain"].get_payload(decode=True).decode("utf-8")
    html = parts["text/html"].get_payload(decode=True).decode("utf-8")
    assert "客服部" in text and "销售部" in text and "登记量" in text  # the settings' names
    assert "<table" in html and "<td>客服部</td>" in html and "按时办结率" in html
    csv_bytes = parts["text/csv"].get_payload(decode=True)
    assert csv_bytes.startswith("\ufeff".encode())
    xlsx = parts["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
    book = load_workbook(io.BytesIO(xlsx.get_payload(decode=True)))
    rows = list(book["2026-11"].iter_rows(values_only=True))
    assert rows[0][:2] == ("部门", "登记量")
    assert {row[0]: row[1] for row in rows[1:]} == {"销售部": 1, "客服部": 1, "合计": 2}
    svgs = [p for p in message.walk() if p.get_content_type() == "image/svg+xml"]
    assert len(svgs) == 2
    # The assessment table (考核表, issue 20): in the body and as its own CSV.
    assert "考核表" in text and "考核表" in html and "有效投诉量" in html
    names = [p.get_filename() for p in message.walk() if p.get_content_type() == "text/csv"]
    assert names == ["report-2026-11.csv", "assessment-2026-11.csv"]
    assert all(p.get_payload(decode=True).startswith(b"<svg") for p in svgs)


def test_the_monthly_run_drops_open_case_items_that_count_nothing(client, monkeypatch):
    from chalicelib.adapters.clock import FixedClock
    from chalicelib.domain.actor import Actor
    from chalicelib.domain.lifecycle import Action
    from chalicelib.service import staff
    from chalicelib.service.reports import ReportQuery, month_report
    from chalicelib.wiring import get_services

    monkeypatch.setenv("REPORT_RECIPIENTS", RECIPIENTS)
    services = get_services()
    services.clock = FixedClock(datetime(2026, 10, 9, 10, 0, tzinfo=TZ))
    number = post_json(client, "/complaints", complaint_body()).json_body["number"]
    services.clock.at = datetime(2026, 11, 3, 10, 0, tzinfo=TZ)
    sup = Actor(user_id="sup-1", roles=["supervisor"], departments=["service"])
    staff.act(number, Action.refuse, {"reason": "no facts given"}, sup, 1, services)
    months = {month for month, _ in services.complaints.open_cells()}
    assert "2026-10" in months  # emptied by the refusal, still stored
    manager = Actor(user_id="mgr-1", roles=["manager"])
    before = month_report("2026-10", ReportQuery(), manager, services, "en")["backlog"]
    assert before["over_20"] + before["11-20"] + before["4-10"] + before["0-3"] == 1
    run(services, datetime(2026, 12, 1, 9, 30, tzinfo=TZ))
    assert "2026-10" not in {month for month, _ in services.complaints.open_cells()}
    after = month_report("2026-10", ReportQuery(), manager, services, "en")["backlog"]
    assert after == before
