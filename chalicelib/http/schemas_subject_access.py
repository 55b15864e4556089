"""Response body of GET /staff/admin/subject-access (http/subject_access.py)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..domain.base import Model as BaseModel


class SubjectFile(BaseModel):
    filename: str
    content_type: str
    size_bytes: int
    added_at: str


class SubjectComplaint(BaseModel):
    number: str
    received_at: str
    channel: str
    status: str
    category: str
    department: str
    closed_at: str | None = None
    submitted: dict[str, Any] = Field(description="what the person submitted, as given")
    survey: dict[str, Any] | None = None
    files: list[SubjectFile]
    messages: list[dict[str, Any]] = Field(description="the public thread, as on the tracking page")


class SubjectAccess(BaseModel):
    by: Literal["phone", "email"]
    generated_at: str
    items: list[SubjectComplaint]
    next_cursor: str | None = Field(
        default=None, description="pass as `cursor` with the same key; null: no more"
    )
