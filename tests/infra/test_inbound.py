"""E-mail replies on AWS (infra/inbound.py): SES's receipt rule, the inbound bucket, and the
function its objects trigger. moto creates the bucket and queue (test_moto_stack.py); the
rest is checked on the built templates."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from chalicelib.inbound import handler
from infra import build, inbound

STAGES = build.STAGES


@pytest.mark.parametrize("stage", STAGES)
def test_the_bucket_is_private_encrypted_and_expires_raw_mail(templates, stage):
    bucket = templates[stage]["Resources"]["InboundBucket"]["Properties"]
    assert bucket["BucketName"] == inbound.bucket_name(stage)
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert bucket["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    [encryption] = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    [rule] = bucket["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled" and rule["ExpirationInDays"] == 30


@pytest.mark.parametrize("stage", STAGES)
def test_only_ses_of_this_account_may_put_raw_mail(templates, stage):
    policy = templates[stage]["Resources"]["InboundBucketPolicy"]["Properties"]
    assert policy["Bucket"] == {"Ref": "InboundBucket"}
    allows = [s for s in policy["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert allows == [
        {
            "Sid": "SesReceiptRulePutsRawMail",
            "Effect": "Allow",
            "Principal": {"Service": "ses.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": inbound.raw_mail_objects(stage),
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
        }
    ]
    [deny] = [s for s in policy["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


@pytest.mark.parametrize("stage", STAGES)
def test_the_receipt_rule_scans_and_stores_under_the_prefix(templates, stage):
    resources = templates[stage]["Resources"]
    assert resources["InboundRuleSet"]["Condition"] == "HasInboundDomain"
    rule = resources["InboundReceiptRule"]
    assert rule["Condition"] == "HasInboundDomain"
    assert "InboundBucketPolicy" in rule["DependsOn"]  # SES checks it may write there
    properties = rule["Properties"]
    assert properties["RuleSetName"] == {"Ref": "InboundRuleSet"}
    assert properties["Rule"]["Recipients"] == [{"Ref": "InboundDomain"}]
    assert properties["Rule"]["ScanEnabled"] is True
    assert properties["Rule"]["Enabled"] is True
    assert properties["Rule"]["Actions"] == [
        {"S3Action": {"BucketName": {"Ref": "InboundBucket"}, "ObjectKeyPrefix": "inbound/"}}
    ]


@pytest.mark.parametrize("stage", STAGES)
def test_a_stored_mail_runs_the_function_with_its_dead_letter_queue(templates, stage):
    resources = templates[stage]["Resources"]
    bucket = resources["InboundBucket"]
    [trigger] = bucket["Properties"]["NotificationConfiguration"]["LambdaConfigurations"]
    assert trigger["Event"] == "s3:ObjectCreated:*"
    assert trigger["Function"] == {"Fn::GetAtt": ["InboundMail", "Arn"]}
    assert trigger["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": "inbound/"}]
    permission = resources[bucket["DependsOn"][0]]["Properties"]
    assert permission["Principal"] == "s3.amazonaws.com"
    assert permission["SourceArn"] == inbound.bucket_arn(stage)
    assert permission["SourceAccount"] == {"Ref": "AWS::AccountId"}
    function = resources["InboundMail"]["Properties"]
    assert function["Handler"] == "chalicelib.inbound.handler.lambda_handler"
    assert function["CodeUri"] == resources["APIHandler"]["Properties"]["CodeUri"]
    assert function["Runtime"] == resources["APIHandler"]["Properties"]["Runtime"]
    assert function["DeadLetterQueue"] == {
        "Type": "SQS",
        "TargetArn": {"Fn::GetAtt": ["InboundMailDeadLetterQueue", "Arn"]},
    }
    for alarm in ("InboundMailErrorsAlarm", "InboundMailThrottlesAlarm"):
        dimensions = resources[alarm]["Properties"]["Dimensions"]
        assert dimensions == [{"Name": "FunctionName", "Value": {"Ref": "InboundMail"}}]
    depth = resources["InboundMailDeadLetterQueueAlarm"]["Properties"]
    assert depth["MetricName"] == "ApproximateNumberOfMessagesVisible"


def test_the_handler_reads_each_record_of_the_s3_event(monkeypatch):
    seen = []

    def stored(bucket, key):
        seen.append((bucket, key))
        return SimpleNamespace(result="added")

    monkeypatch.setattr(handler, "handle_stored", stored)
    record = {"s3": {"bucket": {"name": "b"}, "object": {"key": "inbound/a+b%3D%3D"}}}
    assert handler.lambda_handler({"Records": [record, record]}, None) == ["added", "added"]
    assert seen == [("b", "inbound/a b==")] * 2
