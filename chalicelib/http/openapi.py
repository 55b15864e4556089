"""OpenAPI 3.1 built from the app's own route table and the pydantic models routes use.

Each view carries its description (`@documented`), and the document is assembled from
the routes Chalice actually serves, so a route cannot exist undocumented or drift from
the models that validate it.

Every status an operation can answer is listed. Some follow from the route itself and are
added here, so that no route can forget them: 429 everywhere (API Gateway throttles every
method), 401 and 403 behind the authorizer, 400/413/415 with a JSON body, 400 with query
parameters, 404 with path parameters, 400 and 428 with If-Match. The rest a view declares
with `errors=` (required, even if empty: a route that says nothing breaks the document).

Values that differ per deployment (categories, departments) are marked in the models with
`configured(...)` and filled in from the settings when the document is built.
"""

from __future__ import annotations

import copy
import importlib
from dataclasses import dataclass

from pydantic import BaseModel

REF = "#/components/schemas/{model}"
SCHEMAS = "chalicelib.http.schemas"  # the response bodies, imported when the document is built
JSON = "application/json"
ERRORS = {
    400: "Invalid request: `error.fields` names each invalid field and why",
    401: "Missing or invalid bearer token",
    403: "Role or department does not allow this",
    404: "Not found",
    409: "Conflict: stale version, illegal transition, request in progress, or the"
    " caller (or the handler named) is recused from the case (code recused, with reason)",
    413: "Body too large",
    415: "Body is not JSON",
    422: "Idempotency-Key reused with another body",
    428: "If-Match required",
    429: "Too many requests: retry after a pause",
    503: "A service this needs is not configured or not reachable",
}
# What a client may send as If-Match: the quoted version number from ETag (weak or strong).
ETAG_PATTERN = r'^(W/)?"[0-9]+"$'
CONFIGURED = "x-configured"
MISSING = object()


class Undocumented(Exception):
    pass


@dataclass(frozen=True)
class Later:
    """A model named by its module and name, imported when the document is built: a route
    can describe its query or body without importing its use case when the app loads
    (a cold start imports only what its first request needs)."""

    module: str
    name: str

    def resolve(self):
        return getattr(importlib.import_module(self.module), self.name)


def _resolved(value):
    if isinstance(value, Later):
        return value.resolve()
    if isinstance(value, tuple):
        return tuple(_resolved(part) for part in value)
    if isinstance(value, dict):
        return {key: _resolved(part) for key, part in value.items()}
    return value


def documented(
    summary: str,
    *,
    errors=MISSING,
    request=None,
    responses=None,
    parameters=(),
    conditions=None,
    **extra,
):
    """Attach the OpenAPI description of a view.

    `responses` maps status -> model, media type or None; `errors` lists the error statuses
    the view answers beyond those implied by the route (see the module docstring);
    `conditions` maps a field to a rule JSON Schema cannot carry (time, the case's state,
    several parameters at once): they are written into the operation's description.
    """

    def mark(view):
        view.__openapi__ = {
            "summary": summary,
            "request": request,
            "responses": responses or {200: None},
            "parameters": list(parameters),
            "errors": errors,
            "conditions": dict(conditions or {}),
            **extra,
        }
        return view

    return mark


def configured(setting: str) -> dict:
    """json_schema_extra for a string whose allowed values are a setting (a tuple of str)."""
    return {CONFIGURED: setting}


def header(name: str, description: str, required: bool = False, schema=None) -> dict:
    return {
        "name": name,
        "in": "header",
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def if_match_header() -> dict:
    return header(
        "If-Match",
        'the ETag of the version you read, e.g. "3" (428 without it)',
        required=True,
        schema={"type": "string", "pattern": ETAG_PATTERN},
    )


def build_document(app, title: str = "Complaint service", version: str = "1", settings=None):
    from pydantic.json_schema import models_json_schema

    if settings is None:
        from ..config import get_settings

        settings = get_settings()
    specs = _route_specs(app)
    models = _models(spec for _, _, spec, _ in specs)
    _, defs = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    paths: dict = {}
    for path, method, spec, entry in specs:
        paths.setdefault(path, {})[method.lower()] = _operation(path, method, spec, entry)
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": "Errors share one shape (ErrorBody) except Open311's own list.",
        },
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }
    return fill_configured(document, settings)


def fill_configured(node, settings):
    """A copy of `node` with each `x-configured` marker replaced by the configured enum."""
    node = copy.deepcopy(node)
    _fill(node, settings)
    return node


def _fill(node, settings) -> None:
    if isinstance(node, dict):
        setting = node.pop(CONFIGURED, None)
        if setting is not None:
            node["enum"] = list(getattr(settings, setting))
        for value in node.values():
            _fill(value, settings)
    elif isinstance(node, list):
        for value in node:
            _fill(value, settings)


def _route_specs(app):
    specs = []
    for path, methods in sorted(app.routes.items()):
        for method, entry in sorted(methods.items()):
            spec = getattr(entry.view_function, "__openapi__", None)
            if callable(spec):  # described when the document is built (open311/routes.py)
                spec = spec()
            if spec is None:
                raise Undocumented(f"{method} {path} has no @documented description")
            if spec["errors"] is MISSING:
                raise Undocumented(f"{method} {path} does not declare its errors= (may be ())")
            specs.append((path, method, _resolved(spec), entry))
    return specs


def _models(specs) -> list[type[BaseModel]]:
    from .schemas import ErrorBody

    found = {ErrorBody}
    for spec in specs:
        candidates = [
            spec["request"],
            spec.get("query"),
            *_flatten([spec.get("error_body"), *spec["responses"].values()]),
        ]
        found.update(m for m in candidates if isinstance(m, type) and issubclass(m, BaseModel))
    return sorted(found, key=lambda m: m.__name__)


def _ref(model) -> dict:
    return {"$ref": REF.format(model=model.__name__)}


def implied_errors(method: str, path: str, spec: dict, entry) -> set[int]:
    """Statuses every route of this shape can answer, whatever its view declares."""
    statuses = {429}
    if getattr(entry, "authorizer", None) is not None:
        statuses |= {401, 403}
    if spec["request"] is not None and spec.get("request_media", JSON) == JSON:
        statuses |= {400, 413, 415}
    if spec.get("query") is not None or any(p["in"] == "query" for p in spec["parameters"]):
        statuses.add(400)
    if "{" in path and method != "OPTIONS":
        statuses.add(404)
    if any(p["in"] == "header" and p["name"] == "If-Match" for p in spec["parameters"]):
        statuses |= {400, 428}
    return statuses


def _operation(path: str, method: str, spec: dict, entry) -> dict:
    params = (
        [
            {"name": name, "in": "path", "required": True, "schema": _path_schema(spec, name)}
            for name in _path_params(path)
        ]
        + [_if_match_schema(p) for p in spec["parameters"]]
        + _query_params(spec.get("query"))
    )
    op = {"summary": spec["summary"], "parameters": params, "responses": {}}
    description = _description(spec)
    if description:
        op["description"] = description
    if spec["conditions"]:
        op["x-conditions"] = spec["conditions"]
    if spec.get("secured"):
        op["security"] = [{"bearer": []}]
    if spec["request"] is not None:
        op["requestBody"] = _request_body(spec)
    for status, model in spec["responses"].items():
        op["responses"][str(status)] = _response(model, spec.get("response_headers", {}))
    for media in spec.get("produces", ()):  # other formats of the 200 (exports)
        content = op["responses"]["200"].setdefault("content", {})
        # OpenAPI 3.1: a byte stream is a string of that media type, not format: binary.
        content[media] = {"schema": {"type": "string", "contentMediaType": media}}
    for status in sorted(implied_errors(method, path, spec, entry) | set(spec["errors"])):
        op["responses"][str(status)] = _error_response(status, spec)
    return op


def _if_match_schema(parameter: dict) -> dict:
    """Whatever a route says of If-Match, the server takes only its ETags."""
    if parameter["in"] == "header" and parameter["name"].lower() == "if-match":
        return {**parameter, "schema": {"type": "string", "pattern": ETAG_PATTERN}}
    return parameter


def _description(spec: dict) -> str:
    parts = [spec["description"]] if spec.get("description") else []
    if spec["conditions"]:
        parts.append("Also refused with 400 when a rule JSON Schema cannot carry is broken:")
        parts += [f"- `{field}`: {rule}" for field, rule in spec["conditions"].items()]
    return "\n".join(parts)


def _request_body(spec: dict) -> dict:
    media = spec.get("request_media", JSON)
    request = spec["request"]
    schema = _ref(request) if isinstance(request, type) else request
    return {"required": True, "content": {media: {"schema": schema}}}


def _path_schema(spec: dict, name: str) -> dict:
    return dict(spec.get("path_schemas", {}).get(name, {"type": "string"}))


def _response(model, headers: dict) -> dict:
    response: dict = {"description": "OK"}
    content = _content(model)
    if content:
        response["content"] = content
    if headers:
        response["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in headers.items()
        }
    return response


def _content(body) -> dict:
    """None: no body; a media type: text of that type; a model or a JSON Schema: JSON;
    a tuple: each of those (an operation that answers in more than one format)."""
    if body is None:
        return {}
    if isinstance(body, tuple):
        return {media: item for part in body for media, item in _content(part).items()}
    if isinstance(body, str):
        return {body: {"schema": {"type": "string"}}}
    if isinstance(body, dict):
        return {JSON: {"schema": body}}
    return {JSON: {"schema": _ref(body)}}


def _error_response(status: int, spec: dict) -> dict:
    from .schemas import ErrorBody

    text = spec.get("error_texts", {}).get(status) or ERRORS.get(status, "Error")
    response = {"description": text, "content": _content(spec.get("error_body") or ErrorBody)}
    if status == 429:  # the service's and WAF's refusals say when to come back
        response["headers"] = {"Retry-After": RETRY_AFTER}
    return response


RETRY_AFTER = {
    "description": "seconds until the source may send again (the service and WAF send it;"
    " API Gateway's own throttling does not)",
    "schema": {"type": "integer", "minimum": 1},
}


def _flatten(bodies):
    for body in bodies:
        if isinstance(body, tuple):
            yield from _flatten(body)
        else:
            yield body


def _query_params(model) -> list[dict]:
    """One query parameter per field; a query string cannot carry null, so no null branch."""
    if model is None:
        return []
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", ()))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = _without_null(prop)
        if prop.get("default", 0) is None:
            del prop["default"]
        params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    return params


def _without_null(prop: dict) -> dict:
    prop = dict(prop)
    options = [o for o in prop.get("anyOf", ()) if o != {"type": "null"}]
    if "anyOf" in prop and len(options) == 1:
        del prop["anyOf"]
        prop = {**options[0], **prop}
    elif "anyOf" in prop:
        prop["anyOf"] = options
    return prop


def _path_params(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]
