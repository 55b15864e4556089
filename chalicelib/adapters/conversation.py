"""The conversation's reads and the complainant's read receipts, on the complaint's own
partition (pk = C#<number>): one Query returns the record, its audit events (the thread
is made of them), its outbox entries (each message's delivery state) and the SEEN item.

Sort keys: "EV#..." < "META" < "OUT#..." < "SEEN", so `sk BETWEEN "EV#" AND "SEEN"`
covers them all and nothing of another partition.
"""

from __future__ import annotations

from datetime import datetime

from . import aws
from .dynamo import TABLE_NAME, ComplaintItem, EventItem, OutboxItem

SEEN = "SEEN"


def load_thread(number: str, to_event, to_entry):
    """(complaint, events, outbox entries, {message id: first view}) in one Query."""
    complaint, events, entries, views = None, [], [], {}
    rows = ComplaintItem._get_connection().query(
        f"C#{number}",
        range_key_condition=ComplaintItem.sk.between("EV#", SEEN),
        consistent_read=True,
    )
    for raw in _all_pages(rows, number):
        sk = raw["sk"]["S"]
        if sk == "META":
            complaint = ComplaintItem.from_raw_data(raw).to_complaint()
        elif sk.startswith("EV#"):
            events.append(to_event(EventItem.from_raw_data(raw)))
        elif sk.startswith("OUT#"):
            entries.append(to_entry(OutboxItem.from_raw_data(raw)))
        elif sk == SEEN:
            views = {
                name[2:]: datetime.fromisoformat(value["S"])
                for name, value in raw.items()
                if name.startswith("m_")
            }
    return complaint, events, entries, views


def _all_pages(first: dict, number: str):
    yield from first.get("Items", [])
    last = first.get("LastEvaluatedKey")
    while last:  # a long thread: the partition is the case's, so this stays bounded by it
        page = ComplaintItem._get_connection().query(
            f"C#{number}",
            range_key_condition=ComplaintItem.sk.between("EV#", SEEN),
            consistent_read=True,
            exclusive_start_key=last,
        )
        yield from page.get("Items", [])
        last = page.get("LastEvaluatedKey")


def record_views(number: str, message_ids: list[str], at: datetime) -> None:
    """The complainant's first view of each message: one UpdateItem that keeps an earlier
    view (if_not_exists), so views are recorded once whatever the order of requests."""
    if not message_ids:
        return
    names = {f"#m{index}": f"m_{mid}" for index, mid in enumerate(message_ids)}
    sets = ", ".join(f"{name} = if_not_exists({name}, :at)" for name in names)
    aws.client("dynamodb").update_item(
        TableName=TABLE_NAME,
        Key={"pk": {"S": f"C#{number}"}, "sk": {"S": SEEN}},
        UpdateExpression=f"SET {sets}",
        ExpressionAttributeNames=names,
        ExpressionAttributeValues={":at": {"S": at.isoformat()}},
    )
