"""The dependencies a use case runs with; the composition root builds the real ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Settings
from .org_settings import Loaded, SettingsCache
from .ports import Clock, Complaints, Limits, Notifier


@dataclass
class Services:
    settings: Settings
    complaints: Complaints
    notifier: Notifier
    clock: Clock
    limits: Limits | None = None  # acknowledgement limits and suppressions; None: none
    # The organisation's settings (service/org_settings.py): one copy per container.
    settings_cache: SettingsCache = field(default_factory=SettingsCache)

    @property
    def calendar(self):
        """The business calendar of the settings' current version (built once per version:
        hours and extra days are settings; the holiday country and time zone are not)."""
        return self.org_loaded.calendar

    @property
    def org_loaded(self) -> Loaded:
        """The settings record and its version, from the container's copy."""
        return self.settings_cache.current(self.clock)

    @property
    def org(self):
        """The organisation's settings (domain/org_settings.py OrgSettings)."""
        return self.org_loaded.settings

    @property
    def sla(self):
        return self.org_loaded.sla

    def sms_gate(self):
        """The SMS opt-out list and daily cap (created on first use)."""
        from ..adapters.sms import DynamoSmsGate

        return DynamoSmsGate(lambda: self.org.sms_daily_cap, lambda: self.calendar)

    @property
    def track_url(self) -> str:
        return f"{self.settings.public_base_url.rstrip('/')}/track"
