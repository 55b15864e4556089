"""moto with one parse per update expression text: the same updates, checks and refusals."""

from __future__ import annotations

import uuid

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from scripts import moto_expressions

COUNT = "SET #n = if_not_exists(#n, :zero) + :step ADD #seen :one"


def shape(node):
    """A parsed expression as nested tuples of node types and leaves."""
    children = getattr(node, "children", None)
    if children is None:
        return repr(node)
    return (type(node).__name__, tuple(shape(child) for child in children))


@pytest.fixture
def table():
    with mock_aws():
        moto_expressions.install()  # as tests/conftest.py and scripts/local_aws.py do
        client = boto3.client("dynamodb", region_name="us-east-1")
        name = f"t-{uuid.uuid4().hex[:8]}"  # the suite may share one mock
        client.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield client, name


def count(client, name: str, pk: str, step: int, expression: str = COUNT) -> dict:
    return client.update_item(
        TableName=name,
        Key={"pk": {"S": pk}},
        UpdateExpression=expression,
        ExpressionAttributeNames={"#n": "n", "#seen": "seen"},
        ExpressionAttributeValues={
            ":zero": {"N": "0"},
            ":step": {"N": str(step)},
            ":one": {"N": "1"},
        },
        ReturnValues="ALL_NEW",
    )["Attributes"]


def test_one_text_parsed_once_updates_each_item_with_its_own_values(table):
    client, name = table
    before = moto_expressions.ParsedOnce.make.cache_info().hits
    count(client, name, "a", 2)
    count(client, name, "b", 5)
    after = count(client, name, "a", 3)
    assert (after["n"], after["seen"]) == ({"N": "5"}, {"N": "2"})
    other = client.get_item(TableName=name, Key={"pk": {"S": "b"}})["Item"]
    assert (other["n"], other["seen"]) == ({"N": "5"}, {"N": "1"})
    assert moto_expressions.ParsedOnce.make.cache_info().hits > before


def test_the_kept_tree_is_never_changed_by_an_update(table):
    client, name = table
    kept = moto_expressions.ParsedOnce.make(COUNT)
    original = shape(kept)
    count(client, name, "a", 2)
    count(client, name, "a", 3)
    assert moto_expressions.ParsedOnce.make(COUNT) is kept
    assert shape(kept) == original


def test_a_bad_expression_is_refused_every_time(table):
    client, name = table
    for _ in range(2):
        with pytest.raises(ClientError) as refused:
            count(client, name, "a", 1, expression="SET #n = = :step")
        assert refused.value.response["Error"]["Code"] == "ValidationException"


def test_a_value_the_expression_does_not_name_is_still_refused(table):
    client, name = table
    with pytest.raises(ClientError) as refused:
        count(client, name, "a", 1, expression="SET #n = :step")  # :zero, :one unused
    assert refused.value.response["Error"]["Code"] == "ValidationException"
