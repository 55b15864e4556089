"""Issue 19: AWS calls per intake, 5 without an Idempotency-Key and 6 with one.

The limits are items of the intake's own transaction and a keyed intake's delivery
outcomes are written with Powertools' completed record; what each guarantees stays:
every message sent is recorded as sent (so the retry job never sends it twice), even when
the completion write fails, and a refused intake's number is recorded as a gap.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import complaint_body, post_json, sent_emails


@pytest.fixture
def calls(aws):
    """Names of the AWS operations made, in order, by the process's clients, once the
    container holds the organisation's settings (one GetItem per container per minute,
    tests/api/test_settings.py; not a cost of each intake)."""
    from chalicelib import wiring
    from chalicelib.adapters.aws import client

    assert wiring.get_services().org.categories  # a warm container's copy

    made: list[str] = []

    def record(model, **_):
        made.append(model.name)

    clients = [client(name) for name in ("dynamodb", "ses", "sns")]
    for each in clients:
        each.meta.events.register("before-call", record)
    yield made
    for each in clients:
        each.meta.events.unregister("before-call", record)


def body_for(address: str) -> dict:
    return complaint_body(complainant={"name": "张三", "email": address})


def outbox_of(number: str) -> list:
    from chalicelib.adapters.dynamo import OutboxItem

    return list(OutboxItem.query(f"C#{number}", OutboxItem.sk.startswith("OUT#")))


def test_an_intake_makes_five_calls(client, calls):
    response = post_json(client, "/complaints", body_for("five@example.com"))

    assert response.status_code == 201, response.body
    assert calls == [
        "UpdateItem",  # the number
        "TransactWriteItems",  # complaint, event, outbox, statistics, limit claims
        "SendEmail",
        "Publish",
        "BatchWriteItem",  # delivery outcomes
    ]
    assert {item.status for item in outbox_of(response.json_body["number"])} == {"sent"}


def test_a_keyed_intake_makes_six_and_replays_its_receipt(client, calls):
    headers = {"Idempotency-Key": "six-calls-key-0001"}
    response = post_json(client, "/complaints", body_for("six@example.com"), headers)

    assert response.status_code == 201, response.body
    assert calls == [
        "PutItem",  # Powertools: in progress
        "UpdateItem",
        "TransactWriteItems",
        "SendEmail",
        "Publish",
        "TransactWriteItems",  # Powertools' completed record with the delivery outcomes
    ]
    number = response.json_body["number"]
    assert {item.status for item in outbox_of(number)} == {"sent"}

    again = post_json(client, "/complaints", body_for("six@example.com"), headers)
    assert again.json_body == response.json_body
    assert len(sent_emails()) == 1


def test_outcomes_are_written_alone_when_the_completion_write_fails(client, monkeypatch):
    """A message sent is recorded as sent whatever happens to the idempotency record."""
    from botocore.exceptions import ClientError

    from chalicelib.adapters import idempotency

    def fail(self, **update):
        raise ClientError({"Error": {"Code": "InternalServerError"}}, "TransactWriteItems")

    monkeypatch.setattr(idempotency._Completing, "update_item", fail)
    headers = {"Idempotency-Key": "completion-fails-01"}
    response = post_json(client, "/complaints", body_for("alone@example.com"), headers)

    assert response.status_code >= 500
    from chalicelib.adapters.dynamo import OutboxItem

    entries = [item for item in OutboxItem.scan() if item.sk.startswith("OUT#")]
    assert entries and {item.status for item in entries} == {"sent"}
    assert len(sent_emails()) == 1


@pytest.fixture
def intake_limit(aws, monkeypatch):
    from chalicelib import wiring
    from chalicelib.config import get_settings

    monkeypatch.setenv("INTAKE_LIMIT_PER_SOURCE_HOUR", "1")
    get_settings.cache_clear()
    wiring.set_services(None)
    get_settings()
    yield
    monkeypatch.setenv("INTAKE_LIMIT_PER_SOURCE_HOUR", "100000")
    get_settings.cache_clear()
    wiring.set_services(None)


def test_a_refused_intake_records_its_number_as_a_gap(client, intake_limit):
    from chalicelib.adapters.dynamo import GapItem

    first = post_json(client, "/complaints", body_for("first@example.com"))
    refused = post_json(client, "/complaints", body_for("second@example.com"))

    assert first.status_code == 201 and refused.status_code == 429
    day = first.json_body["number"].split("-")[1]
    [gap] = GapItem.query(f"COUNTER#{day}", GapItem.sk.startswith("GAP#"))
    assert gap.number.endswith("-0002") and "not registered" in gap.reason
    assert "@" not in gap.reason
    assert json.loads(refused.body)["error"]["code"] == "too_many_requests"
