"""Staff accounts as the administration sees them, and the rules a change must keep.

An account is a Cognito user (adapters/staff_accounts.py): its roles are the role groups it
belongs to, its departments the `custom:departments` attribute. Pure: no AWS here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, field_validator

from .actor import Actor, Role
from .errors import Conflict, InvalidCommand
from .fields import Email, Strict, Text

ALL_DEPARTMENTS = "*"  # an account that covers every department (directory.py reads it too)
MAX_DEPARTMENTS = 40  # custom:departments holds at most 2,048 characters


@dataclass(frozen=True)
class Account:
    user_id: str  # the Cognito username: on AWS, where e-mail signs in, it equals `sub`
    email: str
    name: str
    roles: tuple[str, ...]
    departments: tuple[str, ...]
    enabled: bool
    status: str  # Cognito's: FORCE_CHANGE_PASSWORD until the first sign-in, then CONFIRMED

    def view(self) -> dict:
        return {
            "user_id": self.user_id,
            "email": self.email,
            "name": self.name,
            "roles": list(self.roles),
            "departments": list(self.departments),
            "enabled": self.enabled,
            "status": self.status,
            "etag": f'"{etag(self)}"',
        }


def etag(account: Account) -> int:
    """The account's version as an admin saw it: a number drawn from everything an admin
    sees and may change, so any change (here or in Cognito's own console) makes it stale.
    52 bits: exact in a JavaScript number."""
    seen = [
        account.user_id,
        account.email,
        account.name,
        sorted(account.roles),
        sorted(account.departments),
        account.enabled,
    ]
    digest = hashlib.sha256(json.dumps(seen, ensure_ascii=False).encode()).hexdigest()
    return int(digest[:13], 16)


Roles = Annotated[list[Role], Field(min_length=1, max_length=len(Role))]
Departments = Annotated[list[Text(64, 1)], Field(min_length=1, max_length=MAX_DEPARTMENTS)]


class _Sets(Strict):
    @field_validator("roles", "departments", check_fields=False)
    @classmethod
    def _unique(cls, value):
        if value is None:
            return value
        if len(set(value)) != len(value):
            raise ValueError("listed twice")
        return value


class Invitation(_Sets):
    """A new staff member: Cognito mails them a temporary password."""

    email: Email
    name: Text(100, 1)
    roles: Roles
    departments: Departments


class AccountChange(_Sets):
    """What an admin changes on an account; fields left out stay as they are."""

    roles: Roles | None = None
    departments: Departments | None = None
    enabled: bool | None = None


class AccountsQuery(Strict):
    limit: int = Field(default=20, ge=1, le=60)
    cursor: Text(2048, 1) | None = None


def check_departments(departments: list[str], known: set[str]) -> None:
    """Departments must be the organisation's active ones (or `*`, every department)."""
    unknown = [d for d in departments if d != ALL_DEPARTMENTS and d not in known]
    if unknown:
        allowed = ", ".join(sorted(known))
        raise InvalidCommand(
            "unknown department",
            {"departments": f"not a department in use: {', '.join(unknown)} (one of {allowed})"},
        )


def check_change(actor: Actor, account: Account, change: AccountChange) -> None:
    """An admin keeps the means to administer: never their own admin role, never disabled."""
    if account.user_id != actor.user_id:
        return
    if change.roles is not None and Role.ADMIN not in change.roles:
        raise Conflict("you cannot remove your own admin role", reason="own_admin_role")
    if change.enabled is False:
        raise Conflict("you cannot disable your own account", reason="own_account")


def targets(changes: dict[str, list]) -> dict:
    """What a change sets, from its difference: applying it twice is applying it once."""
    return {name: after for name, (_, after) in changes.items()}


def differences(account: Account, change: AccountChange) -> dict[str, list]:
    """{field: [before, after]} for what the change really changes (the audit's difference)."""
    changes: dict[str, list] = {}
    if change.roles is not None:
        after = sorted(role.value for role in change.roles)
        if after != sorted(account.roles):
            changes["roles"] = [sorted(account.roles), after]
    if change.departments is not None and sorted(change.departments) != sorted(account.departments):
        changes["departments"] = [sorted(account.departments), sorted(change.departments)]
    if change.enabled is not None and change.enabled != account.enabled:
        changes["enabled"] = [account.enabled, change.enabled]
    return changes
