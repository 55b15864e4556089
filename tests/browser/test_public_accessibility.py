"""axe-core on every public page (form, receipt, tracking with a case, survey), in both
languages and at a phone's width: no serious or critical violation."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE, new_complaint

pytestmark = pytest.mark.browser


def violations(page) -> list[dict]:
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => ({id: v.id, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )
    return found


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("width", [1024, 375])
def test_every_public_page_passes_axe(browser, lang, width):
    browser.context.add_init_script(path=str(AXE))
    page = browser.page
    page.set_viewport_size({"width": width, "height": 900})
    number, token = new_complaint(browser.stack)
    checked = {}
    for name, path in [
        ("form", "/"),
        ("track-empty", "/track"),
        ("track-case", f"/track?number={number}&token={token}"),
        ("survey", f"/survey?number={number}"),
    ]:
        browser.open(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        if name == "track-case":
            expect(page.locator("#case-number")).to_have_text(number)
        checked[name] = violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    # The form's error summary and field errors, as a person sees them after a bad submit.
    browser.open(f"/?lang={lang}")
    page.locator("#submit").click()
    expect(page.locator("#error-summary li").first).to_be_visible()
    checked["form-errors"] = violations(page)
    bad = {name: found for name, found in checked.items() if found}
    assert bad == {}, json.dumps(bad, ensure_ascii=False)
