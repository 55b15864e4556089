"""Run the scheduled jobs once against the local stack (chalice local runs no schedules).

Usage: python -m scripts.run_jobs [--now 2026-02-20T10:00:00+08:00]
`--now` simulates a time: deadlines, quiet hours and follow-ups are judged as of then.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime


def parse_now(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-02-20T10:00:00+08:00")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--now", type=parse_now, help="ISO 8601 time with offset")
    args = parser.parse_args(argv)
    from chalicelib.jobs import run_scheduled

    if args.now:
        # Everything the job stamps (events, outbox) carries the simulated time.
        from chalicelib.adapters.clock import FixedClock
        from chalicelib.wiring import get_services

        get_services().clock = FixedClock(args.now)
    print(json.dumps(run_scheduled(args.now), indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
