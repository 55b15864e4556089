"""DynamoDB calls and items read per staff list request, whatever the parameters.

Usage: .venv/bin/python -m bench.list_reads [--complaints 100]

In moto in-process, complaints are recorded through the staff intake use case, spread
over the last year (RECEIVED_LOOKBACK_DAYS), a few still open, most closed by refusal.
Then each list below is walked to its end through next_cursor, as a client would, and
every AWS call is counted (bench/counting.py): the most Query calls and items read by any
one request, and the number of requests the walk took. Counts, never timings.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench.common import fresh_services, measure, options
from bench.counting import items_read, recording

TZ = ZoneInfo("Asia/Shanghai")
LISTS = [
    ("admin, unfiltered (every month back to RECEIVED_SINCE)", "admin", {}),
    ("admin, received_from=2020-01-01, limit=200", "admin", {"received_from": "2020-01-01"}),
    ("admin, escalation_level=3 (matches none)", "admin", {"escalation_level": "3"}),
    ("admin, status=received", "admin", {"status": "received"}),
    ("supervisor of 3 departments, escalation_level=3", "supervisor", {"escalation_level": "3"}),
]


def seed(services, count: int) -> None:
    from chalicelib.domain.actor import Actor
    from chalicelib.domain.lifecycle import Action
    from chalicelib.service import staff

    agent = Actor(user_id="ag-1", roles=["intake_agent"], departments=["*"])
    boss = Actor(user_id="sup-1", roles=["supervisor"], departments=["*"])
    now = services.clock.now()
    departments = ("service", "sales", "quality")
    for n in range(count):
        body = {
            "channel": "letter",
            "received_at": (now - timedelta(days=1 + n * 360 // count)).isoformat(),
            "category": "billing",
            "subject": f"Letter {n}",
            "description": "x",
            "complainant": {"anonymous": True},
            "department": departments[n % 3],
        }
        number = staff.record_intake(body, agent, services).number
        if n % 10:
            version = services.complaints.load(number).version
            refusal = {"reason": "outside our remit"}
            staff.act(number, Action.refuse, refusal, boss, version, services)


def walk(services, actor, query: dict) -> tuple[int, int, int, int]:
    """(requests, most calls in one, most items read in one, items listed)."""
    from chalicelib.service import staff

    requests = most_calls = most_read = listed = 0
    cursor = None
    while True:
        page_query = {**query, **({"cursor": cursor} if cursor else {})}
        with recording() as recorder:
            page = staff.list_complaints(page_query, actor, services)
        calls = recorder.of("dynamodb")
        requests += 1
        most_calls = max(most_calls, len(calls))
        most_read = max(most_read, items_read(calls))
        listed += len(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return requests, most_calls, most_read, listed


def run(count: int) -> list[list]:
    from chalicelib.domain.actor import Actor

    actors = {
        "admin": Actor(user_id="adm-1", roles=["admin"]),
        "supervisor": Actor(
            user_id="sup-1", roles=["supervisor"], departments=["service", "sales", "quality"]
        ),
    }
    rows = []
    with fresh_services(datetime.now(TZ)) as services:
        seed(services, count)
        for name, who, query in LISTS:
            limit = "200" if "limit=200" in name else "50"
            result = walk(services, actors[who], {**query, "limit": limit})
            rows.append([name, *result])
    return rows


def main(argv: list[str] | None = None) -> None:
    args = options(argv, "list_reads", complaints=100)
    measure(
        run,
        [args.complaints],
        f"{args.complaints} complaints over the last year; each list walked to its end",
        ["list", "requests", "max calls/request", "max items read/request", "listed"],
    )


if __name__ == "__main__":
    main()
