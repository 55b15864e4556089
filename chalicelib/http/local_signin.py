"""Signing in on the local stack: pick a demo user, get a token minted with the local key.

These routes exist only where LOCAL_SIGN_IN is "true", which .chalice/config.json sets for
the `local` stage alone (infra/stage_config.py refuses a deployable stage that sets it, and
tests/infra checks the packaged API has no such path). On AWS staff sign in through the
Cognito hosted UI instead.

The demo users are users of moto's Cognito user pool (scripts/bootstrap.py creates them), read
through the same directory as GET /staff/directory: whom an admin invites, changes or
disables in the console is who may sign in here.
"""

from __future__ import annotations

import os
from pathlib import Path

from chalice import Blueprint

from .errors import HttpError, handles_errors, read_json
from .openapi import SCHEMAS, Later, documented
from .routing import ANY_BODY

local_signin = Blueprint(__name__)
TOKEN_SECONDS = 3600


def enabled() -> bool:
    return os.environ.get("LOCAL_SIGN_IN") == "true"


def install(app) -> None:
    """Registers the routes on the local stage; on any other they do not exist at all."""
    if enabled():
        app.register_blueprint(local_signin)


def _people() -> list[dict]:
    """The enabled users of the local user pool, as the directory lists them."""
    from ..adapters.directory import DirectoryUnavailable, get_directory

    try:
        people = get_directory().people()
    except DirectoryUnavailable as error:
        raise HttpError(503, "auth_unavailable", str(error)) from error
    return [
        {
            "user_id": p.user_id,
            "name": p.name,
            "roles": list(p.roles),
            "departments": list(p.departments),
        }
        for p in sorted(people, key=_order)
    ]


def _order(person) -> tuple:
    """By department, then role in the Role enumeration's order, then id."""
    from ..domain.actor import Role

    ranks = [list(Role).index(Role(r)) for r in person.roles] or [len(Role)]
    return (person.departments[:1], min(ranks), person.user_id)


@local_signin.route("/console/local/users", methods=["GET"])
@documented(
    "Local stack only: the demo staff one may sign in as",
    responses={200: Later(SCHEMAS, "LocalUsers")},
    errors=(503,),
)
@handles_errors
def users():
    return {"people": _people()}


@local_signin.route("/console/local/token", methods=["POST"], content_types=ANY_BODY)
@documented(
    "Local stack only: a token for one demo user, signed with the local key",
    request=Later(SCHEMAS, "LocalSignIn"),
    responses={200: Later(SCHEMAS, "LocalToken")},
    errors=(400, 404, 413, 415, 503),
)
@handles_errors
def token():
    from scripts.mint_token import mint

    from .schemas import LocalSignIn

    body = LocalSignIn.model_validate(read_json(local_signin.current_request, 4096))
    person = next((p for p in _people() if p["user_id"] == body.user_id), None)
    if person is None:
        raise HttpError(404, "not_found", "no such demo user")
    key_dir = Path(os.environ["AUTH_JWKS_FILE"]).parent
    minted = mint(
        person["user_id"],
        person["roles"],
        person["departments"],
        ttl=TOKEN_SECONDS,
        key_dir=key_dir,
        name=person["name"],
    )
    return {"id_token": minted, "expires_in": TOKEN_SECONDS}
