"""The web form, the OpenAPI document and a health check."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from chalice import Blueprint, Response

from ..config import get_settings
from .openapi import build_document, documented

meta = Blueprint(__name__)
STATIC = Path(__file__).parent / "static"


@meta.route("/", methods=["GET"])
@documented("The bilingual complaint form (HTML)", responses={200: "text/html"})
def form():
    return Response(body=_form_html(), headers={"Content-Type": "text/html; charset=utf-8"})


@meta.route("/openapi.json", methods=["GET"])
@documented("This OpenAPI 3.1 document", responses={200: None})
def openapi():
    return _document(meta.current_app)


@meta.route("/health", methods=["GET"])
@documented("Liveness check", responses={200: None})
def health():
    return {"status": "ok"}


@lru_cache(maxsize=1)
def _form_html() -> str:
    settings = get_settings()
    config = {"categories": settings.categories, "departments": settings.departments}
    html = (STATIC / "form.html").read_text(encoding="utf-8")
    return html.replace("__CONFIG__", json.dumps(config))


@lru_cache(maxsize=1)
def _document(app) -> dict:
    return build_document(app)
