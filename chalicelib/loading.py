"""Making what lives as long as the process with the cycle collector paused.

Modules, classes, routes, the composition root's services and the AWS clients (with their
service models) are made once per process and never freed. While they are made, every few
hundred allocations start a collection that scans them again, in vain: on a cold start that
was ~50 ms of the first intake's CPU (bench/cold_start.py, docs/architecture.md "Cold
start"). `long_lived(what)` pauses the collector while `what` is made and, the first time,
moves every object the process holds to the permanent generation (`gc.freeze`), so later
collections skip them. Only the first time: an unreachable cycle alive at that moment is
then never collected, which costs nothing once but would add up in a process (a test run)
that rebuilds the services again and again. Request work runs with the collector on, and
reference counting frees what it always freed.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_frozen: set[str] = set()


@contextmanager
def long_lived(what: str) -> Iterator[None]:
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if what not in _frozen:
            _frozen.add(what)
            gc.freeze()
        if was_on:
            gc.enable()
