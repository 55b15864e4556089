"""The stack's parameters (what an organisation fills in at deploy time) and the conditions
derived from them. The SMS parameters are in infra/sms.py."""

from __future__ import annotations

from infra.cfn import not_empty
from infra.storage import NONCURRENT_RETENTION_DAYS


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
        "HasOpsEmail": not_empty("OpsEmail"),
        "HasCorsOrigins": not_empty("CorsOrigins"),
        "HasOpen311ApiKeys": not_empty("Open311ApiKeysSecret"),
        "HasSignInDomainPrefix": not_empty("StaffSignInDomainPrefix"),
    }
