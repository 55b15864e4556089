"""CORS for the configured origins of embedded forms (CORS_ORIGINS)."""

import pytest

from tests.helpers import complaint_body, post_json

ALLOWED = "https://shop.example"


@pytest.fixture(autouse=True)
def origins(monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", f"{ALLOWED}, https://Portal.Example:8443/")


def preflight(client, path, origin=ALLOWED, method="POST", headers="content-type"):
    return client.http.request(
        "OPTIONS",
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
    )


def test_allowed_origin_is_echoed(client):
    response = post_json(client, "/complaints", complaint_body(), headers={"Origin": ALLOWED})
    assert response.status_code == 201
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert response.headers["Vary"] == "Origin"
    assert "Location" in response.headers["Access-Control-Expose-Headers"]


def test_configured_origins_match_whatever_their_case_or_trailing_slash(client):
    response = client.http.get("/health", headers={"Origin": "https://portal.example:8443"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://portal.example:8443"


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "https://shop.example.evil.example", "null", "http://shop.example"],
)
def test_unknown_origin_gets_no_cors_header(client, origin):
    response = client.http.get("/health", headers={"Origin": origin})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["Vary"] == "Origin"


def test_no_configured_origins_means_no_cors_at_all(client, monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", "")
    response = client.http.get("/health", headers={"Origin": ALLOWED})
    assert not any(name.startswith("Access-Control") for name in response.headers)


def test_error_responses_carry_cors_headers_too(client):
    response = client.http.get(
        "/complaints/TS-20990101-0001", headers={"Origin": ALLOWED, "X-Tracking-Token": "x"}
    )
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED


def test_preflight_from_an_allowed_origin(client):
    response = preflight(client, "/complaints")
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert response.headers["Access-Control-Allow-Methods"] == "POST"
    allowed = {
        h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")
    }
    assert {"content-type", "idempotency-key", "x-tracking-token", "authorization"} <= allowed
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert response.headers["Vary"] == "Origin"


def test_preflight_on_a_path_with_parameters(client):
    response = preflight(
        client, "/complaints/TS-20260101-0001", method="GET", headers="x-tracking-token"
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "GET" in response.headers["Access-Control-Allow-Methods"]


def test_preflight_on_open311(client):
    response = preflight(client, "/open311/v2/requests.json")
    assert response.status_code == 204
    methods = response.headers["Access-Control-Allow-Methods"].split(", ")
    assert sorted(methods) == ["GET", "POST"]


def test_preflight_from_an_unknown_origin_gets_no_cors_headers(client):
    response = preflight(client, "/complaints", origin="https://evil.example")
    assert response.status_code == 204
    assert not any(name.startswith("Access-Control") for name in response.headers)


def test_preflight_for_a_method_the_path_lacks_is_not_allowed(client):
    response = preflight(client, "/complaints", method="DELETE")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_every_route_answers_preflight_and_stays_documented(client):
    from app import app

    for path, views in app.routes.items():
        assert "OPTIONS" in views, path
    assert client.http.get("/openapi.json").status_code == 200
