"""The stateful part of each template, created by moto's CloudFormation.

moto cannot create AWS::Serverless::Function (nor run the SAM transform) and has no
CloudFormation support for alarms, SNS subscriptions, SES, Cognito or bucket policies, so
this takes the tables, topics, queue and bucket out of the built template and creates just
those. moto's CloudFormation applies only a bucket's encryption (and tags): its public access
block, CORS and lifecycle rule are checked on the template (test_template.py).
"""

from __future__ import annotations

import json

import boto3
import pytest

from chalicelib.adapters import schema
from infra import build

CREATABLE = frozenset(
    {"AWS::DynamoDB::Table", "AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::S3::Bucket"}
)
PARAMETERS = {
    "SenderEmail": "complaints@example.org",
    "PublicBaseUrl": "https://complaints.example.org",
    "OpsEmail": "ops@example.org",
    "CorsOrigins": "https://city.example",
    "SmsSignature": "【某市投诉中心】",
}


def references(node) -> set[str]:
    """Logical ids a resource refers to (Ref, GetAtt, ${Name} or ${Name.Attr} in Fn::Sub)."""
    import re

    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref":
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0])
            elif key == "Fn::Sub":
                text = value if isinstance(value, str) else value[0]
                found.update(m.split(".")[0] for m in re.findall(r"\$\{([^}!]+)\}", text))
            else:
                found |= references(value)
    elif isinstance(node, list):
        for value in node:
            found |= references(value)
    return {name for name in found if not name.startswith("AWS::")}


def without_function_triggers(resource: dict) -> dict:
    """The inbound bucket without its trigger of the inbound mail function, which moto
    cannot create (its notification is checked on the template: test_inbound.py)."""
    if resource["Type"] != "AWS::S3::Bucket":
        return resource
    properties = dict(resource["Properties"])
    properties.pop("NotificationConfiguration", None)
    stripped = {key: value for key, value in resource.items() if key != "DependsOn"}
    return stripped | {"Properties": properties}


def resources_only(template: dict) -> dict:
    resources = {
        name: without_function_triggers(resource)
        for name, resource in template["Resources"].items()
        if resource["Type"] in CREATABLE
    }
    known = set(resources) | set(template["Parameters"])
    dangling = {name: references(r) - known for name, r in resources.items()}
    assert not any(dangling.values()), f"resources refer outside the subset: {dangling}"
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": template["Parameters"],
        "Conditions": template["Conditions"],
        "Resources": resources,
    }


def _index_layout(indexes: list[dict]) -> dict:
    return {
        index["IndexName"]: (index["KeySchema"], index["Projection"]["ProjectionType"])
        for index in indexes
    }


@pytest.mark.parametrize("stage", build.STAGES)
def test_tables_indexes_topics_queue_and_bucket_are_created(templates, stage):
    cloudformation = boto3.client("cloudformation")
    stack = f"complaints-{stage}-smoke"
    cloudformation.create_stack(
        StackName=stack,
        TemplateBody=json.dumps(resources_only(templates[stage])),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in PARAMETERS.items()],
    )
    status = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    assert status == "CREATE_COMPLETE"
    created = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in cloudformation.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    }
    assert set(created) == {
        name for name, r in templates[stage]["Resources"].items() if r["Type"] in CREATABLE
    }

    dynamodb = boto3.client("dynamodb")
    table = dynamodb.describe_table(TableName=created["ComplaintsTable"])["Table"]
    expected = schema.complaints_table(created["ComplaintsTable"])
    assert table["KeySchema"] == expected["KeySchema"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert _index_layout(table["GlobalSecondaryIndexes"]) == _index_layout(
        expected["GlobalSecondaryIndexes"]
    )
    assert table["DeletionProtectionEnabled"] is (stage in build.PROTECTED_STAGES)
    for index in expected["GlobalSecondaryIndexes"]:
        hash_key = index["KeySchema"][0]["AttributeName"]
        page = dynamodb.query(
            TableName=created["ComplaintsTable"],
            IndexName=index["IndexName"],
            KeyConditionExpression="#h = :h",
            ExpressionAttributeNames={"#h": hash_key},
            ExpressionAttributeValues={":h": {"S": "none"}},
        )
        assert page["Items"] == []

    idempotency = dynamodb.describe_table(TableName=created["IdempotencyTable"])["Table"]
    assert idempotency["KeySchema"] == schema.idempotency_table("x")["KeySchema"]
    assert idempotency["DeletionProtectionEnabled"] is (stage in build.PROTECTED_STAGES)

    sns = boto3.client("sns")
    topics = {t["TopicArn"] for t in sns.list_topics()["Topics"]}
    assert {created["NotificationsTopic"], created["OpsTopic"]} <= topics

    for queue in ("JobsDeadLetterQueue", "SesEventsDeadLetterQueue", "InboundMailDeadLetterQueue"):
        attributes = boto3.client("sqs").get_queue_attributes(
            QueueUrl=created[queue], AttributeNames=["MessageRetentionPeriod"]
        )
        assert attributes["Attributes"]["MessageRetentionPeriod"] == str(14 * 24 * 3600)

    s3 = boto3.client("s3")
    for bucket in (created["AttachmentsBucket"], created["InboundBucket"]):
        assert bucket in {b["Name"] for b in s3.list_buckets()["Buckets"]}
        encryption = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
        algorithms = [
            r["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] for r in encryption["Rules"]
        ]
        assert algorithms == ["AES256"], bucket

    cloudformation.delete_stack(StackName=stack)
