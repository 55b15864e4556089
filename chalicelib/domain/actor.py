"""Who is acting: a staff member as established by a verified token.

Claim mapping (Cognito conventions, so production and local tokens look alike):

- ``sub``                -> ``Actor.user_id`` (required)
- ``name``               -> ``Actor.name`` (optional; Cognito access tokens carry
  ``username`` instead, which is used as a fallback)
- ``cognito:groups``     -> ``Actor.roles``: a list of Cognito group names, each
  equal to a ``Role`` value; unknown group names are ignored, so a user pool can
  hold other groups without breaking this service.
- ``custom:departments`` -> ``Actor.departments``: one comma-separated string,
  because Cognito custom attributes are strings. Blanks are dropped, so
  department names must not contain commas.

Cognito puts custom attributes in ID tokens only; an access token yields an
actor without departments unless a pre-token-generation trigger adds the claim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

GROUPS_CLAIM = "cognito:groups"
DEPARTMENTS_CLAIM = "custom:departments"


class Role(StrEnum):
    INTAKE_AGENT = "intake_agent"
    SUPERVISOR = "supervisor"
    HANDLER = "handler"
    MANAGER = "manager"
    DIRECTOR = "director"
    QUALITY = "quality"
    ADMIN = "admin"


# The escalation chain (handler, then supervisor, manager, director), with
# intake at the bottom. Quality and admin are deliberately off the chain:
# an auditor oversees cases without outranking a director, and an admin
# configures the system without deciding cases.
CHAIN: tuple[Role, ...] = (
    Role.INTAKE_AGENT,
    Role.HANDLER,
    Role.SUPERVISOR,
    Role.MANAGER,
    Role.DIRECTOR,
)


@dataclass(frozen=True)
class Actor:
    user_id: str
    name: str = ""
    roles: frozenset[Role] = field(default_factory=frozenset)
    departments: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.user_id:
            raise ValueError("user_id is required")
        if isinstance(self.roles, str) or isinstance(self.departments, str):
            raise TypeError("roles and departments are collections, not strings")
        # Accept any iterable of role names so callers need not build frozensets.
        object.__setattr__(self, "roles", frozenset(Role(r) for r in self.roles))
        object.__setattr__(self, "departments", frozenset(self.departments))

    def has_role(self, role: Role | str, *more: Role | str) -> bool:
        """True if the actor holds any of the given roles."""
        return any(Role(r) in self.roles for r in (role, *more))

    def highest_role(self) -> Role | None:
        """Highest role on the escalation chain; None if the actor holds none
        (for example a quality auditor or admin only)."""
        for role in reversed(CHAIN):
            if role in self.roles:
                return role
        return None

    def in_department(self, department: str) -> bool:
        return department in self.departments

    def to_claims(self) -> dict[str, Any]:
        for dept in self.departments:
            if "," in dept:
                raise ValueError(f"department name contains a comma: {dept!r}")
        claims: dict[str, Any] = {
            "sub": self.user_id,
            GROUPS_CLAIM: sorted(r.value for r in self.roles),
            DEPARTMENTS_CLAIM: ",".join(sorted(self.departments)),
        }
        if self.name:
            claims["name"] = self.name
        return claims

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Actor:
        user_id = claims.get("sub")
        if not isinstance(user_id, str) or not user_id:
            raise ValueError("claim 'sub' is missing")
        name = claims.get("name") or claims.get("username") or ""
        return cls(
            user_id=user_id,
            name=name if isinstance(name, str) else "",
            roles=_known_roles(claims.get(GROUPS_CLAIM)),
            departments=_split_departments(claims.get(DEPARTMENTS_CLAIM)),
        )


def _known_roles(groups: Any) -> frozenset[Role]:
    if not isinstance(groups, list):
        return frozenset()
    known = {r.value for r in Role}
    return frozenset(Role(g) for g in groups if isinstance(g, str) and g in known)


def _split_departments(value: Any) -> frozenset[str]:
    if not isinstance(value, str):
        return frozenset()
    return frozenset(p.strip() for p in value.split(",") if p.strip())
