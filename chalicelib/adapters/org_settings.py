"""The organisation's settings record: pk=SETTINGS, sk=ORG, the whole record as JSON and
its version (the ETag). A replacement is one TransactWriteItems: the record, conditional on
the version read, and its administration audit entry (adapters/admin_audit.py).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.errors import StaleVersion
from .dynamo import Item, conditional_write, get_connection

if TYPE_CHECKING:  # an admin's change only: every request reads the settings, few write them
    from ..domain.admin_audit import AuditEntry

KEY = ("SETTINGS", "ORG")


class SettingsItem(Item):
    """pk=SETTINGS, sk=ORG: the organisation's settings (domain/org_settings.py)."""

    doc = UnicodeAttribute()  # JSON of OrgSettings
    version = NumberAttribute()  # 1 when seeded, +1 per replacement
    updated_at = UnicodeAttribute()
    updated_by = UnicodeAttribute()


def load(consistent: bool = False) -> tuple[dict, int] | None:
    """The record and its version; None before it is seeded. One GetItem."""
    try:
        item = SettingsItem.get(*KEY, consistent_read=consistent)
    except DoesNotExist:
        return None
    return json.loads(item.doc), int(item.version)


def seed(doc: dict, at: datetime) -> tuple[dict, int]:
    """Write the first record unless one exists (the first start); return what is stored."""
    item = _item(doc, 1, at, "seed")
    if conditional_write(item.save, condition=SettingsItem.pk.does_not_exist()):
        return doc, 1
    return load(consistent=True)  # another container seeded it first


def replace(doc: dict, expected: int, entry: AuditEntry) -> int:
    """Replace the record if it is still at `expected`, with its audit entry; the new
    version. StaleVersion when another change came first."""
    from . import admin_audit

    item = _item(doc, expected + 1, entry.at, entry.actor)
    try:
        with TransactWrite(connection=get_connection()) as tx:
            tx.save(item, condition=SettingsItem.version == expected)
            admin_audit.add_to(tx, entry)
    except TransactWriteError as error:
        reasons = [r.code for r in (error.cancellation_reasons or []) if r]
        if "ConditionalCheckFailed" in reasons:
            raise StaleVersion("the settings changed since you read them") from error
        raise
    return expected + 1


def _item(doc: dict, version: int, at: datetime, by: str) -> SettingsItem:
    return SettingsItem(
        *KEY,
        doc=json.dumps(doc, ensure_ascii=False, sort_keys=True),
        version=version,
        updated_at=at.astimezone(UTC).isoformat(),
        updated_by=by,
    )
