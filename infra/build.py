"""Build the deployable SAM templates: `chalice package` merged with the stack's resources.

    python -m infra.build [--stage dev] [--stage prod] [--out build] [--region us-east-1]

For each stage this writes build/<stage>/merge-template.json and runs
`chalice package --stage <stage> --merge-template ...`, which leaves build/<stage>/sam.json
(the template to deploy) and build/<stage>/deployment.zip beside it.

The merge template is generated here rather than kept as JSON so that the tables come
from chalicelib/adapters/schema.py, the definitions the local stack and the tests create,
and cannot drift from them. It declares every resource the functions use and overrides
the parts of chalice's function resources that need them (names, environment, the dead
letter queue). The IAM policies are hand-written in .chalice/policy-*.json and refer to
the logical ids declared here (ComplaintsTable, NotificationsTopic, AttachmentsBucket, ...).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalicelib import metrics_names
from infra import abuse, sms
from infra import package as package_module

PROJECT = Path(__file__).resolve().parent.parent
STAGES = ("dev", "prod")
PROTECTED_STAGES = frozenset({"prod"})
DEFAULT_REGION = "us-east-1"
# Powertools' DynamoDBPersistenceLayer default expiry attribute (see schema.create_tables).
IDEMPOTENCY_TTL_ATTRIBUTE = "expiration"
ALARM_PERIOD_SECONDS = 300
# Where chalicelib/service/attachments.py keys evidence files; the API role may touch no other.
ATTACHMENTS_PREFIX = "attachments/"
# Long enough for any upload to finish; presigned POSTs expire after 15 minutes.
INCOMPLETE_UPLOAD_DAYS = 1
# Default retention of replaced attachment versions (parameter AttachmentsRetentionDays).
NONCURRENT_RETENTION_DAYS = 1095
# Variables of the local stack (scripts/local_env.sh): none may reach a deployable stage.
LOCAL_ONLY_VARIABLES = (
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AUTH_JWKS_FILE",
    "LOCAL_DIR",
    "LOCAL_SIGN_IN",  # the console's demo sign-in (chalicelib/http/local_signin.py)
    "STAFF_DIRECTORY_FILE",
)


class BuildError(Exception):
    pass


@dataclass(frozen=True)
class Function:
    """A Lambda function as `chalice package` names it, and what the stack adds to it."""

    logical_id: str
    chalice_name: str  # key under lambda_functions in .chalice/config.json
    name_suffix: str  # deployed as <stack name>-<suffix>
    schedule_event: str | None = None
    dead_letter_queue: bool = False
    sns_event: str | None = None  # chalice's name for an SNS subscription event
    serves_http: bool = False  # gets the settings of the HTTP routes (attachments, CORS, Open311)

    @property
    def role(self) -> str:
        return _camel(self.chalice_name) + "Role"

    @property
    def log_group(self) -> str:
        return _camel(self.chalice_name) + "LogGroup"

    @property
    def deployed_name(self) -> dict:
        return sub(f"${{AWS::StackName}}-{self.name_suffix}")


FUNCTIONS = (
    Function("APIHandler", "api_handler", "api", serves_http=True),
    # The built-in authorizer of the staff routes (chalicelib/http/staff.py).
    Function("StaffJwt", "staff_jwt", "staff-jwt"),
    Function(
        "RunJobs",
        "run_jobs",
        "run-jobs",
        schedule_event="RunJobsEvent",
        dead_letter_queue=True,
    ),
    # SES bounces and complaints (chalicelib/service/bounces.py), from EmailEventsTopic.
    Function("SesEvents", "ses_events", "ses-events", sns_event=abuse.SES_EVENTS_SUBSCRIPTION),
)
# The scheduled job runs every 5 minutes: a retried invocation older than this is dropped
# rather than run beside the next one (with reserved concurrency 1 they never overlap).
JOB_MAX_EVENT_AGE_SECONDS = 240
JOB_MAX_RETRIES = 1


def _camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def ref(name: str) -> dict:
    return {"Ref": name}


def get_att(name: str, attribute: str) -> dict:
    return {"Fn::GetAtt": [name, attribute]}


def sub(text: str) -> dict:
    return {"Fn::Sub": text}


# --- Resources -----------------------------------------------------------------------------


def parameters() -> dict:
    email = r"[^@\s]+@[^@\s]+\.[^@\s]+"
    origin = r"https?://[^\s,/]+"
    return {
        "SenderEmail": {
            "Type": "String",
            "Description": "From address of e-mail to complainants (an SES identity is created)",
            "AllowedPattern": f"^{email}$",
            "ConstraintDescription": "an e-mail address",
        },
        "PublicBaseUrl": {
            "Type": "String",
            "Description": "Base URL of the public form; tracking links are <url>/track",
            # No trailing slash: the console's sign-in callback is <url>/console/ exactly.
            "AllowedPattern": r"^https://\S*[^/\s]$",
            "ConstraintDescription": "an https:// URL without a trailing slash",
        },
        "StaffSignInDomainPrefix": {
            "Type": "String",
            "Description": "Optional prefix of the Cognito hosted sign-in domain"
            " (<prefix>.auth.<region>.amazoncognito.com) for the staff console;"
            " empty: complaints-<account id>-<stage>",
            "Default": "",
            "AllowedPattern": r"^$|^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
            "ConstraintDescription": "empty, or lowercase letters, digits and hyphens",
        },
        "ReportRecipients": {
            "Type": "String",
            "Description": "Optional comma-separated addresses that get the monthly report"
            " (management, quality); empty: no monthly e-mail",
            "Default": "",
            "AllowedPattern": f"^$|^{email}(,{email})*$",
            "ConstraintDescription": "empty or comma-separated e-mail addresses",
        },
        "OpsEmail": {
            "Type": "String",
            "Description": "Optional address subscribed to the ops (alarm) topic",
            "Default": "",
            "AllowedPattern": f"^$|^{email}$",
            "ConstraintDescription": "empty or an e-mail address",
        },
        # Exact origins, as browsers send them: the attachments bucket's CORS compares them as
        # they are, so no spaces, paths or trailing slashes.
        "CorsOrigins": {
            "Type": "String",
            "Description": "Optional comma-separated origins of other sites that embed the forms"
            " (CORS on the API and on the attachments bucket)",
            "Default": "",
            "AllowedPattern": f"^$|^{origin}(,{origin})*$",
            "ConstraintDescription": "empty, or origins like https://a.example,https://b.example",
        },
        "Open311JurisdictionId": {
            "Type": "String",
            "Description": "Optional Open311 jurisdiction_id (e.g. city.example.org)",
            "Default": "",
            "AllowedPattern": r"^\S*$",
            "ConstraintDescription": "no spaces",
        },
        # The keys themselves never pass through the template or its parameters: CloudFormation
        # reads them from Secrets Manager at deploy time (see open311_api_keys()).
        "Open311ApiKeysSecret": {
            "Type": "String",
            "Description": "Optional name of a Secrets Manager secret holding the Open311"
            " api_keys, comma-separated; empty: Open311 takes no posts",
            "Default": "",
            "AllowedPattern": r"^[A-Za-z0-9/_+=.@-]*$",
            "ConstraintDescription": "empty or a secret name (not an ARN)",
        },
        "AttachmentsRetentionDays": {
            "Type": "Number",
            "Description": "Days an attachment version is kept after a newer one or a delete"
            " replaced it (the organisation's retention period for evidence)",
            "Default": NONCURRENT_RETENTION_DAYS,
            "MinValue": 1,
            "ConstraintDescription": "a whole number of days, at least 1",
        },
        "Open311ApiKeysSecretVersion": {
            "Type": "String",
            "Description": "Optional VersionId of that secret (default: its current version at"
            " deploy time); give the new one after changing the keys, so the function updates",
            "Default": "",
            "AllowedPattern": r"^[A-Za-z0-9-]*$",
            "ConstraintDescription": "empty or a secret VersionId",
        },
    }


def conditions() -> dict:
    return {
        "HasOpsEmail": _not_empty("OpsEmail"),
        "HasCorsOrigins": _not_empty("CorsOrigins"),
        "HasOpen311ApiKeys": _not_empty("Open311ApiKeysSecret"),
        "HasSignInDomainPrefix": _not_empty("StaffSignInDomainPrefix"),
    }


def _not_empty(parameter: str) -> dict:
    return {"Fn::Not": [{"Fn::Equals": [ref(parameter), ""]}]}


def tables(protected: bool) -> dict:
    from chalicelib.adapters import schema

    complaints = _table_properties(schema.complaints_table("unused"))
    complaints["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
    complaints["DeletionProtectionEnabled"] = protected
    # Only the acknowledgement counters carry this attribute (chalicelib/adapters/limits.py).
    complaints["TimeToLiveSpecification"] = {"AttributeName": "ttl_expires", "Enabled": True}
    idempotency = _table_properties(schema.idempotency_table("unused"))
    idempotency["TimeToLiveSpecification"] = {
        "AttributeName": IDEMPOTENCY_TTL_ATTRIBUTE,
        "Enabled": True,
    }
    # Its records stop a retried submission from filing a second complaint: in prod it is
    # protected and kept like the complaints table.
    idempotency["DeletionProtectionEnabled"] = protected
    return {
        # Complaint records outlive the stack in prod: deleting or replacing it keeps the table.
        "ComplaintsTable": {
            "Type": "AWS::DynamoDB::Table",
            **_kept_in(protected),
            "Properties": complaints,
        },
        "IdempotencyTable": {
            "Type": "AWS::DynamoDB::Table",
            **_kept_in(protected),
            "Properties": idempotency,
        },
    }


def _kept_in(protected: bool) -> dict:
    policy = "Retain" if protected else "Delete"
    return {"DeletionPolicy": policy, "UpdateReplacePolicy": policy}


def _deleted_with_stack() -> dict:
    return _kept_in(False)


def _table_properties(create_table_args: dict) -> dict:
    # CloudFormation names the table (functions get the name through TABLE_NAME), so that
    # two stacks can live in one account and region.
    return {key: value for key, value in create_table_args.items() if key != "TableName"}


def messaging() -> dict:
    return {
        # Staff subscribe with filter policies on the `department` and `audience` attributes.
        "NotificationsTopic": {
            "Type": "AWS::SNS::Topic",
            "Properties": {"DisplayName": "Complaints"},
        },
        "OpsTopic": {
            "Type": "AWS::SNS::Topic",
            "Properties": {"DisplayName": "Complaints ops"},
        },
        "OpsEmailSubscription": {
            "Type": "AWS::SNS::Subscription",
            "Condition": "HasOpsEmail",
            "Properties": {
                "TopicArn": ref("OpsTopic"),
                "Protocol": "email",
                "Endpoint": ref("OpsEmail"),
            },
        },
        "EmailConfigurationSet": {
            "Type": "AWS::SES::ConfigurationSet",
            "Properties": {
                "ReputationOptions": {"ReputationMetricsEnabled": True},
                "SendingOptions": {"SendingEnabled": True},
            },
        },
        # Applies the configuration set to all mail from the sender; the app need not name it.
        "SenderIdentity": {
            "Type": "AWS::SES::EmailIdentity",
            "Properties": {
                "EmailIdentity": ref("SenderEmail"),
                "ConfigurationSetAttributes": {
                    "ConfigurationSetName": ref("EmailConfigurationSet")
                },
            },
        },
        "JobsDeadLetterQueue": {
            "Type": "AWS::SQS::Queue",
            **_deleted_with_stack(),
            "Properties": {
                "MessageRetentionPeriod": 14 * 24 * 3600,
                "SqsManagedSseEnabled": True,
            },
        },
    }


# Where the console is served; exactly what chalicelib/http/console.py sends as redirect_uri.
CONSOLE_URL = {"Fn::Sub": "${PublicBaseUrl}/console/"}


def console_sign_in(stage: str) -> dict:
    """The hosted UI's domain, where the console sends staff to sign in."""
    default = {"Fn::Sub": f"complaints-${{AWS::AccountId}}-{stage}"}
    return {
        "StaffSignInDomain": {
            "Type": "AWS::Cognito::UserPoolDomain",
            "Properties": {
                "UserPoolId": ref("StaffUserPool"),
                "Domain": {
                    "Fn::If": ["HasSignInDomainPrefix", ref("StaffSignInDomainPrefix"), default]
                },
            },
        }
    }


def staff_directory(protected: bool) -> dict:
    from chalicelib.domain.actor import Role

    pool: dict[str, Any] = {
        "Type": "AWS::Cognito::UserPool",
        "Properties": {
            "UserPoolName": sub("${AWS::StackName}-staff"),
            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
            "UsernameAttributes": ["email"],
            "AutoVerifiedAttributes": ["email"],
            "AccountRecoverySetting": {
                "RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]
            },
            "MfaConfiguration": "OPTIONAL",
            "EnabledMfas": ["SOFTWARE_TOKEN_MFA"],
            "Policies": {
                "PasswordPolicy": {
                    "MinimumLength": 12,
                    "RequireLowercase": True,
                    "RequireUppercase": True,
                    "RequireNumbers": True,
                    "RequireSymbols": False,
                    "TemporaryPasswordValidityDays": 7,
                }
            },
            # Read by chalicelib.domain.actor: comma-separated department names.
            "Schema": [
                {
                    "Name": "departments",
                    "AttributeDataType": "String",
                    "Mutable": True,
                    "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "2048"},
                }
            ],
            "DeletionProtection": "ACTIVE" if protected else "INACTIVE",
        },
    }
    # Complaint records name staff by their `sub`; a new pool would issue new ones.
    pool.update(_kept_in(protected))
    flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    if not protected:
        flows.append("ALLOW_USER_PASSWORD_AUTH")  # lets `aws cognito-idp initiate-auth` log in
    resources = {
        "StaffUserPool": pool,
        "StaffUserPoolClient": {
            "Type": "AWS::Cognito::UserPoolClient",
            "Properties": {
                "UserPoolId": ref("StaffUserPool"),
                "ClientName": "complaints-staff",
                "GenerateSecret": False,
                "ExplicitAuthFlows": flows,
                "PreventUserExistenceErrors": "ENABLED",
                "EnableTokenRevocation": True,
                "AccessTokenValidity": 60,
                "IdTokenValidity": 60,
                "RefreshTokenValidity": 12,
                "TokenValidityUnits": {
                    "AccessToken": "minutes",
                    "IdToken": "minutes",
                    "RefreshToken": "hours",
                },
                "ReadAttributes": ["email", "email_verified", "name", "custom:departments"],
                # The staff console signs in through the hosted UI: authorization code with
                # PKCE (a public client, no secret), back to <PublicBaseUrl>/console/.
                "AllowedOAuthFlowsUserPoolClient": True,
                "AllowedOAuthFlows": ["code"],
                "AllowedOAuthScopes": ["openid", "email", "profile"],
                "SupportedIdentityProviders": ["COGNITO"],
                "CallbackURLs": [CONSOLE_URL],
                "LogoutURLs": [CONSOLE_URL],
                # Never custom:departments: staff must not widen their own access.
                "WriteAttributes": ["name"],
            },
        },
    }
    for role in Role:
        resources[f"StaffGroup{_camel(role.value)}"] = {
            "Type": "AWS::Cognito::UserPoolGroup",
            "Properties": {
                "UserPoolId": ref("StaffUserPool"),
                "GroupName": role.value,
                "Description": f"Complaints role {role.value}",
            },
        }
    return resources


def attachments(protected: bool) -> dict:
    """Evidence files (chalicelib/adapters/attachments.py): private, encrypted, TLS only.
    Browsers POST them straight to the bucket and fetch them by presigned links, so its CORS
    admits the pages' origins. The API role's grants are in .chalice/policy-api-handler.json."""
    bucket = {
        "Type": "AWS::S3::Bucket",
        # Evidence is part of the case record: in prod it outlives the stack, like the table.
        **_kept_in(protected),
        "Properties": {
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            # A confirmed file is served by its version: writing the key again (the upload
            # link stays valid a while) cannot replace the evidence staff download.
            "VersioningConfiguration": {"Status": "Enabled"},
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            },
            # The same rule as the local stack's (scripts/bootstrap.py).
            "CorsConfiguration": {
                "CorsRules": [
                    {
                        "AllowedOrigins": _page_origins(),
                        "AllowedMethods": ["POST", "GET"],
                        "AllowedHeaders": ["*"],
                        "MaxAge": 600,
                    }
                ]
            },
            "LifecycleConfiguration": {
                "Rules": [
                    {
                        "Id": "abort-incomplete-multipart-uploads",
                        "Status": "Enabled",
                        "AbortIncompleteMultipartUpload": {
                            "DaysAfterInitiation": INCOMPLETE_UPLOAD_DAYS
                        },
                    },
                    # A version replaced by a later upload or a delete is kept for the
                    # retention period, then expires; so do delete markers left alone.
                    {
                        "Id": "expire-replaced-versions",
                        "Status": "Enabled",
                        "NoncurrentVersionExpiration": {
                            "NoncurrentDays": ref("AttachmentsRetentionDays")
                        },
                        "ExpiredObjectDeleteMarker": True,
                    },
                ]
            },
        },
    }
    deny_plain_http = {
        "Sid": "DenyPlainHttp",
        "Effect": "Deny",
        "Principal": "*",
        # A deny: the wildcard widens what is refused, it grants nothing.
        "Action": "s3:*",
        "Resource": [
            get_att("AttachmentsBucket", "Arn"),
            sub("${AttachmentsBucket.Arn}/*"),
        ],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    policy = {
        "Type": "AWS::S3::BucketPolicy",
        # Stays on a kept bucket, so that it keeps refusing plain HTTP.
        **_kept_in(protected),
        "Properties": {
            "Bucket": ref("AttachmentsBucket"),
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [deny_plain_http]},
        },
    }
    return {"AttachmentsBucket": bucket, "AttachmentsBucketPolicy": policy}


def site_origin() -> dict:
    """scheme://host[:port] of PublicBaseUrl, which the parameter pins to https://..."""
    host = {"Fn::Select": [2, {"Fn::Split": ["/", ref("PublicBaseUrl")]}]}
    return {"Fn::Join": ["", ["https://", host]]}


def _page_origins() -> dict:
    with_others = {"Fn::Split": [",", {"Fn::Join": [",", [site_origin(), ref("CorsOrigins")]]}]}
    return {"Fn::If": ["HasCorsOrigins", with_others, [site_origin()]]}


def open311_api_keys() -> dict:
    """The keys as a Secrets Manager dynamic reference, which CloudFormation resolves when it
    updates the function; ssm-secure references are not allowed in Lambda environments."""
    reference = (
        "{{resolve:secretsmanager:${Open311ApiKeysSecret}:SecretString:::"
        "${Open311ApiKeysSecretVersion}}}"
    )
    return {"Fn::If": ["HasOpen311ApiKeys", sub(reference), ""]}


def environment(function: Function) -> dict:
    """A function's variables from the stack, on top of .chalice/config.json's."""
    variables = common_environment()
    if function.serves_http:
        variables |= http_environment()
    return variables


def http_environment() -> dict:
    return {
        "ATTACHMENTS_BUCKET": ref("AttachmentsBucket"),
        "CORS_ORIGINS": ref("CorsOrigins"),
        "OPEN311_JURISDICTION_ID": ref("Open311JurisdictionId"),
        "OPEN311_API_KEYS": open311_api_keys(),
        # The console's sign-in (hosted UI) and its assignee picker (the pool's groups).
        "COGNITO_DOMAIN": sub("https://${StaffSignInDomain}.auth.${AWS::Region}.amazoncognito.com"),
        "COGNITO_CLIENT_ID": ref("StaffUserPoolClient"),
        "STAFF_USER_POOL_ID": ref("StaffUserPool"),
    }


def common_environment() -> dict:
    return {
        "TABLE_NAME": ref("ComplaintsTable"),
        "IDEMPOTENCY_TABLE": ref("IdempotencyTable"),
        "NOTIFY_TOPIC_ARN": ref("NotificationsTopic"),
        "SES_SENDER": ref("SenderEmail"),
        "REPORT_RECIPIENTS": ref("ReportRecipients"),
        "PUBLIC_BASE_URL": ref("PublicBaseUrl"),
        "AUTH_ISSUER": sub("https://${StaffUserPool.ProviderURL}"),
        "AUTH_JWKS_URL": sub("https://${StaffUserPool.ProviderURL}/.well-known/jwks.json"),
        "AUTH_AUDIENCE": ref("StaffUserPoolClient"),
        **sms.environment(),
        "LIMIT_HASH_KEY": abuse.limit_hash_key_variable(),
    }


def function_overrides() -> dict:
    """Merged into chalice's resources of the same logical ids."""
    resources: dict[str, Any] = {}
    for function in FUNCTIONS:
        properties: dict[str, Any] = {
            "FunctionName": function.deployed_name,
            "Environment": {"Variables": environment(function)},
        }
        if function.dead_letter_queue:
            properties["DeadLetterQueue"] = {
                "Type": "SQS",
                "TargetArn": get_att("JobsDeadLetterQueue", "Arn"),
            }
        if function.schedule_event:
            # A known rule name, for the alarm on the rule's failed invocations.
            retries = {
                "MaximumRetryAttempts": JOB_MAX_RETRIES,
                "MaximumEventAgeInSeconds": JOB_MAX_EVENT_AGE_SECONDS,
            }
            schedule = {"Properties": {"Name": function.deployed_name, "RetryPolicy": retries}}
            properties["Events"] = {function.schedule_event: schedule}
            properties["EventInvokeConfig"] = dict(retries)
        resources[function.logical_id] = {"Properties": properties}
        # Named from the stack, not from the function, so the role's policy can name the log
        # group without a dependency cycle (role -> log group -> function -> role).
        log_group_name = sub(f"/aws/lambda/${{AWS::StackName}}-{function.name_suffix}")
        resources[function.log_group] = {
            **_deleted_with_stack(),
            "Properties": {"LogGroupName": log_group_name},
        }
    return resources


def gateway_responses() -> dict:
    """API Gateway's own answers (no token, unknown path, throttling, 5xx) in the service's
    error shape: part of the API definition, so they deploy with it (infra/gateway.py)."""
    from infra.gateway import swagger_extension

    extension = {"x-amazon-apigateway-gateway-responses": swagger_extension()}
    return {"RestAPI": {"Properties": {"DefinitionBody": extension}}}


def alarms(metrics_namespace: str) -> dict:
    resources = {}
    for function in FUNCTIONS:
        for metric in ("Errors", "Throttles"):
            resources[f"{function.logical_id}{metric}Alarm"] = _alarm(
                f"{function.logical_id}: Lambda {metric.lower()}",
                "AWS/Lambda",
                metric,
                {"FunctionName": ref(function.logical_id)},
            )
        if function.schedule_event:
            resources[f"{function.logical_id}ScheduleFailedAlarm"] = _alarm(
                f"{function.logical_id}: the schedule could not invoke the function",
                "AWS/Events",
                "FailedInvocations",
                {"RuleName": function.deployed_name},
            )
    resources["JobsDeadLetterQueueAlarm"] = _alarm(
        "A scheduled run failed all its retries (message in the dead-letter queue)",
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        {"QueueName": get_att("JobsDeadLetterQueue", "QueueName")},
        statistic="Maximum",
    )
    resources["NotificationsFailedAlarm"] = _job_metric_alarm(
        metrics_namespace,
        metrics_names.NOTIFICATIONS_FAILED,
        "Scheduled runs could not deliver mail",
    )
    resources["SmsDeferredAlarm"] = _job_metric_alarm(
        metrics_namespace,
        metrics_names.SMS_DEFERRED,
        "The daily SMS cap was reached: text messages wait in the outbox for tomorrow",
    )
    resources["JobErrorsAlarm"] = _job_metric_alarm(
        metrics_namespace,
        metrics_names.JOB_ERRORS,
        "Scheduled runs could not process a complaint",
    )
    return resources


def _alarm(description, namespace, metric, dimensions, statistic="Sum") -> dict:
    properties = {
        "AlarmDescription": description,
        "Namespace": namespace,
        "MetricName": metric,
        "Dimensions": [{"Name": key, "Value": value} for key, value in dimensions.items()],
        "Statistic": statistic,
        "Period": ALARM_PERIOD_SECONDS,
    }
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": _alarm_common() | properties}


def _job_metric_alarm(namespace: str, metric: str, description: str) -> dict:
    # A run that cannot deliver notifications, or process one complaint, does not fail (the
    # outbox keeps them for the next run; the other complaints go on), so Lambda's Errors
    # never see it: the run counts it instead. The query sums the count whatever dimensions
    # it carries.
    query = f'SELECT SUM({metric}) FROM "{namespace}"'
    properties = {
        "AlarmDescription": f"{description} ({metric})",
        "Metrics": [
            {
                "Id": "failures",
                "Expression": query,
                "Period": ALARM_PERIOD_SECONDS,
                "ReturnData": True,
            }
        ],
    }
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": _alarm_common() | properties}


def _alarm_common() -> dict:
    return {
        "EvaluationPeriods": 1,
        "Threshold": 1,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching",
        "AlarmActions": [ref("OpsTopic")],
        "OKActions": [ref("OpsTopic")],
    }


def outputs() -> dict:
    values = {
        "ComplaintsTableName": ref("ComplaintsTable"),
        "IdempotencyTableName": ref("IdempotencyTable"),
        "NotificationsTopicArn": ref("NotificationsTopic"),
        "OpsTopicArn": ref("OpsTopic"),
        "StaffUserPoolId": ref("StaffUserPool"),
        "StaffUserPoolClientId": ref("StaffUserPoolClient"),
        "ConsoleUrl": CONSOLE_URL,
        "EmailConfigurationSetName": ref("EmailConfigurationSet"),
        "JobsDeadLetterQueueUrl": ref("JobsDeadLetterQueue"),
        "AttachmentsBucketName": ref("AttachmentsBucket"),
    }
    return {name: {"Value": value} for name, value in values.items()}


def merge_template(stage: str) -> dict:
    protected = stage in PROTECTED_STAGES
    resources = {
        **tables(protected),
        **messaging(),
        **staff_directory(protected),
        **console_sign_in(stage),
        **attachments(protected),
        **function_overrides(),
        **alarms(metrics_namespace(stage)),
        **gateway_responses(),
        **sms.resources(),
        **abuse.resources(chalice_config(), stage),
    }
    throttling = abuse.method_settings(abuse.stage_limits(chalice_config(), stage))
    resources["RestAPI"]["Properties"]["MethodSettings"] = throttling
    return {
        "Description": f"Complaint service ({stage})",
        "Parameters": parameters() | sms.parameters(),
        "Conditions": conditions(),
        "Resources": resources,
        "Outputs": outputs(),
    }


# --- Stage configuration ------------------------------------------------------------------


def chalice_config() -> dict:
    return json.loads((PROJECT / ".chalice" / "config.json").read_text())


def _config(stage: str, function: Function):
    """Chalice's view of .chalice/config.json for one function in one stage."""
    from chalice.config import Config

    return Config(
        chalice_stage=stage,
        function_name=function.chalice_name,
        config_from_disk=chalice_config(),
    )


def stage_environment(stage: str, function: Function) -> dict[str, str]:
    """A function's variables as chalice computes them from .chalice/config.json."""
    return _config(stage, function).environment_variables


def metrics_namespace(stage: str) -> str:
    namespace = stage_environment(stage, FUNCTIONS[0]).get("POWERTOOLS_METRICS_NAMESPACE")
    if not namespace:
        raise BuildError(f"stage {stage}: set POWERTOOLS_METRICS_NAMESPACE in .chalice/config.json")
    return namespace


def check_stage_config(stage: str) -> None:
    if stage not in chalice_config().get("stages", {}):
        raise BuildError(f"no stage {stage!r} in .chalice/config.json")
    for function in FUNCTIONS:
        leaked = sorted(set(stage_environment(stage, function)) & set(LOCAL_ONLY_VARIABLES))
        if leaked:
            raise BuildError(
                f"stage {stage}: local-only variables {leaked} in .chalice/config.json"
            )
        if not _config(stage, function).iam_policy_file:
            raise BuildError(f"stage {stage}: no iam_policy_file for {function.chalice_name}")


# --- Packaging ------------------------------------------------------------------------------


def package_environment(region: str) -> dict[str, str]:
    """The caller's environment minus anything AWS or app specific: `chalice package` must
    not see a local endpoint or dummy keys, and needs only a region."""
    app_variables = set(LOCAL_ONLY_VARIABLES).union(*(environment(f) for f in FUNCTIONS))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key not in app_variables
    }
    env["AWS_DEFAULT_REGION"] = region
    return env


def chalice_command() -> str:
    beside_python = Path(sys.executable).parent / "chalice"
    return str(beside_python) if beside_python.exists() else "chalice"


def package(stage: str, out_dir: Path, region: str = DEFAULT_REGION) -> Path:
    """Build one stage into out_dir and return the path of its sam.json."""
    check_stage_config(stage)
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    merge_path = out_dir / "merge-template.json"
    merge_path.write_text(json.dumps(merge_template(stage), indent=2) + "\n")
    command = [
        chalice_command(),
        "--project-dir",
        str(PROJECT),
        "package",
        "--stage",
        stage,
        "--merge-template",
        str(merge_path),
        str(out_dir),
    ]
    result = subprocess.run(
        command, cwd=PROJECT, env=package_environment(region), capture_output=True, text=True
    )
    if f"policy-{stage}.json" in result.stderr:
        raise BuildError(
            f"chalice looked for .chalice/policy-{stage}.json: a function has no iam_policy_file"
            f" in stage {stage} of .chalice/config.json. Give it its own policy file there and"
            " wire it in FUNCTIONS of infra/build.py."
        )
    if result.returncode != 0:
        raise BuildError(f"chalice package --stage {stage} failed:\n{result.stderr}")
    template_path = out_dir / "sam.json"
    template = json.loads(template_path.read_text())
    check_functions(template)
    wire_sns_topics(template)
    template_path.write_text(json.dumps(template, indent=2) + "\n")
    check_runtime(template)
    try:
        package_module.finish(out_dir / "deployment.zip", lambda_runtime())
    except package_module.PackageError as error:
        raise BuildError(str(error)) from error
    return template_path


def wire_sns_topics(template: dict) -> None:
    """Point SNS subscriptions at the stack's topic. chalice names a topic by its name in
    app.py, and --merge-template merges dicts key by key, so the whole value is replaced
    here instead (a topic of the stack, not one of a fixed name per account)."""
    for function in FUNCTIONS:
        if function.sns_event:
            events = template["Resources"][function.logical_id]["Properties"]["Events"]
            events[function.sns_event]["Properties"]["Topic"] = ref("EmailEventsTopic")


def lambda_runtime() -> str:
    """The runtime .chalice/config.json declares; chalice itself takes the packaging
    interpreter's version, so the two are checked against each other."""
    runtime = chalice_config().get("lambda_runtime")
    if not runtime:
        raise BuildError('declare "lambda_runtime" (e.g. "python3.11") in .chalice/config.json')
    return runtime


def check_runtime(template: dict) -> None:
    runtime = lambda_runtime()
    for function in FUNCTIONS:
        emitted = template["Resources"][function.logical_id]["Properties"].get("Runtime")
        if emitted != runtime:
            raise BuildError(
                f"chalice packaged {function.logical_id} for {emitted}, but .chalice/config.json"
                f" declares {runtime}: run the build with that Python"
            )


def check_functions(template: dict) -> None:
    """Every function chalice emits must be one this module wires, and the other way round:
    a new function needs its environment, policy file and alarms before it can deploy."""
    resources = template["Resources"]
    emitted = {
        name
        for name, resource in resources.items()
        if resource.get("Type") == "AWS::Serverless::Function"
    }
    wired = {function.logical_id for function in FUNCTIONS}
    if emitted - wired:
        raise BuildError(
            f"chalice emitted functions {sorted(emitted - wired)} that infra/build.py does not"
            " wire: add them to FUNCTIONS and give them a .chalice/policy-*.json"
        )
    missing = sorted(name for name in wired if "Type" not in resources.get(name, {}))
    if missing:
        raise BuildError(
            f"infra/build.py wires functions {missing} that the app does not define"
            " (expected from app.py; see FUNCTIONS)"
        )
    for function in FUNCTIONS:
        events = resources[function.logical_id]["Properties"].get("Events", {})
        if function.schedule_event and "Type" not in events.get(function.schedule_event, {}):
            raise BuildError(
                f"{function.logical_id} has no schedule event {function.schedule_event!r}:"
                f" chalice emitted {sorted(events)}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", action="append", choices=STAGES, help="default: all")
    parser.add_argument("--out", default=str(PROJECT / "build"), help="default: build/")
    parser.add_argument(
        "--region",
        default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
        help=f"region chalice packages for (default: $AWS_REGION or {DEFAULT_REGION})",
    )
    args = parser.parse_args(argv)
    region = args.region or DEFAULT_REGION
    try:
        for stage in args.stage or STAGES:
            path = package(stage, Path(args.out) / stage, region)
            print(f"{stage}: {path}")
    except BuildError as error:
        print(f"infra.build: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
