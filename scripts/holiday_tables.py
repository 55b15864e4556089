"""Write chalicelib/domain/holiday_tables.json: working-day tables computed ahead from the
pinned `holidays` package, so that a cold start reads a table instead of computing one.

    .venv/bin/python -m scripts.holiday_tables [--first 2020] [--last 2035] [CN ...]

Run it after upgrading `holidays`: tests/unit/test_calendar.py fails until the shipped
tables equal what the installed package computes. Years outside the range, other
countries and subdivisions are computed at run time (once per decade per process).
"""

from __future__ import annotations

import argparse
import json
from importlib.metadata import version

from chalicelib.domain.calendar import SHIPPED_TABLES, compute_table

FIRST_YEAR, LAST_YEAR = 2020, 2035
COUNTRIES = ("CN",)


def tables(countries=COUNTRIES, first=FIRST_YEAR, last=LAST_YEAR) -> dict:
    package = version("holidays")
    return {
        country: {"holidays": package, **compute_table(country, None, first, last).to_json()}
        for country in countries
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("countries", nargs="*", default=list(COUNTRIES))
    parser.add_argument("--first", type=int, default=FIRST_YEAR)
    parser.add_argument("--last", type=int, default=LAST_YEAR)
    args = parser.parse_args(argv)
    data = tables(tuple(args.countries), args.first, args.last)
    SHIPPED_TABLES.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SHIPPED_TABLES} ({', '.join(data)}, {args.first}-{args.last})")


if __name__ == "__main__":
    main()
