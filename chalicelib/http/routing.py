"""How a route is declared and what its view reads from the request, in one place.

A route is its method and path, its description and a short body that calls a use case:
`route` stacks what every one needs (Chalice's route, the OpenAPI description of
openapi.documented, the one error shape of errors.handles_errors), and the readers below
give the view its caller, body, query and token. Any blueprint's `current_request` is the
app's request being served.
"""

from __future__ import annotations

from chalice import Response

from ..wiring import get_services
from .auth import current_actor
from .errors import handles_errors, read_json
from .openapi import Undocumented, documented, header

# Accept any body type at the router so that our own handler names what is wrong with it.
ANY_BODY = [
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/xml",
    "text/xml",
    "text/html",
]
WITH_BODY = {"POST", "PUT", "PATCH"}
TOKEN = header("X-Tracking-Token", "the token given on submission", required=True)
SURVEY_TOKEN = header(
    "X-Tracking-Token", "the tracking token, or the token of the survey link", required=True
)
# A complainant's command with the tracking token: a bad body, no such complaint for that
# token, or a state that does not allow it.
COMMAND_ERRORS = (400, 404, 409, 413, 415)


def routes(blueprint, **defaults):
    """The route declarer of `blueprint`: `@route("GET /path", Body, query=Model)` declares a
    view whose docstring is the operation's summary (see `route`); `defaults` serve every
    route (staff.staff_routes: the bearer token and the staff errors)."""

    def declare(line: str, *ok, **doc):
        return route(blueprint, line, *ok, **{**defaults, **doc})

    return declare


def complainant_routes(blueprint):
    """The declarer of routes a complainant calls with the tracking token (404: no complaint
    has that number and token)."""
    return routes(blueprint, parameters=[TOKEN], errors=(404,))


def route(
    blueprint, line: str, ok=None, *, created=None, authorizer=None, content_types=None, **doc
):
    """Declare `line` ("POST /complaints/{number}/survey") on `blueprint`: Chalice's route,
    the OpenAPI description (openapi.documented) and the one error shape.

    The view's docstring is the operation's summary; `ok` is what a 200 answers, `created`
    what a 201 answers (or `responses` for anything else), `doc` the rest of the
    description. Behind an authorizer the operation is secured; a method with a body takes
    any content type at the router (ANY_BODY) unless `content_types` says otherwise.
    """
    method, path = line.split(" ", 1)
    options: dict = {"methods": [method]}
    if authorizer is not None:
        options["authorizer"] = authorizer
        doc["secured"] = True
    if method in WITH_BODY:
        options["content_types"] = content_types or ANY_BODY
    if "name" in doc:
        options["name"] = doc.pop("name")
    doc.setdefault("responses", {201: created} if created is not None else {200: ok})

    def declare(view):
        summary = doc.pop("summary", None) or " ".join((view.__doc__ or "").split())
        if not summary:
            raise Undocumented(f"{line}: the view {view.__name__} has no docstring")
        view = documented(summary, **doc)(handles_errors(view))
        blueprint.route(path, **options)(view)
        return view

    return declare


def query(blueprint) -> dict:
    return dict(blueprint.current_request.query_params or {})


def caller(blueprint) -> tuple:
    """The signed-in caller and the services: the last two arguments of a staff use case."""
    return current_actor(blueprint.current_request), get_services()


def json_body(blueprint, max_bytes: int | None = None) -> dict:
    """The request's JSON object, at most `max_bytes` (default: the service's limit)."""
    if max_bytes is None:
        max_bytes = get_services().settings.max_body_bytes
    return read_json(blueprint.current_request, max_bytes)


def tracking_token(blueprint) -> str | None:
    return blueprint.current_request.headers.get("x-tracking-token")


def complainant(blueprint) -> tuple:
    """The tracking token, the JSON body and the services: the last three arguments of a
    complainant's command."""
    services = get_services()
    body = read_json(blueprint.current_request, services.settings.max_body_bytes)
    return tracking_token(blueprint), body, services


def created(body: dict, location: str | None = None) -> Response:
    headers = {"Location": location} if location else None
    return Response(body=body, status_code=201, headers=headers)


def with_etag(view: dict, etag: str | None = None) -> Response:
    """The view with its ETag: by default its version, quoted."""
    etag = etag or f'"{view["version"]}"'
    return Response(body=view, status_code=200, headers={"ETag": etag})
