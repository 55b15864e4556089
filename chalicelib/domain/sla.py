"""Service-level limits per grade and the deadlines they give; see DOMAIN.md "Deadlines".

Pure domain: no I/O. Day limits are working days on the organisation's calendar; hour
limits run on the clock.

Default limits (higher grades are shorter):

| grade | accept | 1st contact | resolve | follow-up | reply window | extension | callback |
|-------|-------:|------------:|--------:|----------:|-------------:|----------:|---------:|
| A     |   1 wd |        12 h |    5 wd |      3 wd |         2 wd |      3 wd |     3 wd |
| B     |   1 wd |        24 h |   10 wd |      3 wd |         2 wd |      3 wd |     3 wd |
| C     |   3 wd |        24 h |   15 wd |      5 wd |         2 wd |      3 wd |     3 wd |
| D     |   3 wd |        48 h |   20 wd |      7 wd |         2 wd |      3 wd |     3 wd |

The callback (电话回访) delay may be set per grade between 3 and 7 working days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict, Field, ValidationError, field_validator

from .base import Model, empty_dict
from .calendar import BusinessCalendar
from .errors import DomainError, InvalidCommand


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


# --- errors -----------------------------------------------------------------------------


class InvalidSlaPolicy(DomainError, ValueError):
    """The configured policy cannot be used; raised when it is loaded, never later."""

    code = "invalid_sla_policy"


class ExtensionNotLater(InvalidCommand):
    def __init__(self, current_due: datetime):
        super().__init__(
            "the new date must be after the current deadline",
            fields={"new_due": f"must be after {current_due.isoformat()}"},
        )
        self.current_due = current_due


class ExtensionTooLong(InvalidCommand):
    def __init__(self, max_allowed: datetime):
        super().__init__(
            "the extension is longer than allowed",
            fields={"new_due": f"must not be after {max_allowed.isoformat()}"},
        )
        self.max_allowed = max_allowed


# --- limits -----------------------------------------------------------------------------


class Limits(Model):
    """Limits for one grade; `*_days` are working days, `*_hours` run on the clock."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    acceptance_days: int = Field(ge=0)
    first_contact_hours: float = Field(gt=0)
    resolution_days: int = Field(ge=0)
    follow_up_delay_days: int = Field(ge=0)
    follow_up_reply_days: int = Field(default=2, ge=0)
    extension_cap_days: int = Field(default=3, ge=0)
    callback_delay_days: int = Field(default=3, ge=3, le=7)  # 电话回访 after resolution
    info_request_days: int = Field(default=5, ge=1, le=60)  # 补正期限 (INFO_REQUEST_DAYS)

    def patched(self, patch: LimitsPatch | None) -> Limits:
        if patch is None:
            return self
        return Limits.model_validate(self.model_dump() | patch.model_dump(exclude_unset=True))


class LimitsPatch(Model):
    """Some fields of Limits, for overrides; an explicit null is refused by Limits."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    acceptance_days: int | None = Field(default=None, ge=0)
    first_contact_hours: float | None = Field(default=None, gt=0)
    resolution_days: int | None = Field(default=None, ge=0)
    follow_up_delay_days: int | None = Field(default=None, ge=0)
    follow_up_reply_days: int | None = Field(default=None, ge=0)
    extension_cap_days: int | None = Field(default=None, ge=0)
    callback_delay_days: int | None = Field(default=None, ge=3, le=7)
    info_request_days: int | None = Field(default=None, ge=1, le=60)


DEFAULT_LIMITS: dict[Grade, Limits] = {
    Grade.A: Limits(
        acceptance_days=1, first_contact_hours=12, resolution_days=5, follow_up_delay_days=3
    ),
    Grade.B: Limits(
        acceptance_days=1, first_contact_hours=24, resolution_days=10, follow_up_delay_days=3
    ),
    Grade.C: Limits(
        acceptance_days=3, first_contact_hours=24, resolution_days=15, follow_up_delay_days=5
    ),
    Grade.D: Limits(
        acceptance_days=3, first_contact_hours=48, resolution_days=20, follow_up_delay_days=7
    ),
}

_OVERRIDE_KEY = re.compile(r"^(kind|category):\S.*$")


class SlaPolicy(Model):
    """Limits per grade, optionally overridden per kind ("kind:<k>") or category
    ("category:<c>"). Both may apply: the kind override first, then the category one, so
    a category, being the finer classification, wins where both set the same field."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    grades: dict[Grade, Limits] = Field(default_factory=lambda: dict(DEFAULT_LIMITS))
    overrides: dict[str, dict[Grade, LimitsPatch]] = Field(default_factory=empty_dict)

    @field_validator("grades")
    @classmethod
    def _every_grade(cls, grades: dict[Grade, Limits]) -> dict[Grade, Limits]:
        missing = [g.value for g in Grade if g not in grades]
        if missing:
            raise ValueError(f"no limits for grades {missing}")
        return grades

    @field_validator("overrides")
    @classmethod
    def _keys(cls, overrides: dict[str, Any]) -> dict[str, Any]:
        bad = [k for k in overrides if not _OVERRIDE_KEY.match(k)]
        if bad:
            raise ValueError(f"override keys must be 'kind:<k>' or 'category:<c>': {bad}")
        return overrides

    @classmethod
    def from_dict(cls, config: dict[str, Any]) -> SlaPolicy:
        """Load configuration; each grade given is a patch over that grade's defaults."""
        try:
            parsed = _PolicyConfig.model_validate(config)
            grades = {g: DEFAULT_LIMITS[g].patched(parsed.grades.get(g)) for g in Grade}
            return cls(grades=grades, overrides=parsed.overrides)
        except ValidationError as exc:
            raise InvalidSlaPolicy(f"invalid SLA policy: {exc}") from exc

    def limits_for(
        self, grade: Grade | str, kind: str | None = None, category: str | None = None
    ) -> Limits:
        grade = Grade(grade)
        limits = self.grades[grade]
        for key in (f"kind:{kind}" if kind else None, f"category:{category}" if category else None):
            if key in self.overrides:
                limits = limits.patched(self.overrides[key].get(grade))
        return limits


class _PolicyConfig(Model):
    model_config = ConfigDict(extra="forbid")

    grades: dict[Grade, LimitsPatch] = Field(default_factory=empty_dict)
    overrides: dict[str, dict[Grade, LimitsPatch]] = Field(default_factory=empty_dict)


# --- deadlines --------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadlines:
    acceptance_due: datetime
    first_contact_due: datetime
    resolution_due: datetime


def compute_deadlines(
    received_at: datetime, limits: Limits, calendar: BusinessCalendar
) -> Deadlines:
    return Deadlines(
        acceptance_due=calendar.working_days_deadline(received_at, limits.acceptance_days),
        first_contact_due=calendar.hours_deadline(received_at, limits.first_contact_hours),
        resolution_due=calendar.working_days_deadline(received_at, limits.resolution_days),
    )


def follow_up_due(resolved_at: datetime, limits: Limits, calendar: BusinessCalendar) -> datetime:
    return calendar.working_days_deadline(resolved_at, limits.follow_up_delay_days)


def follow_up_reply_due(
    message_left_at: datetime, limits: Limits, calendar: BusinessCalendar
) -> datetime:
    """After this, a follow-up left unanswered lets the case be closed."""
    return calendar.working_days_deadline(message_left_at, limits.follow_up_reply_days)


def reminder_time(period_start: datetime, due: datetime, fraction: float = 0.75) -> datetime:
    """When `fraction` of the period has elapsed, in plain clock time.

    Clock time rather than business time: reminders are held back to business hours
    anyway (BusinessCalendar.next_business_time), and a clock fraction needs no calendar.
    """
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must be between 0 and 1")
    start, end = period_start.astimezone(UTC), due.astimezone(UTC)
    if end < start:
        raise ValueError("due must not be before the period start")
    return (start + (end - start) * fraction).astimezone(due.tzinfo)


def shift_for_pause(
    deadlines: Deadlines,
    paused_from: datetime,
    paused_until: datetime,
    calendar: BusinessCalendar,
) -> Deadlines:
    """Move the deadlines still pending when the pause began (due after `paused_from`).

    Working-day deadlines move by the business time the pause covered; the first-contact
    deadline runs on the clock, so it moves by the plain length of the pause. Deadlines
    already past when the pause began stay where they are: pausing cannot cure lateness.
    """
    if paused_until < paused_from:
        raise ValueError("a pause cannot end before it starts")
    worked = calendar.working_time_between(paused_from, paused_until)
    elapsed = paused_until.astimezone(UTC) - paused_from.astimezone(UTC)

    def by_business_time(due: datetime) -> datetime:
        return calendar.add_working_time(due, worked) if due > paused_from else due

    def by_clock(due: datetime) -> datetime:
        return calendar.local(due.astimezone(UTC) + elapsed) if due > paused_from else due

    return replace(
        deadlines,
        acceptance_due=by_business_time(deadlines.acceptance_due),
        first_contact_due=by_clock(deadlines.first_contact_due),
        resolution_due=by_business_time(deadlines.resolution_due),
    )


def extend(
    resolution_due: datetime, new_due: datetime, limits: Limits, calendar: BusinessCalendar
) -> datetime:
    """Check an extension (延期) and return the new deadline in the calendar's zone.

    The new date must be later than the current one and no later than the close of
    business on the `extension_cap_days`-th working day after the current deadline's day.
    """
    if new_due <= resolution_due:
        raise ExtensionNotLater(resolution_due)
    due_day = calendar.local(resolution_due).date()
    max_allowed = calendar.closing_time(
        calendar.add_working_days(due_day, limits.extension_cap_days)
    )
    if new_due > max_allowed:
        raise ExtensionTooLong(max_allowed)
    return calendar.local(new_due)
