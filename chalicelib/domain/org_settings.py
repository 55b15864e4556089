"""The organisation's settings (issue 21): what an admin changes from the console without a
redeploy. One record, replaced whole and validated whole (`validate_settings` names every
bad field). Pure: the record is read and written by adapters/org_settings.py.

Categories and departments are never deleted while cases may use them: retiring one
(`active: false`) keeps its names for those cases and reports and only stops new use.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, ValidationError

from .base import Model, empty_list
from .email_address import EmailAddress
from .errors import InvalidCommand

CODE_PATTERN = r"^[a-z][a-z0-9_]{0,49}$"
Code = Annotated[str, Field(pattern=CODE_PATTERN, description="a key, e.g. after_sales")]
Name = Annotated[str, Field(min_length=1, max_length=60, pattern=r"\S")]
GRADES = ("A", "B", "C", "D")
SLOTS = ("morning", "afternoon", "evening")
CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
Clock = Annotated[
    str,
    Field(pattern=CLOCK_PATTERN, description="HH:MM, 24-hour, in the organisation's time zone"),
]

# Bounds of each limit per grade (DOMAIN.md, "Deadlines"): what the typical limits allow,
# with room on either side for an organisation's own policy. Working days unless hours.
SLA_BOUNDS: dict[str, tuple[float, float]] = {
    "acceptance_days": (1, 7),  # 1-3 working days; legal aid 7
    "first_contact_hours": (1, 72),  # 24 hours typical
    "resolution_days": (1, 30),  # 15 or 20, 30 where liability is examined
    "follow_up_delay_days": (3, 7),  # the follow-up visit, 3-7 days after resolution
    "follow_up_reply_days": (1, 5),  # closed without reply after 2 working days
    "extension_cap_days": (0, 3),  # at most 3 working days more
    "callback_delay_days": (3, 7),  # 电话回访
    "info_request_days": (1, 60),  # 补正期限
}
# Higher grades shorten deadlines: A's limits may not exceed B's, and so on.
ORDERED = ("acceptance_days", "first_contact_hours", "resolution_days")


class Strict(Model):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Entry(Strict):
    """A category or a department: its code (kept on cases), its names, whether in use."""

    code: Code
    name_zh: Name
    name_en: Name
    active: bool = True


def _iso_day(value: Any) -> Any:
    """Only a date or its ISO text (YYYY-MM-DD): not a number read as a timestamp."""
    if isinstance(value, date) or (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    ):
        return value
    raise ValueError("must be a date, YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(_iso_day)]


class Hours(Strict):
    """A daily window in the organisation's time zone (business or quiet hours)."""

    start: Clock
    end: Clock

    def times(self) -> tuple[time, time]:
        return time.fromisoformat(self.start), time.fromisoformat(self.end)


class GradeLimits(Strict):
    acceptance_days: int
    first_contact_hours: float
    resolution_days: int
    follow_up_delay_days: int
    follow_up_reply_days: int
    extension_cap_days: int
    callback_delay_days: int
    info_request_days: int


class OrgSettings(Strict):
    """The whole record as an admin sends it (PUT) and reads it (GET, with its ETag)."""

    categories: list[Entry] = Field(min_length=1, max_length=100)
    departments: list[Entry] = Field(min_length=1, max_length=100)
    default_department: Code
    sla: dict[Literal["A", "B", "C", "D"], GradeLimits]
    callback_slots: list[Literal["morning", "afternoon", "evening"]] = Field(min_length=1)
    sms_daily_cap: int = Field(ge=0, le=1_000_000)
    report_recipients: list[EmailAddress] = Field(default_factory=empty_list, max_length=50)
    report_language: Literal["zh-CN", "en"] = "zh-CN"
    info_request_expiry: Literal["withdraw", "resume"] = "withdraw"
    retention_years: int = Field(default=3, ge=1, le=30)
    business_hours: Hours = Field(
        description="each working day's hours: working-day deadlines end at `end`, staff "
        "notices wait for them, working time counts only within them; start before end"
    )
    quiet_hours: Hours | None = Field(
        default=None,
        description="when the scheduled job starts no message to complainants: every day "
        "from `start` to `end` (may span midnight; start and end differ); null: outside "
        "business hours, as before the setting existed",
    )
    extra_days_off: list[Day] = Field(
        default_factory=empty_list,
        max_length=400,
        description="days off besides the public holidays (调休 rest days), YYYY-MM-DD",
    )
    extra_working_days: list[Day] = Field(
        default_factory=empty_list,
        max_length=400,
        description="weekend days that are working days (调休 make-up days), YYYY-MM-DD; "
        "none also in extra_days_off",
    )

    # -- what the service reads ------------------------------------------------------------

    def codes(self, kind: str, active_only: bool = True) -> tuple[str, ...]:
        entries = getattr(self, kind)
        return tuple(e.code for e in entries if e.active or not active_only)

    def names(self, kind: str) -> dict[str, dict[str, str]]:
        """{code: {"zh-CN": ..., "en": ...}} for every entry, retired ones included."""
        return {e.code: {"zh-CN": e.name_zh, "en": e.name_en} for e in getattr(self, kind)}

    def name(self, kind: str, code: str, lang: str) -> str:
        """An entry's name in a language; an unknown code is shown as itself."""
        for entry in getattr(self, kind):
            if entry.code == code:
                return entry.name_en if lang == "en" else entry.name_zh
        return code

    def sla_config(self) -> dict[str, Any]:
        """The policy in the shape SlaPolicy.from_dict takes."""
        return {"grades": {grade: limits.model_dump() for grade, limits in self.sla.items()}}

    def calendar(self, country: str, timezone: str):
        """The business calendar of these settings, with the deployment's holiday country
        and time zone (both stay in the environment)."""
        from .calendar import BusinessCalendar

        start, end = self.business_hours.times()
        return BusinessCalendar(
            country=country,
            extra_days_off=frozenset(self.extra_days_off),
            extra_working_days=frozenset(self.extra_working_days),
            timezone=timezone,
            business_start=start,
            business_end=end,
        )

    def quiet_until(self, now: datetime, calendar) -> datetime | None:
        """When complainants' quiet hours end, if `now` is in them; None if it is not.
        Without quiet hours of its own the organisation is quiet outside business hours."""
        if self.quiet_hours is None:
            if calendar.is_business_time(now):
                return None
            return calendar.next_business_time(now)
        start, end = self.quiet_hours.times()
        local = calendar.local(now)
        ends_today = datetime.combine(local.date(), end, tzinfo=calendar.tz)
        if start < end:
            return ends_today if start <= local.time() < end else None
        if local.time() < end:
            return ends_today  # the part after midnight
        if local.time() >= start:
            return ends_today + timedelta(days=1)
        return None


def validate_settings(body: Any) -> OrgSettings:
    """The record, or InvalidCommand naming every bad field (dotted paths)."""
    try:
        settings = OrgSettings.model_validate(body)
    except ValidationError as exc:
        raise InvalidCommand("invalid settings", _fields(exc)) from exc
    errors = _rules(settings)
    if errors:
        raise InvalidCommand("invalid settings", errors)
    return settings


def _fields(exc: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in exc.errors():
        path = ".".join(str(part) for part in error["loc"]) or "body"
        fields.setdefault(path, error["msg"])
    return fields


def _rules(settings: OrgSettings) -> dict[str, str]:
    """What no single field can say: unique codes, the default department, SLA bounds."""
    errors: dict[str, str] = {}
    for kind in ("categories", "departments"):
        seen: set[str] = set()
        for index, entry in enumerate(getattr(settings, kind)):
            if entry.code in seen:
                errors[f"{kind}.{index}.code"] = f"{entry.code!r} appears twice"
            seen.add(entry.code)
        if not settings.codes(kind):
            errors[kind] = "at least one must be active"
    if settings.default_department not in settings.codes("departments"):
        errors["default_department"] = "must be an active department"
    missing = [grade for grade in GRADES if grade not in settings.sla]
    if missing:
        errors["sla"] = f"needs every grade: missing {', '.join(missing)}"
    errors.update(_sla_bounds(settings))
    if len(set(settings.callback_slots)) != len(settings.callback_slots):
        errors["callback_slots"] = "each slot once"
    errors.update(_calendar_rules(settings))
    return errors


def _calendar_rules(settings: OrgSettings) -> dict[str, str]:
    """Business hours start before they end; quiet hours are not empty; no day twice, and
    none both off and working."""
    errors: dict[str, str] = {}
    start, end = settings.business_hours.times()
    if not start < end:
        errors["business_hours.end"] = "must be after the start"
    quiet = settings.quiet_hours
    if quiet is not None and quiet.start == quiet.end:
        errors["quiet_hours.end"] = "must differ from the start"
    off = set(settings.extra_days_off)
    for kind in ("extra_days_off", "extra_working_days"):
        seen: set[date] = set()
        for index, day in enumerate(getattr(settings, kind)):
            if day in seen:
                errors[f"{kind}.{index}"] = f"{day} appears twice"
            elif kind == "extra_working_days" and day in off:
                errors[f"{kind}.{index}"] = f"{day} is also a day off"
            seen.add(day)
    return errors


def _sla_bounds(settings: OrgSettings) -> dict[str, str]:
    errors: dict[str, str] = {}
    for grade, limits in settings.sla.items():
        for field, (low, high) in SLA_BOUNDS.items():
            value = getattr(limits, field)
            if not low <= value <= high:
                errors[f"sla.{grade}.{field}"] = f"must be between {low:g} and {high:g}"
    for field in ORDERED:
        graded = [(g, getattr(settings.sla[g], field)) for g in GRADES if g in settings.sla]
        for (higher, short), (lower, long) in zip(graded, graded[1:], strict=False):
            if short > long:
                errors.setdefault(
                    f"sla.{higher}.{field}", f"a higher grade may not exceed grade {lower}"
                )
    return errors


def retire_keeps_codes(before: OrgSettings, after: OrgSettings) -> dict[str, str]:
    """A category or department that existed must stay in the record (retired, not
    deleted): cases and reports keep showing its names."""
    errors: dict[str, str] = {}
    for kind in ("categories", "departments"):
        kept = set(after.codes(kind, active_only=False))
        gone = [code for code in before.codes(kind, active_only=False) if code not in kept]
        if gone:
            errors[kind] = f"retire instead of removing (active: false): {', '.join(gone)}"
    return errors
