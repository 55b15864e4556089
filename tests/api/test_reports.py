"""Reports API: permissions, formats (JSON, CSV with BOM, XLSX), languages, charts."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.clock import pinned_at
from tests.helpers import (
    RESOLUTION,
    StaffCalls,
    complaint_body,
    post_json,
    staff_as,
)

TZ = ZoneInfo("Asia/Shanghai")


pinned_clock = pinned_at(datetime(2026, 11, 2, 10, 0, tzinfo=TZ))


@pytest.fixture
def staff(client, token):
    class As(StaffCalls):
        act = StaffCalls.act_ok

    return staff_as(client, token, As)


def at(clock, day, hour=10):
    clock.at = datetime(2026, 11, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def november(client, clock, staff):
    """Two complaints in service (one resolved), one in sales (refused)."""
    boss = staff("supervisor", ("service", "sales"), user="sup-1")
    numbers = []
    for department in ("service", "service", "sales"):
        at(clock, 2)
        body = complaint_body(department=department)
        numbers.append(post_json(client, "/complaints", body).json_body["number"])
    at(clock, 3)
    boss.act(numbers[0], "accept")
    boss.act(numbers[0], "assign", {"handler": "han-1"})
    boss.act(numbers[0], "start")
    at(clock, 5)
    boss.act(numbers[0], "resolve", RESOLUTION)
    boss.act(numbers[2], "refuse", {"reason": "outside our remit"})
    at(clock, 20)
    return numbers


def test_month_report_json(november, staff):
    response = staff("manager", ("*",)).get("/staff/reports/2026-11?lang=en")
    assert response.status_code == 200, response.body
    report = response.json_body
    assert report["month"] == "2026-11" and report["by"] == "department"
    assert [m["key"] for m in report["metrics"]][:3] == ["received", "accepted", "not_accepted"]
    groups = {group["key"]: group["values"] for group in report["groups"]}
    assert groups["service"]["received"] == 2
    assert groups["service"]["accepted"] == 1
    assert groups["service"]["resolved"] == 1
    assert groups["sales"]["not_accepted"] == 1
    total = report["total"]["values"]
    assert total["received"] == 3
    assert total["closure_rate"] == {"numerator": 1, "denominator": 3, "value": 0.333333}
    assert total["time_to_accept"]["count"] == 1
    for text in ("张三", "zhang@example.com", "13800138000", "Rude staff", "clerk"):
        assert text not in response.body.decode("utf-8")  # no personal data, no free text
    # still open on the 20th: the second service case (the other two are done)
    assert sum(report["backlog"][key] for key in ("0-3", "4-10", "11-20", "over_20")) == 1


def test_handlers_and_intake_agents_see_nothing(november, staff):
    for role in ("handler", "intake_agent"):
        assert staff(role).get("/staff/reports/2026-11").status_code == 403
        assert staff(role).get("/staff/reports/trend?to=2026-11").status_code == 403


def test_supervisor_sees_his_departments_only(november, staff):
    report = staff("supervisor", ("sales",)).get("/staff/reports/2026-11").json_body
    assert [group["key"] for group in report["groups"]] == ["sales"]
    assert report["total"]["values"]["received"] == 1
    other = staff("supervisor", ("sales",)).get("/staff/reports/2026-11?department=service")
    assert other.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/staff/reports/2026-13",
        "/staff/reports/nov",
        "/staff/reports/2026-11?by=colour",
        "/staff/reports/2026-11?format=pdf",
        "/staff/reports/2026-11?category=billing&channel=web",
        "/staff/reports/2026-11?by=channel&category=billing",
        "/staff/reports/2026-11?surprise=1",
        "/staff/reports/trend?to=2026-1",
    ],
)
def test_bad_queries_are_400(november, staff, path):
    response = staff("quality").get(path)
    assert response.status_code == 400, (path, response.body)
    assert response.json_body["error"]["code"]


def test_csv_has_bom_and_headers_in_the_callers_language(november, staff):
    response = staff("quality").get("/staff/reports/2026-11?format=csv&lang=zh-CN")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    text = response.body.decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    header = table[0]
    assert header[:3] == ["部门", "登记量", "受理量"]
    assert "办结率" in header and "办结率（分子）" in header
    service = next(row for row in table if row[0] == "客服部")  # the settings' name
    assert service[header.index("登记量")] == "2"
    total = table[-1]
    assert total[0] == "合计" and total[header.index("办结率")] == "33.3%"
    english = staff("quality").get(
        "/staff/reports/2026-11?format=csv", headers={"Accept-Language": "en-GB,en;q=0.8"}
    )
    assert english.body.decode("utf-8").removeprefix("\ufeff").startswith("Department,Received")


def test_xlsx_opens_with_the_figures(november, staff):
    from openpyxl import load_workbook

    response = staff("director").get(
        "/staff/reports/2026-11?format=xlsx&lang=en",
        headers={"Accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.body))
    sheet = book["2026-11"]
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["Department", "Received"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    column = header.index("Closure rate")
    assert rows["Total"][header.index("Received")] == 3
    assert rows["Total"][column] == pytest.approx(1 / 3, abs=1e-6)
    assert sheet.cell(row=2, column=column + 1).number_format == "0.0%"


def test_charts_are_svg_with_the_figures_as_text(november, staff):
    from xml.etree import ElementTree

    quality = staff("quality")
    month = quality.get("/staff/reports/2026-11/chart.svg?lang=en")
    assert month.status_code == 200
    assert month.headers["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(month.body)
    texts = [node.text for node in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Service" in texts and "Sales" in texts  # the departments' names in English
    trend = quality.get("/staff/reports/trend/chart.svg?to=2026-11&lang=zh-CN")
    assert trend.status_code == 200
    root = ElementTree.fromstring(trend.body)
    texts = [node.text for node in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "登记量" in texts and "26-11" in texts and "3" in texts


def test_trend_has_twelve_months_ending_at_to(november, staff):
    trend = staff("manager").get("/staff/reports/trend?to=2026-11&lang=en").json_body
    assert [m["month"] for m in trend["months"]][0] == "2025-12"
    assert trend["months"][-1]["month"] == "2026-11"
    assert trend["months"][-1]["values"]["received"] == 3
    assert trend["months"][0]["values"]["received"] == 0
