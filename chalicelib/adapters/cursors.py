"""Cursors of the reads that merge several partitions (console queues, lookup): one position
per partition (a DynamoDB key; None before its first page), as URL-safe base64 of JSON."""

from __future__ import annotations

import base64
import json

DONE = "done"  # the partition was read to its end


def write_positions(positions: list) -> str:
    raw = json.dumps(positions, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def read_positions(cursor: str, count: int, bad: Exception) -> list:
    """The `count` positions a cursor holds; `bad` is raised for anything else."""
    try:
        positions = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError as error:
        raise bad from error
    if not isinstance(positions, list) or len(positions) != count:
        raise bad
    return positions


def is_string_key(key) -> bool:
    """A DynamoDB key whose every attribute is a string, as a cursor may carry one."""
    return isinstance(key, dict) and all(
        isinstance(value, dict) and set(value) == {"S"} and isinstance(value["S"], str)
        for value in key.values()
    )


def advance(positions: list, read: list, taken: list, ends: list, key_of) -> list:
    """Each partition's position after this page: after the last item taken from it
    (`key_of(number, item)`), or where its reading stopped when every item read was taken.
    `read` and `taken` hold (sort value, partition number, item)."""
    result = []
    for number, position in enumerate(positions):
        if position == DONE:
            result.append(DONE)
            continue
        mine = [raw for _, n, raw in read if n == number]
        took = [raw for _, n, raw in taken if n == number]
        if len(took) == len(mine):
            result.append(ends[number] or DONE)
        elif took:
            result.append(key_of(number, took[-1]))
        else:
            result.append(position)
    return result
