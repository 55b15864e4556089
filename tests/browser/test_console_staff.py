"""The console's staff-accounts page in a real browser (issue 21 items 3-5): an admin invites
someone with roles and a department; the invitee is in the local sign-in list (moto's
Cognito, as `make run` makes it), can sign in with those roles, and the invitation is in the
audit list; an admin cannot disable themselves; axe-core in both languages.

The stack is shared by the session: this module changes only the accounts it invites."""

from __future__ import annotations

import requests
from playwright.sync_api import expect

from tests.browser.test_console import check_accessibility, contexts, sign_in  # noqa: F401

EMAIL = "li.na@example.org"


def invite(page, email: str, name: str, roles: list[str], departments: list[str]) -> None:
    form = page.locator("form.invite")
    form.get_by_label("电子邮箱").fill(email)
    form.get_by_label("姓名").fill(name)
    for role in roles:
        form.get_by_role("group", name="角色").get_by_label(role, exact=True).check()
    for department in departments:
        form.get_by_role("group", name="部门").get_by_label(department, exact=True).check()
    form.get_by_role("button", name="发送邀请").click()


def local_users(stack) -> dict:
    listed = requests.get(f"{stack.base}/console/local/users", timeout=30).json()["people"]
    return {p["user_id"]: p for p in listed}


def other_admin_changes(stack, user_id: str, body: dict) -> None:
    auth = {"Authorization": stack.staff_token("admin", "admin-service")}
    path = f"{stack.base}/staff/admin/users/{user_id}"
    etag = requests.get(path, headers=auth, timeout=30).headers["ETag"]
    changed = requests.patch(path, json=body, headers={**auth, "If-Match": etag}, timeout=30)
    assert changed.status_code == 200, changed.text


def test_an_invited_member_signs_in_with_the_roles_given(stack, contexts):  # noqa: F811
    admin = contexts("zh-CN")
    page = sign_in(admin, "admin-sales")
    page.get_by_role("link", name="人员账号").click()
    expect(page.locator("h1")).to_have_text("人员账号")
    expect(page.locator("tr[data-user='sup-sales']")).to_contain_text("陈晨")
    check_accessibility(page, "staff")
    admin.shot("1-staff", page)

    # A bad address is named next to its field; nothing is created.
    invite(page, "not-an-address", "李娜", ["承办人"], ["销售部"])
    expect(page.locator("input[name=email]")).to_have_attribute("aria-invalid", "true")
    check_accessibility(page, "staff-errors")

    invite(page, EMAIL, "李娜", ["承办人", "主管"], ["销售部"])
    expect(page.locator("#status")).to_contain_text("已邀请 李娜")
    row = page.locator("tr", has_text=EMAIL)
    expect(row).to_contain_text("承办人, 主管")
    expect(row).to_contain_text("已邀请，尚未登录")
    user_id = row.get_attribute("data-user")
    admin.shot("2-invited", page)

    # The local sign-in lists the invitee from moto's Cognito, with the roles given.
    listed = local_users(stack)[user_id]
    assert listed["roles"] == ["handler", "supervisor"] and listed["departments"] == ["sales"]

    # An admin cannot disable themselves: the reason is shown, nothing changes.
    page.locator("tr[data-user='admin-sales']").get_by_role("button", name="停用").click()
    expect(page.locator("#status")).to_contain_text("不能停用自己的账号")

    # The audit list has the invitation.
    page.get_by_role("link", name="管理日志").click()
    expect(page.locator("tbody")).to_contain_text(f"user:{user_id}")
    expect(page.locator("tbody")).to_contain_text("user.invite")

    # The invitee signs in with what the admin gave them.
    invitee = contexts("zh-CN")
    them = sign_in(invitee, user_id)
    expect(them.locator("#who")).to_contain_text("李娜")
    expect(them.locator("#who")).to_contain_text("主管")


def test_roles_change_and_disabling_takes_the_member_off_the_sign_in_list(stack, contexts):  # noqa: F811
    admin = contexts("en")
    page = sign_in(admin, "admin-quality")
    page.get_by_role("link", name="Staff").click()
    expect(page.locator("h1")).to_have_text("Staff accounts")
    form = page.locator("form.invite")
    form.get_by_label("E-mail").fill("zhou.yu@example.org")
    form.get_by_label("Name").fill("Zhou Yu")
    form.get_by_role("group", name="Roles").get_by_label("handler", exact=True).check()
    form.get_by_role("group", name="Departments").get_by_label("every department").check()
    form.get_by_role("button", name="Send the invitation").click()
    row = page.locator("tr", has_text="zhou.yu@example.org")
    expect(row).to_contain_text("every department")
    user_id = row.get_attribute("data-user")

    row.get_by_role("button", name="Change roles and departments").click()
    editor = page.get_by_role("form", name="Roles and departments of Zhou Yu")
    editor.get_by_label("quality", exact=True).check()
    check_accessibility(page, "staff-editor-en")
    editor.get_by_role("button", name="Save").click()
    expect(page.locator("#status")).to_contain_text("Saved the roles and departments of Zhou Yu")
    row = page.locator(f"tr[data-user='{user_id}']")
    expect(row).to_contain_text("handler, quality")
    assert local_users(stack)[user_id]["roles"] == ["handler", "quality"]

    # Another admin changes the account meanwhile: this page's save is refused with a clear
    # message, and the row shows the account as it is now; the next save goes through.
    other_admin_changes(stack, user_id, {"departments": ["sales"]})
    row.get_by_role("button", name="Disable").click()
    expect(page.locator("#status")).to_contain_text("Another admin changed this account")
    row = page.locator(f"tr[data-user='{user_id}']")
    expect(row).to_contain_text("Sales")
    expect(row).not_to_contain_text("every department")
    admin.shot("3-stale-en", page)
    row.get_by_role("button", name="Disable").click()
    expect(page.locator(f"tr[data-user='{user_id}']")).to_contain_text("Disabled")
    assert user_id not in local_users(stack)
    check_accessibility(page, "staff-en")
    admin.shot("4-disabled-en", page)
