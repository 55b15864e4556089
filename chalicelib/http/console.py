"""The staff console: one HTML shell at /console/ and its ES modules and style sheet.

The files live under static/console/ and are served by the function itself (no CDN, no
build step). The shell carries the console's settings as JSON (how staff sign in, the time
zone); everything else, the organisation's names included (GET /staff/settings), comes from
the staff API.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from chalice import Blueprint

from ..config import get_settings
from .openapi import documented
from .static_files import STATIC, collect, html_page
from .static_files import asset as serve_asset
from .static_files import version as files_version

console = Blueprint(__name__)
FILES = STATIC / "console"


@console.route("/console", methods=["GET"])
@documented(
    "The staff console (HTML); it signs in and then uses only the staff API",
    responses={200: "text/html"},
    errors=(),
)
def page():
    request = console.current_request
    path = (request.context or {}).get("path") or "/console"
    base = path if path.endswith("/") else f"{path}/"
    return html_page(_html(base), policy())


@console.route("/console/assets/{name}", methods=["GET"])
@documented(
    "The console's ES modules and style sheet", responses={200: "text/plain"}, errors=(404,)
)
def asset(name):
    # Modules import each other by plain relative names: revalidate, never run stale ones.
    return serve_asset(assets(), name, "no-cache")


@lru_cache(maxsize=1)
def assets() -> dict[str, Path]:
    """Every file of the console and the shared modules, by name; nothing else can be asked for."""
    return collect(FILES)


@lru_cache(maxsize=1)
def version() -> str:
    return files_version(assets())


@lru_cache(maxsize=4)
def _html(base: str) -> str:
    data = json.dumps(settings(base), ensure_ascii=False)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    html = (FILES / "console.html").read_text(encoding="utf-8")
    return html.replace("__CONFIG__", data).replace("__BASE__", base).replace("__V__", version())


def settings(base: str) -> dict:
    from ..config import get_phone_settings
    from ..domain.commands import STAFF_CHANNELS
    from ..domain.grading import GRADES
    from .local_signin import enabled as local_sign_in

    app_settings = get_settings()
    return {
        "base": base,
        "api": base.removesuffix("console/"),
        "version": version(),
        "auth": sign_in(local_sign_in()),
        "channels": [channel.value for channel in STAFF_CHANNELS],
        "grades": list(GRADES),
        "timezone": app_settings.timezone,
        # Who sees the callbacks due (GET /staff/callbacks), so that others are not sent there.
        "callback_roles": list(get_phone_settings().callback_roles),
    }


def sign_in(local: bool) -> dict:
    if local:
        return {"mode": "local"}
    domain = os.environ.get("COGNITO_DOMAIN", "")
    client_id = os.environ.get("COGNITO_CLIENT_ID", "")
    if not (domain and client_id):
        return {"mode": "none"}
    return {
        "mode": "cognito",
        "domain": domain.rstrip("/"),
        "client_id": client_id,
        # Exactly as registered on the app client (infra/auth.py): <PUBLIC_BASE_URL>/console/
        "redirect_uri": f"{get_settings().public_base_url.rstrip('/')}/console/",
    }


@lru_cache(maxsize=1)
def policy() -> str:
    """Scripts, styles and API calls from here only; tokens from the sign-in domain."""
    sign_in_origin = os.environ.get("COGNITO_DOMAIN", "").rstrip("/")
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' blob: data:",
            f"connect-src 'self' {sign_in_origin}".strip(),
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ]
    )
