"""The local AWS's TransactWriteItems: all or nothing, rolling back only what it touched."""

from __future__ import annotations

import uuid

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.dynamodb.models import DynamoDBBackend

from scripts import moto_transactions

TABLE = {"name": "t"}


@pytest.fixture
def dynamodb(monkeypatch):
    monkeypatch.setattr(
        DynamoDBBackend, "transact_write_items", DynamoDBBackend.transact_write_items
    )
    with mock_aws():
        moto_transactions.install()
        client = boto3.client("dynamodb", region_name="us-east-1")
        TABLE["name"] = f"t-{uuid.uuid4().hex[:8]}"  # the suite may share one mock
        client.create_table(
            TableName=TABLE["name"],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        client.put_item(TableName=TABLE["name"], Item={"pk": {"S": "a"}, "v": {"N": "1"}})
        yield client


def put(pk: str, v: str, condition: str | None = None) -> dict:
    op = {"TableName": TABLE["name"], "Item": {"pk": {"S": pk}, "v": {"N": v}}}
    if condition:
        op["ConditionExpression"] = condition
    return {"Put": op}


def value(client, pk: str):
    item = client.get_item(TableName=TABLE["name"], Key={"pk": {"S": pk}}).get("Item")
    return item and item["v"]["N"]


def test_a_cancelled_transaction_applies_nothing(dynamodb):
    with pytest.raises(ClientError) as raised:
        dynamodb.transact_write_items(
            TransactItems=[
                put("b", "7"),  # applied first, then rolled back
                put("a", "2"),
                put("c", "9", "attribute_exists(pk)"),  # fails
            ]
        )
    reasons = [r["Code"] for r in raised.value.response["CancellationReasons"]]
    assert reasons == ["None", "None", "ConditionalCheckFailed"]
    assert (value(dynamodb, "a"), value(dynamodb, "b"), value(dynamodb, "c")) == ("1", None, None)


def test_a_transaction_that_passes_applies_everything(dynamodb):
    dynamodb.transact_write_items(
        TransactItems=[
            {
                "Put": {
                    "TableName": TABLE["name"],
                    "Item": {"pk": {"S": "a"}, "v": {"N": "2"}},
                    "ConditionExpression": "v = :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
            put("b", "3"),
        ]
    )
    assert (value(dynamodb, "a"), value(dynamodb, "b")) == ("2", "3")


def test_the_same_item_twice_is_refused_and_nothing_applied(dynamodb):
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=[put("b", "1"), put("b", "2")])
    assert value(dynamodb, "b") is None
