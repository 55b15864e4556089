"""AWS calls and items read by `GET /staff/queues` (the counts), per role, over 3 and over
40 departments (issue 18 item 6: at most 6 calls for a director, the same over 40).

Usage: .venv/bin/python -m bench.queue_counts [--complaints 60]

In moto in-process, complaints are taken by the public intake use case across the
departments, some accepted and assigned, some waiting; each role's counts request is
made through the use case and every AWS call counted (bench/counting.py). Counts, never
timings.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bench.common import fresh_services, measure, options
from bench.counting import items_read, recording

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai


def seed(services, departments: tuple[str, ...], count: int) -> None:
    from chalicelib.domain.actor import Actor
    from chalicelib.domain.complaint_input import ComplaintInput
    from chalicelib.domain.lifecycle import Action
    from chalicelib.service import staff
    from chalicelib.service.intake import submit_complaint

    boss = Actor(user_id="dir-1", roles=["director"], departments=["*"])
    for n in range(count):
        body = {
            "category": "billing",
            "subject": f"Complaint {n}",
            "description": "x",
            "complainant": {"anonymous": True},
            "department": departments[n % len(departments)],
        }
        number = submit_complaint(ComplaintInput.model_validate(body), services).number
        if n % 4 == 0:
            continue
        version = services.complaints.load(number).version
        staff.act(number, Action.accept, {}, boss, version, services)
        if n % 4 >= 2:
            version = services.complaints.load(number).version
            staff.act(number, Action.assign, {"handler": "h-1"}, boss, version, services)


def run(departments: int, complaints: int) -> list[list]:
    from chalicelib.domain.actor import Actor
    from chalicelib.domain.org_settings import Entry
    from chalicelib.service.org_settings import replace
    from chalicelib.service.queues import queue_counts

    names = ("service", "sales", "quality") + tuple(f"dept_{n:02d}" for n in range(37))
    names = names[:departments]
    actors = [
        ("director (*)", Actor(user_id="dir-1", roles=["director"], departments=["*"])),
        ("supervisor of 1", Actor(user_id="sup-1", roles=["supervisor"], departments=["sales"])),
        ("quality (*)", Actor(user_id="qa-1", roles=["quality"], departments=["*"])),
        ("handler", Actor(user_id="h-1", roles=["handler"], departments=["sales"])),
    ]
    rows = []
    with fresh_services(NOW) as services:
        # The organisation's departments, saved as an admin saves them: a copy put in the
        # process's cache alone is read again from the table after REFRESH_SECONDS.
        loaded = services.org_loaded
        entries = [Entry(code=code, name_zh=code, name_en=code) for code in names]
        org = loaded.settings.model_copy(update={"departments": entries})
        admin = Actor(user_id="adm-1", roles=["admin"])
        replace(org.model_dump(mode="json"), loaded.version, admin, services)
        seed(services, names, complaints)
        for name, actor in actors:
            with recording() as recorder:
                counts = queue_counts({}, actor, services)
            calls = recorder.of("dynamodb")
            total = sum(q["count"] for q in counts["queues"])
            rows.append([departments, name, len(calls), items_read(calls), total])
    return rows


def main(argv: list[str] | None = None) -> None:
    args = options(argv, "queue_counts", complaints=60)
    measure(
        lambda departments: run(departments, args.complaints),
        (3, 40),
        f"GET /staff/queues (counts) with {args.complaints} complaints; DynamoDB calls",
        ["departments", "caller", "DynamoDB calls", "items read", "sum of counts"],
    )


if __name__ == "__main__":
    main()
