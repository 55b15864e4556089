"""Open311 GeoReport v2 routes, mounted under /open311/v2 (mapping in service/open311.py).

API Gateway path parameters are whole segments, so `services.xml` and `services.json`
are two literal routes, and `requests/{id_ext}` splits its own suffix. XML is the format
the spec requires; JSON mirrors it. Errors use the spec's list of {code, description}.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs

from chalice import Blueprint, Response
from pydantic import ConfigDict, Field, RootModel

from ..domain.base import Model
from ..service import open311 as spec
from ..service.open311 import Open311Config, Open311Error
from .open311_doc import (
    ERROR_TEXTS,
    FILTER_CONDITIONS,
    FILTERS,
    JURISDICTION,
    LOCALE,
    errors_for,
    post_form,
    suffixed,
)
from .openapi import documented

open311 = Blueprint(__name__)

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
XML = "text/xml"
FORM = "application/x-www-form-urlencoded"
# The router lets every body through so that a wrong one gets an Open311 error, not a 415.
ANY_BODY = ["*/*"]
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


# -- documented shapes (JSON) -------------------------------------------------------------


class Open311Endpoint(Model):
    specification: str
    url: str
    changeset: str
    type: str
    formats: list[str]


class Open311Discovery(Model):
    changeset: str = Field(
        description="when the service list or definitions last changed (UTC, W3C): fetch"
        " them again when it moves",
        json_schema_extra={"format": "date-time"},
    )
    contact: str
    key_service: str
    endpoints: list[Open311Endpoint]


class Open311Service(Model):
    service_code: str
    service_name: str
    description: str | None
    metadata: bool
    type: str
    keywords: str | None
    group: str | None


class Open311Services(RootModel[list[Open311Service]]):
    model_config = ConfigDict(defer_build=True)


class Open311Value(Model):
    key: str
    name: str


class Open311Attribute(Model):
    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str | None
    order: int
    description: str
    values: list[Open311Value] | None = None


class Open311ServiceDefinition(Model):
    service_code: str
    attributes: list[Open311Attribute]


class Open311Request(Model):
    service_request_id: str
    status: str
    status_notes: str | None
    service_name: str | None
    service_code: str
    description: str | None
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str | None
    expected_datetime: str | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


class Open311Requests(RootModel[list[Open311Request]]):
    model_config = ConfigDict(defer_build=True)


class Open311Created(Model):
    service_request_id: str
    service_notice: str | None
    account_id: str | None


class Open311CreatedList(RootModel[list[Open311Created]]):
    model_config = ConfigDict(defer_build=True)


class Open311Token(Model):
    service_request_id: str
    token: str


class Open311Tokens(RootModel[list[Open311Token]]):
    model_config = ConfigDict(defer_build=True)


# -- rendering ----------------------------------------------------------------------------


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
        from ..observability import logger

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


# -- request helpers ----------------------------------------------------------------------


def _query(request) -> dict[str, list[str]]:
    params = request.query_params or {}
    getlist = getattr(params, "getlist", None)
    return {key: getlist(key) if getlist else [params[key]] for key in params}


def _joined(params: dict[str, list[str]]) -> dict[str, str]:
    """Repeated query arguments are the same as one comma-separated argument."""
    return {key: ",".join(value for value in values if value) for key, values in params.items()}


def _language(request, params: dict[str, str]):
    requested = params.get("locale") or params.get("lang")
    return spec.pick_language(requested, request.headers.get("accept-language"))


def _context(request):
    """(query arguments, language, config), refusing a jurisdiction that is not ours."""
    from ..wiring import get_services

    params = _joined(_query(request))
    config = Open311Config.from_env()
    spec.check_jurisdiction(params.get("jurisdiction_id"), config)
    return params, _language(request, params), config, get_services()


def _by_format(
    path, root, summary, model, methods=("GET",), errors=(400, 404), parameters=(), **doc
):
    """Register `handler(request)` as `<path>.xml` and `<path>.json`."""

    def register(handler):
        for fmt in ("xml", "json"):
            view = _format_view(handler, fmt, root)
            documented(
                f"{summary} ({fmt.upper()})",
                responses={200: model if fmt == "json" else XML},
                parameters=[JURISDICTION, LOCALE, *parameters],
                errors=errors,
                error_body=errors_for(fmt),
                error_texts=ERROR_TEXTS,
                **doc,
            )(view)
            open311.route(f"{path}.{fmt}", methods=list(methods), content_types=ANY_BODY)(view)
        return handler

    return register


def _format_view(handler, fmt: str, root: str):
    def view():
        try:
            return render(fmt, root, handler(open311.current_request))
        except Exception as error:  # noqa: BLE001 - every failure gets the spec's shape
            return errors(fmt, error)

    view.__name__ = f"open311_{handler.__name__}_{fmt}"
    return view


def _by_suffix(segment: str, root: str, answer) -> Response:
    fmt = "xml"
    try:
        name, fmt = split_format(segment)
        return render(fmt, root, answer(name, open311.current_request))
    except Exception as error:  # noqa: BLE001 - every failure gets the spec's shape
        return errors(fmt, error)


# -- routes -------------------------------------------------------------------------------


@_by_format("/discovery", "discovery", "Open311 service discovery", Open311Discovery)
def discovery(request):
    from ..adapters.changesets import changed_at

    _, _, config, services = _context(request)
    since = changed_at(spec.services_digest(services.settings), services.clock.now())
    return spec.discovery(config, services.settings.public_base_url, since)


@_by_format("/services", "services", "Open311 services: the complaint categories", Open311Services)
def services(request):
    _, lang, _, services = _context(request)
    return spec.service_list(services.settings, lang)


@_by_format(
    "/requests",
    "service_requests",
    "Open311 service requests received",
    Open311Requests,
    parameters=FILTERS,
    conditions=FILTER_CONDITIONS,
)
def requests(request):
    params, lang, _, services = _context(request)
    return spec.find_requests(params, services, lang)


@_by_format(
    "/requests",
    "service_requests",
    "Open311: post a service request (form-encoded, api_key required); creates a complaint",
    Open311CreatedList,
    methods=("POST",),
    errors=(400, 403, 404),
    request=post_form(),
    request_media=FORM,
)
def post_request(request):
    _, lang, config, services = _context(request)
    # A missing or wrong key is a 403 whatever else is wrong with the request.
    client = spec.check_api_key(_api_key(request), config)
    arguments, attributes = spec.split_form(_form(request))
    spec.check_jurisdiction(arguments.get("jurisdiction_id"), config)
    requested = arguments.get("locale") or arguments.get("lang")
    if requested:
        lang = spec.pick_language(requested, None)
    return spec.create_request(arguments, attributes, services, lang, client)


def _form(request) -> dict[str, list[str]]:
    from ..config import get_settings

    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    raw = request.raw_body or b""
    if content_type != FORM:
        raise Open311Error(400, f"send the request as {FORM}")
    if len(raw) > get_settings().max_body_bytes:
        raise Open311Error(400, "the request body is too large")
    try:
        return parse_qs(
            raw.decode("utf-8"), keep_blank_values=True, max_num_fields=200, errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        raise Open311Error(400, "the body is not UTF-8 form data") from None


def _api_key(request) -> str | None:
    """From the form (as the spec sends it) or, failing that, the query string."""
    try:
        given = _form(request).get("api_key", [])
    except Open311Error:
        given = []
    given = [value for value in given if value]
    return given[0] if given else (request.query_params or {}).get("api_key")


@open311.route("/services/{code_ext}", methods=["GET"])
@documented(
    "Open311 service definition: the attributes of a service (path ends .json or .xml)",
    responses={200: (Open311ServiceDefinition, XML)},
    parameters=[JURISDICTION, LOCALE],
    path_schemas={"code_ext": suffixed("a service_code")},
    errors=(400, 404),
    error_body=errors_for(None),
    error_texts=ERROR_TEXTS,
)
def service_definition(code_ext):
    def answer(code, request):
        _, lang, _, services = _context(request)
        return spec.service_definition(code, services.settings, lang)

    return _by_suffix(code_ext, "service_definition", answer)


@open311.route("/requests/{id_ext}", methods=["GET"])
@documented(
    "Open311 service request by id (path ends .json or .xml)",
    responses={200: (Open311Requests, XML)},
    parameters=[JURISDICTION, LOCALE],
    path_schemas={"id_ext": suffixed("a service_request_id")},
    errors=(400, 404),
    error_body=errors_for(None),
    error_texts=ERROR_TEXTS,
)
def get_request(id_ext):
    def answer(number, request):
        _, lang, _, services = _context(request)
        return spec.get_request(number, services, lang)

    return _by_suffix(id_ext, "service_requests", answer)


@open311.route("/tokens/{token_ext}", methods=["GET"])
@documented(
    "Open311 token lookup: requests are created at once, so every token is unknown (404)",
    responses={200: (Open311Tokens, XML)},
    parameters=[JURISDICTION],
    path_schemas={"token_ext": suffixed("a token")},
    errors=(400, 404),
    error_body=errors_for(None),
    error_texts=ERROR_TEXTS,
)
def get_token(token_ext):
    def answer(token, request):
        _context(request)
        return spec.find_token(token)

    return _by_suffix(token_ext, "service_requests", answer)
