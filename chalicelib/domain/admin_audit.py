"""The administration audit: who changed what in the organisation's running of the service
(settings, staff accounts, retention, subject access), when, and the difference.

Any admin use case writes one `AuditEntry` in the same transaction as its change
(adapters/admin_audit.py `add_to`), or alone for something that changes nothing (a read of
someone's data: `record`). Entries hold no personal data of complainants: a target names a
record by its key (`settings`, `user:<sub>`, `complaint:<number>`), and `details` only
counts or kinds (a subject access says `by: phone`, never the number).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str  # the staff member's user id (token `sub`)
    roles: tuple[str, ...]
    action: str  # settings.update, user.invite, user.update, retention.anonymise, ...
    target: str  # what was acted on, by its key
    changes: dict[str, list] = field(default_factory=dict)  # {path: [before, after]}
    details: dict[str, Any] = field(default_factory=dict)


def entry(at: datetime, actor, action: str, target: str, **kwargs) -> AuditEntry:
    """An entry for an Actor (domain/actor.py)."""
    roles = tuple(sorted(role.value for role in actor.roles))
    return AuditEntry(
        at=at, actor=actor.user_id, roles=roles, action=action, target=target, **kwargs
    )


def diff(before: Any, after: Any, path: str = "") -> dict[str, list]:
    """What changed between two JSON-like values, by dotted path: {path: [before, after]}.

    Mappings are compared key by key; lists of mappings that carry a `code` by code
    (`departments.sales.active`), other lists as a whole."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: dict[str, list] = {}
        for key in sorted(set(before) | set(after), key=str):
            sub = f"{path}.{key}" if path else str(key)
            changes.update(diff(before.get(key), after.get(key), sub))
        return changes
    if _coded(before) and _coded(after):
        return diff(_by_code(before), _by_code(after), path)
    return {} if before == after else {path: [before, after]}


def _coded(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) and "code" in v for v in value)


def _by_code(items: list[dict]) -> dict:
    return {item["code"]: item for item in items}


AUDIT_CONDITIONS = {"cursor": "only a next_cursor this list returned, for the same month"}
