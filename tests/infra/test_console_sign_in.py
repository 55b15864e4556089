"""The console's sign-in on AWS (hosted UI, code flow with PKCE) and the local-only route."""

from __future__ import annotations

import json

import pytest

from infra import build, stage_config

STAGES = build.STAGES
CONSOLE = {"Fn::Sub": "${PublicBaseUrl}/console/"}


@pytest.mark.parametrize("stage", STAGES)
def test_the_app_client_signs_in_with_the_code_flow_back_to_the_console(templates, stage):
    resources = templates[stage]["Resources"]
    client = resources["StaffUserPoolClient"]["Properties"]
    assert client["AllowedOAuthFlows"] == ["code"]  # never the implicit flow
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client["GenerateSecret"] is False  # a browser cannot keep one: PKCE instead
    assert set(client["AllowedOAuthScopes"]) == {"openid", "email", "profile"}
    assert client["CallbackURLs"] == [CONSOLE] and client["LogoutURLs"] == [CONSOLE]
    domain = resources["StaffSignInDomain"]
    assert domain["Type"] == "AWS::Cognito::UserPoolDomain"
    assert domain["Properties"]["UserPoolId"] == {"Ref": "StaffUserPool"}
    assert templates[stage]["Outputs"]["ConsoleUrl"]["Value"] == CONSOLE


@pytest.mark.parametrize("stage", STAGES)
def test_no_deployable_stage_has_the_local_sign_in_route(templates, stage):
    text = json.dumps(templates[stage])
    assert "/console/local" not in text
    assert "LOCAL_SIGN_IN" not in text
    # ... while the console itself is there.
    assert "/console/assets/{name}" in text


def test_the_local_stage_alone_turns_the_local_sign_in_on():
    config = json.loads((stage_config.PROJECT / ".chalice" / "config.json").read_text())
    assert config["stages"]["local"]["environment_variables"]["LOCAL_SIGN_IN"] == "true"
    assert "LOCAL_SIGN_IN" not in config.get("environment_variables", {})
    for stage in STAGES:
        assert "LOCAL_SIGN_IN" not in config["stages"][stage].get("environment_variables", {})
    assert "LOCAL_SIGN_IN" in stage_config.LOCAL_ONLY_VARIABLES


def test_the_redirect_uri_the_console_sends_is_the_registered_one(monkeypatch):
    from chalicelib.config import get_settings
    from chalicelib.http import console

    monkeypatch.setenv("PUBLIC_BASE_URL", "https://complaints.example.org")
    monkeypatch.setenv("COGNITO_DOMAIN", "https://x.auth.us-east-1.amazoncognito.com")
    monkeypatch.setenv("COGNITO_CLIENT_ID", "abc123")
    get_settings.cache_clear()
    try:
        auth = console.sign_in(local=False)
    finally:
        get_settings.cache_clear()
    assert auth == {
        "mode": "cognito",
        "domain": "https://x.auth.us-east-1.amazoncognito.com",
        "client_id": "abc123",
        "redirect_uri": "https://complaints.example.org/console/",
    }
