"""The dependencies a use case runs with; the composition root builds the real ones."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Settings
from .ports import Clock, Complaints, Notifier


@dataclass
class Services:
    settings: Settings
    complaints: Complaints
    notifier: Notifier
    clock: Clock

    @property
    def track_url(self) -> str:
        return f"{self.settings.public_base_url.rstrip('/')}/track"
