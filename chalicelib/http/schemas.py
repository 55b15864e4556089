"""Response bodies, declared so that the OpenAPI document describes what routes return."""

from __future__ import annotations

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: dict[str, str] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class Receipt(BaseModel):
    number: str
    status: str
    tracking_token: str
    received_at: str


class TimelineItem(BaseModel):
    at: str
    event: str
    details: dict[str, str] | None = None


class PublicView(BaseModel):
    number: str
    status: str
    kind: str
    category: str
    subject: str
    received_at: str
    deadlines: dict[str, str]
    timeline: list[TimelineItem]
