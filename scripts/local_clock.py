"""The local stack's "now": the system clock, or a clock pinned to start at a chosen instant.

`make run NOW=2026-12-06T15:00:00+08:00` serves as if it were then (time flows on from
there); the offset is kept in $LOCAL_DIR/clock.json so that `make jobs` without NOW runs
the jobs on the same clock as the server. Only the local stage reads it: a deployed
function builds its services with the system clock (chalicelib/wiring.py).
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from chalicelib.adapters.clock import OffsetClock

CLOCK_FILE = "clock.json"


def _path(local_dir: str | os.PathLike | None) -> Path:
    return Path(local_dir or os.environ.get("LOCAL_DIR", ".local")) / CLOCK_FILE


def parse_now(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("give a time zone, e.g. 2026-02-20T10:00:00+08:00")
    return value


def pin(start: datetime | None, local_dir=None) -> OffsetClock | None:
    """The server's clock: started at `start` (kept for `make jobs`), or the system clock."""
    path = _path(local_dir)
    if start is None:
        path.unlink(missing_ok=True)
        return None
    clock = OffsetClock.starting_at(start)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"start": start.isoformat(), "offset_seconds": clock.offset.total_seconds()}
    path.write_text(json.dumps(record))
    return clock


def pinned(local_dir=None) -> OffsetClock | None:
    """The clock of the running local stack if it was started with NOW, else None."""
    path = _path(local_dir)
    if not path.exists():
        return None
    return OffsetClock(timedelta(seconds=json.loads(path.read_text())["offset_seconds"]))
