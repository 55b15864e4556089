"""Staff authentication: a Chalice built-in authorizer that verifies the bearer JWT.

The authorizer verifies the token and hands the caller's identity to the view in the
request context. It lets a request with an invalid token through marked with the reason,
and the view answers 401 in our error format: a built-in authorizer that raises cannot be
answered with a 401 under `chalice local`, and the view must check anyway when no
authorizer ran (chalice.test.Client runs none), so the rule lives in one place.
"""

from __future__ import annotations

import time

from chalice import AuthResponse

from ..domain.actor import Actor
from .errors import HttpError

LEEWAY_SECONDS = 30  # as the verifier allows


def verify_header(header: str | None) -> Actor:
    from ..adapters.auth import AuthError, AuthUnavailable, parse_bearer, verify

    try:
        return verify(parse_bearer(header))
    except AuthUnavailable as error:
        from ..observability import logger

        logger().error("staff authentication is not configured", reason=str(error))
        raise HttpError(503, "auth_unavailable", "staff sign-in is unavailable") from error
    except AuthError as error:
        raise HttpError(401, "unauthorized", f"sign in again: {error}") from error


def staff_authorizer(auth_request) -> AuthResponse:
    try:
        actor = verify_header(auth_request.token)
    except HttpError as error:
        return AuthResponse(
            routes=["*"], principal_id="anonymous", context={"auth_error": error.message}
        )
    context = {
        "user_id": actor.user_id,
        "name": actor.name,
        "roles": ",".join(sorted(actor.roles)),
        "departments": ",".join(sorted(actor.departments)),
        # API Gateway caches this answer per token for a while: the view checks expiry.
        "expires": str(_expiry(auth_request.token)),
    }
    return AuthResponse(routes=["*"], principal_id=actor.user_id, context=context)


def _expiry(header: str) -> int:
    import jwt

    from ..adapters.auth import parse_bearer

    # Already verified above; only the expiry is read again.
    claims = jwt.decode(parse_bearer(header), options={"verify_signature": False})
    return int(claims["exp"])


def current_actor(request) -> Actor:
    context = (request.context or {}).get("authorizer") or {}
    if context.get("user_id"):
        if int(context.get("expires", "0")) + LEEWAY_SECONDS < time.time():
            raise HttpError(401, "unauthorized", "sign in again: token expired")
        return Actor(
            user_id=context["user_id"],
            name=context.get("name", ""),
            roles=[r for r in context.get("roles", "").split(",") if r],
            departments=[d for d in context.get("departments", "").split(",") if d],
        )
    if context.get("auth_error"):
        raise HttpError(401, "unauthorized", context["auth_error"])
    return verify_header(request.headers.get("authorization"))
