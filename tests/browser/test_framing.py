"""No other site can frame the public pages (clickjacking the tracking page's withdraw
button, say): Chromium itself refuses to show them inside another origin's page."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def other_site():
    """Another origin on this machine (another port): it serves one page with an iframe."""
    framed = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            body = (
                f'<!doctype html><title>other</title><iframe src="{framed["url"]}"'
                ' width="800" height="600"></iframe>'
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield framed, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("path", ["/", "/track", "/survey"])
def test_another_site_cannot_frame_the_page(browser, other_site, path):
    framed, other = other_site
    framed["url"] = target = browser.stack.base + path
    page = browser.page
    with page.expect_response(lambda response: response.url == target) as answer:
        page.goto(other)
    assert answer.value.status == 200  # the server answered: the browser refused to show it
    page.wait_for_load_state("load")
    frame = page.frames[1]
    assert frame.url.startswith("chrome-error://")  # Chromium's "refused to connect" page
    assert frame.locator("#lang-toggle, #main").count() == 0
    # Chromium says why on the console; that is the expected refusal, not a page's fault.
    refused = [p for p in browser.problems if "frame-ancestors 'none'" in p and "blocked" in p]
    assert refused, browser.problems
    browser.problems[:] = [p for p in browser.problems if p not in refused]
