"""The console's admin pages in a real browser (issue 21 item 5): an admin adds a
department and a category with both names, and they appear on the public form, in the
console's filters and in Open311 without a restart; a bad value is named next to its field;
the audit list shows the change; axe-core on each page in both languages.

The stack is shared by the session: this module only adds (never retires) codes."""

from __future__ import annotations

import requests
from playwright.sync_api import expect

from tests.browser.test_console import check_accessibility, contexts, sign_in  # noqa: F401

DEPARTMENT = {"code": "after_sales", "name_zh": "售后部", "name_en": "After-sales"}
CATEGORY = {"code": "noise_at_night", "name_zh": "夜间噪声", "name_en": "Noise at night"}


def add_entry(page, kind: str, button: str, entry: dict) -> None:
    page.get_by_role("button", name=button).click()
    row = page.locator(f"tr[data-kind='{kind}']").last
    row.locator("input[name$='.code']").fill(entry["code"])
    row.locator("input[name$='.name_zh']").fill(entry["name_zh"])
    row.locator("input[name$='.name_en']").fill(entry["name_en"])


def test_an_admin_adds_a_department_and_a_category_seen_everywhere(stack, contexts):  # noqa: F811
    admin = contexts("zh-CN")
    page = sign_in(admin, "admin-service")
    page.get_by_role("link", name="单位设置").click()
    expect(page.locator("h1")).to_have_text("单位设置")
    check_accessibility(page, "settings")
    admin.shot("1-settings", page)

    # A bad value first: named next to its field and in the summary, nothing saved.
    page.locator("input[name='sla.A.resolution_days']").fill("99")
    page.get_by_role("button", name="保存设置").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("sla.A.resolution_days")
    expect(page.locator("input[name='sla.A.resolution_days']")).to_have_attribute(
        "aria-invalid", "true"
    )
    check_accessibility(page, "settings-errors")
    admin.shot("2-settings-errors", page)
    page.locator("input[name='sla.A.resolution_days']").fill("5")

    add_entry(page, "departments", "添加部门", DEPARTMENT)
    add_entry(page, "categories", "添加类别", CATEGORY)
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator("#status.ok")).to_contain_text("设置已保存")

    # The console's filters: the new department by its name, no restart.
    page.get_by_role("link", name="工作队列").click()
    expect(page.locator("select[name=department] option[value='after_sales']")).to_have_text(
        "售后部"
    )
    expect(page.locator("select[name=category] option[value='noise_at_night']")).to_have_text(
        "夜间噪声"
    )

    # The public form, in both languages.
    form = admin.new_page()
    admin.open("/?lang=en", form)
    expect(form.locator("select[name=category] option[value='noise_at_night']")).to_have_text(
        "Noise at night"
    )
    expect(form.locator("select[name=department] option[value='after_sales']")).to_have_text(
        "After-sales"
    )
    form.close()

    # Open311's service list.
    services = requests.get(f"{stack.base}/open311/v2/services.json?locale=zh", timeout=30).json()
    names = {s["service_code"]: s["service_name"] for s in services}
    assert names["noise_at_night"] == "夜间噪声"

    # The audit list names who changed what.
    page.get_by_role("link", name="管理日志").click()
    expect(page.locator("h1")).to_have_text("管理日志")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("settings.update")
    expect(row).to_contain_text("admin-service")
    expect(row).to_contain_text("departments.after_sales")
    check_accessibility(page, "audit")
    admin.shot("3-audit", page)


def hours(page, name: str, value: str) -> None:
    page.locator(f"input[name='{name}']").fill(value)


def test_an_admin_edits_the_working_hours_quiet_hours_and_days(stack, contexts):  # noqa: F811
    """The shared stack gets its hours back at the end: other modules' deadlines assume
    09:00-18:00."""
    admin = contexts("en")
    page = sign_in(admin, "admin-service")
    page.goto(f"{stack.base}/console/#/settings")
    expect(page.locator("input[name='business_hours.start']")).to_have_value("09:00")
    expect(page.locator(".quiet-window")).to_be_hidden()
    page.get_by_label("Quiet", exact=True).select_option("window")
    expect(page.locator(".quiet-window")).to_be_visible()

    # Bad values: each named beside its field and in the summary, nothing saved.
    hours(page, "business_hours.start", "18:00")
    hours(page, "business_hours.end", "09:00")
    hours(page, "quiet_hours.start", "22:00")
    hours(page, "quiet_hours.end", "22:00")
    page.locator("textarea[name='extra_days_off']").fill("2027-02-20")
    page.locator("textarea[name='extra_working_days']").fill("2027-02-20")
    page.get_by_role("button", name="Save settings").click()
    summary = page.locator(".error-summary")
    for path in ("business_hours.end", "quiet_hours.end", "extra_working_days.0"):
        expect(summary).to_contain_text(path)
    expect(page.locator("input[name='business_hours.end']")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(
        page.locator(".field:has(textarea[name='extra_working_days']) .field-error")
    ).to_contain_text("also a day off")
    check_accessibility(page, "settings-hours-errors")
    admin.shot("settings-hours-errors", page)

    hours(page, "business_hours.start", "08:30")
    hours(page, "business_hours.end", "17:30")
    hours(page, "quiet_hours.end", "07:30")
    page.locator("textarea[name='extra_days_off']").fill("")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#status.ok")).to_contain_text("Settings saved")
    page.reload()
    expect(page.locator("input[name='business_hours.start']")).to_have_value("08:30")
    expect(page.locator("input[name='quiet_hours.start']")).to_have_value("22:00")
    expect(page.locator("textarea[name='extra_working_days']")).to_have_value("2027-02-20")
    check_accessibility(page, "settings-hours")
    page.get_by_role("link", name="Audit").click()
    expect(page.locator("tbody tr").first).to_contain_text("business_hours")

    page.goto(f"{stack.base}/console/#/settings")
    hours(page, "business_hours.start", "09:00")
    hours(page, "business_hours.end", "18:00")
    page.get_by_label("Quiet", exact=True).select_option("business")
    page.locator("textarea[name='extra_working_days']").fill("")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#status.ok")).to_contain_text("Settings saved")


def test_the_admin_pages_in_english_on_a_phone(stack, contexts):  # noqa: F811
    admin = contexts("en", width=375, height=812)
    page = sign_in(admin, "admin-sales")
    page.goto(f"{stack.base}/console/#/settings")
    expect(page.locator("h1")).to_have_text("Organisation settings")
    expect(page.get_by_role("button", name="Save settings")).to_be_visible()
    check_accessibility(page, "settings-en")
    admin.shot("settings-en-phone", page)
    page.goto(f"{stack.base}/console/#/audit")
    expect(page.locator("h1")).to_have_text("Administration audit")
    check_accessibility(page, "audit-en")


def test_other_staff_have_no_admin_pages(stack, contexts):  # noqa: F811
    handler = contexts("en")
    page = sign_in(handler, "handler-service")
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)
    page.goto(f"{stack.base}/console/#/settings")
    expect(page.locator("p.error")).to_contain_text("Only an admin")
