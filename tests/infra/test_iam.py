"""Least privilege: no wildcard action anywhere, no `*` resource, each role exactly its grants."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from infra import build

STAGES = build.STAGES
# The one resource pattern with a wildcard: the indexes of the complaints table, all of which
# the app queries (a new GSI needs no policy change).
ALLOWED_RESOURCE_PATTERNS = frozenset({"${ComplaintsTable.Arn}/index/*"})

TABLE = "ComplaintsTable.Arn"
INDEXES = "${ComplaintsTable.Arn}/index/*"
IDEMPOTENCY = "IdempotencyTable.Arn"
SENDER = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${SenderEmail}"
CONFIG_SET = (
    "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}"
    ":configuration-set/${EmailConfigurationSet}"
)
TABLE_ACTIONS = (
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "BatchGetItem",
    "BatchWriteItem",
    "ConditionCheckItem",
)
COMMON = {
    *((f"dynamodb:{action}", TABLE) for action in TABLE_ACTIONS),
    ("dynamodb:Query", INDEXES),
    ("ses:SendEmail", SENDER),
    ("ses:SendRawEmail", SENDER),
    ("ses:SendEmail", CONFIG_SET),
    ("ses:SendRawEmail", CONFIG_SET),
    ("sns:Publish", "NotificationsTopic"),
}
EXPECTED_GRANTS = {
    "ApiHandlerRole": COMMON
    | {
        *(
            (f"dynamodb:{a}", IDEMPOTENCY)
            for a in ("GetItem", "PutItem", "UpdateItem", "DeleteItem")
        ),
        ("logs:CreateLogStream", "ApiHandlerLogGroup.Arn"),
        ("logs:PutLogEvents", "ApiHandlerLogGroup.Arn"),
    },
    "StaffJwtRole": {
        ("logs:CreateLogStream", "StaffJwtLogGroup.Arn"),
        ("logs:PutLogEvents", "StaffJwtLogGroup.Arn"),
    },
    "RunJobsRole": COMMON
    | {
        ("logs:CreateLogStream", "RunJobsLogGroup.Arn"),
        ("logs:PutLogEvents", "RunJobsLogGroup.Arn"),
        ("sqs:SendMessage", "JobsDeadLetterQueue.Arn"),
    },
}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def statements(node, path="") -> Iterator[tuple[str, dict]]:
    """Every policy statement anywhere in a template (roles, policies, queue/topic policies)."""
    if isinstance(node, dict):
        if isinstance(node.get("Statement"), list | dict):
            for statement in _as_list(node["Statement"]):
                yield path, statement
        for key, value in node.items():
            yield from statements(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from statements(value, f"{path}/{index}")


def wildcard_actions(template: dict) -> list[str]:
    """Actions with `*` or `?` in them, and any NotAction (a wildcard by exclusion). Covers
    resource-based permissions (AWS::Lambda::Permission) as well as policy statements."""
    found = []
    for path, statement in statements(template):
        if "NotAction" in statement:
            found.append(f"{path}: NotAction")
        for action in _as_list(statement.get("Action", [])):
            if not isinstance(action, str) or "*" in action or "?" in action:
                found.append(f"{path}: {action}")
    for name, resource in template.get("Resources", {}).items():
        action = resource.get("Properties", {}).get("Action")
        if isinstance(action, str) and ("*" in action or "?" in action):
            found.append(f"{name}: {action}")
    return found


def wildcard_resources(template: dict) -> list[str]:
    found = []
    for path, statement in statements(template):
        if "NotResource" in statement:
            found.append(f"{path}: NotResource")
        for resource in _as_list(statement.get("Resource", [])):
            text = resource if isinstance(resource, str) else resource.get("Fn::Sub", "")
            text = text[0] if isinstance(text, list) else text  # Fn::Sub [template, values]
            if "*" in text and text not in ALLOWED_RESOURCE_PATTERNS:
                found.append(f"{path}: {text}")
    return found


def _resource_name(resource) -> str:
    if isinstance(resource, str):
        return resource
    if "Ref" in resource:
        return resource["Ref"]
    if "Fn::GetAtt" in resource:
        return ".".join(resource["Fn::GetAtt"])
    return resource["Fn::Sub"]


def grants(role: dict) -> set[tuple[str, str]]:
    found = set()
    for policy in role["Properties"]["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            assert statement["Effect"] == "Allow"
            for action in _as_list(statement["Action"]):
                for resource in _as_list(statement["Resource"]):
                    found.add((action, _resource_name(resource)))
    return found


@pytest.mark.parametrize(
    "action",
    ["*", "dynamodb:*", "s3:Get*", "ses:Send?mail", "dynamodb:Get*Item"],
)
def test_the_check_catches_wildcard_actions(action):
    template = {
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "Policies": [
                        {
                            "PolicyDocument": {
                                "Statement": [
                                    {"Effect": "Allow", "Action": ["sns:Publish", action]}
                                ]
                            }
                        }
                    ]
                },
            }
        }
    }
    assert wildcard_actions(template) != []


def test_the_check_catches_not_action_and_star_resources():
    statement = {"Effect": "Allow", "NotAction": "iam:PassRole", "Resource": "*"}
    template = {"Resources": {"P": {"Properties": {"PolicyDocument": {"Statement": [statement]}}}}}
    assert wildcard_actions(template) != []
    assert wildcard_resources(template) != []
    permission = {"Resources": {"P": {"Properties": {"Action": "lambda:*"}}}}
    assert wildcard_actions(permission) != []


@pytest.mark.parametrize("stage", STAGES)
def test_no_statement_grants_a_wildcard_action(templates, stage):
    assert list(statements(templates[stage]))  # the walk does reach the roles
    assert wildcard_actions(templates[stage]) == []


@pytest.mark.parametrize("stage", STAGES)
def test_no_statement_names_a_wildcard_resource(templates, stage):
    assert wildcard_resources(templates[stage]) == []


@pytest.mark.parametrize("stage", STAGES)
def test_each_function_role_grants_exactly_what_it_uses(templates, stage):
    resources = templates[stage]["Resources"]
    roles = {name: r for name, r in resources.items() if r["Type"] == "AWS::IAM::Role"}
    assert set(roles) == set(EXPECTED_GRANTS)
    for name, role in roles.items():
        assert grants(role) == EXPECTED_GRANTS[name], name
        assert "ManagedPolicyArns" not in role["Properties"]
    for function in build.FUNCTIONS:
        properties = resources[function.logical_id]["Properties"]
        assert properties["Role"] == {"Fn::GetAtt": [function.role, "Arn"]}
        # SAM policy templates or managed policies would bypass the hand-written files.
        assert "Policies" not in properties


@pytest.mark.parametrize("stage", STAGES)
def test_roles_carry_the_hand_written_policy_files(templates, stage):
    for function in build.FUNCTIONS:
        name = function.chalice_name.replace("_", "-")
        path = build.PROJECT / ".chalice" / f"policy-{name}.json"
        role = templates[stage]["Resources"][function.role]
        assert role["Properties"]["Policies"][0]["PolicyDocument"] == json.loads(path.read_text())
