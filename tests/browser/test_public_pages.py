"""The public pages in a real browser: submit, see the number, field errors, both languages,
keyboard use, attachments to (moto's) S3, tracking, withdrawal and the survey."""

from __future__ import annotations

import json
import re
import struct
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import new_complaint, settled
from tests.helpers import NOT_SUBSTANTIATED

pytestmark = pytest.mark.browser

NUMBER = re.compile(r"^TS-\d{8}-\d{4}$")
NAME = re.compile(r"^Name\b")  # not "Product name"
RESOLUTION = {
    "root_cause": "Clerk untrained",
    "solution": "Training",
    "result": "Apologised",
    "finding": NOT_SUBSTANTIATED,
}
BUCKET = "complaints-attachments"


def png(width: int = 8, height: int = 8) -> bytes:
    """A small valid PNG: evidence a person could attach."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def staff_get(
    stack, path: str, role: str = "supervisor", user: str = "sup-1", department: str = "service"
):
    auth = stack.staff_token(role, user, department)
    response = requests.get(f"{stack.base}{path}", headers={"Authorization": auth}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def public_view(stack, number: str, token: str) -> dict:
    response = requests.get(
        f"{stack.base}/complaints/{number}", headers={"X-Tracking-Token": token}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def resolve(stack, number: str) -> None:
    supervisor = stack.staff_token("supervisor", "sup-1")
    handler = stack.staff_token("handler", "han-1")
    stack.act(number, "accept", supervisor)
    stack.act(number, "assign", supervisor, {"handler": "han-1"})
    stack.act(number, "start", handler)
    assert stack.act(number, "resolve", handler, RESOLUTION)["status"] == "resolved"


def fill_minimal(page, *, email: str = "zhang.san@example.com") -> None:
    page.get_by_label("主题").fill("柜台工作人员态度恶劣")
    page.get_by_label("问题描述").fill("11月3日上午，柜台工作人员拒收我的申请表。")
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("电子邮箱").fill(email)


# -- submit ------------------------------------------------------------------------------


def test_form_submits_every_field_and_shows_number_and_token(browser):
    page = browser.open("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("投诉登记")
    page.get_by_label("类型", exact=True).select_option(label="建议")
    page.get_by_label("投诉分类").select_option(label="产品质量")
    page.get_by_label("问题类型").select_option(label="功能缺陷")
    page.get_by_label("严重程度").select_option(label="严重")
    page.get_by_label("紧急程度").select_option(label="高")
    fill_minimal(page)
    page.get_by_label("投诉请求").fill("请退货并道歉。")
    page.get_by_label("要求完成日期").fill("2030-12-31")
    page.get_by_label("受影响人数").fill("3")
    page.get_by_label("受理部门").select_option(label="质量部")
    page.get_by_label("发生地点").fill("北京市朝阳区某路 1 号")
    page.get_by_label("产品名称").fill("电水壶")
    page.get_by_label("型号").fill("K-200")
    page.get_by_label("序列号").fill("SN123456")
    page.get_by_label("批次").fill("B-2026-11")
    page.get_by_label("发货单号").fill("SF1234567890")
    page.get_by_label("发货日期").fill("2026-10-30")
    page.get_by_label("被投诉部门").fill("售后服务部")
    page.get_by_label("被投诉人员").fill("王五")
    page.get_by_label("为我的身份保密").check()
    page.get_by_label("手机").fill("13800138000")
    page.get_by_label("办公电话").fill("010-12345678")
    page.get_by_label("通信地址").fill("北京市海淀区某街 2 号")
    page.get_by_label("工作单位").fill("某公司")
    browser.shot("filled")

    page.get_by_role("button", name="提交投诉").click()
    receipt = page.locator("#receipt")
    expect(receipt).to_be_visible()
    expect(receipt).to_be_focused()
    expect(page.locator("#complaint-form")).to_be_hidden()
    number = page.locator("#out-number").inner_text()
    token = page.locator("#out-token").inner_text()
    assert NUMBER.match(number), number
    assert len(token) >= 22
    browser.shot("receipt")

    # Everything typed arrived, as staff see it.
    # The department's supervisor: confidential identities are masked for everyone else
    # (an admin included, issue 13 item 8).
    path = f"/staff/complaints/{number}"
    doc = staff_get(browser.stack, path, user="sup-q", department="quality")
    data = doc["data"]
    assert doc["department"] == "quality"
    assert (data["kind"], data["category"], data["problem_type"]) == (
        "suggestion",
        "product_quality",
        "functional_defect",
    )
    assert (data["severity"], data["priority"], data["people_affected"]) == ("serious", "high", 3)
    assert data["required_completion_date"] == "2030-12-31"
    assert data["desired_outcome"] == "请退货并道歉。"
    assert data["location"]["address_string"] == "北京市朝阳区某路 1 号"
    assert data["product"] == {
        "name": "电水壶",
        "model": "K-200",
        "serial_number": "SN123456",
        "batch": "B-2026-11",
        "shipment_number": "SF1234567890",
        "shipped_on": "2026-10-30",
    }
    assert data["respondent"] == {"department": "售后服务部", "person": "王五"}
    complainant = data["complainant"]
    assert complainant["confidential"] is True and complainant["anonymous"] is False
    assert complainant["office_phone"] == "010-12345678"
    assert complainant["organisation"] == "某公司"
    assert data["language"] == "zh-CN"
    assert public_view(browser.stack, number, token)["status"] == "received"


def test_anonymous_complaint_hides_and_sends_no_contact_fields(browser):
    page = browser.open("/?lang=en")
    page.get_by_label("Subject").fill("Broken street light")
    page.get_by_label("What happened").fill("The light on Elm Road has been out for a week.")
    page.get_by_label(NAME).fill("Should not be sent")
    page.get_by_label("Complain anonymously").check()
    expect(page.get_by_label(NAME)).to_be_hidden()
    page.get_by_role("button", name="Submit complaint").click()
    expect(page.locator("#receipt")).to_be_visible()
    number = page.locator("#out-number").inner_text()
    complainant = staff_get(browser.stack, f"/staff/complaints/{number}")["data"]["complainant"]
    assert complainant["anonymous"] is True and complainant["name"] is None


# -- errors next to their fields ---------------------------------------------------------


def test_field_errors_are_announced_next_to_their_fields(browser):
    page = browser.open("/?lang=en")
    page.get_by_label("Subject").fill("Rude staff")
    page.get_by_label(NAME).fill("Zhang San")
    email = page.get_by_label("E-mail")
    email.fill("not-an-email")
    page.get_by_role("button", name="Submit complaint").click()

    # The server's refusal lands beside each field, is tied to it, and focus goes there.
    email_error = page.locator("#complainant-email-error")
    expect(email_error).to_have_text(re.compile("valid e-mail"))
    expect(email).to_have_attribute("aria-invalid", "true")
    assert "complainant-email-error" in email.get_attribute("aria-describedby").split()
    description = page.get_by_label("What happened")
    expect(page.locator("#description-error")).to_have_text("This field is required.")
    expect(description).to_have_attribute("aria-invalid", "true")
    expect(description).to_be_focused()
    summary = page.get_by_role("alert").filter(has_text="Please correct")
    expect(summary).to_contain_text("E-mail: Enter a valid e-mail address")
    expect(page.locator("#subject")).not_to_have_attribute("aria-invalid", "true")
    browser.shot("errors-en")

    # The same errors, in the other language.
    page.locator("#lang-toggle").click()
    expect(email_error).to_have_text(re.compile("有效的电子邮箱"))
    browser.shot("errors-zh")

    # A file the service would refuse is caught before anything is sent.
    page.get_by_label("选择文件").set_input_files(
        files=[{"name": "tool.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ"}]
    )
    expect(page.locator("#attachments-error")).to_contain_text("格式不支持")
    page.get_by_label("选择文件").set_input_files(files=[])
    expect(page.locator("#attachments-error")).to_be_empty()

    # Corrected, it goes through and the errors are gone (labels are in Chinese now).
    page.get_by_label("问题描述").fill("The clerk refused my form.")
    page.get_by_label("电子邮箱").fill("zhang@example.com")
    page.get_by_role("button", name="提交投诉").click()
    expect(page.locator("#receipt")).to_be_visible()
    assert NUMBER.match(page.locator("#out-number").inner_text())
    expect(page.locator("#error-summary")).to_be_empty()


# -- both languages, and the keyboard ----------------------------------------------------


def test_pages_switch_language_and_remember_it(browser):
    page = browser.open("/")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    expect(page.get_by_role("heading", level=1)).to_have_text("投诉登记")
    expect(page.get_by_label("投诉分类")).to_contain_text("服务态度")
    browser.shot("form-zh")

    page.get_by_role("button", name="Switch to English").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit a complaint")
    expect(page.get_by_label("Category")).to_contain_text("Service attitude")
    assert page.title() == "Submit a complaint"
    browser.shot("form-en")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    browser.shot("form-en-phone")
    page.set_viewport_size({"width": 1024, "height": 900})

    # The choice is remembered on the other pages.
    browser.open("/track")
    expect(page.get_by_role("heading", level=1)).to_have_text("Track a complaint")
    browser.shot("track-en")
    browser.open("/survey")
    expect(page.get_by_role("heading", level=1)).to_have_text("Satisfaction survey")
    browser.shot("survey-en")
    page.get_by_role("button", name="切换到中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("满意度回访")
    browser.shot("survey-zh")
    browser.open("/track")
    expect(page.get_by_role("heading", level=1)).to_have_text("查询投诉进度")
    browser.shot("track-zh")


def test_form_works_from_the_keyboard(browser):
    page = browser.open("/?lang=en")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    reached = []
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if not reached or reached[-1] != focused:
            reached.append(focused)
        if focused == "submit":
            break
    controls = page.eval_on_selector_all(
        "#complaint-form input, #complaint-form select, #complaint-form textarea,"
        " #complaint-form button",
        "els => els.filter(el => el.offsetParent !== null).map(el => el.id)",
    )
    # Every visible control is reached, in the order it is shown.
    assert [c for c in reached if c in controls] == controls

    page.get_by_label("Subject").focus()
    page.keyboard.type("Typed with the keyboard")
    page.get_by_label("What happened").focus()
    page.keyboard.type("Only keys were used.")
    page.get_by_label(NAME).focus()
    page.keyboard.type("Key Board")
    page.get_by_label("E-mail").focus()
    page.keyboard.type("keys@example.com")
    page.get_by_label("Keep my identity confidential").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Keep my identity confidential")).to_be_checked()
    page.get_by_role("button", name="Submit complaint").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#receipt")).to_be_visible()
    assert NUMBER.match(page.locator("#out-number").inner_text())


# -- attachments, tracking, withdrawal ---------------------------------------------------


def test_attachments_tracking_and_withdrawal(browser):
    stack = browser.stack
    page = browser.open("/")
    fill_minimal(page)
    photo = png()
    note = "收据号 4411，金额 120 元。".encode()
    page.get_by_label("选择文件").set_input_files(
        files=[
            {"name": "现场照片.png", "mimeType": "image/png", "buffer": photo},
            {"name": "receipt.txt", "mimeType": "text/plain", "buffer": note},
        ]
    )
    page.get_by_role("button", name="提交投诉").click()
    expect(page.locator("#receipt")).to_be_visible()
    number = page.locator("#out-number").inner_text()
    token = page.locator("#out-token").inner_text()
    states = page.locator("#upload-list .state")
    expect(states).to_have_count(2)
    for index in range(2):
        expect(states.nth(index)).to_have_attribute("data-state", "done", timeout=30_000)
    browser.shot("receipt-with-uploads")

    # The browser posted both files straight to the (moto) bucket, privately, under the case.
    s3 = stack.client("s3")
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"attachments/{number}/")["Contents"]
    assert sorted(obj["Size"] for obj in listed) == sorted([len(photo), len(note)])
    kinds = {s3.head_object(Bucket=BUCKET, Key=obj["Key"])["ContentType"] for obj in listed}
    assert kinds == {"image/png", "text/plain"}
    assert s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }

    # Staff list them with short-lived links that fetch exactly what was sent.
    files = staff_get(stack, f"/staff/complaints/{number}/attachments")
    by_name = {item["filename"]: item for item in files["items"]}
    assert set(by_name) == {"现场照片.png", "receipt.txt"}
    download = requests.get(by_name["现场照片.png"]["download_url"], timeout=30)
    assert download.status_code == 200 and download.content == photo
    query = parse_qs(urlsplit(by_name["receipt.txt"]["download_url"]).query)
    assert query["X-Amz-Expires"] == ["300"]

    # The tracking page opens from the receipt with the token kept in this tab.
    page.get_by_role("link", name="查询处理进度").click()
    page.wait_for_url(re.compile(r"/track\?"))
    settled(page)
    expect(page.locator("#case")).to_be_visible()
    expect(page.locator("#case-status")).to_have_text("已接收")
    expect(page.locator("#case-timeline")).to_contain_text("已接收投诉")
    expect(page.locator("#case-deadlines")).to_contain_text("受理期限")
    expect(page.locator("#case-files li")).to_have_count(2)
    expect(page.locator("#case-files")).to_contain_text("现场照片.png")

    # One more file, from the tracking page.
    page.get_by_label("添加附件").set_input_files(
        files=[{"name": "more.txt", "mimeType": "text/plain", "buffer": b"one more line"}]
    )
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.locator("#case-notice")).to_have_text("附件已上传。")
    expect(page.locator("#case-files li")).to_have_count(3)
    browser.shot("track-zh")

    # Withdrawal asks first; Escape backs out and nothing changes.
    page.get_by_role("button", name="撤回投诉").click()
    dialog = page.get_by_role("dialog", name="确认撤回投诉？")
    expect(dialog).to_be_visible()
    browser.shot("withdraw-dialog")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert public_view(stack, number, token)["status"] == "received"

    page.get_by_role("button", name="撤回投诉").click()
    dialog.get_by_label("撤回原因").fill("已与商家协商解决")
    dialog.get_by_role("button", name="确认撤回").click()
    expect(page.locator("#case-notice")).to_have_text("投诉已撤回。")
    expect(page.locator("#case-status")).to_have_text("已撤回")
    expect(page.locator("#case-timeline")).to_contain_text("已与商家协商解决")
    expect(page.get_by_role("button", name="撤回投诉")).to_be_hidden()
    expect(page.locator("#upload-form")).to_be_hidden()
    browser.shot("withdrawn")
    assert public_view(stack, number, token)["status"] == "withdrawn"

    # In another tab, nothing is remembered: number and token are typed in.
    other = browser.new_page()
    browser.open(f"/track?number={number}&lang=en", page=other)
    expect(other.get_by_label("Complaint number")).to_have_value(number)
    other.get_by_label("Tracking token").fill("not-the-token")
    other.get_by_role("button", name="Look up").click()
    expect(other.locator("#token-error")).to_contain_text("No complaint matches")
    expect(other.get_by_label("Tracking token")).to_have_attribute("aria-invalid", "true")
    other.get_by_label("Tracking token").fill(token)
    other.get_by_role("button", name="Look up").click()
    expect(other.locator("#case-status")).to_have_text("Withdrawn")
    expect(other.locator("#case-timeline")).to_contain_text("Withdrawn")
    browser.shot("track-en", page=other)


# -- the survey --------------------------------------------------------------------------


def test_survey_from_the_tracking_page_closes_the_case(browser):
    stack = browser.stack
    number, token = new_complaint(stack)
    resolve(stack, number)

    page = browser.open(f"/track?number={number}&token={token}&lang=en")
    assert "token" not in parse_qs(urlsplit(page.url).query)
    expect(page.locator("#case-status")).to_have_text("Resolved")
    expect(page.locator("#case-timeline")).to_contain_text("Outcome: Apologised")
    page.get_by_role("link", name="Answer the satisfaction survey").click()
    page.wait_for_url(re.compile(r"/survey\?"))
    settled(page)
    expect(page.locator("#survey-intro")).to_contain_text(number)
    expect(page.locator("#link-fields")).to_be_hidden()

    page.get_by_role("button", name="Send").click()
    expect(page.locator("#score-error")).to_have_text("Choose a score from 1 to 5.")
    expect(page.locator("#solved-error")).to_have_text("Choose yes or no.")
    expect(page.locator("#score")).to_have_attribute("aria-invalid", "true")
    browser.shot("errors-en")

    page.get_by_role("group", name="How satisfied").get_by_label("4").check()
    page.get_by_role("group", name="Was your problem solved").get_by_label("Yes").check()
    page.get_by_label("Comments").fill("Quick and polite.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#survey-result")).to_have_text(f"Complaint {number} is now closed.")
    browser.shot("thanks-en")
    page.get_by_role("button", name="切换到中文").click()
    expect(page.locator("#survey-result")).to_have_text(f"投诉 {number} 已办结。")
    browser.shot("thanks-zh")

    view = public_view(stack, number, token)
    assert view["status"] == "closed"
    assert "survey_answered" in [item["event"] for item in view["timeline"]]


def test_survey_link_with_a_dissatisfied_answer_opens_a_new_case(browser):
    stack = browser.stack
    number, token = new_complaint(stack, language="zh-CN")
    resolve(stack, number)

    # As the e-mailed link does: number and token in the query string.
    page = browser.open(f"/survey?number={number}&token={token}")
    assert "token" not in parse_qs(urlsplit(page.url).query)
    expect(page.locator("#survey-intro")).to_contain_text(number)
    browser.shot("survey-zh")
    page.get_by_role("group", name="满意度").get_by_label("1").check()
    page.get_by_role("group", name="解决").get_by_label("否").check()
    page.get_by_label("意见或建议").fill("问题没有解决。")
    page.get_by_role("button", name="提交评价").click()
    result = page.locator("#survey-result")
    expect(result).to_contain_text("重新立案")
    new_number = re.search(r"TS-\d{8}-\d{4}", result.inner_text()).group(0)
    assert new_number != number
    browser.shot("recomplaint-zh")

    new = staff_get(stack, f"/staff/complaints/{new_number}")
    assert new["related_to"] == number and new["grade"] == "B"

    # The link cannot be used twice.
    again = browser.new_page()
    browser.open(f"/survey?number={number}&token={token}", page=again)
    again.get_by_role("group", name="满意度").get_by_label("5").check()
    again.get_by_role("group", name="解决").get_by_label("是").check()
    again.get_by_role("button", name="提交评价").click()
    expect(again.locator("#error-summary")).to_contain_text("不需要回访")


def test_the_thread_shows_a_request_and_takes_a_reply_as_text(browser):
    """Issue 17: the handler asks for two documents; the complainant reads them on the
    tracking page and replies; a <script> in the reply stays text; the case resumes."""
    stack = browser.stack
    number, token = new_complaint(stack)
    supervisor = stack.staff_token("supervisor", "sup-1")
    handler = stack.staff_token("handler", "han-1")
    stack.act(number, "accept", supervisor)
    stack.act(number, "assign", supervisor, {"handler": "han-1"})
    stack.act(number, "start", handler)
    body = {"text": "To decide we need:", "request": {"items": ["Bank statement", "Receipt"]}}
    asked = requests.post(
        f"{stack.base}/staff/complaints/{number}/messages",
        data=json.dumps(body),
        headers={"Authorization": handler, "Content-Type": "application/json"},
        timeout=30,
    )
    assert asked.status_code == 200, asked.text

    page = browser.open(f"/track?number={number}&token={token}&lang=en")
    expect(page.locator("#case-status")).to_have_text("Waiting for you")
    request = page.locator("#thread-request")
    expect(request).to_contain_text("We need the following from you")
    expect(request.locator("li")).to_have_text(["Bank statement", "Receipt"])
    expect(page.locator("#thread-items")).to_contain_text("service · handler")
    browser.shot("thread-request-en")

    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#reply-text-error")).to_have_text("This field is required.")
    text = "<script>window.pwned = 1</script> statement attached"
    page.get_by_label("Reply", exact=True).fill(text)
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#case-notice")).to_have_text("Your reply has been sent.")
    expect(page.locator("#thread-items li").last).to_contain_text(text)
    assert page.evaluate("window.pwned") is None
    expect(page.locator("#thread-request")).to_be_hidden()
    browser.shot("thread-replied-en")
    page.get_by_role("button", name="切换到中文").click()
    expect(page.locator("#thread-items li").last).to_contain_text("您")
    assert public_view(stack, number, token)["status"] == "in_progress"
