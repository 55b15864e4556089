"""Bodies of the staff-account routes (http/accounts.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..domain.actor import Role
from ..domain.base import Model as BaseModel

ROLES = Literal[tuple(role.value for role in Role)]  # type: ignore[valid-type]
STATUSES = Literal[  # Cognito's user statuses
    "UNCONFIRMED",
    "CONFIRMED",
    "ARCHIVED",
    "COMPROMISED",
    "UNKNOWN",
    "RESET_REQUIRED",
    "FORCE_CHANGE_PASSWORD",
    "EXTERNAL_PROVIDER",
]


class StaffAccount(BaseModel):
    """A staff member's account: the roles are its groups, the departments its
    `custom:departments` (`*`: every department)."""

    user_id: str = Field(description="the Cognito username (the token's `sub` on AWS)")
    email: str
    name: str
    roles: list[ROLES]
    departments: list[str]
    enabled: bool
    status: STATUSES = Field(
        description="FORCE_CHANGE_PASSWORD until the first sign-in with the temporary password"
    )
    etag: str = Field(
        pattern=r'^"[0-9]+"$',
        description="the account's version: send it as If-Match to change the account",
    )


class StaffAccountPage(BaseModel):
    users: list[StaffAccount]
    next_cursor: str | None = Field(
        default=None, description="pass as `cursor` for the next page; null: no more"
    )
