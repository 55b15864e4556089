"""Every route that takes a body accepts any type at the router, so that a wrong type gets
the service's own 415 (errors.read_json), not Chalice's."""

from app import app
from chalicelib.http.routing import ANY_BODY


def test_every_route_with_a_body_leaves_the_type_to_the_service():
    narrow = [
        f"{method} {path}"
        for path, methods in app.routes.items()
        for method, entry in methods.items()
        if method in {"POST", "PUT", "PATCH"} and not _any(entry.content_types)
    ]
    assert narrow == []


def _any(types: list[str]) -> bool:
    return types == ["*/*"] or set(ANY_BODY) <= set(types)
