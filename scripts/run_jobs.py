"""Run the scheduled jobs once against the local stack (chalice local runs no schedules).

Usage: python -m scripts.run_jobs [--now 2026-02-20T10:00:00+08:00]
`--now` simulates a time: deadlines, quiet hours and follow-ups are judged as of then.
Without it the jobs run on the local stack's clock: the system clock, or the one
`make run NOW=...` started (scripts/local_clock.py).
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from scripts import local_clock


def parse_now(text: str) -> datetime:
    try:
        return local_clock.parse_now(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--now", type=parse_now, help="ISO 8601 time with offset")
    args = parser.parse_args(argv)
    from chalicelib.adapters.clock import FixedClock
    from chalicelib.jobs import run_scheduled
    from chalicelib.wiring import set_clock

    # Everything the job stamps (events, outbox) carries the simulated time.
    set_clock(FixedClock(args.now) if args.now else local_clock.pinned())
    print(json.dumps(run_scheduled(args.now), indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
