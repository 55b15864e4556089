"""The variables the stack gives each function, on top of .chalice/config.json's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra import abuse, inbound, sms
from infra.cfn import ref, sub

if TYPE_CHECKING:
    from infra.functions import Function


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
        **inbound.environment(),
        "LIMIT_HASH_KEY": abuse.limit_hash_key_variable(),
    }
