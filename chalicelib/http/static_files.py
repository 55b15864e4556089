"""The script and style files the function serves itself (no CDN, no build step).

The public pages' files are in static/, the console's in static/console/, and the ES modules
both use in static/shared/. Each route serves its own folder and the shared one, flat by
name, so every module imports the others as "./name.js" wherever it is served from.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from chalice import Response

from .errors import error_response

STATIC = Path(__file__).parent / "static"
SHARED = STATIC / "shared"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
NAME = re.compile(r"^[a-z0-9-]+\.(js|css)$")
HTML = "text/html; charset=utf-8"
PAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # The survey link carries a token in its query string: never pass it on as a referrer.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
    # No other site may frame a page (the tracking page's withdraw button could be
    # clickjacked): frame-ancestors in the policy, and X-Frame-Options for older browsers.
    "X-Frame-Options": "DENY",
}


def collect(folder: Path) -> dict[str, Path]:
    """Every servable file of `folder` and of the shared folder, by name."""
    files: dict[str, Path] = {}
    for path in [*sorted(folder.iterdir()), *sorted(SHARED.iterdir())]:
        if not NAME.match(path.name):
            continue
        if path.name in files:
            raise RuntimeError(f"{path.name} is both in {folder.name}/ and in shared/")
        files[path.name] = path
    return files


@lru_cache(maxsize=64)
def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def content_type(name: str) -> str:
    return TYPES[Path(name).suffix]


def version(files: dict[str, Path]) -> str:
    """Changes whenever any file does: pages ask for ?v=<this>."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + text(files[name]).encode("utf-8"))
    return digest.hexdigest()[:12]


def html_page(html: str, policy: str) -> Response:
    """An HTML page (the public pages, the console) with its Content-Security-Policy."""
    headers = {"Content-Type": HTML, "Content-Security-Policy": policy, **PAGE_HEADERS}
    return Response(body=html, headers=headers)


def asset(files: dict[str, Path], name: str, cache_control: str) -> Response:
    """One of `files` by name (404 for any other name)."""
    if name not in files:
        return error_response(404, "not_found", "no such file")
    headers = {
        "Content-Type": content_type(name),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": cache_control,
    }
    return Response(body=text(files[name]), headers=headers)
