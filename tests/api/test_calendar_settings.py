"""Business hours, quiet hours and the extra days (调休) as settings (issue 21): seeded from the
environment, changed by an admin without a redeploy. A change gives new deadlines to what is
computed after it; a deadline stored on a case stays."""

import json
from datetime import timedelta

import pytest

from chalicelib.service.jobs import run_jobs
from tests.api.test_jobs import at, receive, resolve, run
from tests.api.test_settings import NOW, read, staff  # noqa: F401 - the fixture
from tests.helpers import complaint_body, post_json, sent_emails, services_at


@pytest.fixture
def services(client):
    return services_at(NOW)


def deadlines(staff, number):  # noqa: F811 - the fixture
    case = staff("supervisor").get(f"/staff/complaints/{number}")
    return {name: d["due"] for name, d in case.json_body["deadlines"].items()}


def change(staff, **calendar):  # noqa: F811 - the fixture
    admin = staff("admin", "*")
    body, etag = read(admin)
    body.update(calendar)
    response = admin.put("/staff/admin/settings", body, etag)
    assert response.status_code == 200, response.body
    return response.json_body


def test_seeded_from_the_environment(staff):  # noqa: F811 - the fixture
    body, _ = read(staff("admin", "*"))
    assert body["business_hours"] == {"start": "09:00", "end": "18:00"}
    assert body["quiet_hours"] is None  # outside business hours, as before
    assert body["extra_days_off"] == [] and body["extra_working_days"] == []


def test_a_record_seeded_before_keeps_the_environments_hours(staff, services, monkeypatch):  # noqa: F811
    """A deployment whose record predates these settings keeps BUSINESS_HOURS and its days
    until an admin changes them."""
    from chalicelib import config
    from chalicelib.adapters import org_settings as store

    read(staff("admin", "*"))  # seeded
    doc, version = store.load()
    for key in ("business_hours", "quiet_hours", "extra_days_off", "extra_working_days"):
        del doc[key]
    store.SettingsItem(
        *store.KEY, doc=json.dumps(doc), version=version, updated_at="-", updated_by="seed"
    ).save()
    monkeypatch.setenv("BUSINESS_HOURS", "08:30-17:30")
    monkeypatch.setenv("EXTRA_WORKING_DAYS", "2026-12-12")
    config.get_settings.cache_clear()
    services.settings_cache.clear()
    try:
        body, _ = read(staff("admin", "*"))
        assert body["business_hours"] == {"start": "08:30", "end": "17:30"}
        assert body["extra_working_days"] == ["2026-12-12"]
        assert services.calendar.business_end.isoformat() == "17:30:00"
    finally:
        monkeypatch.undo()
        config.get_settings.cache_clear()
        services.settings_cache.clear()


def test_each_bad_field_is_named_by_its_path(staff):  # noqa: F811 - the fixture
    admin = staff("admin", "*")
    body, etag = read(admin)
    body["business_hours"] = {"start": "9am", "end": "18:00"}
    body["quiet_hours"] = {"start": "21:00", "end": "25:00"}
    body["extra_days_off"] = ["2026-12-32"]
    response = admin.put("/staff/admin/settings", body, etag)
    assert response.status_code == 400
    fields = response.json_body["error"]["fields"]
    assert set(fields) == {"business_hours.start", "quiet_hours.end", "extra_days_off.0"}
    body["business_hours"] = {"start": "18:00", "end": "09:00"}
    body["quiet_hours"] = None
    body["extra_days_off"] = ["2026-12-12"]
    body["extra_working_days"] = ["2026-12-12"]
    fields = admin.put("/staff/admin/settings", body, etag).json_body["error"]["fields"]
    assert set(fields) == {"business_hours.end", "extra_working_days.0"}
    assert read(admin)[1] == etag  # nothing written


def test_new_business_hours_give_new_deadlines_and_stored_ones_stay(client, staff):  # noqa: F811
    first = post_json(client, "/complaints", complaint_body()).json_body["number"]
    before = deadlines(staff, first)
    assert before["acceptance"] == "2026-12-10T18:00:00+08:00"  # grade C: Thursday 18:00
    saved = change(staff, business_hours={"start": "08:30", "end": "17:00"})
    assert saved["business_hours"] == {"start": "08:30", "end": "17:00"}
    second = post_json(client, "/complaints", complaint_body()).json_body["number"]
    after = deadlines(staff, second)
    assert after["acceptance"] == "2026-12-10T17:00:00+08:00"
    assert after["first_contact"] == before["first_contact"]  # on the clock: no change
    assert deadlines(staff, first) == before  # stored when computed: kept
    audit = staff("admin", "*").get("/staff/admin/audit?month=2026-12").json_body
    (entry,) = audit["items"]
    assert {path for path in entry["changes"] if path.startswith("business_hours")}


def test_an_extra_working_saturday_counts_for_new_complaints(client, staff):  # noqa: F811
    first = post_json(client, "/complaints", complaint_body()).json_body["number"]
    assert deadlines(staff, first)["resolution"] == "2026-12-28T18:00:00+08:00"
    change(staff, extra_working_days=["2026-12-12"])  # a Saturday worked (调休)
    second = post_json(client, "/complaints", complaint_body()).json_body["number"]
    assert deadlines(staff, second)["resolution"] == "2026-12-25T18:00:00+08:00"
    assert deadlines(staff, first)["resolution"] == "2026-12-28T18:00:00+08:00"
    change(staff, extra_working_days=[], extra_days_off=["2026-12-08"])
    third = post_json(client, "/complaints", complaint_body()).json_body["number"]
    assert deadlines(staff, third)["acceptance"] == "2026-12-11T18:00:00+08:00"


def surveys() -> list:
    return [m for m in sent_emails() if m.subject.startswith("How did we do?")]


def test_a_survey_made_in_the_quiet_hours_goes_out_after_them_once(client, staff):  # noqa: F811
    change(staff, quiet_hours={"start": "17:00", "end": "10:00"})
    services = services_at(at(2026, 3, 2, 10, 0))
    number = receive(services, when=at(2026, 3, 2, 10, 0), language="en")
    resolve(services, number, at(2026, 3, 3, 10, 0))
    due = services.complaints.load(number).deadlines["follow_up"].due
    assert due == at(2026, 3, 10, 18, 0)  # Tuesday's close: in the quiet hours set
    report = run(services, due + timedelta(minutes=1))
    assert report.held >= 1 and surveys() == []
    assert [e.type for e in services.complaints.load_with_events(number)[1]][-1] == (
        "follow_up_sent"
    )
    run(services, at(2026, 3, 11, 9, 59))
    assert surveys() == []
    run(services, at(2026, 3, 11, 10, 0))
    assert len(surveys()) == 1
    run(services, at(2026, 3, 11, 10, 5))
    overlapping = run_jobs(services, at(2026, 3, 11, 10, 5))
    assert overlapping.delivered == 0 and len(surveys()) == 1
