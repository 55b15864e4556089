"""Retention's storage side (issue 21 item 6): the sparse `by_closed` index, one case's
partition, its files in the versioned bucket, and its texts rewritten without the
complainant's contact details.

`by_closed`: `closed_pk` = "CLOSED", `closed_sk` = "<final UTC ISO>#<number>", set on a
complaint item only while the case is final and not yet anonymised (repository._to_item),
so a Query reads only cases past retention and never the open or anonymised ones.
"""

from __future__ import annotations

import json

from . import aws
from .dynamo import ComplaintItem, EventItem, OutboxItem

CLOSED = "CLOSED"
IDENTITY_LOOKUPS = ("phone#", "email#", "tracking_token#")


def closed_before(cutoff_iso: str, limit: int) -> tuple[list[str], int]:
    """(numbers, rows read): the oldest final cases closed before the cutoff, at most
    `limit`: one Query of the sparse index."""
    rows = ComplaintItem._get_connection().query(
        CLOSED,
        range_key_condition=ComplaintItem.closed_sk < cutoff_iso,
        index_name="by_closed",
        limit=limit,
    )
    items = rows.get("Items", [])
    return [raw["closed_sk"]["S"].rsplit("#", 1)[1] for raw in items], len(items)


def load_case(number: str) -> tuple[list[dict], int]:
    """Every item of the case's partition (record, events, outbox, lookup rows, views):
    one Query, paged only for a case with a very long history."""
    connection = ComplaintItem._get_connection()
    items: list[dict] = []
    kwargs: dict = {"consistent_read": True}
    while True:
        page = connection.query(f"C#{number}", **kwargs)
        items += page.get("Items", [])
        last = page.get("LastEvaluatedKey")
        if not last:
            return items, len(items)
        kwargs["exclusive_start_key"] = last


def identity_lookup_rows(items: list[dict]) -> list[tuple[str, str]]:
    """The keys of the rows that find the case by the complainant's phone, e-mail or
    tracking token (respondent rows stay: they name who was complained about)."""
    return [
        (raw["pk"]["S"], raw["sk"]["S"])
        for raw in items
        if raw["sk"]["S"].startswith("SEARCH#")
        and raw.get("lookup_pk", {}).get("S", "").startswith(IDENTITY_LOOKUPS)
    ]


def rewrite_texts(items: list[dict], redact_event, redact_entry) -> int:
    """Events and outbox entries rewritten by the given functions (JSON in, JSON out);
    plain overwrites of the same texts, so a second run writes the same again."""
    changed = []
    for raw in items:
        sk = raw["sk"]["S"]
        if sk.startswith("EV#"):
            item = EventItem.from_raw_data(raw)
            details, changes = redact_event(
                item.type, item.actor_role, json.loads(item.details), json.loads(item.changes)
            )
            new_details = json.dumps(details, ensure_ascii=False)
            new_changes = json.dumps(changes, ensure_ascii=False)
            if (new_details, new_changes) != (item.details, item.changes):
                item.details, item.changes = new_details, new_changes
                changed.append(item)
        elif sk.startswith("OUT#"):
            item = OutboxItem.from_raw_data(raw)
            texts = redact_entry(item.audience, item.recipient, item.subject, item.body)
            if texts != (item.recipient, item.subject, item.body):
                item.recipient, item.subject, item.body = texts
                changed.append(item)
    if changed:
        with EventItem.batch_write() as batch:
            for item in changed:
                batch.save(item)
    return len(changed)


def delete_files(keys: list[str]) -> int:
    """Every version and delete marker of each key (the bucket is versioned): a plain
    DeleteObject would only hide the file behind a marker. Returns versions deleted."""
    from .attachments import bucket_name

    s3, bucket, deleted = aws.client("s3"), bucket_name(), 0
    for key in keys:
        pages = s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=key)
        for page in pages:
            versions = [
                {"Key": v["Key"], "VersionId": v["VersionId"]}
                for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
                if v["Key"] == key
            ]
            if versions:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": versions, "Quiet": True})
                deleted += len(versions)
    return deleted
