"""AWS calls and items read by `GET /staff/queues` (the counts), per role, over 3 and over
40 departments (issue 18 item 6: at most 6 calls for a director, the same over 40).

Usage: .venv/bin/python -m bench.queue_counts [--complaints 60]

In moto in-process, complaints are taken by the public intake use case across the
departments, some accepted and assigned, some waiting; each role's counts request is
made through the use case and every AWS call counted (bench/counting.py). Counts, never
timings.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from bench.counting import items_read, recording
from bench.intake_calls import in_process_aws, print_table, quietly

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
    from moto import mock_aws

    from chalicelib.adapters.clock import FixedClock
    from chalicelib.domain.actor import Actor
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
    with mock_aws():
        from chalicelib import wiring
        from chalicelib.domain.org_settings import Entry
        from scripts.bootstrap import bootstrap

        wiring.set_services(None)
        bootstrap()
        services = wiring.get_services()
        services.clock = FixedClock(NOW)
        loaded = services.org_loaded  # the organisation's departments, as an admin saves them
        entries = [Entry(code=code, name_zh=code, name_en=code) for code in names]
        org = loaded.settings.model_copy(update={"departments": entries})
        services.settings_cache.put(org, loaded.version + 1)
        seed(services, names, complaints)
        for name, actor in actors:
            with recording() as recorder:
                counts = queue_counts({}, actor, services)
            calls = [call for call in recorder.calls if call.service == "dynamodb"]
            total = sum(q["count"] for q in counts["queues"])
            rows.append([departments, name, len(calls), items_read(calls), total])
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.queue_counts")
    parser.add_argument("--complaints", type=int, default=60)
    args = parser.parse_args(argv)
    in_process_aws()
    rows = quietly(lambda departments: run(departments, args.complaints), (3, 40))
    print_table(
        f"GET /staff/queues (counts) with {args.complaints} complaints; DynamoDB calls",
        ["departments", "caller", "DynamoDB calls", "items read", "sum of counts"],
        rows,
    )


if __name__ == "__main__":
    main()
