"""Organisation settings as data (issue 21 items 1-2): seeded from configuration, read by
staff, replaced whole by admins with If-Match, validated as a whole, audited, cached per
container and refreshed within a minute."""

import json
from datetime import UTC, datetime

import pytest

from chalicelib import wiring
from chalicelib.adapters.clock import FixedClock
from tests.helpers import complaint_body, post_json, staff_as

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)  # a Sunday


@pytest.fixture
def services(client):
    services = wiring.get_services()
    services.clock = FixedClock(NOW)
    return services


@pytest.fixture
def staff(client, token, services):
    return staff_as(client, token)


def read(admin):
    response = admin.get("/staff/admin/settings")
    assert response.status_code == 200, response.body
    body = response.json_body
    assert response.headers["ETag"] == f'"{body.pop("version")}"'
    return body, response.headers["ETag"]


def test_seeded_from_configuration_with_names(staff):
    body, etag = read(staff("admin", "*"))
    assert etag == '"1"'
    assert [d["code"] for d in body["departments"]] == ["service", "sales", "quality"]
    assert body["departments"][1] == {
        "code": "sales",
        "name_zh": "销售部",
        "name_en": "Sales",
        "active": True,
    }
    assert body["default_department"] == "service"
    assert body["sla"]["A"]["resolution_days"] == 5
    assert body["retention_years"] == 3
    assert body["info_request_expiry"] == "withdraw"
    assert body["sms_daily_cap"] == 500


def test_any_staff_reads_the_names_only_admins_the_record(staff):
    handler = staff("handler")
    names = handler.get("/staff/settings")
    assert names.status_code == 200
    assert "sms_daily_cap" not in names.json_body
    assert names.json_body["categories"][0]["name_zh"] == "产品质量"
    assert handler.get("/staff/admin/settings").status_code == 403
    assert handler.put("/staff/admin/settings", {}, '"1"').status_code == 403
    assert handler.get("/staff/admin/audit").status_code == 403


def test_if_match_required_and_stale_is_a_conflict(staff):
    admin = staff("admin", "*")
    body, etag = read(admin)
    assert admin.put("/staff/admin/settings", body).status_code == 428
    body["sms_daily_cap"] = 100
    assert admin.put("/staff/admin/settings", body, etag).status_code == 200
    body["sms_daily_cap"] = 200
    stale = admin.put("/staff/admin/settings", body, etag)
    assert stale.status_code == 409
    assert read(admin)[0]["sms_daily_cap"] == 100


def test_every_bad_field_is_named(staff):
    admin = staff("admin", "*")
    body, etag = read(admin)
    body["departments"].append(dict(body["departments"][0]))  # a code twice
    body["default_department"] = "nowhere"
    body["sla"]["A"]["resolution_days"] = 40
    body["sla"]["B"]["acceptance_days"] = 5  # longer than C's 3
    body["categories"][0]["name_en"] = ""
    body["report_recipients"] = ["not an address"]
    response = admin.put("/staff/admin/settings", body, etag)
    assert response.status_code == 400
    fields = response.json_body["error"]["fields"]
    assert set(fields) >= {"categories.0.name_en", "report_recipients.0"}
    # the rules across fields are checked once each field is well formed
    body["categories"][0]["name_en"] = "Product quality"
    body["report_recipients"] = []
    fields = admin.put("/staff/admin/settings", body, etag).json_body["error"]["fields"]
    assert set(fields) == {
        "departments.3.code",
        "default_department",
        "sla.A.resolution_days",
        "sla.B.acceptance_days",
    }
    assert read(admin)[1] == etag  # nothing written


def test_a_code_is_retired_not_removed(staff):
    admin = staff("admin", "*")
    body, etag = read(admin)
    body["departments"] = [d for d in body["departments"] if d["code"] != "sales"]
    response = admin.put("/staff/admin/settings", body, etag)
    assert response.status_code == 400
    assert "sales" in response.json_body["error"]["fields"]["departments"]


def test_new_and_retired_names_reach_intake_and_the_audit(client, staff, services):
    admin = staff("admin", "*", user="admin-7")
    body, etag = read(admin)
    body["categories"].append(
        {"code": "noise", "name_zh": "噪声", "name_en": "Noise", "active": True}
    )
    body["categories"][0]["active"] = False  # product_quality retired
    body["departments"].append(
        {"code": "after_sales", "name_zh": "售后部", "name_en": "After-sales", "active": True}
    )
    changed = admin.put("/staff/admin/settings", body, etag)
    assert changed.status_code == 200, changed.body
    assert changed.headers["ETag"] == '"2"'

    assert post_json(client, "/complaints", complaint_body(category="noise")).status_code == 201
    refused = post_json(client, "/complaints", complaint_body(category="product_quality"))
    assert refused.status_code == 400
    assert "category" in refused.json_body["error"]["fields"]

    audit = admin.get("/staff/admin/audit?month=2026-12")
    assert audit.status_code == 200
    (entry,) = audit.json_body["items"]
    assert entry["actor"] == "admin-7"
    assert entry["action"] == "settings.update"
    assert entry["at"].startswith("2026-12-06T03:00")
    assert entry["changes"]["categories.product_quality.active"] == [True, False]
    assert entry["changes"]["categories.noise"][0] is None
    assert entry["changes"]["departments.after_sales"][1]["name_zh"] == "售后部"


def test_an_unchanged_record_writes_no_entry(staff):
    admin = staff("admin", "*")
    body, etag = read(admin)
    assert admin.put("/staff/admin/settings", body, etag).headers["ETag"] == etag
    assert admin.get("/staff/admin/audit?month=2026-12").json_body["items"] == []


def test_a_new_sla_policy_gives_new_deadlines(client, staff, services):
    admin = staff("admin", "*")
    first = post_json(client, "/complaints", complaint_body()).json_body
    body, etag = read(admin)
    for grade in "ABCD":
        body["sla"][grade]["acceptance_days"] = 7 if grade in "CD" else 1
    assert admin.put("/staff/admin/settings", body, etag).status_code == 200
    second = post_json(client, "/complaints", complaint_body()).json_body
    sup = staff("supervisor")
    due = [
        sup.get(f"/staff/complaints/{r['number']}").json_body["deadlines"] for r in (first, second)
    ]
    grade = sup.get(f"/staff/complaints/{second['number']}").json_body["grade"]
    assert grade == "C"  # a service-attitude complaint: 3 working days before, 7 now
    assert due[0]["acceptance"]["due"] == "2026-12-10T18:00:00+08:00"  # Thursday
    assert due[1]["acceptance"]["due"] == "2026-12-16T18:00:00+08:00"  # 4 working days on


def test_other_containers_see_a_change_within_a_minute(staff, services):
    from chalicelib.adapters import org_settings as store
    from chalicelib.service.org_settings import REFRESH_SECONDS

    seconds = [1000.0]
    services.settings_cache.timer = lambda: seconds[0]
    services.settings_cache.clear()
    assert services.org.sms_daily_cap == 500
    doc, version = store.load()
    doc["sms_daily_cap"] = 7
    store.SettingsItem(
        *store.KEY,
        doc=json.dumps(doc),
        version=version + 1,
        updated_at=NOW.isoformat(),
        updated_by="other",
    ).save()
    seconds[0] += REFRESH_SECONDS - 1
    assert services.org.sms_daily_cap == 500  # no read on the hot path
    seconds[0] += 1
    assert services.org.sms_daily_cap == 7
