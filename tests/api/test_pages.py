"""The public pages as files: served with safe headers, offline (nothing from elsewhere),
every public field of the complaint on the form, every field labelled, both languages."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from chalicelib.domain.model import Complainant, ComplaintInput, Product, Respondent

STATIC = Path(__file__).resolve().parents[2] / "chalicelib" / "http" / "static"
PAGES = {"/": "form", "/track": "track", "/survey": "survey"}


class Page(HTMLParser):
    """The tags of a page, with their attributes, and the text of each label."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.labels: dict[str, str] = {}
        self._label: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "label":
            self._label = attributes.get("for", "")
            self.labels.setdefault(self._label, "")

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None

    def handle_data(self, data):
        if self._label is not None:
            self.labels[self._label] += data

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]

    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if attrs.get("id")}


def get_page(client, path: str):
    response = client.http.get(path)
    assert response.status_code == 200, path
    return response, response.body.decode("utf-8")


@pytest.mark.parametrize("path", list(PAGES))
def test_pages_are_html_with_safe_headers(client, path):
    response, html = get_page(client, path)
    headers = response.headers
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    policy = dict(
        part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["connect-src"].startswith("'self' ")
    assert html.lower().startswith("<!doctype html>")
    assert "__CONFIG__" not in html and "__V__" not in html


@pytest.mark.parametrize("path", list(PAGES))
def test_pages_load_nothing_from_elsewhere(client, path):
    _, html = get_page(client, path)
    page = Page(html)
    sources = [a.get("src") for a in page.all("script") if a.get("src")]
    sheets = [a["href"] for a in page.all("link") if a.get("rel") == "stylesheet"]
    assert sources and sheets
    for url in sources + sheets:
        assert url.startswith("/static/"), url
        asset = client.http.get(url.split("?")[0])
        assert asset.status_code == 200, url
    # No inline script runs (the policy would block it): the one inline block is data.
    inline = [a for a in page.all("script") if not a.get("src")]
    assert [a.get("type") for a in inline] == ["application/json"]
    assert not re.search(r"https?://", html), "an absolute URL in the page"


def test_assets_are_served_from_an_allow_list(client):
    script = client.http.get("/static/app.js")
    assert script.status_code == 200
    assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert script.headers["X-Content-Type-Options"] == "nosniff"
    css = client.http.get("/static/app.css")
    assert css.headers["Content-Type"] == "text/css; charset=utf-8"
    for name in ("form.html", "..%2Fmeta.py", "app.js.map", "APP.JS"):
        refused = client.http.get(f"/static/{name}")
        assert refused.status_code == 404, name
        assert refused.json_body["error"]["code"] == "not_found"


def test_asset_links_change_with_the_assets(client):
    from chalicelib.http import meta

    _, html = get_page(client, "/")
    version = re.search(r"/static/app\.js\?v=([0-9a-f]{12})", html).group(1)
    assert f"/static/app.css?v={version}" in html
    assert version == meta._assets_version()


def test_form_has_a_control_for_every_public_field(client):
    _, html = get_page(client, "/")
    names = {a["name"] for tag in ("input", "select", "textarea") for a in Page(html).all(tag)}
    expected = {
        name for name in ComplaintInput.model_fields if name not in ("language", "location")
    }
    # The page's language is sent as `language`; of a location a person types the address.
    expected -= {"complainant", "product", "respondent"}
    expected |= {f"complainant.{name}" for name in Complainant.model_fields}
    expected |= {f"product.{name}" for name in Product.model_fields}
    expected |= {f"respondent.{name}" for name in Respondent.model_fields}
    expected |= {"location.address_string"}
    assert expected <= names, expected - names


@pytest.mark.parametrize("path", list(PAGES))
def test_every_control_is_labelled_and_tied_to_its_error(client, path):
    _, html = get_page(client, path)
    page = Page(html)
    ids = page.ids()
    controls = [
        attrs
        for tag in ("input", "select", "textarea")
        for attrs in page.all(tag)
        if attrs.get("type") not in ("radio", "hidden")
    ]
    assert controls
    for attrs in controls:
        assert attrs.get("id"), attrs
        assert page.labels.get(attrs["id"], "").strip(), f"no label for {attrs['id']}"
        described = attrs.get("aria-describedby", "").split()
        assert f"{attrs['id']}-error" in described, attrs["id"]
        assert set(described) <= ids, attrs["id"]
    # Radio groups are fieldsets with a legend and their own error.
    for attrs in page.all("fieldset"):
        if attrs.get("aria-describedby"):
            assert set(attrs["aria-describedby"].split()) <= ids
    assert "error-summary" in ids


def test_both_languages_have_every_text():
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    zh_block = script[script.index('"zh-CN": {') : script.index("\n    en: {")]
    en_block = script[script.index("\n    en: {") : script.index("// -- language")]
    # A key opens a line or follows "{" or ","; a colon inside a text does neither.
    key = re.compile(r'(?:^|[{,])\s*(?:"([^"]+)"|([a-z_]+)):\s', re.MULTILINE)

    def keys(block: str) -> set[str]:
        return {a or b for a, b in key.findall(block)} - {"zh-CN", "en"}

    zh, en = keys(zh_block), keys(en_block)
    assert zh == en, zh ^ en
    used = set()
    for page in STATIC.glob("*.html"):
        used |= set(re.findall(r'data-i18n(?:-aria)?="([^"]+)"', page.read_text("utf-8")))
    assert used <= zh, used - zh


@pytest.fixture
def odd_categories(aws, monkeypatch):
    from chalicelib import wiring
    from chalicelib.config import get_settings
    from chalicelib.http import meta

    def rebuild():
        get_settings.cache_clear()
        meta._html.cache_clear()
        wiring.set_services(None)
        get_settings()

    monkeypatch.setenv("CATEGORIES", "noise,</script><script>alert(1)</script>")
    rebuild()
    yield
    monkeypatch.delenv("CATEGORIES")
    rebuild()


def test_configured_categories_reach_the_page_as_inert_data(client, odd_categories):
    _, html = get_page(client, "/")
    assert "<script>alert(1)" not in html
    raw = re.search(r'<script type="application/json" id="config">(.*?)</script>', html)
    config = json.loads(raw.group(1))
    assert config["categories"] == ["noise", "</script><script>alert(1)</script>"]
    assert config["departments"] == ["service", "sales", "quality"]


def test_pages_are_in_the_openapi_document(client):
    paths = client.http.get("/openapi.json").json_body["paths"]
    for path in ("/", "/track", "/survey", "/static/{name}"):
        assert "text/html" in json.dumps(paths[path]["get"]) or path == "/static/{name}"
