"""Who performs an action on a complaint, when, and under which calendar and limits.

Apart from domain/handling.py: only the use cases that act on a case build one, so the
first intake does not load it (docs/architecture.md, "Cold start").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .actor import Actor
    from .calendar import BusinessCalendar
    from .sla import Limits, SlaPolicy


@dataclass(frozen=True)
class Context:
    actor: Actor
    at: datetime
    calendar: BusinessCalendar
    limits: Limits
    internal_departments: tuple[str, ...] = ()
    role_name: str | None = None  # e.g. "system" for the scheduler
    policy: SlaPolicy | None = None  # limits of other grades, for a grade change
    info_request_expiry: str = "withdraw"  # INFO_REQUEST_EXPIRY, told with a request

    @property
    def role(self) -> str:
        if self.role_name:
            return self.role_name
        role = self.actor.highest_role() or next(iter(sorted(self.actor.roles)), "staff")
        return str(role)
