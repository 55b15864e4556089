"""Real-browser tests: Debian's chromium, driven by Playwright, against the local stack that
`make run` starts (scripts/run_local.sh: moto's server + `chalice local`).

Playwright's Python package carries its own Node driver; it is pointed at /usr/bin/chromium
and never downloads a browser. One chromium runs per worker; each test gets fresh browser
profiles in it (contexts: nothing of another test's cookies, storage or tabs). Screenshots are
written to a temporary folder while the stack runs and copied to test-artifacts/browser/
once it has stopped: `chalice local` restarts when any file under the project changes.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from tests.clock import default_now
from tests.e2e.test_local_stack import Stack, local_stack

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_call = report.failed


@pytest.fixture(scope="session")
def shots_dir():
    """Screenshots go here during the run and to test-artifacts/browser/ at the end."""
    folder = Path(tempfile.mkdtemp(prefix="complaints-shots-"))
    yield folder
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        shutil.rmtree(ARTIFACTS, ignore_errors=True)  # only this run's pictures
    # Under `make test` (pytest-xdist) each worker with browser tests adds its pictures.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for shot in folder.glob("*.png"):
        shutil.copy2(shot, ARTIFACTS / shot.name)
    shutil.rmtree(folder, ignore_errors=True)


class LocalStack(Stack):
    """The running stack, plus what the tests need to act as staff."""

    def staff_token(self, role: str, user: str, department: str = "service") -> str:
        return self.bearer(user, [role], [department])

    def act(self, number: str, segment: str, auth: str, body: dict | None = None) -> dict:
        """One staff action with the ETag just read, as a staff client does."""
        url = f"{self.base}/staff/complaints/{number}"
        current = requests.get(url, headers={"Authorization": auth}, timeout=30)
        assert current.status_code == 200, current.text
        response = requests.post(
            f"{url}/{segment}",
            data=json.dumps(body or {}),
            headers={
                "Authorization": auth,
                "Content-Type": "application/json",
                "If-Match": current.headers["ETag"],
            },
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, shots_dir):
    with local_stack(tmp_path_factory.mktemp("browser-stack"), LocalStack) as running:
        yield running


@pytest.fixture(scope="session")
def playwright_driver():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


class Browser:
    """One fresh chromium profile: pages, and screenshots that are kept."""

    def __init__(self, context, stack: LocalStack, shots: Path, test_name: str):
        self.context = context
        self.stack = stack
        self.shots = shots
        self.test_name = test_name
        self.problems: list[str] = []
        # The browser's Date is the stack's pinned instant (tests/README.md), not the
        # machine's: default months and "received at" values do not depend on the day.
        context.clock.set_fixed_time(default_now())
        self.page = self.new_page()

    def new_page(self):
        page = self.context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", self._console)
        return page

    def _console(self, message) -> None:
        # Chrome logs every 4xx reply as a failed load; the tests provoke those on purpose.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {message.text}")

    def open(self, path: str, page=None):
        page = page or self.page
        page.goto(self.stack.base + path)
        settled(page)
        return page

    def shot(self, name: str, page=None) -> Path:
        path = self.shots / f"{self.test_name}--{name}.png"
        (page or self.page).screenshot(path=str(path), full_page=True)
        return path


def settled(page) -> None:
    """Wait until the page has drawn what its first requests bring. The pages mark what is
    still loading aria-busy="true" (the console's #main from its first paint, the tracking
    page while a case loads, a case's thread, a report's charts), so this ends as soon as
    they are in, where waiting for the network to go quiet ("networkidle") took at least
    500 ms more every time."""
    expect(page.locator('[aria-busy="true"]')).to_have_count(0)


@pytest.fixture(scope="session")
def chromium(playwright_driver):
    """One chromium per worker. Every context made in it is a fresh profile of its own
    (cookies, storage, cache, tabs), so a browser need not start for each test."""
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def open_context(request, chromium, stack, shots_dir):
    """open_context(name, axe=False, **options) -> a Browser in a fresh context (1024x900
    unless `viewport`; axe-core preloaded with `axe`). A failed test keeps a screenshot of
    each of its pages."""
    opened: list[Browser] = []

    def open_(name: str, axe: bool = False, **options) -> Browser:
        context = chromium.new_context(**{"viewport": {"width": 1024, "height": 900}, **options})
        if axe:
            # Injected by the browser itself, so the pages' CSP need not admit it.
            context.add_init_script(path=str(AXE))
        session = Browser(context, stack, shots_dir, name)
        opened.append(session)
        return session

    yield open_
    failed = getattr(request.node, "failed_call", False)
    for session in opened:
        try:
            if failed:
                for index, page in enumerate(session.context.pages):
                    session.shot(f"FAILED-{index}", page)
            else:
                # Script errors and refused loads (CSP), on every page the test opened.
                assert session.problems == []
        finally:
            session.context.close()


def new_complaint(stack, **overrides) -> tuple[str, str]:
    """A complaint sent over HTTP (in English unless `language`): number, tracking token."""
    body = {
        "category": "billing",
        "subject": "Charged twice",
        "description": "Two debits for one order.",
        "complainant": {"name": "Li Lei", "email": "li.lei@example.com"},
        "language": "en",
        **overrides,
    }
    response = requests.post(f"{stack.base}/complaints", json=body, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()["number"], response.json()["tracking_token"]


@pytest.fixture
def browser(request, open_context):
    return open_context(request.node.name, locale="zh-CN")
