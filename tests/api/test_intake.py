import json
import threading

import pytest

from chalicelib.adapters.dynamo import ComplaintItem, EventItem, OutboxItem
from tests.helpers import complaint_body, post_json, sent_emails, topic_messages


def test_submit_returns_number_token_and_location(client):
    response = post_json(client, "/complaints", complaint_body())

    assert response.status_code == 201
    body = response.json_body
    assert body["number"].startswith("TS-")
    assert body["status"] == "received"
    assert len(body["tracking_token"]) >= 22  # >= 128 bits, url-safe base64
    assert response.headers["Location"] == f"/complaints/{body['number']}"


def test_numbers_follow_each_other_within_a_day(client):
    first = post_json(client, "/complaints", complaint_body()).json_body["number"]
    second = post_json(client, "/complaints", complaint_body()).json_body["number"]
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1


def test_token_is_stored_only_as_a_hash(client):
    body = post_json(client, "/complaints", complaint_body()).json_body
    item = ComplaintItem.get(f"C#{body['number']}", "META")
    assert body["tracking_token"] not in item.doc
    assert json.loads(item.doc)["tracking_token_hash"]


def test_record_first_event_and_outbox_are_written(client):
    number = post_json(client, "/complaints", complaint_body()).json_body["number"]
    events = list(EventItem.query(f"C#{number}", EventItem.sk.startswith("EV#")))
    outbox = list(OutboxItem.query(f"C#{number}", OutboxItem.sk.startswith("OUT#")))
    assert [event.type for event in events] == ["received"]
    assert sorted(entry.audience for entry in outbox) == ["complainant", "supervisors"]
    assert {entry.status for entry in outbox} == {"sent"}


def test_acknowledgement_email_in_the_complaints_language(client):
    post_json(client, "/complaints", complaint_body(language="en"))
    [mail] = sent_emails()
    assert mail.destinations["ToAddresses"] == ["zhang@example.com"]
    assert "Complaint received: TS-" in mail.subject
    assert "Track it at" in mail.body


def test_acknowledgement_in_chinese_by_default(client):
    post_json(client, "/complaints", complaint_body())
    [mail] = sent_emails()
    assert mail.subject.startswith("投诉已登记")


def test_supervisors_get_number_and_subject(client):
    number = post_json(client, "/complaints", complaint_body()).json_body["number"]
    [(message_id, message, subject, attributes, group)] = [
        (n[0], n[1], n[2], n[3], n[4]) for n in topic_messages()
    ]
    assert number in message and "Rude staff at the counter" in message
    assert attributes["department"]["Value"] == "service"
    # the department by the names the settings give it, not only its code
    assert "Department: 客服部 / " in message and "(service)" in message


def test_anonymous_complaint_needs_no_contact(client):
    body = complaint_body(complainant={"anonymous": True})
    response = post_json(client, "/complaints", body)
    assert response.status_code == 201
    assert sent_emails() == []
    assert len(topic_messages()) == 1


def test_complainant_view_with_token(client):
    receipt = post_json(client, "/complaints", complaint_body()).json_body
    response = client.http.get(
        f"/complaints/{receipt['number']}",
        headers={"X-Tracking-Token": receipt["tracking_token"]},
    )
    assert response.status_code == 200
    view = response.json_body
    assert view["status"] == "received"
    assert [entry["event"] for entry in view["timeline"]] == ["received"]
    assert "complainant" not in view


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_wrong_or_missing_token_looks_like_unknown_number(client, token):
    number = post_json(client, "/complaints", complaint_body()).json_body["number"]
    headers = {"X-Tracking-Token": token} if token is not None else {}
    wrong = client.http.get(f"/complaints/{number}", headers=headers)
    unknown = client.http.get("/complaints/TS-20200101-0001", headers=headers)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json_body == unknown.json_body


def test_notification_failure_keeps_the_complaint(client, monkeypatch):
    monkeypatch.setenv("SES_SENDER", "unverified@example.net")
    from chalicelib import wiring
    from chalicelib.adapters.notifier import AwsNotifier

    services = wiring.get_services()
    services.notifier = AwsNotifier("unverified@example.net", services.notifier.topic_arn)

    response = post_json(client, "/complaints", complaint_body())

    assert response.status_code == 201
    number = response.json_body["number"]
    assert ComplaintItem.get(f"C#{number}", "META").status == "received"
    outbox = {
        e.audience: e for e in OutboxItem.query(f"C#{number}", OutboxItem.sk.startswith("OUT#"))
    }
    failed = outbox["complainant"]
    assert failed.status == "pending" and failed.attempts == 1
    assert "MessageRejected" in failed.last_error
    assert failed.outbox_pk == "PENDING"  # listed for the retry job
    assert outbox["supervisors"].status == "sent"


@pytest.fixture
def atomic_moto(monkeypatch):
    """Each AWS call atomic, as in DynamoDB: moto's in-process mock is not thread-safe."""
    from moto.core.botocore_stubber import BotocoreStubber

    lock = threading.Lock()
    original = BotocoreStubber.__call__

    def locked(self, *args, **kwargs):
        with lock:
            return original(self, *args, **kwargs)

    monkeypatch.setattr(BotocoreStubber, "__call__", locked)


def test_concurrent_intakes_get_distinct_numbers(aws, atomic_moto):
    from chalicelib.domain.complaint_input import ComplaintInput
    from chalicelib.service.intake import submit_complaint
    from chalicelib.wiring import get_services

    services = get_services()
    data = ComplaintInput.model_validate(complaint_body())
    numbers, errors = [], []

    def submit():
        try:
            numbers.append(submit_complaint(data, services).number)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(numbers) == 8 and len(set(numbers)) == 8
    sequences = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    assert sequences == list(range(1, 9))  # no gaps either


def cancelled(*codes: str | None):
    """pynamodb's error for a TransactWriteItems that DynamoDB cancelled with these reasons."""
    from pynamodb.exceptions import CancellationReason, TransactWriteError, VerboseClientError

    reasons = [CancellationReason(code=code) if code else None for code in codes]
    response = {"Error": {"Code": "TransactionCanceledException", "Message": "cancelled"}}
    cause = VerboseClientError(response, "TransactWriteItems", cancellation_reasons=reasons)
    return TransactWriteError("Failed to write transaction items", cause)


def reasons_for(failure, kwargs) -> list:
    """A list of reasons is taken as is; a dict names items by sort key ({"META": code}:
    the complaint), wherever the transaction puts them."""
    if isinstance(failure, list):
        return failure
    kinds = ("condition_check_items", "delete_items", "put_items", "update_items")
    items = [item for kind in kinds for item in kwargs.get(kind, ())]
    return [failure.get((item.get("Item") or item.get("Key"))["sk"]["S"]) for item in items]


@pytest.fixture
def cancel_transactions(monkeypatch):
    """Makes the next transactions fail with the given reasons, then lets them through."""
    from pynamodb.connection import Connection

    failures: list = []
    real = Connection.transact_write_items

    def transact(self, *args, **kwargs):
        if failures:
            raise cancelled(*reasons_for(failures.pop(0), kwargs))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "transact_write_items", transact)
    return failures


@pytest.mark.parametrize(
    "reason",
    ["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"],
)
def test_a_transiently_cancelled_intake_is_sent_again(client, cancel_transactions, reason):
    """DynamoDB cancels a transaction on an item another one is writing (TransactionConflict)
    or when throttled: the same transaction goes again, keeping its number."""
    cancel_transactions += [[None, reason, None], [reason, None, None]]

    response = post_json(client, "/complaints", complaint_body())

    assert response.status_code == 201, response.json_body
    assert response.json_body["number"].endswith("-0001")
    assert cancel_transactions == []


def test_a_failed_intake_leaves_a_recorded_gap_never_a_reused_number(aws, cancel_transactions):
    from chalicelib.adapters.dynamo import GapItem
    from chalicelib.domain.complaint_input import ComplaintInput
    from chalicelib.service.intake import submit_complaint
    from chalicelib.wiring import get_services

    services = get_services()
    data = ComplaintInput.model_validate(complaint_body())
    # The new complaint's own condition: the number is in use (say, the counter was reset).
    cancel_transactions.append({"META": "ConditionalCheckFailed"})

    number = submit_complaint(data, services).number
    after = submit_complaint(data, services).number

    day = number.split("-")[1]
    assert number.endswith("-0002") and after.endswith("-0003")
    [gap] = GapItem.query(f"COUNTER#{day}", GapItem.sk.startswith("GAP#"))
    assert gap.number == f"TS-{day}-0001" and "exists" in gap.reason
    assert services.complaints.load(f"TS-{day}-0001") is None


def test_a_concurrent_repeat_item_change_rebuilds_the_intake_under_its_number(
    aws, cancel_transactions
):
    """The number is this intake's alone: a definite cancellation does not cost a gap."""
    from chalicelib.adapters.dynamo import GapItem
    from chalicelib.domain.complaint_input import ComplaintInput
    from chalicelib.service.intake import submit_complaint
    from chalicelib.wiring import get_services

    body = complaint_body(respondent={"department": "billing office"})
    cancel_transactions.append({"REPEAT": "ConditionalCheckFailed"})
    number = submit_complaint(ComplaintInput.model_validate(body), get_services()).number

    assert number.endswith("-0001") and cancel_transactions == []
    day = number.split("-")[1]
    assert list(GapItem.query(f"COUNTER#{day}", GapItem.sk.startswith("GAP#"))) == []


def test_an_intake_that_cannot_commit_records_its_number_as_a_gap(
    aws, cancel_transactions, monkeypatch
):
    from chalicelib.adapters import repository
    from chalicelib.adapters.dynamo import GapItem
    from chalicelib.domain.complaint_input import ComplaintInput
    from chalicelib.domain.errors import Conflict
    from chalicelib.service.intake import submit_complaint
    from chalicelib.wiring import get_services

    monkeypatch.setattr(repository, "NUMBER_ATTEMPTS", 2)
    monkeypatch.setattr(repository, "TRANSIENT_ATTEMPTS", 2)
    cancel_transactions += [[None, "TransactionConflict", None]] * 4
    data = ComplaintInput.model_validate(complaint_body())

    with pytest.raises(Conflict):
        submit_complaint(data, get_services())
    number = submit_complaint(data, get_services()).number

    assert number.endswith("-0002")
    [gap] = GapItem.query(f"COUNTER#{number.split('-')[1]}", GapItem.sk.startswith("GAP#"))
    assert gap.number.endswith("-0001")


def test_a_number_is_one_atomic_counter_update(aws, monkeypatch):
    """No read of the counter, and no counter in the transaction: intakes do not serialise."""
    from pynamodb.connection import Connection

    from chalicelib.domain.complaint_input import ComplaintInput
    from chalicelib.service.intake import submit_complaint
    from chalicelib.wiring import get_services

    seen = []
    real_dispatch = Connection.dispatch

    def dispatch(self, operation, kwargs):
        seen.append((operation, json.dumps(kwargs)))
        return real_dispatch(self, operation, kwargs)

    monkeypatch.setattr(Connection, "dispatch", dispatch)
    submit_complaint(ComplaintInput.model_validate(complaint_body()), get_services())

    counter_calls = [op for op, body in seen if "COUNTER#" in body]
    assert counter_calls == ["UpdateItem"]
    # (the other UpdateItem is the acknowledgement counter, LIMIT#..., issue 12)
    [update] = [body for op, body in seen if op == "UpdateItem" and "COUNTER#" in body]
    assert "ADD" in update


def test_idempotent_retry_returns_the_same_complaint(client):
    headers = {"Idempotency-Key": "retry-key-0001"}
    first = post_json(client, "/complaints", complaint_body(), headers)
    second = post_json(client, "/complaints", complaint_body(), headers)

    assert first.status_code == second.status_code == 201
    assert first.json_body == second.json_body
    assert len(sent_emails()) == 1
    assert len(list(ComplaintItem.by_month.scan())) == 1  # test-only look at the table


def test_same_key_with_another_body_is_refused(client):
    headers = {"Idempotency-Key": "retry-key-0002"}
    post_json(client, "/complaints", complaint_body(), headers)
    other = post_json(client, "/complaints", complaint_body(subject="Something else"), headers)
    assert other.status_code == 422
    assert other.json_body["error"]["code"] == "idempotency_key_reused"


def test_idempotency_table_never_holds_the_token(client):
    import boto3

    headers = {"Idempotency-Key": "retry-key-0003"}
    token = post_json(client, "/complaints", complaint_body(), headers).json_body["tracking_token"]
    rows = boto3.client("dynamodb").scan(TableName="complaints-idempotency-test")["Items"]
    assert rows and token not in json.dumps(rows)
