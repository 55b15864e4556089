"""The console's subject-access page in a real browser (issue 21 item 7): an admin finds a
complainant's complaints by phone, sees what they submitted as the API returns it, and
downloads the zipped export with the file they sent (zh-CN, desktop); quality staff find
them by e-mail on a narrow screen, and a bad phone number is named next to its field (en);
axe-core on each state. Others have no such page.

The stack is shared by the session: this module only adds complaints of its own people."""

from __future__ import annotations

import io
import zipfile

import requests
from playwright.sync_api import expect

from tests.browser.conftest import new_complaint
from tests.browser.test_console import check_accessibility, contexts, sign_in  # noqa: F401

PERSON = {"name": "韩梅梅", "mobile": "13700005678", "email": "han.meimei@example.com"}
FILE = b"\x89PNG\r\n\x1a\n" + b"evidence" * 100


def upload(stack, number: str, token: str) -> None:
    """The file as the tracking page sends it: presigned POST to the local S3, then confirm."""
    headers = {"X-Tracking-Token": token}
    declared = {"filename": "收据.png", "content_type": "image/png", "size_bytes": len(FILE)}
    grant = requests.post(
        f"{stack.base}/complaints/{number}/attachments", json=declared, headers=headers, timeout=30
    ).json()
    posted = requests.post(
        grant["upload"]["url"],
        data=grant["upload"]["fields"],
        files={"file": ("收据.png", FILE, "image/png")},
        timeout=30,
    )
    assert posted.status_code in (200, 201, 204), posted.text
    confirm = grant["confirm_url"]
    confirm = confirm if confirm.startswith("http") else f"{stack.base}{confirm}"
    assert requests.post(confirm, headers=headers, timeout=30).status_code == 200


def search(page, label: str, value: str, button: str) -> None:
    form = page.locator("form.subject-search")
    form.get_by_label(label).fill(value)
    form.get_by_role("button", name=button).click()


def test_an_admin_finds_a_persons_complaints_and_downloads_the_export(stack, contexts):  # noqa: F811
    number, token = new_complaint(
        stack, subject="票据重复收费", complainant=PERSON, language="zh-CN"
    )
    upload(stack, number, token)
    admin = contexts("zh-CN")
    page = sign_in(admin, "admin-service")
    page.get_by_role("link", name="个人信息查阅").click()
    expect(page.locator("h1")).to_have_text("个人信息查阅")
    check_accessibility(page, "subject")

    search(page, "手机或电话", "137 0000 5678", "查找")
    case = page.locator(f"section.subject-case[data-number='{number}']")
    expect(case.get_by_role("heading", level=2)).to_contain_text(number)
    expect(case).to_contain_text("韩梅梅")
    expect(case).to_contain_text("han.meimei@example.com")
    expect(case).to_contain_text("票据重复收费")
    expect(case).to_contain_text("收据.png")
    expect(page.locator(".subject-summary")).to_contain_text("找到 1 件投诉")
    check_accessibility(page, "subject-found")
    admin.shot("1-found", page)

    with page.expect_download() as waiting:
        page.get_by_role("button", name="下载导出文件（zip）").click()
    download = waiting.value
    assert download.suggested_filename.startswith("subject-access-")
    archive = zipfile.ZipFile(io.BytesIO(download.path().read_bytes()))
    names = archive.namelist()
    assert f"complaints/{number}.json" in names
    (stored,) = [n for n in names if n.startswith(f"complaints/{number}/files/")]
    assert stored.endswith("-收据.png") and archive.read(stored) == FILE
    expect(page.locator("#status")).to_contain_text("已下载")


def test_quality_finds_them_by_e_mail_on_a_narrow_screen(stack, contexts):  # noqa: F811
    person = {**PERSON, "mobile": "13700006789", "email": "narrow.person@example.com"}
    number, _ = new_complaint(stack, subject="Late delivery", complainant=person)
    quality = contexts("en", width=390, height=844)
    page = sign_in(quality, "qa-service")
    page.get_by_role("link", name="Subject access").click()
    expect(page.locator("h1")).to_have_text("Subject access")

    search(page, "Phone", "12", "Find")  # cannot be anyone's number
    expect(page.locator("input[name=phone]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#status")).to_contain_text("Change the fields marked")
    check_accessibility(page, "subject-errors-en")

    page.locator("form.subject-search").get_by_label("Phone").fill("")
    search(page, "E-mail", "Narrow.Person@example.com", "Find")
    case = page.locator(f"section.subject-case[data-number='{number}']")
    expect(case).to_contain_text("Late delivery")
    expect(case).to_contain_text("narrow.person@example.com")
    expect(page.locator("input[name=phone]")).not_to_have_attribute("aria-invalid", "true")
    check_accessibility(page, "subject-found-en")
    quality.shot("2-narrow-en", page)


def test_a_supervisor_has_no_subject_access_page(stack, contexts):  # noqa: F811
    supervisor = contexts("en")
    page = sign_in(supervisor, "sup-service")
    expect(page.get_by_role("link", name="Subject access")).to_have_count(0)
    page.goto(f"{stack.base}/console/#/subject-access")
    search(page, "Phone", "13700005678", "Find")
    expect(page.locator("#status")).to_contain_text("Only admins and quality staff")
