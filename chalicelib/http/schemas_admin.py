"""Response bodies of the administration routes (http/admin.py)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..domain.base import Model as BaseModel
from ..domain.org_settings import Entry, OrgSettings


class StaffSettings(BaseModel):
    version: int
    categories: list[Entry]
    departments: list[Entry]
    default_department: str
    callback_slots: list[Literal["morning", "afternoon", "evening"]]
    info_request_days: dict[Literal["A", "B", "C", "D"], int]
    info_request_expiry: Literal["withdraw", "resume"]


class AdminSettings(OrgSettings):
    version: int = Field(description="the ETag's number")


class AuditEntry(BaseModel):
    at: str
    actor: str = Field(description="the staff member's user id")
    roles: list[str]
    action: str = Field(description="settings.update, user.invite, user.update, ...")
    target: str = Field(description="what was acted on, by its key: settings, user:<id>")
    changes: dict[str, list[Any]] = Field(description="{path: [before, after]}")
    details: dict[str, Any]


class AuditPage(BaseModel):
    month: str
    items: list[AuditEntry]
    next_cursor: str | None = Field(default=None, description="pass as `cursor`; null: no more")
