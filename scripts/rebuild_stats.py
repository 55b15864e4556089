"""Recompute one month's statistics from the complaints and report any difference.

Usage: python -m scripts.rebuild_stats --month 2026-11 [--fix]
Prints the differences as JSON and exits 1 if there are any (without --fix). --fix
overwrites the month's counters and the open-case items with the recomputed values, and
stores each complaint's recomputed booking; run it when nothing else writes.
Reads every complaint (offline maintenance, never a request path).
"""

from __future__ import annotations

import argparse
import json
import re


def month(text: str) -> str:
    if not re.fullmatch(r"20[0-9]{2}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError("give the month as YYYY-MM")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", type=month, required=True)
    parser.add_argument("--fix", action="store_true", help="overwrite with the recomputation")
    args = parser.parse_args(argv)
    from chalicelib.adapters.stats_store import Maintenance
    from chalicelib.service.rebuild import rebuild
    from chalicelib.wiring import get_services

    # The calendar in force now (the settings' hours and days): a month recorded under
    # other hours shows differences, which FIX would overwrite (docs/reporting.md).
    calendar = get_services().calendar
    result = rebuild(args.month, Maintenance(), calendar, fix=args.fix)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 1 if result["differences"] and not args.fix else 0


if __name__ == "__main__":
    raise SystemExit(main())
