"""Answers written as the spec's XML (required) or JSON (which mirrors it), errors included."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from chalice import Response

from .errors import Open311Error

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# XML names of list items (the JSON form is a plain array).
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(fmt: str, root: str, body, status: int = 200) -> Response:
    if fmt == "json":
        text = json.dumps(body, ensure_ascii=False)
    else:
        tree = ET.tostring(_element(root, body), encoding="unicode")
        text = '<?xml version="1.0" encoding="utf-8"?>' + tree
    return Response(body=text, status_code=status, headers={"Content-Type": CONTENT_TYPES[fmt]})


def _element(name: str, value) -> ET.Element:
    element = ET.Element(name)
    if isinstance(value, list):
        element.extend(_element(ITEMS[name], item) for item in value)
    elif isinstance(value, dict):
        element.extend(_element(key, item) for key, item in value.items())
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML_CHAR.sub("", str(value))
    return element


def errors(fmt: str, error: Exception) -> Response:
    if not isinstance(error, Open311Error):
        from ...observability import logger

        # The spec answers any processing failure with 400; the log keeps the cause.
        logger().exception("open311 request failed")
        error = Open311Error(400, "general service error; please tell us if it persists")
    body = [{"code": error.status, "description": text} for text in error.descriptions]
    return render(fmt, "errors", body, error.status)


def split_format(segment: str) -> tuple[str, str]:
    """("id", "json") from "id.json"; an unknown format is answered in XML."""
    name, dot, fmt = segment.rpartition(".")
    fmt = fmt.lower()
    if not dot or fmt not in CONTENT_TYPES:
        raise Open311Error(400, "end the path with .xml or .json")
    return name, fmt
