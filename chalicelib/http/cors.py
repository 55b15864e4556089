"""CORS for the origins that embed our forms (CORS_ORIGINS, comma-separated).

Why middleware plus OPTIONS routes, and not Chalice's `cors=`: a CORSConfig names one
origin, and API Gateway answers its preflight from a static mock, so several origins
cannot be allowed. A route without `cors=` has no OPTIONS method at all: API Gateway
refuses the preflight (403) and `chalice local` answers it itself (200, no CORS
headers), in both cases before any of our code runs. So `install_cors` gives every path
an OPTIONS route, which lets preflights reach the Lambda, and the middleware answers
every request from the list of allowed origins, read per request.
"""

from __future__ import annotations

import os

from chalice import Response

from .openapi import documented

ALLOWED_HEADERS = "Content-Type, Idempotency-Key, X-Tracking-Token, Authorization"
EXPOSED_HEADERS = "Location, X-Correlation-Id"
MAX_AGE_SECONDS = "600"


def allowed_origins() -> frozenset[str]:
    raw = os.environ.get("CORS_ORIGINS", "")
    return frozenset(
        origin.strip().rstrip("/").lower() for origin in raw.split(",") if origin.strip()
    )


def cors(request, get_response):
    """HTTP middleware: CORS headers for allowed origins, nothing for the others."""
    response = get_response(request)
    origins = allowed_origins()
    if not origins:
        return response
    _add_vary(response)
    origin = (request.headers.get("origin") or "").strip()
    if origin.lower() not in origins:
        return response
    headers = response.headers
    headers["Access-Control-Allow-Origin"] = origin
    wanted = (request.headers.get("access-control-request-method") or "").upper()
    if request.method == "OPTIONS" and wanted:
        methods = [m.strip() for m in headers.get("Allow", "").split(",") if m.strip()]
        if wanted not in methods:
            del headers["Access-Control-Allow-Origin"]
            return response
        headers["Access-Control-Allow-Methods"] = ", ".join(methods)
        headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        headers["Access-Control-Max-Age"] = MAX_AGE_SECONDS
    else:
        headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _add_vary(response) -> None:
    # The answer depends on Origin, so shared caches must key on it, allowed or not.
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = "Origin"
    elif "origin" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Origin"


def install_cors(app) -> None:
    """Register the middleware and an OPTIONS route on every path. Call it after the last
    blueprint is registered: paths added later get no preflight route."""
    for path, views in list(app.routes.items()):
        if "OPTIONS" in views or any(view.cors for view in views.values()):
            continue  # a view of its own, or Chalice's CORS, answers these
        app.route(path, methods=["OPTIONS"], content_types=["*/*"])(_preflight(app, path))
    app.register_middleware(cors, "http")


def _preflight(app, path: str):
    @documented(
        "CORS preflight: 204, with CORS headers for allowed origins",
        responses={204: None},
        errors=(),
    )
    def preflight(**_path_parameters):
        methods = sorted(method for method in app.routes[path] if method != "OPTIONS")
        return Response(body="", status_code=204, headers={"Allow": ", ".join(methods)})

    preflight.__name__ = "preflight_" + "".join(c if c.isalnum() else "_" for c in path)
    return preflight
