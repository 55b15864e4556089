"""The public pages (form, tracking, survey) and their assets, the OpenAPI document and a
health check.

Pages and assets are files under static/, served from the function itself: no CDN, so
they work wherever the API does, offline included.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from urllib.parse import urlsplit

from chalice import Blueprint

from ..config import get_settings
from .openapi import build_document, documented
from .static_files import STATIC, collect, html_page, version
from .static_files import asset as serve_asset

meta = Blueprint(__name__)
# Each page's file holds its <title> line and its <main>; shell.html holds what they share
# (head, header, language switch). Page name -> the path its route and navigation link
# take, and its summary in the OpenAPI document.
PAGES = {
    "form": ("/", "The bilingual complaint form (HTML)"),
    "track": (
        "/track",
        "The tracking page (HTML): status, timeline, deadlines, attachments, withdrawal",
    ),
    "survey": (
        "/survey",
        "The follow-up survey page (HTML); the e-mailed link carries number and token",
    ),
}
# The only files /static/ serves: nothing else under the folder can be asked for by name.
ASSETS = collect(STATIC)


def _page_view(name: str):
    def view():
        return html_page(_html(name, _organisation()), _policy())

    view.__name__ = name
    return view


for _name, (_path, _summary) in PAGES.items():
    _view = documented(_summary, responses={200: "text/html"}, errors=())(_page_view(_name))
    meta.route(_path, methods=["GET"], name=_name)(_view)


@meta.route("/static/{name}", methods=["GET"])
@documented(
    "The pages' ES modules and style sheet",
    responses={200: ("text/javascript", "text/css")},
    path_schemas={"name": {"type": "string", "enum": sorted(ASSETS)}},
    errors=(404,),
)
def asset(name):
    # Pages ask for ?v=<hash of the assets>, so a new release is fetched at once; modules
    # import each other by plain names, so those are revalidated, never run stale.
    return serve_asset(
        ASSETS, name, "no-cache" if name.endswith(".js") else "public, max-age=86400"
    )


@meta.route("/openapi.json", methods=["GET"])
@documented("This OpenAPI 3.1 document", responses={200: {"type": "object"}}, errors=())
def openapi():
    return _document(meta.current_app, _organisation())


@meta.route("/health", methods=["GET"])
@documented(
    "Liveness check",
    responses={200: {"type": "object", "properties": {"status": {"const": "ok"}}}},
    errors=(),
)
def health():
    return {"status": "ok"}


def _organisation():
    """The organisation's settings as this container holds them (refreshed each minute)."""
    from ..wiring import get_services

    return get_services().org_loaded


@lru_cache(maxsize=2 * len(PAGES))
def _html(name: str, loaded) -> str:
    settings = get_settings()
    org = loaded.settings
    config = {
        # What a new complaint may name (active ones), and every name a case may show.
        "categories": list(org.codes("categories")),
        "departments": list(org.codes("departments")),
        "names": {"category": org.names("categories"), "department": org.names("departments")},
        # Deadlines are the organisation's: the tracking page shows times on its clock.
        "timezone": settings.timezone,
    }
    # Inside <script type="application/json">, "</script>" must not appear: escape < > &.
    data = json.dumps(config, ensure_ascii=False)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _composed(name).replace("__CONFIG__", data).replace("__V__", _assets_version())


def _composed(name: str) -> str:
    """The page's own file (its <title> line, then its <main>) inside the shared shell."""
    title, main = (STATIC / f"{name}.html").read_text(encoding="utf-8").split("\n", 1)
    shell = (STATIC / "shell.html").read_text(encoding="utf-8")
    here = f'<a href="{PAGES[name][0]}" '
    shell = shell.replace(here, f'{here}aria-current="page" ', 1)  # the survey has no link
    shell = shell.replace("__TITLE__", title).replace("__PAGE__", name)
    return shell.replace("__MAIN__", main.rstrip("\n"))


@lru_cache(maxsize=1)
def _assets_version() -> str:
    return version(ASSETS)


@lru_cache(maxsize=1)
def _policy() -> str:
    """Scripts and styles from here only; uploads may go to the attachments store."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {_upload_origin()}",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ]
    )


def _upload_origin() -> str:
    # Presigned POSTs go to the S3 endpoint: a local one (moto) when configured so.
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        return f"{parts.scheme}://{parts.netloc}"
    return "https://*.amazonaws.com"


@lru_cache(maxsize=2)
def _document(app, loaded) -> dict:
    """The document with the enums of the active settings (rebuilt when they change)."""
    org = loaded.settings
    active = ActiveCodes(org.codes("categories"), org.codes("departments"))
    return build_document(app, settings=active)


class ActiveCodes:
    """What `configured(...)` markers in the models are filled with (openapi.fill_configured)."""

    # A plain class, not a dataclass: every cold start would build its methods (~0.5 ms),
    # and only the document makes one.
    def __init__(self, categories: tuple[str, ...], departments: tuple[str, ...]) -> None:
        self.categories = categories
        self.departments = departments
