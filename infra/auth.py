"""The staff directory: a Cognito user pool with one group per role, the console's app
client and its hosted sign-in domain (chalicelib/adapters/auth.py reads the tokens)."""

from __future__ import annotations

from typing import Any

from infra.cfn import camel, kept_in, ref, sub

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
    pool.update(kept_in(protected))
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
        resources[f"StaffGroup{camel(role.value)}"] = {
            "Type": "AWS::Cognito::UserPoolGroup",
            "Properties": {
                "UserPoolId": ref("StaffUserPool"),
                "GroupName": role.value,
                "Description": f"Complaints role {role.value}",
            },
        }
    return resources
