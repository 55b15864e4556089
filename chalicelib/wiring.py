"""The composition root: real adapters for the running service, swappable in tests."""

from __future__ import annotations

from .service.context import Services

_services: Services | None = None


def get_services() -> Services:
    global _services
    if _services is None:
        _services = build_services()
    return _services


def set_services(services: Services | None) -> None:
    global _services
    _services = services


def build_services() -> Services:
    from .adapters.clock import SystemClock
    from .adapters.notifier import AwsNotifier
    from .adapters.repository import DynamoComplaints
    from .config import get_settings

    settings = get_settings()
    return Services(
        settings=settings,
        complaints=DynamoComplaints(settings.timezone),
        notifier=AwsNotifier(settings.ses_sender, settings.notify_topic_arn),
        clock=SystemClock(),
    )
