"""The statistics items in the complaints table (see docs/architecture.md, "Statistics").

| item | pk | sk |
|---|---|---|
| month cell | `STATS#<YYYY-MM>` | `<department>#<kind>#<dimension>#<value>` |
| open cases | `LIVE` | `<YYYY-MM of their last change>#<department>#<kind>#<dimension>#<value>` |
| monthly report sent | `REPORT#<YYYY-MM>` | `OUT#monthly` (an outbox entry) |

Counters are plain number attributes changed with `ADD` inside the command's own
transaction. Reading a month is one Query of its partition plus one of `LIVE` (paged):
the number of items depends on the organisation's departments, kinds, categories,
channels, grades and handlers, never on the number of complaints.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

from pynamodb.attributes import NumberAttribute
from pynamodb.expressions.operand import Path

from .dynamo import Item

LIVE = "LIVE"


class StatsItem(Item):  # on the process's one DynamoDB client
    """A statistics cell: its counters are number attributes named when they are added."""


def item_key(partition: str, cell: str) -> tuple[str, str]:
    if partition.startswith("LIVE#"):
        return LIVE, f"{partition.removeprefix('LIVE#')}#{cell}"
    return partition, cell


def add_to_transaction(tx, increments: dict[tuple[str, str], dict[str, int]]) -> int:
    """One Update with ADD per item; returns how many items it touched."""
    for (partition, cell), counters in sorted(increments.items()):
        pk, sk = item_key(partition, cell)
        actions = [Path(_number(name)).add(value) for name, value in sorted(counters.items())]
        tx.update(StatsItem(pk, sk), actions=actions, add_version_condition=False)
    return len(increments)


def _number(name: str) -> NumberAttribute:
    attribute = NumberAttribute(attr_name=name)
    attribute.attr_name = name
    return attribute


def query(pk: str) -> list[dict]:
    """Every item of one statistics partition, page by page."""
    connection = StatsItem._get_connection()
    items, start = [], None
    while True:
        page = connection.query(pk, exclusive_start_key=start)
        items += page.get("Items", [])
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def _counters(raw: dict) -> Counter:
    return Counter(
        {
            name: int(value["N"])
            for name, value in raw.items()
            if name not in ("pk", "sk") and "N" in value
        }
    )


def read_month(month: str) -> dict[str, Counter]:
    """{cell: counters} of one month."""
    return {raw["sk"]["S"]: _counters(raw) for raw in query(f"STATS#{month}")}


def read_live() -> dict[tuple[str, str], Counter]:
    """{(month of last change, cell): open-case attributes}."""
    result = {}
    for raw in query(LIVE):
        month, cell = raw["sk"]["S"].split("#", 1)
        result[(month, cell)] = _counters(raw)
    return result


def compact_open_cells(before_month: str) -> int:
    """Delete open-case items of months before `before_month` whose counts are all zero.

    Such an item is never written again (a case's open-case entry only moves to the month
    of its latest change), so it would only be read for nothing by every report; the
    delete is conditional on the counts still being zero all the same."""
    from pynamodb.exceptions import DeleteError

    removed = 0
    connection = StatsItem._get_connection()
    for raw in query(LIVE):
        sk = raw["sk"]["S"]
        counters = _counters(raw)
        if sk.split("#", 1)[0] >= before_month or any(counters.values()):
            continue
        condition = None
        for name in counters:
            clause = Path(_number(name)) == 0
            condition = clause if condition is None else condition & clause
        try:
            connection.delete_item(LIVE, sk, condition=condition)
            removed += 1
        except DeleteError:
            pass  # changed meanwhile: kept
    return removed


class Maintenance:
    """What the rebuild command reads and writes (service/rebuild.py). It reads every
    complaint (a Scan of records, a Query of each one's events): offline only."""

    def __init__(self) -> None:
        self.versions: dict[str, int] = {}
        self.stored: dict[str, str | None] = {}

    def histories(self):
        from ..domain.handling import AUDIT_EXCLUDED
        from .dynamo import ComplaintItem, EventItem

        for item in ComplaintItem.scan(ComplaintItem.sk == "META"):
            complaint = item.to_complaint()
            self.versions[complaint.number] = complaint.version
            self.stored[complaint.number] = item.stats
            record = complaint.model_dump(mode="json", exclude=AUDIT_EXCLUDED | {"data"})
            data = complaint.data.model_dump(mode="json", include={"kind", "category"})
            yield complaint.number, record, data, _commits(EventItem, item.pk)

    report_cells = staticmethod(read_month)
    open_cells = staticmethod(read_live)

    def overwrite_cell(self, partition: str, cell: str, counters: dict[str, int]) -> None:
        pk, sk = item_key(partition, cell)
        connection = StatsItem._get_connection()
        values = {name: {"N": str(value)} for name, value in counters.items() if value}
        if not values:
            connection.delete_item(pk, sk)
            return
        connection.put_item(pk, sk, attributes={"pk": {"S": pk}, "sk": {"S": sk}, **values})

    def write_booking(self, number: str, booking: dict) -> bool:
        """Store a recomputed booking where it differs, conditional on the version read."""
        import json

        from pynamodb.attributes import UnicodeAttribute as Text

        from .dynamo import ComplaintItem

        text = json.dumps(booking, separators=(",", ":"))
        if self.stored.get(number) and json.loads(self.stored[number]) == booking:
            return False
        attribute = Text(attr_name="stats")
        attribute.attr_name = "stats"
        ComplaintItem._get_connection().update_item(
            f"C#{number}",
            "META",
            actions=[Path(attribute).set(text)],
            condition=ComplaintItem.version == self.versions[number],
        )
        return True


def _commits(event_model, pk: str) -> list:
    """A complaint's events grouped per commit (the version in the event key), oldest first."""
    from ..domain.stats_cells import Happened

    grouped: dict[int, list] = {}
    for event in event_model.query(pk, event_model.sk.startswith("EV#"), consistent_read=True):
        _, _at, version, index = event.sk.split("#")
        happened = Happened(
            type=event.type,
            at=datetime.fromisoformat(event.at),
            changes=json.loads(event.changes),
            details=json.loads(event.details),
        )
        grouped.setdefault(int(version), []).append((int(index), happened))
    return [[h for _, h in sorted(grouped[v], key=lambda p: p[0])] for v in sorted(grouped)]
