"""Settings from the environment, read once per process on first use (not at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from .domain.complaint_input import DEFAULT_CATEGORIES


def _list(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = os.environ.get(name, "")
    items = tuple(item.strip() for item in raw.split(",") if item.strip())
    return items or default


@dataclass(frozen=True)
class Settings:
    table_name: str
    idempotency_table: str
    timezone: str
    notify_topic_arn: str
    ses_sender: str
    public_base_url: str
    departments: tuple[str, ...]
    default_department: str
    categories: tuple[str, ...]
    max_body_bytes: int
    holiday_country: str
    # Seeds of the settings record only (service/org_settings.calendar_seed): the service
    # runs on the record's hours and days, which an admin changes without a redeploy.
    extra_days_off: tuple[str, ...]
    extra_working_days: tuple[str, ...]
    business_hours: str
    sla_policy_json: str
    received_since: str = "2020-01-01"
    received_lookback_days: int = 366

    @property
    def received_bounds(self):
        """What received dates intake, lists and Open311 take (domain/received.py)."""
        from datetime import date

        from .domain.received import ReceivedBounds

        return ReceivedBounds(
            since=date.fromisoformat(self.received_since),
            lookback_days=self.received_lookback_days,
            timezone=self.timezone,
        )

    # Acknowledgement limits (domain/limits.py) and the key of their hashes.
    ack_limit_per_recipient_day: int = 3
    ack_limit_per_source_hour: int = 10
    intake_limit_per_source_hour: int = 30
    limit_hash_key: str = "local-only-limit-key"
    # The conversation (issue 17): what an unanswered request for information leads to
    # (withdraw | resume), the complainant's replies per case per day, the mail domain
    # replies are addressed to (reply+<token>@INBOUND_DOMAIN).
    info_request_expiry: str = "withdraw"
    public_messages_per_day: int = 20
    inbound_domain: str = ""
    # Personal-data retention (domain/retention.py): years after a case became final.
    retention_years: int = 3


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    departments = _list("DEPARTMENTS", ("service",))
    return Settings(
        table_name=os.environ.get("TABLE_NAME", "complaints"),
        idempotency_table=os.environ.get("IDEMPOTENCY_TABLE", "complaints-idempotency"),
        timezone=os.environ.get("ORG_TIMEZONE", "Asia/Shanghai"),
        notify_topic_arn=os.environ.get("NOTIFY_TOPIC_ARN", ""),
        ses_sender=os.environ.get("SES_SENDER", "complaints@example.org"),
        public_base_url=os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
        departments=departments,
        default_department=os.environ.get("DEFAULT_DEPARTMENT", departments[0]),
        categories=_list("CATEGORIES", DEFAULT_CATEGORIES),
        max_body_bytes=int(os.environ.get("MAX_BODY_BYTES", str(256 * 1024))),
        holiday_country=os.environ.get("HOLIDAY_COUNTRY", "CN"),
        extra_days_off=_list("EXTRA_DAYS_OFF", ()),
        extra_working_days=_list("EXTRA_WORKING_DAYS", ()),
        business_hours=os.environ.get("BUSINESS_HOURS", "09:00-18:00"),
        sla_policy_json=os.environ.get("SLA_POLICY", ""),
        # The first day of the organisation's records (older letters included), and how
        # far back staff may date a complaint they take down later.
        received_since=os.environ.get("RECEIVED_SINCE", "2020-01-01"),
        received_lookback_days=int(os.environ.get("RECEIVED_LOOKBACK_DAYS", "366")),
        ack_limit_per_recipient_day=int(os.environ.get("ACK_LIMIT_PER_RECIPIENT_DAY", "3")),
        ack_limit_per_source_hour=int(os.environ.get("ACK_LIMIT_PER_SOURCE_HOUR", "10")),
        intake_limit_per_source_hour=int(os.environ.get("INTAKE_LIMIT_PER_SOURCE_HOUR", "30")),
        limit_hash_key=os.environ.get("LIMIT_HASH_KEY") or "local-only-limit-key",
        retention_years=int(os.environ.get("RETENTION_YEARS") or 3),
        info_request_expiry=_expiry(os.environ.get("INFO_REQUEST_EXPIRY", "withdraw")),
        public_messages_per_day=int(os.environ.get("PUBLIC_MESSAGES_PER_DAY", "20")),
        inbound_domain=os.environ.get("INBOUND_DOMAIN", ""),
    )


def _expiry(value: str) -> str:
    from .domain.conversation import Expiry

    return Expiry(value.strip() or "withdraw").value  # an unknown value fails at start


@lru_cache(maxsize=1)
def get_calendar():
    """The business calendar as the environment describes it (BUSINESS_HOURS,
    EXTRA_DAYS_OFF, EXTRA_WORKING_DAYS): what the settings record is seeded with. The
    service runs on the settings' calendar (Services.calendar); this one serves only code
    given no calendar (a bare repository in a script or test)."""
    from datetime import date, time

    from .domain.calendar import BusinessCalendar

    settings = get_settings()
    start, end = (time.fromisoformat(part) for part in settings.business_hours.split("-"))
    return BusinessCalendar(
        country=settings.holiday_country,
        extra_days_off=frozenset(date.fromisoformat(d) for d in settings.extra_days_off),
        extra_working_days=frozenset(date.fromisoformat(d) for d in settings.extra_working_days),
        timezone=settings.timezone,
        business_start=start,
        business_end=end,
    )


@lru_cache(maxsize=1)
def get_sla_policy():
    """SLA limits per grade: defaults from DOMAIN.md, overridden by SLA_POLICY (JSON)."""
    import json

    from .domain.sla import SlaPolicy

    raw = get_settings().sla_policy_json
    config = json.loads(raw) if raw else {}
    days = os.environ.get("INFO_REQUEST_DAYS", "").strip()
    if days:
        # The organisation's default time to reply by; a grade's own setting wins.
        grades = config.setdefault("grades", {})
        for grade in ("A", "B", "C", "D"):
            grades.setdefault(grade, {}).setdefault("info_request_days", int(days))
    return SlaPolicy.from_dict(config) if config else SlaPolicy()


@dataclass(frozen=True)
class PhoneSettings:
    """SMS and callbacks (回访 by phone)."""

    sms_daily_cap: int  # SMS per organisation per day; beyond it they wait in the outbox
    sms_sender_id: str  # SNS SenderID where the country supports one ("" for none)
    sms_signature: str  # 【...】 at the start of every SMS, as registered ("" for none)
    callback_roles: tuple[str, ...]  # roles that make callbacks and see the list
    callback_slots: tuple[str, ...]  # slots the organisation calls in, in order
    callback_attempts: int  # unanswered calls before a message is left


@lru_cache(maxsize=1)
def get_phone_settings() -> PhoneSettings:
    from .domain.actor import Role
    from .domain.callbacks import Slot
    from .domain.sms import check_signature

    roles = _list("CALLBACK_ROLES", ("intake_agent", "quality"))
    slots = _list("CALLBACK_SLOTS", ("morning", "afternoon"))
    for role in roles:
        Role(role)  # an unknown name fails at start, not on the first callback
    for slot in slots:
        Slot(slot)
    return PhoneSettings(
        sms_daily_cap=int(os.environ.get("SMS_DAILY_CAP", "500")),
        sms_sender_id=os.environ.get("SMS_SENDER_ID", ""),
        # A malformed signature fails at start, not as texts the carriers silently refuse.
        sms_signature=check_signature(signature) if (signature := _sms_signature()) else "",
        callback_roles=roles,
        callback_slots=slots,
        callback_attempts=max(1, int(os.environ.get("CALLBACK_ATTEMPTS", "3"))),
    )


def _sms_signature() -> str:
    return os.environ.get("SMS_SIGNATURE", "").strip()


def report_recipients() -> tuple[str, ...]:
    """Who gets the monthly report (REPORT_RECIPIENTS, comma-separated); none: not sent."""
    return _list("REPORT_RECIPIENTS", ())


def report_language() -> str:
    """Language of the monthly report (REPORT_LANGUAGE: zh-CN or en)."""
    return "en" if os.environ.get("REPORT_LANGUAGE", "zh-CN") == "en" else "zh-CN"
