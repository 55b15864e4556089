"""The dependencies a use case runs with; the composition root builds the real ones."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..config import Settings, get_calendar, get_sla_policy
from .ports import Clock, Complaints, Limits, Notifier


@dataclass
class Services:
    settings: Settings
    complaints: Complaints
    notifier: Notifier
    clock: Clock
    limits: Limits | None = None  # acknowledgement limits and suppressions; None: none

    @cached_property
    def calendar(self):
        return get_calendar()

    @cached_property
    def sla(self):
        return get_sla_policy()

    def sms_gate(self):
        """The SMS opt-out list and daily cap (created on first use)."""
        from ..adapters.sms import DynamoSmsGate
        from ..config import get_phone_settings

        return DynamoSmsGate(get_phone_settings().sms_daily_cap, get_calendar)

    @property
    def track_url(self) -> str:
        return f"{self.settings.public_base_url.rstrip('/')}/track"
