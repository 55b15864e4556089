"""The public pages as files: served with safe headers, offline (nothing from elsewhere),
every public field of the complaint on the form, every field labelled, both languages."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from chalicelib.domain.complaint_input import Complainant, ComplaintInput, Product, Respondent

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
def test_no_other_site_may_frame_a_page(client, path):
    response, _ = get_page(client, path)
    policy = [part.strip() for part in response.headers["Content-Security-Policy"].split(";")]
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"


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
    for name in ("form.js", "track.js", "survey.js", "i18n.js", "elements.js"):
        script = client.http.get(f"/static/{name}")
        assert script.status_code == 200, name
        assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
        assert script.headers["X-Content-Type-Options"] == "nosniff"
        # Imported by plain names, so never run stale after a release.
        assert script.headers["Cache-Control"] == "no-cache"
    css = client.http.get("/static/app.css")
    assert css.headers["Content-Type"] == "text/css; charset=utf-8"
    names = ("form.html", "..%2Fmeta.py", "app.js", "form.js.map", "FORM.JS", "shared", "dom.js")
    for name in names:
        refused = client.http.get(f"/static/{name}")
        assert refused.status_code == 404, name
        assert refused.json_body["error"]["code"] == "not_found"


def modules() -> dict[str, str]:
    """The public pages' ES modules and the ones they share with the console, by name."""
    paths = [*STATIC.glob("*.js"), *(STATIC / "shared").glob("*.js")]
    return {path.name: path.read_text(encoding="utf-8") for path in paths}


def test_every_import_is_a_module_that_is_served(client):
    texts = modules()
    for name, text in texts.items():
        assert "import(" not in text, name  # static imports only: the CSP allows no eval
        for imported in re.findall(r'^(?:import|export) .* from "([^"]+)";$', text, re.M):
            assert imported.startswith("./") and imported[2:] in texts, (name, imported)
            assert client.http.get(f"/static/{imported[2:]}").status_code == 200


def test_each_page_loads_its_own_module(client):
    for path, page in PAGES.items():
        _, html = get_page(client, path)
        sources = [a["src"] for a in Page(html).all("script") if a.get("src")]
        modules_loaded = [a for a in Page(html).all("script") if a.get("type") == "module"]
        assert [src.split("?")[0] for src in sources] == [f"/static/{page}.js"]
        assert len(modules_loaded) == 1


def test_shared_modules_are_the_same_file_for_the_pages_and_the_console(client):
    shared = sorted((STATIC / "shared").glob("*.js"))
    assert shared
    for path in shared:
        public = client.http.get(f"/static/{path.name}")
        console = client.http.get(f"/console/assets/{path.name}")
        assert public.body == console.body == path.read_bytes()
    console_imports = "".join(p.read_text() for p in (STATIC / "console").glob("*.js"))
    for path in shared:
        assert f'from "./{path.name}"' in console_imports, path.name


def test_no_script_of_the_pages_is_over_400_lines():
    for name, text in modules().items():
        assert len(text.splitlines()) <= 400, name


def test_asset_links_change_with_the_assets(client):
    from chalicelib.http import meta

    _, html = get_page(client, "/")
    version = re.search(r"/static/form\.js\?v=([0-9a-f]{12})", html).group(1)
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
    table = (STATIC / "i18n.js").read_text(encoding="utf-8")
    table = table[table.index("const TABLE = {") : table.index("\n};")]
    rows = re.findall(r'^  "([^"]+)": \["((?:[^"\\]|\\.)*)", "((?:[^"\\]|\\.)*)"\],$', table, re.M)
    assert len(rows) == len([line for line in table.splitlines() if line.startswith("  ")])
    keys = {key for key, zh, en in rows if zh and en}
    assert len(keys) == len(rows), "a text missing in one language"
    used = set()
    for page in STATIC.glob("*.html"):
        used |= set(re.findall(r'data-i18n(?:-aria)?="([^"]+)"', page.read_text("utf-8")))
    for text in modules().values():
        used |= set(re.findall(r'\bt\("([a-z_.]+)"', text))
    assert used <= keys, used - keys


HOSTILE = "</script><script>alert(1)</script>"


@pytest.fixture
def odd_names(client):
    """A category an admin named with markup (names are free text in the settings)."""
    from chalicelib import wiring
    from chalicelib.domain.org_settings import Entry

    services = wiring.get_services()
    loaded = services.org_loaded
    noise = Entry(code="noise", name_zh=HOSTILE, name_en="Noise & <b>odour</b>")
    org = loaded.settings.model_copy(update={"categories": [noise]})
    services.settings_cache.put(org, loaded.version + 1)


def test_configured_names_reach_the_page_as_inert_data(client, odd_names):
    _, html = get_page(client, "/")
    assert "<script>alert(1)" not in html
    assert "<b>" not in html
    raw = re.search(r'<script type="application/json" id="config">(.*?)</script>', html)
    config = json.loads(raw.group(1))
    assert config["categories"] == ["noise"]
    assert config["names"]["category"]["noise"] == {"zh-CN": HOSTILE, "en": "Noise & <b>odour</b>"}
    assert config["departments"] == ["service", "sales", "quality"]


def test_pages_are_in_the_openapi_document(client):
    paths = client.http.get("/openapi.json").json_body["paths"]
    for path in ("/", "/track", "/survey", "/static/{name}"):
        assert "text/html" in json.dumps(paths[path]["get"]) or path == "/static/{name}"
