"""The organisation's settings: read once per warm container, refreshed within a minute of
a change (REFRESH_SECONDS), seeded from the deployment's configuration on first start;
read and replaced by admins, every change audited.

The hot path never reads the table for them: `current()` answers from the process's copy
and re-reads it (one GetItem) only when that copy is older than REFRESH_SECONDS. A change
made through this container is seen at once; one made through another within a minute.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import cached_property

from ..domain.actor import Actor, Role
from ..domain.errors import Forbidden, InvalidCommand
from ..domain.org_settings import OrgSettings, retire_keeps_codes, validate_settings

REFRESH_SECONDS = 60.0


@dataclass(eq=False)
class Loaded:
    """One version of the record; equal (and hashed) by version, so what is built from it
    (pages, the OpenAPI document) can be cached per version."""

    settings: OrgSettings
    version: int
    read_at: float

    def __eq__(self, other) -> bool:
        return isinstance(other, Loaded) and other.version == self.version

    def __hash__(self) -> int:
        return hash(self.version)

    @cached_property
    def sla(self):
        from ..domain.sla import SlaPolicy

        return SlaPolicy.from_dict(self.settings.sla_config())

    @cached_property
    def calendar(self):
        """The business calendar of this version: its hours and extra days, with the
        deployment's holiday country and time zone."""
        from ..config import get_settings

        deployment = get_settings()
        return self.settings.calendar(deployment.holiday_country, deployment.timezone)


class SettingsCache:
    """The process's copy of the record. `timer` is monotonic seconds (tests set it)."""

    def __init__(self, timer=time.monotonic):
        self.timer = timer
        self._loaded: Loaded | None = None
        self._lock = threading.Lock()

    def current(self, clock) -> Loaded:
        """The container's copy; `clock` dates the record only if this read seeds it."""
        loaded = self._loaded
        if loaded is not None and self.timer() - loaded.read_at < REFRESH_SECONDS:
            return loaded
        with self._lock:
            loaded = self._loaded
            if loaded is None or self.timer() - loaded.read_at >= REFRESH_SECONDS:
                loaded = self._loaded = self._read(clock)
        return loaded

    def put(self, settings: OrgSettings, version: int) -> Loaded:
        self._loaded = Loaded(settings, version, self.timer())
        return self._loaded

    def clear(self) -> None:
        self._loaded = None

    def _read(self, clock) -> Loaded:
        from ..adapters import org_settings as store

        found = store.load()
        if found is None:
            found = store.seed(seed_from_config().model_dump(mode="json"), clock.now())
        doc, version = found
        return Loaded(OrgSettings.model_validate(complete(doc)), version, self.timer())


CACHE = SettingsCache()


# -- the first record: today's configuration ---------------------------------------------

# Names of the demo organisation's codes; any other code is seeded with itself as its
# names, for an admin to rename.
SEED_NAMES = {
    "product_quality": ("产品质量", "Product quality"),
    "service_attitude": ("服务态度", "Service attitude"),
    "service_efficiency": ("服务效率", "Service efficiency"),
    "professional_competence": ("专业能力", "Professional competence"),
    "billing": ("收费", "Billing"),
    "delivery": ("交付", "Delivery"),
    "other": ("其他", "Other"),
    "service": ("客服部", "Service"),
    "sales": ("销售部", "Sales"),
    "quality": ("质量部", "Quality"),
}


def seed_from_config() -> OrgSettings:
    """The record as the environment configured the service until now (CATEGORIES,
    DEPARTMENTS, DEFAULT_DEPARTMENT, SLA_POLICY and INFO_REQUEST_DAYS (per grade),
    INFO_REQUEST_EXPIRY, CALLBACK_SLOTS, SMS_DAILY_CAP, REPORT_RECIPIENTS, REPORT_LANGUAGE,
    RETENTION_YEARS, and the calendar's BUSINESS_HOURS, EXTRA_DAYS_OFF, EXTRA_WORKING_DAYS)."""
    import os

    from ..config import (
        get_phone_settings,
        get_settings,
        get_sla_policy,
        report_language,
        report_recipients,
    )

    settings = get_settings()
    phone = get_phone_settings()
    policy = get_sla_policy()
    return OrgSettings.model_validate(
        {
            "categories": [_entry(code) for code in settings.categories],
            "departments": [_entry(code) for code in settings.departments],
            "default_department": settings.default_department,
            "sla": {g.value: limits.model_dump() for g, limits in policy.grades.items()},
            "callback_slots": list(phone.callback_slots),
            "sms_daily_cap": phone.sms_daily_cap,
            "report_recipients": list(report_recipients()),
            "report_language": report_language(),
            "info_request_expiry": settings.info_request_expiry,
            "retention_years": int(os.environ.get("RETENTION_YEARS", "3") or 3),
            **calendar_seed(),
        }
    )


def calendar_seed() -> dict:
    """The calendar settings as the environment gave them (quiet hours: none of their own,
    i.e. outside business hours, as before they were a setting)."""
    from ..config import get_settings

    settings = get_settings()
    start, end = (part.strip() for part in settings.business_hours.split("-"))
    return {
        "business_hours": {"start": start, "end": end},
        "quiet_hours": None,
        "extra_days_off": list(settings.extra_days_off),
        "extra_working_days": list(settings.extra_working_days),
    }


def complete(doc: dict) -> dict:
    """A record seeded before the calendar was a setting gets today's environment values
    for it, so such a deployment keeps its hours and days until an admin changes them."""
    missing = [key for key in CALENDAR_KEYS if key not in doc]
    if not missing:
        return doc
    seed = calendar_seed()
    return {**doc, **{key: seed[key] for key in missing}}


CALENDAR_KEYS = ("business_hours", "quiet_hours", "extra_days_off", "extra_working_days")


def _entry(code: str) -> dict:
    zh, en = SEED_NAMES.get(code, (code, code.replace("_", " ").capitalize()))
    return {"code": code, "name_zh": zh, "name_en": en, "active": True}


# -- use cases ----------------------------------------------------------------------------


def staff_view(actor: Actor, services) -> dict:
    """What every staff member's console needs: names, codes, what is active."""
    loaded = services.org_loaded
    org = loaded.settings
    return {
        "version": loaded.version,
        "categories": [e.model_dump() for e in org.categories],
        "departments": [e.model_dump() for e in org.departments],
        "default_department": org.default_department,
        "callback_slots": list(org.callback_slots),
        "info_request_days": {g: limits.info_request_days for g, limits in org.sla.items()},
        "info_request_expiry": org.info_request_expiry,
    }


def admin_view(actor: Actor, services) -> dict:
    _admin(actor)
    loaded = services.settings_cache.current(services.clock)
    return {"version": loaded.version, **loaded.settings.model_dump(mode="json")}


def replace(body, expected: int, actor: Actor, services) -> dict:
    """Replace the whole record (If-Match: `expected`) and audit the difference."""
    from ..adapters import org_settings as store
    from ..domain.admin_audit import diff, entry
    from ..domain.errors import StaleVersion

    _admin(actor)
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k != "version"}
    wanted = validate_settings(body)
    now = services.clock.now()
    found = store.load(consistent=True)
    if found is None:  # never read in this table yet: seed it first
        found = store.seed(seed_from_config().model_dump(mode="json"), now)
    doc, version = found
    doc = complete(doc)
    if version != expected:
        raise StaleVersion("the settings changed since you read them; reload")
    before = OrgSettings.model_validate(doc)
    kept = retire_keeps_codes(before, wanted)
    if kept:
        raise InvalidCommand("invalid settings", kept)
    after = wanted.model_dump(mode="json")
    changes = diff(doc, after)
    if changes:
        record = entry(now, actor, "settings.update", "settings", changes=changes)
        version = store.replace(after, expected, record)
    loaded = services.settings_cache.put(wanted, version)
    return {"version": loaded.version, **after}


def audit_list(query: dict, actor: Actor, services) -> dict:
    from ..adapters import admin_audit
    from ..domain.audit_query import AuditQuery

    _admin(actor)
    wanted = AuditQuery.model_validate(query)
    month = wanted.month or services.clock.now().strftime("%Y-%m")
    items, cursor = admin_audit.read(month, wanted.limit, wanted.cursor)
    return {"month": month, "items": items, "next_cursor": cursor}


def _admin(actor: Actor) -> None:
    if not actor.has_role(Role.ADMIN):
        raise Forbidden("only an admin may do this")
