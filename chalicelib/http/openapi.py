"""OpenAPI 3.1 built from the app's own route table and the pydantic models routes use.

Each view carries its description (`@documented`), and the document is assembled from
the routes Chalice actually serves, so a route cannot exist undocumented or drift from
the models that validate it.
"""

from __future__ import annotations

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from .schemas import ErrorBody

REF = "#/components/schemas/{model}"
ERRORS = {
    400: "Invalid request",
    401: "Missing or invalid bearer token",
    403: "Role or department does not allow this",
    404: "Not found",
    409: "Conflict: stale version, illegal transition or request in progress",
    413: "Body too large",
    415: "Body is not JSON",
    422: "Idempotency-Key reused with another body",
    428: "If-Match required",
    500: "Internal error",
}


class Undocumented(Exception):
    pass


def documented(summary: str, *, request=None, responses=None, parameters=(), errors=(), **extra):
    """Attach the OpenAPI description of a view: `responses` maps status -> model or None."""

    def mark(view):
        view.__openapi__ = {
            "summary": summary,
            "request": request,
            "responses": responses or {200: None},
            "parameters": list(parameters),
            "errors": errors,
            **extra,
        }
        return view

    return mark


def header(name: str, description: str, required: bool = False) -> dict:
    return {
        "name": name,
        "in": "header",
        "required": required,
        "description": description,
        "schema": {"type": "string"},
    }


def build_document(app, title: str = "Complaint service", version: str = "1") -> dict:
    specs = _route_specs(app)
    models = _models(spec for _, _, spec in specs)
    _, defs = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    paths: dict = {}
    for path, method, spec in specs:
        paths.setdefault(path, {})[method.lower()] = _operation(path, spec)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }


def _route_specs(app):
    specs = []
    for path, methods in sorted(app.routes.items()):
        for method, entry in sorted(methods.items()):
            spec = getattr(entry.view_function, "__openapi__", None)
            if spec is None:
                raise Undocumented(f"{method} {path} has no @documented description")
            specs.append((path, method, spec))
    return specs


def _models(specs) -> list[type[BaseModel]]:
    found = {ErrorBody}
    for spec in specs:
        candidates = [spec["request"], spec.get("query"), *spec["responses"].values()]
        found.update(m for m in candidates if isinstance(m, type) and issubclass(m, BaseModel))
    return sorted(found, key=lambda m: m.__name__)


def _ref(model) -> dict:
    return {"$ref": REF.format(model=model.__name__)}


def _operation(path: str, spec: dict) -> dict:
    params = (
        [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in _path_params(path)
        ]
        + spec["parameters"]
        + _query_params(spec.get("query"))
    )
    op = {"summary": spec["summary"], "parameters": params, "responses": {}}
    if spec.get("secured"):
        op["security"] = [{"bearer": []}]
    if spec["request"] is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(spec["request"])}},
        }
    for status, model in spec["responses"].items():
        op["responses"][str(status)] = _response(model)
    for media in spec.get("produces", ()):  # other formats of the 200 (exports)
        content = op["responses"]["200"].setdefault("content", {})
        content[media] = {"schema": {"type": "string", "format": "binary"}}
    for status in spec["errors"]:
        op["responses"][str(status)] = {
            "description": ERRORS.get(status, "Error"),
            "content": {"application/json": {"schema": _ref(ErrorBody)}},
        }
    return op


def _response(model) -> dict:
    if model is None:
        return {"description": "OK"}
    if isinstance(model, str):
        return {"description": "OK", "content": {model: {"schema": {"type": "string"}}}}
    return {"description": "OK", "content": {"application/json": {"schema": _ref(model)}}}


def _query_params(model) -> list[dict]:
    if model is None:
        return []
    schema = model.model_json_schema(ref_template=REF)
    return [
        {"name": name, "in": "query", "required": False, "schema": prop}
        for name, prop in schema.get("properties", {}).items()
    ]


def _path_params(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]
