"""Domain events: each change to a complaint is recorded as one, and kept as its audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Events the complainant sees on their timeline; all others are internal.
PUBLIC_EVENTS = frozenset(
    {
        "received",
        "accepted",
        "not_accepted",
        "transferred",
        "assigned",
        "in_progress",
        "waiting_for_complainant",
        "resolved",
        "closed",
        "reopened",
        "withdrawn",
        "extension_approved",
        "recomplained",
        "resumed",
        "follow_up_sent",
        "survey_answered",
    }
)


@dataclass(frozen=True)
class DomainEvent:
    type: str
    at: datetime
    actor: str = "system"
    actor_role: str = "system"
    changes: dict[str, list[Any]] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def public(self) -> bool:
        return self.type in PUBLIC_EVENTS
