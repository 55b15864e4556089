"""Personal-data retention (issue 21 item 6): the scheduled job anonymises cases that became
final more than `retention_years` ago (docs/retention.md says what is kept and why).

Bounded: one Query of the sparse `by_closed` index names at most RETENTION_BATCH cases,
oldest first; each case is read with one Query of its own partition. Per case, in an order
that makes every step safe to repeat:
1. its events and outbox entries are rewritten without the complainant's contact details
   (overwrites: a second run writes the same texts),
2. every version of its files is deleted from the versioned bucket,
3. one transaction on the version read commits the anonymised record (out of the index),
   its `anonymised` audit event and the deletion of its identity lookup rows.
A run that dies before 3 leaves the case in the index and the next run does it again;
of two overlapping runs exactly one commits 3 (the other's version check fails), so the
audit trail records the anonymisation once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..domain import retention
from ..domain.actor import Actor
from ..domain.errors import StaleVersion
from .context import Services

RETENTION_BATCH = 25  # cases per run; the 5-minute schedule works through a backlog
SYSTEM = Actor(user_id="scheduler", name="scheduler")


@dataclass
class RetentionReport:
    due: int = 0  # cases the index named this run
    anonymised: int = 0
    skipped_stale: int = 0  # changed meanwhile (an overlapping run anonymised it)
    files_deleted: int = 0  # object versions and delete markers
    items_read: int = 0  # index rows and partition items read
    numbers: list[str] = field(default_factory=list)


def retention_years(services: Services) -> int:
    """RETENTION_YEARS from the organisation's settings record (issue 21 item 1: seeded
    from the environment's RETENTION_YEARS, changed by an admin), else the configuration."""
    years = getattr(services.org, "retention_years", None)
    return int(years or services.settings.retention_years)


def anonymise_due(services: Services, now: datetime, limit: int = RETENTION_BATCH):
    from ..adapters import retention as store

    report = RetentionReport()
    cutoff = retention.cutoff(now, retention_years(services)).astimezone(UTC).isoformat()
    numbers, read = store.closed_before(cutoff, limit)
    report.due, report.items_read = len(numbers), read
    for number in numbers:
        try:
            done = anonymise_case(number, now, services, report)
        except StaleVersion:
            report.skipped_stale += 1
            continue
        except Exception:  # noqa: BLE001 - one case must not stop the others
            from ..observability import logger

            logger().exception("anonymising failed; the next run tries again", number=number)
            continue
        if done:
            report.anonymised += 1
            report.numbers.append(number)
    return report


def anonymise_case(number: str, now: datetime, services: Services, report) -> bool:
    from ..adapters import retention as store
    from ..adapters.dynamo import ComplaintItem

    items, read = store.load_case(number)
    report.items_read += read
    meta = next((raw for raw in items if raw["sk"]["S"] == "META"), None)
    if meta is None:
        return False
    complaint = ComplaintItem.from_raw_data(meta).to_complaint()
    if complaint.is_open or complaint.anonymised_at is not None:
        return False  # reopened, or done: its next save takes it out of the index
    known = retention.known_values(complaint)
    store.rewrite_texts(items, _event_redactor(known), _entry_redactor(known))
    report.files_deleted += store.delete_files([file.key for file in complaint.attachments])
    details = retention.anonymise(complaint, now)
    complaint.attachments = []
    complaint.record(
        retention.ANONYMISED_EVENT,
        now,
        actor=SYSTEM.user_id,
        actor_role="system",
        details={**details, "retention_years": retention_years(services)},
    )
    services.complaints.save_anonymised(
        complaint, store.identity_lookup_rows(items), _admin_audit(complaint, now, details)
    )
    return True


def _event_redactor(known: list[str]):
    def redact(kind: str, role: str, details: dict, changes: dict) -> tuple[dict, dict]:
        if kind in retention.COMPLAINANT_TEXT_EVENTS or role == "complainant":
            details = retention.redact_details(details, known)
        else:  # staff's own words stay; only the complainant's values leave them
            details = _replace_known(details, known)
        return details, _replace_known(changes, known)

    return redact


def _entry_redactor(known: list[str]):
    def redact(audience: str, recipient: str, subject: str, body: str):
        if audience == "complainant":
            recipient = retention.REDACTED
        return recipient, _replace_known(subject, known), _replace_known(body, known)

    return redact


def _replace_known(value, known: list[str]):
    if isinstance(value, str):
        for text in sorted((v for v in known if len(v) > 1), key=len, reverse=True):
            value = value.replace(text, retention.REDACTED)
        return value
    if isinstance(value, dict):
        return {name: _replace_known(v, known) for name, v in value.items()}
    if isinstance(value, list):
        return [_replace_known(v, known) for v in value]
    return value


def _admin_audit(complaint, now: datetime, details: dict):
    """The administration audit entry (GET /staff/admin/audit), in the same transaction."""
    from ..adapters import admin_audit
    from ..domain.admin_audit import entry

    record = entry(
        now,
        SYSTEM,
        "retention.anonymise",
        f"complaint:{complaint.number}",
        details={"fields": details["fields"], "attachments": details["attachments"]},
    )
    return lambda tx: admin_audit.add_to(tx, record)
