"""Open311 GeoReport v2 routes, mounted under /open311/v2 (spec: wiki.open311.org/GeoReport_v2).

API Gateway path parameters are whole segments, so `services.xml` and `services.json`
are two literal routes, and `requests/{id_ext}` splits its own suffix. XML is the format
the spec requires; JSON mirrors it. Errors use the spec's list of {code, description}.
"""

from __future__ import annotations

from types import FunctionType
from urllib.parse import parse_qs

from chalice import Blueprint, Response

from ..openapi import documented
from .errors import Open311Error

open311 = Blueprint(__name__)

XML = "text/xml"
FORM = "application/x-www-form-urlencoded"
# The router lets every body through so that a wrong one gets an Open311 error, not a 415.
ANY_BODY = ["*/*"]
# The rest of the package (catalogue, operations, rendering, and the documentation and
# schemas the OpenAPI document needs) is imported by the views and by the document when
# they run: a cold start whose first request is an intake loads none of it.


def _described(view, describe) -> None:
    """`view.__openapi__` made when the document is built: `describe(documentation,
    schemas)` returns the arguments of `documented` (openapi.py calls it)."""

    def spec():
        from . import documentation, schemas

        summary, kwargs = describe(documentation, schemas)
        return documented(summary, **kwargs)(lambda: None).__openapi__

    view.__openapi__ = spec


def _from_docs(value, docs):
    """A value named by `lambda docs: ...` at a route, read from documentation.py."""
    return value(docs) if isinstance(value, FunctionType) else value


# -- request helpers ----------------------------------------------------------------------


def _query(request) -> dict[str, list[str]]:
    params = request.query_params or {}
    getlist = getattr(params, "getlist", None)
    return {key: getlist(key) if getlist else [params[key]] for key in params}


def _joined(params: dict[str, list[str]]) -> dict[str, str]:
    """Repeated query arguments are the same as one comma-separated argument."""
    return {key: ",".join(value for value in values if value) for key, values in params.items()}


def _language(request, params: dict[str, str]):
    from .labels import pick_language

    requested = params.get("locale") or params.get("lang")
    return pick_language(requested, request.headers.get("accept-language"))


def _context(request):
    """(query arguments, language, config), refusing a jurisdiction that is not ours."""
    from ...wiring import get_services
    from .access import Open311Config, check_jurisdiction

    params = _joined(_query(request))
    config = Open311Config.from_env()
    check_jurisdiction(params.get("jurisdiction_id"), config)
    return params, _language(request, params), config, get_services()


def _by_format(
    path, root, summary, model, methods=("GET",), errors=(400, 404), parameters=(), **doc
):
    """Register `handler(request)` as `<path>.xml` and `<path>.json`; `model` names the JSON
    answer in schemas.py, `parameters` and `doc` values may be `lambda docs: ...`."""

    def register(handler):
        for fmt in ("xml", "json"):
            view = _format_view(handler, fmt, root)

            def describe(docs, schemas, fmt=fmt):
                return f"{summary} ({fmt.upper()})", {
                    "responses": {200: getattr(schemas, model) if fmt == "json" else XML},
                    "parameters": [docs.JURISDICTION, docs.LOCALE, *_from_docs(parameters, docs)],
                    "errors": errors,
                    "error_body": docs.errors_for(fmt),
                    "error_texts": docs.ERROR_TEXTS,
                    **{key: _from_docs(value, docs) for key, value in doc.items()},
                }

            _described(view, describe)
            open311.route(f"{path}.{fmt}", methods=list(methods), content_types=ANY_BODY)(view)
        return handler

    return register


def _format_view(handler, fmt: str, root: str):
    def view():
        from .render import errors, render

        try:
            return render(fmt, root, handler(open311.current_request))
        except Exception as error:  # noqa: BLE001 - every failure gets the spec's shape
            return errors(fmt, error)

    view.__name__ = f"open311_{handler.__name__}_{fmt}"
    return view


def _by_suffix(segment: str, root: str, answer) -> Response:
    """`answer(name, lang, services)` for the segment's name, in the segment's format."""
    from .render import errors, render, split_format

    fmt = "xml"
    try:
        name, fmt = split_format(segment)
        _, lang, _, services = _context(open311.current_request)
        return render(fmt, root, answer(name, lang, services))
    except Exception as error:  # noqa: BLE001 - every failure gets the spec's shape
        return errors(fmt, error)


# -- routes -------------------------------------------------------------------------------


@_by_format("/discovery", "discovery", "Open311 service discovery", "Open311Discovery")
def discovery(request):
    from ...adapters.changesets import changed_at
    from . import catalogue

    _, _, config, services = _context(request)
    since = changed_at(catalogue.services_digest(services.org), services.clock.now())
    return catalogue.discovery(config, services.settings.public_base_url, since)


@_by_format(
    "/services", "services", "Open311 services: the complaint categories", "Open311Services"
)
def services(request):
    from . import catalogue

    _, lang, _, services = _context(request)
    return catalogue.service_list(services.org, lang)


@_by_format(
    "/requests",
    "service_requests",
    "Open311 service requests received",
    "Open311Requests",
    parameters=lambda docs: docs.FILTERS,
    conditions=lambda docs: docs.FILTER_CONDITIONS,
)
def requests(request):
    from . import operations

    params, lang, _, services = _context(request)
    return operations.find_requests(params, services, lang)


@_by_format(
    "/requests",
    "service_requests",
    "Open311: post a service request (form-encoded, api_key required); creates a complaint",
    "Open311CreatedList",
    methods=("POST",),
    errors=(400, 403, 404),
    request=lambda docs: docs.post_form(),
    request_media=FORM,
)
def post_request(request):
    from . import operations
    from .access import check_api_key, check_jurisdiction
    from .form import split_form
    from .labels import pick_language

    _, lang, config, services = _context(request)
    # A missing or wrong key is a 403 whatever else is wrong with the request.
    client = check_api_key(_api_key(request), config)
    arguments, attributes = split_form(_form(request))
    check_jurisdiction(arguments.get("jurisdiction_id"), config)
    requested = arguments.get("locale") or arguments.get("lang")
    if requested:
        lang = pick_language(requested, None)
    return operations.create_request(arguments, attributes, services, lang, client)


def _form(request) -> dict[str, list[str]]:
    from ...config import get_settings

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


def _suffixed_get(path: str, summary: str, model: str, what: str, parameters=None):
    """Register a GET view whose last path segment ends .json or .xml (the answer's format);
    `model` names the JSON answer in schemas.py; `parameters`: `lambda docs: ...`."""
    segment = path.rsplit("{", 1)[1].rstrip("}")

    def describe(docs, schemas):
        return summary, {
            "responses": {200: (getattr(schemas, model), XML)},
            "parameters": list(
                parameters(docs) if parameters else (docs.JURISDICTION, docs.LOCALE)
            ),
            "path_schemas": {segment: docs.suffixed(what)},
            "errors": (400, 404),
            "error_body": docs.errors_for(None),
            "error_texts": docs.ERROR_TEXTS,
        }

    def register(view):
        _described(view, describe)
        return open311.route(path, methods=["GET"])(view)

    return register


@_suffixed_get(
    "/services/{code_ext}",
    "Open311 service definition: the attributes of a service (path ends .json or .xml)",
    "Open311ServiceDefinition",
    "a service_code",
)
def service_definition(code_ext):
    from . import catalogue

    def answer(code, lang, services):
        return catalogue.service_definition(code, services.org, lang)

    return _by_suffix(code_ext, "service_definition", answer)


@_suffixed_get(
    "/requests/{id_ext}",
    "Open311 service request by id (path ends .json or .xml)",
    "Open311Requests",
    "a service_request_id",
)
def get_request(id_ext):
    from . import operations

    def answer(number, lang, services):
        return operations.get_request(number, services, lang)

    return _by_suffix(id_ext, "service_requests", answer)


@_suffixed_get(
    "/tokens/{token_ext}",
    "Open311 token lookup: requests are created at once, so every token is unknown (404)",
    "Open311Tokens",
    "a token",
    parameters=lambda docs: (docs.JURISDICTION,),
)
def get_token(token_ext):
    from . import operations

    return _by_suffix(token_ext, "service_requests", lambda token, *_: operations.find_token(token))
