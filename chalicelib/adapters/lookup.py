"""The lookup index (issue 18): a complaint's keyed hashes as items of its own partition,
found through the sparse GSI `by_lookup`, and the access log of searches.

- lookup row: pk `C#<number>`, sk `SEARCH#<nn>`; `lookup_pk` = `<kind>#<hmac>[#c]`,
  `list_sk` = `<received UTC>#<number>` (the keys of `by_lookup`);
- search logged: pk `SEARCHLOG#<YYYY-MM>`, sk `<at UTC>#<random>`; `user`, `roles`, `kind`,
  `results`.

Rows are written once, in the intake's transaction: what they index (contact details,
tracking token, respondent, confidentiality) never changes after intake. A search reads
at most two partitions (the complainant's, and for users who may see confidential
identities its `#c` twin), `limit` rows each, merged newest first, then one BatchGetItem
of the complaints: the same work whatever the size of the table.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute

from ..domain.errors import InvalidCommand
from ..domain.model import Complaint
from .cursors import DONE, advance, is_string_key, read_positions, write_positions
from .dynamo import ComplaintItem, Item, _index, conditional_write

INDEX = "by_lookup"


class LookupItem(Item):
    lookup_pk = UnicodeAttribute()
    list_sk = UnicodeAttribute()

    by_lookup = _index(INDEX, "lookup_pk", "list_sk")


class SearchLogItem(Item):
    at = UnicodeAttribute()
    user = UnicodeAttribute()
    roles = ListAttribute(of=UnicodeAttribute)
    kind = UnicodeAttribute()
    results = NumberAttribute()


def lookup_rows(complaint: Complaint, partitions: list[str]) -> list[LookupItem]:
    received = complaint.received_at.astimezone(UTC).isoformat()
    return [
        LookupItem(
            f"C#{complaint.number}",
            f"SEARCH#{index:02d}",
            lookup_pk=key,
            list_sk=f"{received}#{complaint.number}",
        )
        for index, key in enumerate(partitions)
    ]


def find(partitions: list[str], limit: int, cursor: str | None):
    """(complaints newest first, next cursor): at most one Query per partition, `limit`
    rows each, and one BatchGetItem of the rows taken."""
    positions = _read_cursor(cursor, partitions)
    read: list[tuple[str, int, dict]] = []
    ends: list[dict | None] = []
    connection = LookupItem._get_connection()
    for number, (key, position) in enumerate(zip(partitions, positions, strict=True)):
        if position == DONE:
            ends.append(None)
            continue
        kwargs = {"index_name": INDEX, "limit": limit, "scan_index_forward": False}
        if position:
            kwargs["exclusive_start_key"] = position
        page = connection.query(key, **kwargs)
        read += [(raw["list_sk"]["S"], number, raw) for raw in page.get("Items", [])]
        ends.append(page.get("LastEvaluatedKey"))
    read.sort(key=lambda entry: entry[0], reverse=True)
    taken = read[:limit]
    new_positions = _advance(positions, read, taken, ends)
    numbers = [raw["pk"]["S"].removeprefix("C#") for _, _, raw in taken]
    complaints = _load(numbers)
    more = any(position != DONE for position in new_positions)
    return complaints, (write_positions(new_positions) if more else None)


def _load(numbers: list[str]) -> list[Complaint]:
    if not numbers:
        return []
    keys = [(f"C#{number}", "META") for number in numbers]
    found = {item.number: item.to_complaint() for item in ComplaintItem.batch_get(keys)}
    return [found[number] for number in numbers if number in found]


def _advance(positions, read, taken, ends) -> list:
    def key_of(number, raw):
        return {name: raw[name] for name in ("pk", "sk", "lookup_pk", "list_sk")}

    return advance(positions, read, taken, ends, key_of)


def _read_cursor(cursor: str | None, partitions: list[str]) -> list:
    if not cursor:
        return [None] * len(partitions)
    positions = read_positions(cursor, len(partitions), _bad_cursor())
    for key, position in zip(partitions, positions, strict=True):
        if position in (None, DONE):
            continue
        # A position from another search would make DynamoDB refuse the query.
        if not _is_key(position) or position["lookup_pk"]["S"] != key:
            raise _bad_cursor()
    return positions


def _is_key(key) -> bool:
    return (
        isinstance(key, dict)
        and set(key) == {"pk", "sk", "lookup_pk", "list_sk"}
        and is_string_key(key)
    )


def _bad_cursor() -> InvalidCommand:
    return InvalidCommand("invalid cursor", {"cursor": "not a cursor from this search"})


# -- the access log ----------------------------------------------------------------------


def log_search(at: datetime, user: str, roles: list[str], kind: str, results: int) -> None:
    """One PutItem: who searched, when, by what kind of key, how many results (never the
    key itself)."""
    stamp = at.astimezone(UTC).isoformat()
    item = SearchLogItem(
        f"SEARCHLOG#{stamp[:7]}",
        f"{stamp}#{secrets.token_hex(4)}",
        at=stamp,
        user=user,
        roles=sorted(roles),
        kind=kind,
        results=results,
    )
    # Refused only for the same microsecond and random suffix: never in practice.
    conditional_write(item.save, condition=SearchLogItem.pk.does_not_exist())


def read_log(month: str, limit: int, cursor: str | None) -> tuple[list[dict], str | None]:
    """One month's searches, newest first: one Query of its partition."""
    kwargs = {"scan_index_forward": False, "limit": limit}
    start = _log_start(cursor, month)
    if start:
        kwargs["exclusive_start_key"] = start
    page = SearchLogItem._get_connection().query(f"SEARCHLOG#{month}", **kwargs)
    entries = [
        {
            "at": raw["at"]["S"],
            "user": raw["user"]["S"],
            "roles": [role["S"] for role in raw["roles"]["L"]],
            "kind": raw["kind"]["S"],
            "results": int(raw["results"]["N"]),
        }
        for raw in page.get("Items", [])
    ]
    last = page.get("LastEvaluatedKey")
    return entries, (last["sk"]["S"] if last else None)


def _log_start(cursor: str | None, month: str) -> dict | None:
    if not cursor:
        return None
    if not cursor.startswith(month) or len(cursor) > 100:
        raise InvalidCommand("invalid cursor", {"cursor": "not a cursor from this log"})
    return {"pk": {"S": f"SEARCHLOG#{month}"}, "sk": {"S": cursor}}
