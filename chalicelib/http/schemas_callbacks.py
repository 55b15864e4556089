"""Response bodies of the callback routes, for the OpenAPI document (built on demand)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ..domain.base import Model
from ..domain.callbacks import CallbackState


class CallbackItem(Model):
    number: str
    department: str
    grade: Literal["A", "B", "C", "D"]
    subject: str
    language: Literal["zh-CN", "en"]
    resolved_at: str | None
    due_on: date
    slot: Literal["morning", "afternoon", "evening"]
    overdue: bool
    attempts: int
    phone: str | None  # shown to the caller who makes the callback
    name: str | None  # "***" where the caller may not see the identity
    version: int


class CallbackList(Model):
    today: date
    items: list[CallbackItem]
    next_cursor: str | None


class CallbackResult(Model):
    number: str
    status: str
    version: int
    settled_by: Literal["survey", "callback"] | None
    callback: CallbackState | None
    recorded_as: Literal["additional_feedback"] | None = None
    recomplaint: str | None = None
    recomplaint_token: str | None = None


class OptOut(Model):
    number: str
    sms: Literal["opted_out", "no_mobile"]
