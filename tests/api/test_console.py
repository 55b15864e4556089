"""The console's page and files, its CSP and size budget, and the local-only sign-in."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

CONSOLE = Path(__file__).resolve().parents[2] / "chalicelib" / "http" / "static" / "console"
BUDGET = 150 * 1024


def test_the_console_page_has_a_strict_policy_and_its_settings(client):
    response = client.http.get("/console")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    html = response.body.decode()
    start = html.index('id="console-config">') + len('id="console-config">')
    settings = json.loads(html[start : html.index("</script>", start)])
    assert settings["api"] == "/" and settings["base"] == "/console/"
    # No local sign-in outside the local stage, and no Cognito configured in tests.
    assert settings["auth"] == {"mode": "none"}
    assert "http://" not in html.replace("http://127.0.0.1", "") and "https://" not in html


def test_every_console_file_is_served_and_nothing_else(client):
    names = sorted(p.name for p in CONSOLE.iterdir() if p.suffix in (".js", ".css"))
    assert "main.js" in names and "api.js" in names and "i18n.js" in names
    for name in names:
        response = client.http.get(f"/console/assets/{name}")
        assert response.status_code == 200, name
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    for name in ("console.html", "..%2Fconsole.py", "missing.js"):
        assert client.http.get(f"/console/assets/{name}").status_code == 404


def test_the_shipped_script_is_under_150_kb_gzipped():
    total = sum(len(gzip.compress(p.read_bytes(), 9)) for p in CONSOLE.glob("*.js"))
    assert 0 < total < BUDGET, total


def test_scripts_load_nothing_from_elsewhere():
    for path in CONSOLE.glob("*.js"):
        text = path.read_text()
        assert "import(" not in text, path.name  # every module is a static import
        for line in text.splitlines():
            if line.startswith("import "):
                assert '"./' in line, (path.name, line)


def test_the_local_sign_in_routes_exist_only_when_the_stage_turns_them_on(monkeypatch, client):
    from chalice import Chalice

    from app import app
    from chalicelib.http.local_signin import install

    assert not [path for path in app.routes if path.startswith("/console/local")]
    assert client.http.get("/console/local/users").status_code in (403, 404)
    monkeypatch.delenv("LOCAL_SIGN_IN", raising=False)
    off = Chalice("off")
    install(off)
    assert off.routes == {}
    monkeypatch.setenv("LOCAL_SIGN_IN", "true")
    on = Chalice("on")
    install(on)
    assert set(on.routes) == {"/console/local/users", "/console/local/token"}


@pytest.mark.parametrize("value", ["1", "yes", "True", ""])
def test_only_the_exact_switch_turns_it_on(monkeypatch, value):
    from chalicelib.http.local_signin import enabled

    monkeypatch.setenv("LOCAL_SIGN_IN", value)
    assert enabled() is False
