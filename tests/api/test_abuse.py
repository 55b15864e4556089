"""Issue 12, part 2: acknowledgement limits, 429 for a flooding source, SES bounces."""

from __future__ import annotations

import json

import pytest

from tests.helpers import complaint_body, post_json, sent_emails

ADDRESS = "victim@example.com"


@pytest.fixture
def limits(aws, monkeypatch):
    """Set the limits (environment variables, as a deployment does) for one test."""
    from chalicelib import wiring
    from chalicelib.config import get_settings

    def apply(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, str(value))
        get_settings.cache_clear()
        wiring.set_services(None)
        get_settings()  # read now, outside the test client's stage environment

    yield apply
    for name in ("ACK_LIMIT_PER_RECIPIENT_DAY", "ACK_LIMIT_PER_SOURCE_HOUR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INTAKE_LIMIT_PER_SOURCE_HOUR", "100000")
    monkeypatch.setenv("ACK_LIMIT_PER_SOURCE_HOUR", "100000")
    get_settings.cache_clear()
    wiring.set_services(None)


def body_for(address: str, n: int = 0) -> dict:
    complainant = {"name": "张三", "email": address}
    return complaint_body(subject=f"Complaint {n}", complainant=complainant)


def mails_to(address: str) -> list:
    return [m for m in sent_emails() if address in m.destinations["ToAddresses"]]


def history(number: str):
    from chalicelib.wiring import get_services

    complaint, events = get_services().complaints.load_with_events(number)
    return complaint, events


def test_complaints_to_one_address_send_3_acknowledgements_and_lose_none(client, limits):
    """25 here (moto copies the table on every transaction); tests/e2e/test_concurrency.py
    posts 200 from one address to the local stack and counts the acknowledgements too."""
    limits(ACK_LIMIT_PER_RECIPIENT_DAY=3)
    receipts = []
    for n in range(25):
        response = post_json(client, "/complaints", body_for(ADDRESS, n))
        assert response.status_code == 201, response.body
        receipts.append(json.loads(response.body))
    assert len(mails_to(ADDRESS)) == 3
    numbers = [receipt["number"] for receipt in receipts]
    assert len(set(numbers)) == 25
    # The public response is the same whether the acknowledgement went or not.
    assert {frozenset(receipt) for receipt in receipts} == {frozenset(receipts[0])}
    for number in numbers[:3]:
        _, events = history(number)
        assert "acknowledgement_held" not in [e.type for e in events]
    for number in (numbers[3], numbers[-1]):
        complaint, events = history(number)
        assert complaint is not None and complaint.data.subject.startswith("Complaint")
        [held] = [e for e in events if e.type == "acknowledgement_held"]
        assert held.details == {"channel": "email", "reason": "recipient_limit"}


def test_the_address_limit_ignores_case_and_spaces(client, limits):
    limits(ACK_LIMIT_PER_RECIPIENT_DAY=1)
    assert post_json(client, "/complaints", body_for("Victim@Example.com")).status_code == 201
    response = post_json(client, "/complaints", body_for(ADDRESS))
    assert response.status_code == 201
    assert len(sent_emails()) == 1


def test_acknowledgements_per_source_are_limited(client, limits):
    limits(ACK_LIMIT_PER_SOURCE_HOUR=2)
    numbers = []
    for n in range(4):
        response = post_json(client, "/complaints", body_for(f"person{n}@example.com", n))
        assert response.status_code == 201
        numbers.append(json.loads(response.body)["number"])
    assert len(sent_emails()) == 2
    _, events = history(numbers[3])
    [held] = [e for e in events if e.type == "acknowledgement_held"]
    assert held.details["reason"] == "source_limit"


def test_a_flood_from_one_source_gets_429_with_retry_after(client, limits):
    limits(INTAKE_LIMIT_PER_SOURCE_HOUR=3)
    for n in range(3):
        assert post_json(client, "/complaints", body_for(f"p{n}@example.com", n)).status_code == 201
    refused = post_json(client, "/complaints", body_for("p9@example.com", 9))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    error = json.loads(refused.body)["error"]
    assert error["code"] == "too_many_requests" and error["message"]
    assert len(sent_emails()) == 3  # nothing was taken, nothing sent


def test_a_keyed_retry_after_429_is_not_replayed_as_429(client, limits):
    limits(INTAKE_LIMIT_PER_SOURCE_HOUR=1)
    assert post_json(client, "/complaints", body_for("a@example.com")).status_code == 201
    headers = {"Idempotency-Key": "retry-after-429-key"}
    first = post_json(client, "/complaints", body_for("b@example.com"), headers)
    assert first.status_code == 429
    again = post_json(client, "/complaints", body_for("b@example.com"), headers)
    assert again.status_code == 429  # counted again, refused again; nothing stored as done


@pytest.mark.time_sensitive
def test_counters_and_suppressions_never_hold_an_address_in_clear(client, limits, clock):
    import boto3

    limits(ACK_LIMIT_PER_RECIPIENT_DAY=1)
    post_json(client, "/complaints", body_for(ADDRESS))
    bounce_event(client, [ADDRESS], [])
    items = boto3.client("dynamodb").scan(TableName="complaints-test")["Items"]
    ours = [i for i in items if i["pk"]["S"].startswith(("LIMIT#", "SUPPRESSED#"))]
    assert {i["pk"]["S"].split("#")[0] for i in ours} == {"LIMIT", "SUPPRESSED"}
    text = json.dumps(ours)
    assert "victim" not in text and "127.0.0.1" not in text
    limit = next(i for i in ours if i["pk"]["S"].startswith("LIMIT#ack"))
    assert int(limit["ttl_expires"]["N"]) > clock.now().timestamp()


# -- SES bounces and complaints ---------------------------------------------------------


def ses_message(kind: str, addresses: list[str], numbers: list[str], bounce_type="Permanent"):
    mail = {"messageId": "m-1", "tags": {"complaint": numbers, "ses:from-domain": ["x"]}}
    if kind == "Bounce":
        people = [{"emailAddress": a} for a in addresses]
        return {
            "eventType": "Bounce",
            "mail": mail,
            "bounce": {"bounceType": bounce_type, "bouncedRecipients": people},
        }
    people = [{"emailAddress": a} for a in addresses]
    return {"eventType": "Complaint", "mail": mail, "complaint": {"complainedRecipients": people}}


def bounce_event(client, addresses, numbers, kind="Bounce", bounce_type="Permanent"):
    message = json.dumps(ses_message(kind, addresses, numbers, bounce_type))
    event = client.events.generate_sns_event(message=message)
    return client.lambda_.invoke("ses_events", event).payload


def test_a_hard_bounce_suppresses_later_mail_and_marks_the_case(client, limits):
    first = json.loads(post_json(client, "/complaints", body_for(ADDRESS)).body)["number"]
    assert len(mails_to(ADDRESS)) == 1
    done = bounce_event(client, [ADDRESS], [first])
    assert done == {"suppressed": 1, "cases": [first]}
    complaint, events = history(first)
    [mark] = [e for e in events if e.type == "complainant_unreachable"]
    assert mark.details == {"channel": "email", "reason": "bounce"}

    second = json.loads(post_json(client, "/complaints", body_for(ADDRESS)).body)["number"]
    assert len(mails_to(ADDRESS)) == 1  # no second acknowledgement
    _, events = history(second)
    [held] = [e for e in events if e.type == "acknowledgement_held"]
    assert held.details["reason"] == "suppressed"


@pytest.mark.time_sensitive
def test_any_later_email_to_a_suppressed_address_is_held_not_sent(client, limits, clock):
    from chalicelib.domain.notifications import Message, OutboxEntry
    from chalicelib.service.outbox import deliver
    from chalicelib.wiring import get_services

    bounce_event(client, [ADDRESS], [], kind="Complaint")
    services = get_services()
    entry = OutboxEntry(
        number="TS-20260101-0001",
        id="x1",
        message=Message("email", "complainant", ADDRESS, "Resolved", "Outcome"),
        created_at=clock.now(),
    )
    deliver([entry], services.notifier, services.complaints, clock.now())
    assert entry.status == "suppressed" and entry.last_error.startswith("suppressed")
    assert mails_to(ADDRESS) == []


def test_soft_bounces_and_other_addresses_change_nothing(client, limits):
    number = json.loads(post_json(client, "/complaints", body_for(ADDRESS)).body)["number"]
    assert bounce_event(client, [ADDRESS], [number], bounce_type="Transient") == {
        "suppressed": 0,
        "cases": [],
    }
    # A bounce of someone else's address tagged with this case does not mark it.
    assert bounce_event(client, ["other@example.com"], [number]) == {
        "suppressed": 1,
        "cases": [],
    }
    _, events = history(number)
    assert "complainant_unreachable" not in [e.type for e in events]
    post_json(client, "/complaints", body_for(ADDRESS))
    assert len(mails_to(ADDRESS)) == 2


def test_complainant_emails_carry_their_case_number_as_an_ses_tag(aws):
    from chalicelib.domain.notifications import Message
    from chalicelib.service.outbox import tagged

    message = tagged(Message("email", "complainant", ADDRESS, "s", "b"), "TS-1")
    assert message.attributes == {"complaint": "TS-1"}
    topic = Message("topic", "supervisors", "service", "s", "b", {"audience": "supervisors"})
    assert tagged(topic, "TS-1") is topic


def test_the_contract_documents_429_with_retry_after(client):
    document = json.loads(client.http.get("/openapi.json").body)
    answer = document["paths"]["/complaints"]["post"]["responses"]["429"]
    assert answer["headers"]["Retry-After"]["schema"] == {"type": "integer", "minimum": 1}
    assert answer["content"]["application/json"]["schema"]["$ref"].endswith("ErrorBody")
