"""E-mail replies on AWS (issue 17): SES's receipt rule stores each raw message in the inbound
bucket under `inbound/`, and the object's creation runs the one handler of a received mail
(chalicelib/inbound/handler.py), which puts the reply in the case's thread.

`chalice package` cannot emit an S3 event (it refuses @app.on_s3_event), so the function is
declared here, in the merge template, with the code of chalice's deployment.zip; like the SMS
settings function it has its own role, log group and alarms (infra/alarms.py).

The bucket has a fixed name (stage, account and region) rather than a generated one: its
notification names the function, the function's role names the bucket's objects, and the
invoke permission names the bucket, which by reference would be a dependency cycle.
"""

from __future__ import annotations

from infra.cfn import deleted_with_stack, get_att, lambda_role, private_bucket, ref, sub

FUNCTION = "InboundMail"
ROLE = "InboundMailRole"
LOG_GROUP = "InboundMailLogGroup"
DEAD_LETTER_QUEUE = "InboundMailDeadLetterQueue"
BUCKET = "InboundBucket"
RULE_SET = "InboundRuleSet"
HANDLER = "chalicelib.inbound.handler.lambda_handler"
NAME_SUFFIX = "inbound-mail"
# Where the receipt rule writes raw mail; the function reads nothing else.
INBOUND_PREFIX = "inbound/"
# Raw mail holds personal data; a reply is in the thread once handled, a held one keeps its
# text on the case, so the raw message is kept only long enough to investigate.
RAW_MAIL_DAYS = 30
# S3 invokes asynchronously: two retries, then the event waits in the dead-letter queue.
MAX_RETRIES = 2
TIMEOUT_SECONDS = 60
MEMORY_MB = 512


def bucket_name(stage: str) -> dict:
    return sub(f"complaints-{stage}-inbound-mail-${{AWS::AccountId}}-${{AWS::Region}}")


def bucket_arn(stage: str) -> dict:
    return sub(f"arn:${{AWS::Partition}}:s3:::{bucket_name(stage)['Fn::Sub']}")


def raw_mail_objects(stage: str) -> dict:
    return sub(f"arn:${{AWS::Partition}}:s3:::{bucket_name(stage)['Fn::Sub']}/{INBOUND_PREFIX}*")


def parameters() -> dict:
    return {
        "InboundDomain": {
            "Type": "String",
            "Description": "Optional domain complainants reply to (reply+<token>@<domain>),"
            " received by SES in this region (docs/deploy.md); empty: no Reply-To, no rule",
            "Default": "",
            "AllowedPattern": r"^$|^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$",
            "ConstraintDescription": "empty, or a lower-case domain name",
        },
    }


def conditions() -> dict:
    return {"HasInboundDomain": {"Fn::Not": [{"Fn::Equals": [ref("InboundDomain"), ""]}]}}


def environment() -> dict:
    """For every function: the Reply-To domain of outgoing mail."""
    return {"INBOUND_DOMAIN": ref("InboundDomain")}


def resources(stage: str, variables: dict, runtime: str, retention_days: int) -> dict:
    return {
        **_bucket(stage),
        **_receipt_rule(),
        **_function(stage, variables, runtime, retention_days),
    }


def _bucket(stage: str) -> dict:
    bucket = {
        "Type": "AWS::S3::Bucket",
        **deleted_with_stack(),
        # S3 checks that it may invoke the function when the notification is set.
        "DependsOn": [f"{FUNCTION}InvokePermission"],
        "Properties": {
            "BucketName": bucket_name(stage),
            **private_bucket(),
            "LifecycleConfiguration": {
                "Rules": [
                    {
                        "Id": "expire-raw-mail",
                        "Status": "Enabled",
                        "ExpirationInDays": RAW_MAIL_DAYS,
                    }
                ]
            },
            "NotificationConfiguration": {
                "LambdaConfigurations": [
                    {
                        "Event": "s3:ObjectCreated:*",
                        "Function": get_att(FUNCTION, "Arn"),
                        "Filter": {
                            "S3Key": {"Rules": [{"Name": "prefix", "Value": INBOUND_PREFIX}]}
                        },
                    }
                ]
            },
        },
    }
    ses_puts = {
        "Sid": "SesReceiptRulePutsRawMail",
        "Effect": "Allow",
        "Principal": {"Service": "ses.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": raw_mail_objects(stage),
        "Condition": {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}},
    }
    deny_plain_http = {
        "Sid": "DenyPlainHttp",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",  # a deny: the wildcard widens what is refused
        "Resource": [get_att(BUCKET, "Arn"), sub(f"${{{BUCKET}.Arn}}/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    policy = {
        "Type": "AWS::S3::BucketPolicy",
        **deleted_with_stack(),
        "Properties": {
            "Bucket": ref(BUCKET),
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [ses_puts, deny_plain_http]},
        },
    }
    permission = {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": get_att(FUNCTION, "Arn"),
            "Principal": "s3.amazonaws.com",
            "SourceAccount": ref("AWS::AccountId"),
            "SourceArn": bucket_arn(stage),
        },
    }
    return {
        BUCKET: bucket,
        f"{BUCKET}Policy": policy,
        f"{FUNCTION}InvokePermission": permission,
    }


def _receipt_rule() -> dict:
    """Created only with a domain. SES uses one active rule set per account and region, which
    CloudFormation cannot select: docs/deploy.md says to activate it once."""
    rule_set = {
        "Type": "AWS::SES::ReceiptRuleSet",
        "Condition": "HasInboundDomain",
        "Properties": {"RuleSetName": sub("${AWS::StackName}-inbound")},
    }
    rule = {
        "Type": "AWS::SES::ReceiptRule",
        "Condition": "HasInboundDomain",
        # SES checks that it may write to the bucket when the rule is created.
        "DependsOn": [f"{BUCKET}Policy"],
        "Properties": {
            "RuleSetName": ref(RULE_SET),
            "Rule": {
                "Name": sub("${AWS::StackName}-replies"),
                "Enabled": True,
                "Recipients": [ref("InboundDomain")],
                # Spam and virus verdicts in the headers: such mail is held for staff.
                "ScanEnabled": True,
                "TlsPolicy": "Optional",
                "Actions": [
                    {"S3Action": {"BucketName": ref(BUCKET), "ObjectKeyPrefix": INBOUND_PREFIX}}
                ],
            },
        },
    }
    return {RULE_SET: rule_set, "InboundReceiptRule": rule}


def _function(stage: str, variables: dict, runtime: str, retention_days: int) -> dict:
    log_group = {
        "Type": "AWS::Logs::LogGroup",
        **deleted_with_stack(),
        "Properties": {
            "LogGroupName": sub(f"/aws/lambda/${{AWS::StackName}}-{NAME_SUFFIX}"),
            "RetentionInDays": retention_days,
        },
    }
    queue = {
        "Type": "AWS::SQS::Queue",
        **deleted_with_stack(),
        "Properties": {
            "MessageRetentionPeriod": 14 * 24 * 3600,
            "SqsManagedSseEnabled": True,
        },
    }
    function = {
        "Type": "AWS::Serverless::Function",
        "DependsOn": [LOG_GROUP],
        "Properties": {
            "FunctionName": sub(f"${{AWS::StackName}}-{NAME_SUFFIX}"),
            # The same package as chalice's functions (infra/package.py finishes it).
            "CodeUri": "./deployment.zip",
            "Handler": HANDLER,
            "Runtime": runtime,
            "MemorySize": MEMORY_MB,
            "Timeout": TIMEOUT_SECONDS,
            "Role": get_att(ROLE, "Arn"),
            "Environment": {"Variables": variables},
            "DeadLetterQueue": {"Type": "SQS", "TargetArn": get_att(DEAD_LETTER_QUEUE, "Arn")},
            "EventInvokeConfig": {"MaximumRetryAttempts": MAX_RETRIES},
        },
    }
    return {
        LOG_GROUP: log_group,
        DEAD_LETTER_QUEUE: queue,
        ROLE: _role(stage),
        FUNCTION: function,
    }


def _allow(sid: str, actions: list[str], resource) -> dict:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resource}


TABLE_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
]


def _role(stage: str) -> dict:
    """What the handler does: read the raw mail, load the case's thread and commit the reply
    (a transaction) with its outbox entries, store the attachments, and deliver the handler's
    notice as the API's reply route does (SNS; SES for an e-mail notice)."""
    sender = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${SenderEmail}"
    config_set = (
        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}"
        ":configuration-set/${EmailConfigurationSet}"
    )
    statements = [
        _allow("RawMail", ["s3:GetObject"], raw_mail_objects(stage)),
        _allow("ComplaintsTable", TABLE_ACTIONS, get_att("ComplaintsTable", "Arn")),
        _allow("ComplaintsIndexes", ["dynamodb:Query"], sub("${ComplaintsTable.Arn}/index/*")),
        _allow("ReplyAttachments", ["s3:PutObject"], sub("${AttachmentsBucket.Arn}/attachments/*")),
        _allow("Mail", ["ses:SendEmail", "ses:SendRawEmail"], [sub(sender), sub(config_set)]),
        _allow("Notices", ["sns:Publish"], ref("NotificationsTopic")),
        # A notice by SMS: SNS names no resource for a phone number.
        _allow("TextMessages", ["sns:Publish"], "*"),
        _allow(
            "OwnLogGroup", ["logs:CreateLogStream", "logs:PutLogEvents"], get_att(LOG_GROUP, "Arn")
        ),
        _allow(
            "FailedEventsToDeadLetterQueue", ["sqs:SendMessage"], get_att(DEAD_LETTER_QUEUE, "Arn")
        ),
    ]
    return lambda_role("inbound-mail", statements)
