"""Queue counts kept as counters (issue 18 item 6): they equal what the queues list after
every kind of move, the due queue's bound included, and a director's count request costs
the same few calls over 3 departments as over 40."""

from datetime import UTC, datetime, timedelta

import pytest

from bench.counting import recording
from chalicelib import wiring
from tests.clock import pinned_at
from tests.helpers import (
    NOT_SUBSTANTIATED,
    StaffCalls,
    complaint_body,
    post_json,
    staff_as,
)

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai
QUEUES = ("mine", "to_accept", "due", "waiting", "follow_up", "replied")


pinned_clock = pinned_at(NOW)


@pytest.fixture
def staff(client, token):
    class As(StaffCalls):
        act = StaffCalls.act_ok

        def counts(self, query=""):
            response = self.get(f"/staff/queues{query}")
            assert response.status_code == 200, response.body
            return {q["queue"]: q["count"] for q in response.json_body["queues"]}

        def listed(self, queue, query=""):
            found, cursor = [], None
            while True:
                more = f"&cursor={cursor}" if cursor else ""
                narrow = query.replace("?", "&")
                response = self.get(f"/staff/queues/{queue}?limit=100{narrow}{more}")
                assert response.status_code == 200, response.body
                found += [item["number"] for item in response.json_body["items"]]
                cursor = response.json_body["next_cursor"]
                if not cursor:
                    return found

    return staff_as(client, token, As)


def submit(client, **overrides) -> str:
    response = post_json(client, "/complaints", complaint_body(**overrides))
    assert response.status_code == 201, response.body
    return response.json_body["number"]


def agree(person, query=""):
    counts = person.counts(query)
    for queue, count in counts.items():
        assert count == len(person.listed(queue, query)), (queue, counts)
    return counts


def test_counts_equal_the_lists_through_every_move(client, clock, staff):
    director = staff("director", ["*"], user="dir-1")
    sup = staff("supervisor", ["service"], user="sup-1")
    quality = staff("quality", ["*"], user="qa-1")
    handler = staff("handler", ["service"], user="handler-1")
    cases = [submit(client, department=d) for d in ("service", "service", "sales", "quality")]
    cases.append(submit(client, kind="inquiry"))
    cases.append(submit(client, people_affected=50))  # grade B: a shorter acceptance
    assert agree(director)["to_accept"] == 6
    assert agree(sup)["to_accept"] == 4
    first, second, sales, _, inquiry, urgent = cases
    director.act(sales, "accept")
    sup.act(first, "accept")
    sup.act(first, "assign", {"handler": "handler-1"})
    handler.act(first, "start")
    handler.act(first, "wait", {"reason": "Waiting for the receipt"})
    sup.act(second, "refuse", {"reason": "Not ours"})
    sup.act(inquiry, "transfer", {"to": "sales", "reason": "Theirs"})
    sup.act(urgent, "accept")
    sup.act(urgent, "assign", {"handler": "handler-1"})
    handler.act(urgent, "start")
    for person in (director, sup, quality, handler):
        agree(person)
    assert agree(handler) == {"mine": 2, "due": agree(handler)["due"], "waiting": 1, "replied": 0}
    assert agree(sup, "?status=waiting_for_complainant")["waiting"] == 1
    assert agree(director, "?department=sales")["to_accept"] == 1
    # Days later the open cases are overdue: the due queue holds them, counted alike.
    clock.at = NOW + timedelta(days=9)
    assert agree(director)["due"] >= 3
    for person in (sup, quality, handler):
        agree(person)
    handler.act(first, "resume")
    handler.act(first, "resolve", resolution())
    for person in (director, sup, quality, handler):
        agree(person)
    assert agree(sup)["follow_up"] == 1


def with_departments(services, codes) -> None:
    """The organisation's departments (its settings, as an admin would save them)."""
    from chalicelib.domain.org_settings import Entry

    loaded = services.org_loaded
    entries = [Entry(code=code, name_zh=code, name_en=code) for code in codes]
    org = loaded.settings.model_copy(update={"departments": entries})
    services.settings_cache.put(org, loaded.version + 1)


def resolution():
    return {
        "root_cause": "A mistake",
        "solution": "Refund",
        "result": "Refunded",
        "finding": NOT_SUBSTANTIATED,
    }


@pytest.mark.parametrize("departments", [3, 40])
def test_a_directors_counts_cost_the_same_few_calls(client, clock, staff, departments):
    services = wiring.get_services()
    names = ("service", "sales", "quality") + tuple(f"dept_{n:02d}" for n in range(37))
    with_departments(services, names[:departments])
    for n in range(6):
        submit(client, department=("service", "sales", "quality")[n % 3])
    director = staff("director", ["*"], user="dir-1")
    with recording() as recorder:
        counts = director.counts()
    calls = recorder.of("dynamodb")
    assert counts["to_accept"] == 6
    assert len(calls) <= 6, [call.operation for call in calls]
    assert {call.operation for call in calls} == {"Query"}


def test_zero_hours_are_compacted_away(client, clock, staff):
    from chalicelib.adapters import queue_counts

    sup = staff("supervisor", user="sup-1")
    numbers = []
    for hour in range(queue_counts.COMPACT_FROM + 1):
        clock.at = NOW + timedelta(hours=hour)
        numbers.append(submit(client))
    for number in numbers[:-1]:
        sup.act(number, "refuse", {"reason": "Not ours"})
    cells = queue_counts.read(["D#service#"])
    assert sum(cells["D#service#received"].values()) == 1
    assert queue_counts.compact() == 1
    assert list(queue_counts.read(["D#service#"])["D#service#received"].values()) == [1]
    assert agree(sup)["to_accept"] == 1


def reply(client, number, token, text="Here is the receipt."):
    body = {"text": text}
    headers = {"X-Tracking-Token": token}
    response = post_json(client, f"/complaints/{number}/messages", body, headers)
    assert response.status_code == 201, response.body


def test_replied_queue_holds_replies_until_the_handler_opens_the_case(client, clock, staff):
    sup = staff("supervisor", ["service"], user="sup-1")
    handler = staff("handler", ["service"], user="handler-1")
    other = staff("handler", ["service"], user="handler-2")
    receipts = [post_json(client, "/complaints", complaint_body()).json_body for _ in range(3)]
    for receipt, person in zip(receipts, ("handler-1", "handler-1", "handler-2"), strict=True):
        sup.act(receipt["number"], "accept")
        sup.act(receipt["number"], "assign", {"handler": person})
    first, second, third = (r["number"] for r in receipts)
    handler.act(first, "start")
    handler.act(first, "wait", {"reason": "Waiting for the receipt"})
    reply(client, first, receipts[0]["tracking_token"])
    reply(client, first, receipts[0]["tracking_token"], "And the photo.")
    reply(client, second, receipts[1]["tracking_token"])
    reply(client, third, receipts[2]["tracking_token"])
    assert handler.listed("replied") == sorted([first, second], key=handler.listed("mine").index)
    assert agree(handler)["replied"] == 2
    assert agree(other)["replied"] == 1
    assert agree(sup)["replied"] == 3
    listed = {i["number"]: i for i in handler.get("/staff/queues/mine").json_body["items"]}
    assert (listed[first]["reply_count"], listed[first]["replies_unread"]) == (2, 2)
    # A supervisor opening the case is not the handler opening it.
    assert sup.get(f"/staff/complaints/{first}").json_body["replies_unread"] == 2
    assert agree(sup)["replied"] == 3
    opened = handler.get(f"/staff/complaints/{first}").json_body
    assert (opened["reply_count"], opened["replies_unread"]) == (2, 0)
    assert handler.listed("replied") == [second]
    assert agree(handler)["replied"] == 1
    assert agree(sup)["replied"] == 2
    history = handler.get(f"/staff/complaints/{first}/history").json_body
    assert [e["action"] for e in history["items"]].count("replies_seen") == 1
    # Opening it again writes nothing more.
    version = handler.get(f"/staff/complaints/{first}").json_body["version"]
    assert handler.get(f"/staff/complaints/{first}").json_body["version"] == version
    # A new reply puts it back.
    reply(client, first, receipts[0]["tracking_token"], "One more thing.")
    assert agree(handler)["replied"] == 2
    other.get(f"/staff/complaints/{third}")
    assert agree(other)["replied"] == 0
    assert agree(sup)["replied"] == 2
