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

from collections import Counter

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.expressions.operand import Path
from pynamodb.models import Model

from .dynamo import _Meta

LIVE = "LIVE"


class StatsItem(Model):
    Meta = _Meta
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


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


def overwrite(partition: str, cell: str, counters: dict[str, int]) -> None:
    """Used by the rebuild's --fix: set an item to the recomputed counters."""
    pk, sk = item_key(partition, cell)
    connection = StatsItem._get_connection()
    item = {"pk": {"S": pk}, "sk": {"S": sk}}
    item.update({name: {"N": str(value)} for name, value in counters.items() if value})
    connection.connection.put_item(connection.table_name, pk, sk, attributes=item)
