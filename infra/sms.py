"""SNS text messages in the stack: the account's SMS settings and the SMS alarm.

SNS keeps its SMS settings per account and region (SetSMSAttributes), and CloudFormation
has no resource for them, so a small custom resource applies them on every deploy:
transactional by default, the sender ID, and the monthly spend limit (USD), after which
SNS stops sending SMS. The service also marks each message Transactional and, where a
sender ID is set, gives it per message (chalicelib/adapters/notifier.py).

The per-organisation daily cap (`SmsDailyCap`) is the service's own: over it, SMS wait in
the outbox for the next day and `SmsDeferred` is counted, which `SmsDeferredAlarm` watches.
"""

from __future__ import annotations

from chalicelib.domain.sms import MAX_SIGNATURE_CHARS, MIN_SIGNATURE_CHARS
from infra.cfn import lambda_role

FUNCTION = "SmsSettingsFunction"  # the custom resource's function (alarmed in alarms.py)

# Inline code: CloudFormation's cfnresponse module is available to ZipFile functions.
SET_SMS_ATTRIBUTES = """
import boto3, cfnresponse

def handler(event, context):
    status = cfnresponse.SUCCESS
    try:
        if event["RequestType"] in ("Create", "Update"):
            props = event["ResourceProperties"]
            attributes = {
                "DefaultSMSType": "Transactional",
                "MonthlySpendLimit": str(props["MonthlySpendLimit"]),
            }
            if props.get("DefaultSenderID"):
                attributes["DefaultSenderID"] = props["DefaultSenderID"]
            boto3.client("sns").set_sms_attributes(attributes=attributes)
    except Exception as error:  # report it to CloudFormation rather than time out
        print(repr(error))
        status = cfnresponse.FAILED
    cfnresponse.send(event, context, status, {}, "sns-sms-settings")
"""


def parameters() -> dict:
    inside = f"[^【】\\s]{{{MIN_SIGNATURE_CHARS},{MAX_SIGNATURE_CHARS}}}"
    return {
        # Mainland carriers refuse a text that does not begin with the sender's registered
        # signature; every SMS starts with it (chalicelib/adapters/notifier.py).
        "SmsSignature": {
            "Type": "String",
            "Description": "Signature at the start of every SMS, in full-width brackets, exactly"
            " as registered for mainland China (e.g. 【某市投诉中心】); docs/deploy.md",
            "AllowedPattern": f"^【{inside}】$",
            "ConstraintDescription": f"【, {MIN_SIGNATURE_CHARS} to {MAX_SIGNATURE_CHARS}"
            " characters without spaces or brackets, 】",
        },
        "SmsSenderId": {
            "Type": "String",
            "Description": "Optional SMS sender ID (3-11 letters or digits) where the"
            " destination country supports one; mainland China does not",
            "Default": "",
            "AllowedPattern": r"^$|^[A-Za-z0-9]{3,11}$",
            "ConstraintDescription": "empty, or 3 to 11 letters and digits",
        },
        "SmsMonthlySpendLimit": {
            "Type": "Number",
            "Description": "SNS SMS spend limit in USD a month for the account and region;"
            " above 1 USD AWS must raise the account's quota first (docs/deploy.md)",
            "Default": 1,
            "MinValue": 0,
        },
        "SmsDailyCap": {
            "Type": "Number",
            "Description": "SMS the organisation sends a day; more wait in the outbox",
            "Default": 500,
            "MinValue": 0,
        },
    }


def environment() -> dict:
    return {
        "SMS_SENDER_ID": {"Ref": "SmsSenderId"},
        "SMS_DAILY_CAP": {"Ref": "SmsDailyCap"},
        "SMS_SIGNATURE": {"Ref": "SmsSignature"},
    }


def resources(log_retention_days: int) -> dict:
    """The custom resource, its function, role and log group (kept as long as the others)."""
    return {
        "SmsSettingsLogGroup": {
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Delete",
            "UpdateReplacePolicy": "Delete",
            "Properties": {
                "LogGroupName": {"Fn::Sub": "/aws/lambda/${AWS::StackName}-sms-settings"},
                "RetentionInDays": log_retention_days,
            },
        },
        "SmsSettingsRole": lambda_role(
            "sms-settings",
            [
                {
                    # SMS settings are account-wide: no resource to name.
                    "Effect": "Allow",
                    "Action": ["sns:SetSMSAttributes"],
                    "Resource": "*",
                },
                {
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": {"Fn::GetAtt": ["SmsSettingsLogGroup", "Arn"]},
                },
            ],
        ),
        FUNCTION: {
            "Type": "AWS::Lambda::Function",
            "DependsOn": ["SmsSettingsLogGroup"],
            "Properties": {
                "FunctionName": {"Fn::Sub": "${AWS::StackName}-sms-settings"},
                "Runtime": "python3.11",
                "Handler": "index.handler",
                "Timeout": 30,
                "Role": {"Fn::GetAtt": ["SmsSettingsRole", "Arn"]},
                "Code": {"ZipFile": SET_SMS_ATTRIBUTES.strip() + "\n"},
            },
        },
        "SmsSettings": {
            "Type": "Custom::SnsSmsSettings",
            "Properties": {
                "ServiceToken": {"Fn::GetAtt": [FUNCTION, "Arn"]},
                "DefaultSenderID": {"Ref": "SmsSenderId"},
                "MonthlySpendLimit": {"Ref": "SmsMonthlySpendLimit"},
            },
        },
    }
