"""The composition root: real adapters for the running service, swappable in tests."""

from __future__ import annotations

from .loading import long_lived
from .service.context import Clock, Services

_services: Services | None = None
# The clock of services built from now on; None: the system clock. Only tests and the local
# stack (scripts/serve_local.py, scripts/run_jobs.py) set it; a deployed function never does.
_clock: Clock | None = None


def get_services() -> Services:
    global _services
    if _services is None:
        with long_lived("services"):
            _services = build_services()
    return _services


def set_services(services: Services | None) -> None:
    global _services
    _services = services


def set_clock(clock: Clock | None) -> None:
    """The clock of services built after this call (None: the system clock)."""
    global _clock
    _clock = clock


def build_services() -> Services:
    from .adapters.clock import SystemClock
    from .adapters.limits import DynamoLimits
    from .adapters.notifier import AwsNotifier
    from .adapters.repository import DynamoComplaints
    from .adapters.sms import DynamoSmsGate, GatedNotifier
    from .config import get_phone_settings, get_settings
    from .domain.limits import recipient_key

    settings = get_settings()
    phone = get_phone_settings()
    limits = DynamoLimits()

    def suppressed(address: str) -> str | None:
        return limits.suppressed(recipient_key(settings.limit_hash_key, "email", address))

    notifier = AwsNotifier(
        settings.ses_sender,
        settings.notify_topic_arn,
        phone.sms_sender_id,
        suppressed,
        sms_signature=phone.sms_signature,
        reply_to=_reply_to(settings),
    )
    services = Services(
        settings=settings,
        complaints=DynamoComplaints(settings.timezone, lambda: services.calendar),
        notifier=notifier,
        clock=_clock or SystemClock(),
        limits=limits,
    )
    # SMS pass the opt-out and the daily cap, judged on the services' clock.
    gate = DynamoSmsGate(lambda: services.org.sms_daily_cap, lambda: services.calendar)
    services.notifier = GatedNotifier(notifier, gate, lambda: services.clock.now())
    return services


def _reply_to(settings):
    """Complainant e-mails carry reply+<token>@INBOUND_DOMAIN when the domain is set."""
    if not settings.inbound_domain:
        return None
    from .domain.reply_address import reply_address

    return lambda number: reply_address(number, settings.inbound_domain, settings.limit_hash_key)
