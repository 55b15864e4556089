"""The tracking page shows times on the organisation's clock (deadlines are its own), and
names the zone when the browser's clock would read otherwise: Chromium set to UTC, and to
the organisation's zone."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import Browser, new_complaint

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_in(request, open_context):
    """browser_in(zone) -> a fresh chromium profile whose clock is in that zone."""
    opened = []

    def open_in(timezone_id: str, locale: str = "zh-CN") -> Browser:
        name = f"{request.node.name}-{len(opened)}"
        session = open_context(name, axe=True, locale=locale, timezone_id=timezone_id)
        opened.append(session)
        return session

    return open_in


def new_complaint_viewed(stack) -> tuple[str, str, dict]:
    number, token = new_complaint(stack, language="zh-CN")
    view = requests.get(
        f"{stack.base}/complaints/{number}", headers={"X-Tracking-Token": token}, timeout=30
    )
    assert view.status_code == 200, view.text
    return number, token, view.json()


def organisation_zone(page) -> str:
    return json.loads(page.locator("#config").text_content())["timezone"]


def on_clock(iso: str, zone: str) -> tuple[str, str]:
    """The date as zh-CN writes it and the hh:mm, on that zone's clock."""
    local = datetime.fromisoformat(iso).astimezone(ZoneInfo(zone))
    return f"{local.year}年{local.month}月{local.day}日", f"{local:%H:%M}"


def check_accessibility(page) -> None:
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)"""
    )
    assert violations == []


def test_a_browser_in_utc_sees_the_organisations_times_and_zone(stack, browser_in):
    number, token, view = new_complaint_viewed(stack)
    session = browser_in("UTC")
    page = session.open(f"/track?number={number}&token={token}")
    expect(page.locator("#case-number")).to_have_text(number)
    zone = organisation_zone(page)
    assert zone == "Asia/Shanghai"  # the local stack's ORG_TIMEZONE

    received = page.locator("#case-received")
    day, hhmm = on_clock(view["received_at"], zone)
    utc_hhmm = f"{datetime.fromisoformat(view['received_at']).astimezone(ZoneInfo('UTC')):%H:%M}"
    assert hhmm != utc_hhmm
    expect(received).to_contain_text(day)
    expect(received).to_contain_text(f"{hhmm} GMT+8")
    assert received.get_attribute("datetime") == view["received_at"]

    assert view["deadlines"], view
    shown = page.locator("#case-deadlines time")
    expect(shown).to_have_count(len(view["deadlines"]))
    for index, due in enumerate(view["deadlines"].values()):
        day, hhmm = on_clock(due, zone)
        expect(shown.nth(index)).to_contain_text(day)
        expect(shown.nth(index)).to_contain_text(f"{hhmm} GMT+8")
    first = page.locator("#case-timeline time").first
    expect(first).to_contain_text(on_clock(view["timeline"][0]["at"], zone)[1])

    note = page.locator("#case-zone")
    expect(note).to_be_visible()
    expect(note).to_have_text("时间按受理单位所在时区显示：中国标准时间（GMT+8）。")
    session.shot("track-utc-zh")
    check_accessibility(page)

    page.get_by_role("button", name="Switch to English").click()
    expect(note).to_have_text("Times are on the organisation's clock: China Standard Time (GMT+8).")
    expect(received).to_contain_text(f"{on_clock(view['received_at'], zone)[1]} GMT+8")
    session.shot("track-utc-en")


def test_a_browser_on_the_organisations_clock_is_told_nothing_more(stack, browser_in):
    number, token, view = new_complaint_viewed(stack)
    session = browser_in("Asia/Shanghai")
    page = session.open(f"/track?number={number}&token={token}")
    expect(page.locator("#case-number")).to_have_text(number)
    day, hhmm = on_clock(view["received_at"], organisation_zone(page))
    received = page.locator("#case-received")
    expect(received).to_contain_text(day)
    expect(received).to_contain_text(hhmm)
    expect(received).not_to_contain_text("GMT")
    expect(page.locator("#case-zone")).to_be_hidden()
    for due in page.locator("#case-deadlines time").all():
        expect(due).not_to_contain_text("GMT")
