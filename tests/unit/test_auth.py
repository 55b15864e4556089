"""Staff authentication: Actor claim mapping, token verification, mint script."""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib.util
import json
import shutil
import stat
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.adapters import auth
from chalicelib.adapters.auth import (
    AuthError,
    AuthUnavailable,
    TokenVerifier,
    parse_bearer,
    parse_jwks,
)
from chalicelib.domain.actor import Actor, Role

ROOT = Path(__file__).resolve().parents[2]
ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST"
AUDIENCE = "client-123"


def _load_mint_module():
    spec = importlib.util.spec_from_file_location("mint_token", ROOT / "scripts" / "mint_token.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mint_token = _load_mint_module()


# --- helpers -----------------------------------------------------------------


def kid_of(key_dir: Path) -> str:
    return json.loads((key_dir / "jwks.json").read_text())["keys"][0]["kid"]


def private_pem(key_dir: Path) -> bytes:
    return (key_dir / "private.pem").read_bytes()


def claims(**overrides):
    now = int(time.time())
    base = {
        "sub": "u-1",
        "name": "Alice",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "token_use": "id",
        "iat": now,
        "exp": now + 600,
        "cognito:groups": ["supervisor"],
        "custom:departments": "service",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def sign(key_dir: Path, payload: dict, *, kid: str | None = None, pem: bytes | None = None) -> str:
    headers = {"kid": kid or kid_of(key_dir)}
    return jwt.encode(payload, pem or private_pem(key_dir), algorithm="RS256", headers=headers)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned_parts(header: dict, payload: dict) -> str:
    return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"


def other_private_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@pytest.fixture(scope="session")
def generated_keys(tmp_path_factory):
    directory = tmp_path_factory.mktemp("generated") / "keys"
    mint_token.ensure_keys(directory)
    return directory


@pytest.fixture
def key_dir(tmp_path, generated_keys):
    # RSA generation is the slow part; each test gets its own copy of one key pair.
    return Path(shutil.copytree(generated_keys, tmp_path / "keys"))


@pytest.fixture
def verifier(key_dir):
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks_file=key_dir / "jwks.json")


def reject(verifier, token, reason):
    with pytest.raises(AuthError) as caught:
        verifier.verify(token)
    assert str(caught.value) == reason


# --- Actor ---------------------------------------------------------------------


def test_actor_from_claims_maps_groups_and_departments():
    actor = Actor.from_claims(
        {
            "sub": "u-1",
            "name": "Alice",
            "cognito:groups": ["handler", "supervisor", "some-other-group"],
            "custom:departments": " service, ,sales ",
        }
    )
    assert actor.roles == frozenset({Role.HANDLER, Role.SUPERVISOR})
    assert actor.departments == frozenset({"service", "sales"})
    assert (actor.user_id, actor.name) == ("u-1", "Alice")


def test_actor_from_claims_tolerates_missing_or_odd_claims():
    actor = Actor.from_claims({"sub": "u-1", "cognito:groups": "admin", "username": "alice"})
    assert actor.roles == frozenset()
    assert actor.departments == frozenset()
    assert actor.name == "alice"
    with pytest.raises(ValueError):
        Actor.from_claims({"name": "nobody"})


def test_actor_claims_round_trip():
    actor = Actor("u-1", "Alice", {"manager", Role.QUALITY}, {"sales", "service"})
    assert actor.to_claims() == {
        "sub": "u-1",
        "name": "Alice",
        "cognito:groups": ["manager", "quality"],
        "custom:departments": "sales,service",
    }
    assert Actor.from_claims(actor.to_claims()) == actor


def test_actor_rejects_unknown_role_and_comma_in_department():
    with pytest.raises(ValueError):
        Actor("u-1", roles={"emperor"})
    with pytest.raises(ValueError):
        Actor("u-1", departments={"a,b"}).to_claims()
    with pytest.raises(TypeError):
        Actor("u-1", departments="service")


def test_has_role_and_highest_role():
    actor = Actor("u-1", roles={Role.HANDLER, Role.SUPERVISOR, Role.ADMIN})
    assert actor.has_role("handler")
    assert actor.has_role(Role.DIRECTOR, Role.ADMIN)
    assert not actor.has_role(Role.DIRECTOR)
    assert actor.highest_role() is Role.SUPERVISOR
    assert Actor("u-2", roles={Role.QUALITY, Role.ADMIN}).highest_role() is None
    assert Actor("u-3", roles={Role.DIRECTOR, Role.INTAKE_AGENT}).highest_role() is Role.DIRECTOR


# --- verification: accepted tokens -----------------------------------------------


def test_minted_token_gives_actor(key_dir, verifier):
    token = mint_token.mint(
        "alice",
        ["supervisor", "handler"],
        ["service", "sales"],
        key_dir=key_dir,
        issuer=ISSUER,
        audience=AUDIENCE,
        name="Alice Li",
    )
    actor = verifier.verify(token)
    assert actor == Actor(
        user_id="alice",
        name="Alice Li",
        roles=frozenset({Role.SUPERVISOR, Role.HANDLER}),
        departments=frozenset({"service", "sales"}),
    )


def test_access_token_with_client_id_accepted(key_dir, verifier):
    token = sign(key_dir, claims(aud=None, token_use="access", client_id=AUDIENCE))
    assert verifier.verify(token).roles == frozenset({Role.SUPERVISOR})


def test_audience_list_and_several_configured_clients(key_dir):
    verifier = TokenVerifier(
        issuer=ISSUER, audience=["web", AUDIENCE], jwks_file=key_dir / "jwks.json"
    )
    assert verifier.verify(sign(key_dir, claims(aud=["other", AUDIENCE])))
    assert verifier.verify(sign(key_dir, claims(aud="web")))


def test_expiry_within_leeway_accepted(key_dir, verifier):
    token = sign(key_dir, claims(exp=int(time.time()) - 10))
    assert verifier.verify(token).user_id == "u-1"


def test_unknown_roles_ignored(key_dir, verifier):
    token = sign(key_dir, claims(**{"cognito:groups": ["root", "quality"]}))
    assert verifier.verify(token).roles == frozenset({Role.QUALITY})


# --- verification: rejected tokens -----------------------------------------------


def test_expired_token_rejected(key_dir, verifier):
    reject(verifier, sign(key_dir, claims(exp=int(time.time()) - 60)), "token expired")


def test_missing_exp_rejected(key_dir, verifier):
    reject(verifier, sign(key_dir, claims(exp=None)), "invalid token")


def test_wrong_issuer_rejected(key_dir, verifier):
    reject(verifier, sign(key_dir, claims(iss="https://evil.example")), "invalid token")


def test_wrong_audience_rejected(key_dir, verifier):
    reject(verifier, sign(key_dir, claims(aud="someone-else")), "invalid audience")


def test_access_token_with_wrong_or_missing_client_id_rejected(key_dir, verifier):
    wrong = claims(aud=None, token_use="access", client_id="someone-else")
    reject(verifier, sign(key_dir, wrong), "invalid audience")
    reject(verifier, sign(key_dir, claims(aud=None, token_use="access")), "invalid audience")


def test_client_id_counts_only_for_access_tokens(key_dir, verifier):
    token = sign(key_dir, claims(aud="someone-else", client_id=AUDIENCE))
    reject(verifier, token, "invalid audience")


def test_token_use_must_be_id_or_access(key_dir, verifier):
    reject(verifier, sign(key_dir, claims(token_use="refresh")), "invalid token use")
    reject(verifier, sign(key_dir, claims(token_use=None)), "invalid token")


def test_missing_subject_rejected(key_dir, verifier):
    reject(verifier, sign(key_dir, claims(sub=None)), "invalid token")


def test_signature_by_another_key_with_same_kid_rejected(key_dir, verifier):
    token = sign(key_dir, claims(), pem=other_private_pem())
    reject(verifier, token, "invalid signature")


def test_tampered_payload_rejected(key_dir, verifier):
    header, _, signature = sign(key_dir, claims()).split(".")
    forged = b64url(json.dumps(claims(**{"cognito:groups": ["admin"]})).encode())
    reject(verifier, f"{header}.{forged}.{signature}", "invalid signature")


def test_alg_none_rejected(key_dir, verifier):
    token = unsigned_parts({"alg": "none", "typ": "JWT", "kid": kid_of(key_dir)}, claims()) + "."
    reject(verifier, token, "unsupported algorithm")


def test_hs256_signed_with_public_key_rejected(key_dir, verifier):
    # The classic confusion: an HMAC keyed with the public key a verifier would load.
    public_pem = (
        serialization.load_pem_private_key(private_pem(key_dir), password=None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    signing_input = unsigned_parts({"alg": "HS256", "typ": "JWT", "kid": kid_of(key_dir)}, claims())
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    reject(verifier, f"{signing_input}.{b64url(mac)}", "unsupported algorithm")


def test_other_asymmetric_algorithm_rejected(key_dir, verifier):
    token = jwt.encode(claims(), private_pem(key_dir), "PS256", headers={"kid": kid_of(key_dir)})
    reject(verifier, token, "unsupported algorithm")


def test_unknown_kid_rejected(key_dir, verifier):
    reject(verifier, sign(key_dir, claims(), kid="no-such-key"), "unknown signing key")


def test_missing_kid_rejected(key_dir, verifier):
    token = jwt.encode(claims(), private_pem(key_dir), algorithm="RS256")
    reject(verifier, token, "unknown signing key")


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "x" * 20_000, None, b"bytes"])
def test_malformed_token_rejected(verifier, token):
    reject(verifier, token, "malformed token")


# --- bearer header ---------------------------------------------------------------


def test_parse_bearer():
    assert parse_bearer("Bearer abc.def.ghi") == "abc.def.ghi"
    assert parse_bearer("bearer  abc") == "abc"


@pytest.mark.parametrize(
    "value", [None, "", "abc.def.ghi", "Basic dXNlcjpwdw==", "Bearer", "Bearer a b"]
)
def test_parse_bearer_rejects(value):
    with pytest.raises(AuthError):
        parse_bearer(value)


# --- JWKS from a URL -------------------------------------------------------------


@pytest.fixture
def jwks_server(key_dir):
    state = SimpleNamespace(body=(key_dir / "jwks.json").read_bytes(), status=200, hits=[])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state.hits.append(self.path)
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/pool/.well-known/jwks.json"
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def url_verifier(jwks_server):
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks_url=jwks_server.url)


def test_url_keys_fetched_lazily_and_cached(key_dir, jwks_server, url_verifier):
    assert jwks_server.hits == []
    url_verifier.verify(sign(key_dir, claims()))
    url_verifier.verify(sign(key_dir, claims(sub="u-2")))
    assert jwks_server.hits == ["/pool/.well-known/jwks.json"]


def test_unknown_kid_refetches_once(key_dir, jwks_server, url_verifier):
    url_verifier.verify(sign(key_dir, claims()))
    reject(url_verifier, sign(key_dir, claims(), kid="rotated"), "unknown signing key")
    assert len(jwks_server.hits) == 2
    # Forged kids must not turn the verifier into a JWKS request amplifier.
    reject(url_verifier, sign(key_dir, claims(), kid="rotated-again"), "unknown signing key")
    assert len(jwks_server.hits) == 2
    url_verifier.verify(sign(key_dir, claims()))
    assert len(jwks_server.hits) == 2


def test_rotated_key_picked_up_by_refetch(tmp_path, key_dir, jwks_server, url_verifier):
    url_verifier.verify(sign(key_dir, claims()))
    new_dir = tmp_path / "rotated"
    jwks_server.body = mint_token.ensure_keys(new_dir).read_bytes()
    assert url_verifier.verify(sign(new_dir, claims())).user_id == "u-1"
    assert len(jwks_server.hits) == 2


def test_jwks_fetch_failure_is_unavailable_and_retried(key_dir, jwks_server, url_verifier):
    jwks_server.status = 500
    with pytest.raises(AuthUnavailable):
        url_verifier.verify(sign(key_dir, claims()))
    jwks_server.status = 200
    assert url_verifier.verify(sign(key_dir, claims())).user_id == "u-1"


def test_plain_http_jwks_allowed_only_on_loopback():
    with pytest.raises(AuthUnavailable):
        TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks_url="http://example.com/jwks.json")
    TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks_url="https://example.com/jwks.json")


def test_parse_jwks_keeps_only_rsa_signing_keys(key_dir):
    rsa_key = json.loads((key_dir / "jwks.json").read_text())["keys"][0]
    document = {
        "keys": [
            rsa_key,
            {**rsa_key, "kid": "enc", "use": "enc"},
            {**rsa_key, "kid": "hs", "alg": "HS256"},
            {"kty": "oct", "kid": "sym", "k": "c2VjcmV0"},
            {"kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"},
            "junk",
        ]
    }
    assert list(parse_jwks(json.dumps(document))) == [rsa_key["kid"]]
    assert parse_jwks("[]") == {}


# --- configuration from the environment --------------------------------------------


@pytest.fixture
def auth_env(monkeypatch, key_dir):
    for name in ("AUTH_JWKS_URL", "AUTH_JWKS_FILE", "AUTH_ISSUER", "AUTH_AUDIENCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUTH_JWKS_FILE", str(key_dir / "jwks.json"))
    monkeypatch.setenv("AUTH_ISSUER", ISSUER)
    monkeypatch.setenv("AUTH_AUDIENCE", f"web, {AUDIENCE}")
    auth.reset_verifier()
    yield monkeypatch
    auth.reset_verifier()


def test_module_verify_uses_environment(key_dir, auth_env):
    assert auth.verify(sign(key_dir, claims())).departments == frozenset({"service"})
    assert auth.get_verifier() is auth.get_verifier()
    assert auth.get_verifier().audiences == frozenset({"web", AUDIENCE})


def test_reset_verifier_rereads_environment(key_dir, auth_env):
    first = auth.get_verifier()
    auth_env.setenv("AUTH_AUDIENCE", "other")
    assert auth.get_verifier() is first
    auth.reset_verifier()
    with pytest.raises(AuthError):
        auth.verify(sign(key_dir, claims()))


@pytest.mark.parametrize(
    "change",
    [
        {"AUTH_JWKS_FILE": None},
        {"AUTH_JWKS_URL": "https://example.com/jwks.json"},
        {"AUTH_ISSUER": None},
        {"AUTH_AUDIENCE": " , "},
    ],
)
def test_incomplete_configuration_is_unavailable(key_dir, auth_env, change):
    for name, value in change.items():
        if value is None:
            auth_env.delenv(name)
        else:
            auth_env.setenv(name, value)
    with pytest.raises(AuthUnavailable):
        auth.verify(sign(key_dir, claims()))


def test_missing_jwks_file_is_unavailable(tmp_path, key_dir):
    verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks_file=tmp_path / "none.json")
    with pytest.raises(AuthUnavailable):
        verifier.verify(sign(key_dir, claims()))


def test_import_does_not_load_jwt_or_read_environment():
    code = (
        "import sys, chalicelib.adapters.auth;"
        "print(sorted(m for m in ('jwt', 'cryptography', 'urllib.request') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={}, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- mint script -------------------------------------------------------------------


def test_ensure_keys_creates_private_key_0600_and_public_jwks(tmp_path):
    jwks_path = mint_token.ensure_keys(tmp_path / "k")
    private = tmp_path / "k" / "private.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    (key,) = json.loads(jwks_path.read_text())["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["kid"]
    assert "d" not in key
    assert mint_token.ensure_keys(tmp_path / "k") == jwks_path
    assert kid_of(tmp_path / "k") == key["kid"]


def test_ensure_keys_replaces_stale_jwks(tmp_path):
    directory = tmp_path / "k"
    mint_token.ensure_keys(directory)
    old_kid = kid_of(directory)
    (directory / "private.pem").unlink()
    mint_token.ensure_keys(directory)
    assert kid_of(directory) != old_kid


def test_mint_defaults_from_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("AUTH_ISSUER", raising=False)
    monkeypatch.setenv("AUTH_AUDIENCE", "from-env")
    token = mint_token.mint("bob", [Role.HANDLER], [], ttl=60, key_dir=tmp_path / "k")
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["iss"] == mint_token.DEFAULT_ISSUER
    assert payload["aud"] == "from-env"
    assert payload["token_use"] == "id"
    assert payload["exp"] - payload["iat"] == 60
    assert payload["cognito:groups"] == ["handler"]
    assert payload["custom:departments"] == ""
    assert jwt.get_unverified_header(token)["kid"] == kid_of(tmp_path / "k")


def test_cli_prints_verifiable_token(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("AUTH_ISSUER", raising=False)
    monkeypatch.delenv("AUTH_AUDIENCE", raising=False)
    key_dir = tmp_path / "cli"
    argv = ["--user", "alice", "--role", "supervisor", "--role", "handler", "--dept", "service"]
    assert (
        mint_token.main([*argv, "--dept", "sales", "--ttl", "120", "--key-dir", str(key_dir)]) == 0
    )
    out, err = capsys.readouterr()
    verifier = TokenVerifier(
        issuer=mint_token.DEFAULT_ISSUER,
        audience=mint_token.DEFAULT_AUDIENCE,
        jwks_file=key_dir / "jwks.json",
    )
    actor = verifier.verify(out.strip())
    assert actor.roles == frozenset({Role.SUPERVISOR, Role.HANDLER})
    assert actor.departments == frozenset({"service", "sales"})
    assert "AUTH_JWKS_FILE=" in err


@pytest.mark.parametrize("argv", [["--role", "emperor"], ["--ttl", "0"], ["--dept", "a,b"]])
def test_cli_rejects_bad_arguments(tmp_path, argv):
    with pytest.raises(SystemExit):
        mint_token.main(["--user", "alice", "--key-dir", str(tmp_path), *argv])
