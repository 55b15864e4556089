"""AWS calls and items read per lookup (`GET /staff/search`) at two sizes of the table.

Usage: .venv/bin/python -m bench.search_reads [--sizes 10,10000]

In moto in-process, each size is a fresh table holding that many complaints, each with
its own caller (mobile, e-mail) and lookup rows, written as the intake writes them (the
complaint item and its rows; straight batch writes, to seed 10,000 in reasonable time).
One caller has 3 complaints of which 1 is confidential. Each search below is made through
the use case and every AWS call counted (bench/counting.py). Counts, never timings: the
figures must be the same at both sizes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bench.common import fresh_services, measure, options, save_cases
from bench.counting import items_read, recording

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
CALLER = {"name": "Caller", "mobile": "13912345678", "email": "caller@example.com"}
SEARCHES = [
    ("supervisor: phone (+86 spelling)", "supervisor", {"phone": "+86 139-1234-5678"}),
    ("handler: phone (confidential case hidden)", "handler", {"phone": "13912345678"}),
    ("supervisor: e-mail", "supervisor", {"email": "CALLER@example.com"}),
    ("supervisor: a number nobody has", "supervisor", {"phone": "13700000000"}),
    ("director (*): respondent person", "director", {"respondent_person": "wang"}),
    ("supervisor: number", "supervisor", {"number": "TS-20261206-0003"}),
]


def complaint(number: int, complainant: dict, received):
    from chalicelib.domain.complaint_input import ComplaintInput
    from chalicelib.domain.model import Complaint
    from chalicelib.domain.tokens import hash_token, new_tracking_token
    from chalicelib.domain.vocabulary import Channel

    data = ComplaintInput.model_validate(
        {
            "category": "billing",
            "subject": f"Complaint {number}",
            "description": "x",
            "complainant": complainant,
            "respondent": {"person": "Wang" if number % 50 == 0 else f"P{number}"},
        }
    )
    return Complaint.receive(
        number=f"TS-20261206-{number:04d}" if number < 10_000 else f"TS-20261205-{number:05d}",
        data=data,
        received_at=received,
        channel=Channel.web,
        department=("service", "sales", "quality")[number % 3],
        tracking_token_hash=hash_token(new_tracking_token()),
    )


def cases(count: int):
    """The caller's three complaints (the second confidential), then one per caller."""
    for n in range(1, count + 1):
        if n <= 3:
            who = {**CALLER, "confidential": n == 2}
        else:
            who = {"name": f"C{n}", "mobile": f"1380{n:07d}", "email": f"c{n}@example.com"}
        yield complaint(n, who, NOW - timedelta(minutes=n))


def calls_for(services, actor, query: dict) -> tuple[int, int, int]:
    """(DynamoDB calls, items read, results)."""
    from chalicelib.service.search import search

    with recording() as recorder:
        page = search({**query, "limit": "20"}, actor, services)
    calls = recorder.of("dynamodb")
    return len(calls), items_read(calls), len(page["items"])


def run_size(count: int) -> list[list]:
    from chalicelib.domain.actor import Actor

    actors = {
        "supervisor": Actor(user_id="sup-1", roles=["supervisor"], departments=["service"]),
        "handler": Actor(user_id="h-1", roles=["handler"], departments=["service", "sales"]),
        "director": Actor(user_id="dir-1", roles=["director"], departments=["*"]),
    }
    rows = []
    with fresh_services(NOW) as services:
        save_cases(services.complaints, cases(count))
        for name, who, query in SEARCHES:
            rows.append([count, name, *calls_for(services, actors[who], query)])
    return rows


def main(argv: list[str] | None = None) -> None:
    args = options(argv, "search_reads", sizes="10,10000")
    measure(
        run_size,
        (int(part) for part in args.sizes.split(",")),
        "GET /staff/search through the use case; DynamoDB calls per request (incl. the log)",
        ["complaints", "search", "DynamoDB calls", "items read", "results"],
    )


if __name__ == "__main__":
    main()
