"""The staff console in a real browser (Debian's chromium): sign in as local demo users,
take a web complaint from received to resolved with a supervisor and a handler in two
browser contexts, masking, a conflict between two tabs, staff intake by phone, reports,
both languages, keyboard use, and axe-core (vendored, run inside each page)."""

from __future__ import annotations

import json
import re

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import Browser, settled

pytestmark = pytest.mark.browser

NUMBER = re.compile(r"^TS-\d{8}-\d{4}$")
# The case's own timeline; the conversation thread (ol.timeline#thread-items) looks alike.
CASE_TIMELINE = "ol.timeline:not(#thread-items)"


@pytest.fixture
def contexts(request, open_context):
    """open_context(locale, viewport) -> a fresh chromium profile with axe-core preloaded."""
    opened = []

    def open_one(locale: str = "zh-CN", width: int = 1280, height: int = 900) -> Browser:
        viewport = {"width": width, "height": height}
        session = open_context(
            f"console-{request.node.name}-{len(opened)}", axe=True, viewport=viewport, locale=locale
        )
        opened.append(session)
        return session

    return open_one


def submit(stack, **overrides) -> str:
    body = {
        "category": "billing",
        "subject": "Charged twice",
        "description": "Two debits for one order.",
        "complainant": {"name": "李雷", "mobile": "13800138000", "email": "li@example.com"},
        "language": "zh-CN",
        **overrides,
    }
    response = requests.post(f"{stack.base}/complaints", json=body, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()["number"]


def sign_in(session: Browser, user: str, page=None):
    """Sign in as a demo user; a tab opened beside a signed-in one is signed in already."""
    page = page or session.page
    session.open("/console/", page)
    button = page.locator(f"button[data-user='{user}']")
    expect(button.or_(page.locator("#sign-out:visible"))).to_be_visible()
    if button.count():
        button.click()
    expect(page.locator("#sign-out")).to_be_visible()
    expect(page.locator("form.search")).to_be_visible()  # the queues page is drawing
    settled(page)  # and has drawn its queue
    return page


def open_case(session: Browser, number: str, page=None):
    page = page or session.page
    page.goto(f"{session.stack.base}/console/#/case/{number}")
    expect(page.locator("h1")).to_contain_text(number)
    expect(page.locator(".timeline li").first).to_be_visible()
    return page


def act(page, action: str, fill=None):
    page.locator(f".actions button[data-action='{action}']").click()
    form = page.locator(f"form[data-action='{action}']")
    expect(form).to_be_visible()
    if fill:
        fill(form)
    form.locator("[type=submit]").click()
    expect(page.locator("#status.ok")).to_be_visible()
    return form


def check_accessibility(page, name: str) -> None:
    """axe-core inside the page: no serious or critical violation."""
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{name}: {json.dumps(bad, ensure_ascii=False)}"


def status_of(stack, number: str) -> dict:
    auth = stack.staff_token("supervisor", "sup-check")
    response = requests.get(
        f"{stack.base}/staff/complaints/{number}", headers={"Authorization": auth}, timeout=30
    )
    return response.json()


def test_supervisor_and_handler_take_a_web_complaint_to_resolved(stack, contexts):
    number = submit(
        stack,
        complainant={"name": "王秘密", "mobile": "13900139000", "confidential": True},
        # A member of staff (handler2-service) is complained about: recused (回避).
        respondent={"department": "service", "person": "林峰"},
    )
    supervisor = contexts("zh-CN")
    page = sign_in(supervisor, "sup-service")
    page.locator("a[data-queue='to_accept']").click()
    row = page.locator(f"tr[data-number='{number}']")
    expect(row).to_be_visible()
    check_accessibility(page, "queues")
    supervisor.shot("1-supervisor-queue", page)
    row.get_by_role("link", name=number).click()
    expect(page.locator("h1")).to_contain_text(number)
    # A supervisor may see who complained, confidential or not.
    expect(page.locator("#complainant-title + dl")).to_contain_text("王秘密")
    check_accessibility(page, "case")
    supervisor.shot("2-supervisor-case", page)
    act(page, "accept")
    expect(page.locator(".summary")).to_contain_text("已受理")

    def pick_handler(form):
        handler = form.locator("select[name=handler] option[value='handler-service']")
        expect(handler).to_be_attached()
        # The directory lists only the case's department, and not the person complained about.
        assert form.locator("select[name=handler] option[value='handler-sales']").count() == 0
        assert form.locator("select[name=handler] option[value='handler2-service']").count() == 0
        form.locator("select[name=handler]").select_option("handler-service")

    act(page, "assign", pick_handler)
    expect(page.locator(".summary")).to_contain_text("已分派")
    supervisor.shot("3-supervisor-assigned", page)

    handler = contexts("en-US")
    hpage = sign_in(handler, "handler-service")
    expect(hpage.locator("a[data-queue='mine'] .count")).to_have_text("1")
    hpage.locator("a[data-queue='mine']").click()
    expect(hpage.locator(f"tr[data-number='{number}']")).to_be_visible()
    handler.shot("4-handler-my-cases", hpage)
    hpage.get_by_role("link", name=number).click()
    expect(hpage.locator("h1")).to_contain_text(number)
    # The confidential complainant is masked for the handler, exactly as the API masks it.
    complainant = hpage.locator("#complainant-title + p + dl")
    expect(hpage.locator("[data-masked='true']")).to_be_visible()
    expect(complainant).to_contain_text("***")
    expect(hpage.locator("main")).not_to_contain_text("王秘密")
    expect(hpage.locator("main")).not_to_contain_text("13900139000")
    handler.shot("5-handler-case-masked", hpage)
    act(hpage, "start")

    def handling(form):
        form.locator("[name=root_cause]").fill("Duplicate charge from a retry")
        form.locator("[name=solution]").fill("Refund the second debit")
        form.locator("[name=result]").fill("Refunded; customer informed")
        form.get_by_role("button", name="Add a part").click()
        form.locator("[name=part_name]").fill("Refund voucher")
        form.locator("[name=part_quantity]").fill("2")

    act(hpage, "record_handling", handling)
    expect(hpage.locator("#handling-title + dl")).to_contain_text("Refund voucher × 2")

    def finding(form):
        # The form comes filled with the record, and the respondent offered as responsible.
        expect(form.locator("[name=root_cause]")).to_have_value("Duplicate charge from a retry")
        department = form.locator("[name='finding.responsible.department']")
        expect(department).to_have_value("service")
        expect(form.locator("[name='finding.responsible.person']")).to_have_value("林峰")
        check_accessibility(hpage, "resolve form")
        handler.shot("6-handler-finding", hpage)
        form.locator("[name='finding.substantiated']").select_option("yes")
        form.locator("[name='finding.valid']").check()
        form.locator("[name='finding.action']").fill("Retraining on refunds")

    act(hpage, "resolve", finding)
    expect(hpage.locator(".summary")).to_contain_text("Resolved")
    expect(hpage.locator(CASE_TIMELINE)).to_contain_text("resolved")
    # The handler sees the department found responsible, not the person.
    shown = hpage.locator("section.finding")
    expect(shown).to_contain_text("substantiated")
    expect(shown).to_contain_text("***")
    expect(shown).not_to_contain_text("林峰")
    handler.shot("7-handler-resolved", hpage)
    recorded = status_of(stack, number)
    assert recorded["status"] == "resolved"
    assert recorded["finding"]["responsible"] == {"department": "service", "person": "林峰"}
    # The department's supervisor sees the person (the page was on this case: reload it).
    page.reload()
    expect(page.locator("h1")).to_contain_text(number)
    expect(page.locator("section.finding")).to_contain_text("林峰")
    expect(page.locator("section.finding")).to_contain_text("属实")
    check_accessibility(page, "case with its finding")
    supervisor.shot("8-supervisor-finding", page)


def test_two_tabs_on_one_case_the_second_gets_the_conflict_and_keeps_its_input(stack, contexts):
    number = submit(stack)
    session = contexts("en-US")
    first = sign_in(session, "sup-service")
    second = sign_in(session, "sup-service", session.new_page())
    open_case(session, number, first)
    open_case(session, number, second)
    second.locator(".actions button[data-action='add_note']").click()
    note = second.locator("form[data-action='add_note'] textarea[name=text]")
    note.fill("Called the customer back at 10:05")
    act(first, "accept")
    second.locator("form[data-action='add_note'] [type=submit]").click()
    expect(second.locator(".conflict")).to_contain_text("Someone else changed this case")
    # The new state is on the page, and what was typed is still in the form.
    expect(second.locator(".summary")).to_contain_text("Accepted")
    expect(note).to_have_value("Called the customer back at 10:05")
    check_accessibility(second, "conflict")
    session.shot("conflict", second)
    second.locator("form[data-action='add_note'] [type=submit]").click()
    expect(second.locator("#status.ok")).to_be_visible()
    expect(second.locator(CASE_TIMELINE)).to_contain_text("Called the customer back at 10:05")


def test_staff_intake_by_phone_shows_the_number_to_read_back(stack, contexts):
    session = contexts("zh-CN")
    page = sign_in(session, "intake-service")
    page.get_by_role("link", name="登记投诉").click()
    expect(page.locator("h1")).to_have_text("登记投诉")
    check_accessibility(page, "intake")
    form = page.locator("form.intake")
    form.locator("[name=channel]").select_option("phone")
    form.locator("[name=received_at]").fill("2026-11-02T09:30")
    form.locator("[name=category]").select_option("delivery")
    form.locator("[name=subject]").fill("包裹未送达")
    form.locator("[name=description]").fill("来电称三天前的包裹仍未送达。")
    form.locator("[name=name]").fill("韩梅梅")
    form.locator("[name=mobile]").fill("13700137000")
    form.locator("[name=contact_preference]").select_option("phone")
    form.locator("[name='respondent.department']").fill("城东配送站")
    form.locator("[name='respondent.person']").fill("张师傅")
    session.shot("intake-form", page)
    form.locator("[type=submit]").click()
    number_text = page.locator("#receipt-number")
    expect(number_text).to_be_focused()
    number = number_text.inner_text().strip()
    assert NUMBER.match(number)
    session.shot("intake-number", page)
    recorded = status_of(stack, number)
    assert recorded["channel"] == "phone" and recorded["data"]["subject"] == "包裹未送达"
    assert recorded["received_at"].startswith("2026-11-02T01:30")  # 09:30 in Shanghai
    assert recorded["data"]["respondent"] == {"department": "城东配送站", "person": "张师傅"}
    assert recorded["data"]["complainant"]["contact_preference"] == "phone"
    # A complaint that came in later than "now" is refused, with the field marked.
    form.locator("[name=subject]").fill("x")
    form.locator("[name=description]").fill("y")
    form.locator("[name=name]").fill("z")
    form.locator("[name=mobile]").fill("not a number")
    form.locator("[type=submit]").click()
    expect(page.locator("#status.error")).to_be_visible()
    expect(form.locator("[aria-invalid='true']").first).to_be_visible()


def test_a_second_tab_stays_signed_in_and_signing_out_leaves_every_tab(stack, contexts):
    number = submit(stack)
    session = contexts("en-US")
    first = sign_in(session, "sup-service")
    second = session.new_page()
    # A case opened in a new tab: no second sign-in, the same user.
    second.goto(f"{stack.base}/console/#/case/{number}")
    expect(second.locator("h1")).to_contain_text(number)
    expect(second.locator("#who")).to_contain_text(first.locator("#who").inner_text())
    # The token never leaves sessionStorage (nothing in localStorage or cookies).
    assert second.evaluate("Object.keys(localStorage).every(k => !k.includes('session'))")
    assert second.context.cookies() == []
    check_accessibility(second, "second tab")
    session.shot("second-tab", second)
    second.locator("#sign-out").click()
    expect(second.locator("h1")).to_have_text("Sign in")
    expect(first.locator("h1")).to_have_text("Sign in")
    expect(first.locator("#status")).to_contain_text("You signed out in another tab")
    assert first.evaluate("sessionStorage.getItem('console.session')") is None
    # A tab opened now finds nobody signed in.
    third = session.new_page()
    third.goto(f"{stack.base}/console/#/case/{number}")
    expect(third.locator("h1")).to_have_text("Sign in")


def test_the_intake_form_finds_the_callers_open_case_and_the_case_shows_the_history(
    stack, contexts
):
    caller = {"name": "周七", "mobile": "13912340001", "email": "zhou.qi@example.com"}
    open_case_number = submit(stack, subject="发票开错", complainant=caller)
    closed = submit(stack, subject="上次的投诉", complainant=caller)
    sup = stack.staff_token("supervisor", "sup-lookup")
    stack.act(closed, "refuse", sup, {"reason": "不属于本单位"})
    session = contexts("zh-CN")
    page = sign_in(session, "intake-service")
    page.goto(f"{stack.base}/console/#/intake")
    form = page.locator("form.intake")
    # Typed the way the caller says it: the open case shows, the closed one does not.
    form.locator("[name=mobile]").fill("+86 139-1234-0001")
    panel = page.locator("#caller-cases")
    expect(panel.locator(f"li[data-number='{open_case_number}']")).to_be_visible()
    expect(panel).to_contain_text("发票开错")
    expect(panel.locator(f"li[data-number='{closed}']")).to_have_count(0)
    check_accessibility(page, "intake lookup")
    session.shot("intake-lookup", page)
    form.locator("[name=mobile]").fill("")
    expect(panel).to_be_hidden()
    form.locator("[name=email]").fill("ZHOU.QI@example.com")
    expect(panel.locator(f"li[data-number='{open_case_number}']")).to_be_visible()
    panel.get_by_role("link", name=open_case_number).click()
    expect(page.locator("h1")).to_contain_text(open_case_number)
    # The case page lists the complainant's other complaints, closed ones too.
    supervisor = contexts("en-US")
    spage = sign_in(supervisor, "sup-service")
    open_case(supervisor, open_case_number, spage)
    others = spage.locator("#other-complaints")
    expect(others.locator(f"li[data-number='{closed}']")).to_be_visible()
    expect(others).to_contain_text("Not accepted")
    expect(others.locator(f"li[data-number='{open_case_number}']")).to_have_count(0)
    # The timeline reads in words: labels for keys, the organisation's local time.
    timeline = spage.locator(CASE_TIMELINE)
    expect(timeline).to_contain_text("Channel: Web")
    expect(timeline).to_contain_text("Department: Service")
    expect(timeline).not_to_contain_text("+00:00")
    check_accessibility(spage, "case history")
    supervisor.shot("case-history", spage)


def test_a_manager_opens_the_reports_page(stack, contexts):
    submit(stack)
    session = contexts("en-US")
    page = sign_in(session, "mgr-service")
    page.get_by_role("link", name="Reports").click()
    expect(page.locator("h1")).to_have_text("Reports")
    expect(page.locator("table.figures")).to_be_visible()
    # Figures as rows, groups (by name, not key) as columns, and the total.
    expect(page.locator("table.figures thead")).to_contain_text("Total")
    expect(page.locator("table.figures thead")).to_contain_text("Service")
    expect(page.locator("table.figures thead")).not_to_contain_text("service")
    expect(page.locator("tr[data-metric='received'] th")).to_have_text("Received")
    # The month in progress says it is as of now; the backlog is in words.
    expect(page.locator(".as-of")).to_contain_text("as of")
    expect(page.locator("#backlog-title + dl")).to_contain_text("Over 20 working days")
    expect(page.locator("#backlog-title + dl")).not_to_contain_text("over_20")
    # Readable at a laptop's width: no header squeezed to a character per line.
    widths = page.evaluate(
        "[...document.querySelectorAll('table.figures th')]"
        ".map(e => e.getBoundingClientRect().width)"
    )
    assert min(widths) >= 40, widths
    expect(page.locator(".charts img").first).to_be_visible()
    # The assessment table (考核表): a row per department, ranked.
    expect(page.locator("table.assessment tbody tr").first).to_be_visible()
    expect(page.locator("table.assessment thead")).to_contain_text("Valid complaints")
    check_accessibility(page, "reports")
    session.shot("reports", page)
    with page.expect_download() as download:
        page.locator("button[data-format='csv']").click()
    assert download.value.suggested_filename.endswith(".csv")
    # A handler is not offered reports, and the API refuses them anyway.
    handler = contexts("en-US")
    hpage = sign_in(handler, "handler-service")
    expect(hpage.get_by_role("link", name="Reports")).to_have_count(0)


def test_chinese_and_english_follow_the_browser_and_the_switch(stack, contexts):
    english = contexts("en-US")
    page = english.open("/console/")
    expect(page.locator("h1")).to_have_text("Sign in")
    assert page.evaluate("document.documentElement.lang") == "en"
    check_accessibility(page, "sign-in")
    english.shot("signin-en", page)
    page.locator("#lang-switch").click()
    expect(page.locator("h1")).to_have_text("登录")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.reload()
    expect(page.locator("h1")).to_have_text("登录")  # the choice is kept
    chinese = contexts("zh-CN")
    cpage = sign_in(chinese, "sup-service")
    expect(cpage.locator("h1")).to_have_text("工作队列")
    expect(cpage.locator("a[data-queue='to_accept']")).to_contain_text("待受理")
    chinese.shot("queues-zh", cpage)


def test_keyboard_only_sign_in_and_action(stack, contexts):
    number = submit(stack)
    session = contexts("en-US")
    page = session.open("/console/")
    page.keyboard.press("Tab")
    expect(page.locator("#skip-link")).to_be_focused()
    button = page.locator("button[data-user='sup-service']")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".queue-list")).to_be_visible()
    search = page.locator("input[name=number]")
    search.focus()
    page.keyboard.type(number)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(number)
    page.locator(".actions button[data-action='refuse']").focus()
    page.keyboard.press("Enter")
    reason = page.locator("form[data-action='refuse'] [name=reason]")
    expect(reason).to_be_focused()
    page.keyboard.type("Not a complaint about us")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".summary")).to_contain_text("Not accepted")


def test_on_a_phone_every_page_fits_and_passes_axe(stack, contexts):
    number = submit(stack, complainant={"name": "A", "mobile": "13800138000"})
    session = contexts("zh-CN", width=375, height=740)
    page = sign_in(session, "sup-service")
    pages = {
        "queues": "#/queue/to_accept",
        "case": f"#/case/{number}",
        "intake": "#/intake",
        "reports": "#/reports",
    }
    for name, hash_ in pages.items():
        page.goto(f"{stack.base}/console/{hash_}")
        expect(page.locator("h1")).to_be_visible()
        # That route drawn (main.js names it once it is), then the parts that load after it.
        expect(page.locator(f'#main[data-route="{hash_}"]')).to_have_attribute("aria-busy", "false")
        settled(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375 + 1, f"{name} scrolls sideways ({width}px)"
        check_accessibility(page, f"phone {name}")
        session.shot(f"phone-{name}", page)
    page.locator("#sign-out").click()
    expect(page.locator("h1")).to_have_text("登录")
    assert page.evaluate("sessionStorage.getItem('console.session')") is None


@pytest.mark.parametrize(
    ("locale", "user", "queue", "title", "shot"),
    [
        ("en-US", "admin-service", "failed", "Failed notifications", "admin-failed"),
        ("zh-CN", "qa-service", "callbacks", "待电话回访", "quality-callbacks"),
    ],
    ids=["admin-failed", "quality-callbacks"],
)
def test_a_role_sees_its_own_queue(stack, contexts, locale, user, queue, title, shot):
    session = contexts(locale)
    page = sign_in(session, user)
    page.locator(f"a[data-queue='{queue}']").click()
    expect(page.locator("#queue-title")).to_have_text(title)
    check_accessibility(page, title)
    session.shot(shot, page)


def test_the_handler_asks_for_information_records_a_call_and_sees_the_reply(stack, contexts):
    """Issue 17: request items added one by one with the default date, a phone contact,
    the complainant's reply in the thread; a confidential identity stays masked."""
    response = requests.post(
        f"{stack.base}/complaints",
        json={
            "category": "billing",
            "subject": "Charged twice",
            "description": "Two debits for one order.",
            "complainant": {
                "name": "王秘密",
                "email": "wang.mimi@example.com",
                "confidential": True,
            },
            "language": "en",
        },
        timeout=30,
    )
    number, token = response.json()["number"], response.json()["tracking_token"]
    supervisor = stack.staff_token("supervisor", "sup-1")
    handler_token = stack.staff_token("handler", "handler-service")
    stack.act(number, "accept", supervisor)
    stack.act(number, "assign", supervisor, {"handler": "handler-service"})
    stack.act(number, "start", handler_token)

    handler = contexts("en-US")
    page = sign_in(handler, "handler-service")
    open_case(handler, number, page)
    composer = page.locator("#composer")
    expect(composer).to_be_visible()
    composer.locator("[name=text]").fill("To decide we need the following:")
    composer.locator("[name=ask]").check()
    expect(composer.locator("[name=reply_by]")).not_to_have_value("")
    for item in ("Bank statement", "Receipt"):
        composer.locator("[name=item]").fill(item)
        composer.get_by_role("button", name="Add item").click()
    expect(composer.locator("#compose-items li")).to_have_count(2)
    composer.get_by_role("button", name="Send").click()
    expect(page.locator("#status.ok")).to_be_visible()
    expect(page.locator(".summary")).to_contain_text("Waiting")
    expect(page.locator("#thread-items li[data-type='request'] ol li")).to_have_text(
        ["Bank statement", "Receipt"]
    )

    contact = page.locator("#contact-form")
    contact.locator("[name=summary]").fill("Called; explained what is needed")
    contact.get_by_role("button", name="Save contact").click()
    expect(page.locator("#thread-items li[data-type='contact']")).to_be_visible()
    assert status_of(stack, number)["deadlines"]["first_contact"]["met_at"]

    replied = requests.post(
        f"{stack.base}/complaints/{number}/messages",
        json={"text": "Here they are. 王秘密, wang.mimi@example.com"},
        headers={"X-Tracking-Token": token},
        timeout=30,
    )
    assert replied.status_code == 201, replied.text
    # The "replied" queue holds the case, with its reply count, until the handler opens it.
    page.goto(f"{stack.base}/console/#/queue/replied")
    row = page.locator(f"tr[data-number='{number}']")
    expect(row.first).to_contain_text("1 unread")
    expect(page.locator("[data-queue='replied'] .count")).to_have_text("1")
    check_accessibility(page, "queue-replied")
    row.first.get_by_role("link", name=number).click()
    expect(page.locator("h1")).to_contain_text(number)
    assert status_of(stack, number)["replies_unread"] == 0
    reply = page.locator("#thread-items li[data-type='reply']")
    expect(reply).to_contain_text("Here they are.")
    expect(page.locator("main")).not_to_contain_text("王秘密")
    expect(page.locator("main")).not_to_contain_text("wang.mimi@example.com")
    check_accessibility(page, "case-thread")
    handler.shot("thread", page)
