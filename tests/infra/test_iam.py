"""Least privilege: no wildcard action anywhere, no `*` resource, each role exactly its grants."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator

import pytest

from infra import build, functions, inbound, stage_config, storage
from tests.helpers import complaint_body, post_json

STAGES = build.STAGES
# The resource patterns an Allow may name with a wildcard: the indexes of the complaints table,
# all of which the app queries (a new GSI needs no policy change), and the evidence files under
# the attachments prefix, whose keys the app makes up per upload. Deny statements may be wider.
# And the raw mail under the inbound bucket's prefix, keyed by SES per message.
ALLOWED_RESOURCE_PATTERNS = frozenset(
    {"${ComplaintsTable.Arn}/index/*", "${AttachmentsBucket.Arn}/attachments/*"}
    | {inbound.raw_mail_objects(stage)["Fn::Sub"] for stage in build.STAGES}
)

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
    ("sns:Publish", "*"),  # SMS to complainants: SNS has no ARN for a phone number
}
ATTACHMENT_OBJECTS = "${AttachmentsBucket.Arn}/attachments/*"
ATTACHMENTS_BUCKET = "AttachmentsBucket.Arn"
# Listing limited to the prefix; S3 needs it to answer 404 rather than 403 for a missing key.
ATTACHMENTS_PREFIX_ONLY = json.dumps({"StringLike": {"s3:prefix": ["attachments/*"]}})
EXPECTED_GRANTS = {
    "ApiHandlerRole": COMMON
    | {
        *(
            (f"dynamodb:{a}", IDEMPOTENCY)
            for a in ("GetItem", "PutItem", "UpdateItem", "DeleteItem")
        ),
        ("logs:CreateLogStream", "ApiHandlerLogGroup.Arn"),
        ("logs:PutLogEvents", "ApiHandlerLogGroup.Arn"),
        ("s3:PutObject", ATTACHMENT_OBJECTS),
        ("s3:GetObject", ATTACHMENT_OBJECTS),
        ("s3:GetObjectVersion", ATTACHMENT_OBJECTS),
        ("s3:DeleteObject", ATTACHMENT_OBJECTS),
        ("s3:ListBucket", ATTACHMENTS_BUCKET, ATTACHMENTS_PREFIX_ONLY),
        # The console's assignee picker: GET /staff/directory reads the role groups.
        ("cognito-idp:ListUsersInGroup", "StaffUserPool.Arn"),
        # Staff accounts (GET/POST/PATCH /staff/admin/users): only this pool, nothing deleted.
        *(
            (f"cognito-idp:{a}", "StaffUserPool.Arn")
            for a in (
                "ListUsers",
                "AdminGetUser",
                "AdminListGroupsForUser",
                "AdminCreateUser",
                "AdminAddUserToGroup",
                "AdminRemoveUserFromGroup",
                "AdminUpdateUserAttributes",
                "AdminDisableUser",
                "AdminEnableUser",
                "DescribeUserPool",
            )
        ),
    },
    "SmsSettingsRole": {
        ("sns:SetSMSAttributes", "*"),
        ("logs:CreateLogStream", "SmsSettingsLogGroup.Arn"),
        ("logs:PutLogEvents", "SmsSettingsLogGroup.Arn"),
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
        # Retention (docs/retention.md): every version of an anonymised case's files.
        ("s3:DeleteObject", ATTACHMENT_OBJECTS),
        ("s3:DeleteObjectVersion", ATTACHMENT_OBJECTS),
        ("s3:ListBucketVersions", ATTACHMENTS_BUCKET, ATTACHMENTS_PREFIX_ONLY),
    },
    # SES bounces: read the case, save it (a transaction) and the suppression item.
    "SesEventsRole": {
        *(
            (f"dynamodb:{a}", TABLE)
            for a in ("GetItem", "PutItem", "UpdateItem", "ConditionCheckItem")
        ),
        ("logs:CreateLogStream", "SesEventsLogGroup.Arn"),
        ("logs:PutLogEvents", "SesEventsLogGroup.Arn"),
        ("sqs:SendMessage", "SesEventsDeadLetterQueue.Arn"),
    },
}


def expected_grants(stage: str) -> dict:
    """The inbound mail function's role names its bucket, whose name carries the stage."""
    raw_mail = inbound.raw_mail_objects(stage)["Fn::Sub"]
    # A received reply: read the raw mail, then what the API's reply route does (load the
    # thread, commit with the outbox, store the attachments, deliver the handler's notice).
    inbound_role = COMMON | {
        ("s3:GetObject", raw_mail),
        ("s3:PutObject", ATTACHMENT_OBJECTS),
        ("logs:CreateLogStream", "InboundMailLogGroup.Arn"),
        ("logs:PutLogEvents", "InboundMailLogGroup.Arn"),
        ("sqs:SendMessage", "InboundMailDeadLetterQueue.Arn"),
    }
    return EXPECTED_GRANTS | {"InboundMailRole": inbound_role}


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


def granted(template: dict, key: str) -> Iterator[tuple[str, dict, object]]:
    """(path, statement, value) for each value of `key` ("Action" or "Resource") of every
    statement but a Deny: a wildcard in a Deny widens what is refused (the bucket's TLS-only
    rule), it grants nothing."""
    for path, statement in statements(template):
        if statement.get("Effect") != "Deny":
            for value in _as_list(statement.get(key, [])):
                yield path, statement, value


def exclusions(template: dict, key: str) -> list[str]:
    """Any NotAction or NotResource, Deny or not: a wildcard by exclusion."""
    return [
        f"{path}: Not{key}" for path, statement in statements(template) if f"Not{key}" in statement
    ]


def wildcard_actions(template: dict) -> list[str]:
    """Actions with `*` or `?` in them outside Deny statements, and any NotAction. Covers
    resource-based permissions (AWS::Lambda::Permission) as well as policy statements."""
    found = exclusions(template, "Action")
    for path, _, action in granted(template, "Action"):
        if not isinstance(action, str) or "*" in action or "?" in action:
            found.append(f"{path}: {action}")
    for name, resource in template.get("Resources", {}).items():
        action = resource.get("Properties", {}).get("Action")
        if isinstance(action, str) and ("*" in action or "?" in action):
            found.append(f"{name}: {action}")
    return found


def wildcard_resources(template: dict) -> list[str]:
    found = exclusions(template, "Resource")
    for path, statement, resource in granted(template, "Resource"):
        text = resource if isinstance(resource, str) else resource.get("Fn::Sub", "")
        text = text[0] if isinstance(text, list) else text  # Fn::Sub [template, values]
        if "*" in text and text not in ALLOWED_RESOURCE_PATTERNS and not _account_wide(statement):
            found.append(f"{path}: {text}")
    return found


# SNS names no resource for these: a text message to a phone number (Publish with
# PhoneNumber) and the account's SMS settings are authorised on "*" only. A statement may
# name "*" if it grants nothing but these (docs/architecture.md, "IAM").
ACCOUNT_WIDE_ACTIONS = frozenset({"sns:Publish", "sns:SetSMSAttributes"})


def _account_wide(statement: dict) -> bool:
    actions = set(_as_list(statement.get("Action", [])))
    return bool(actions) and actions <= ACCOUNT_WIDE_ACTIONS and statement["Resource"] == "*"


def _resource_name(resource) -> str:
    if isinstance(resource, str):
        return resource
    if "Ref" in resource:
        return resource["Ref"]
    if "Fn::GetAtt" in resource:
        return ".".join(resource["Fn::GetAtt"])
    return resource["Fn::Sub"]


def grants(role: dict) -> set[tuple[str, ...]]:
    """(action, resource), or (action, resource, condition as JSON) for conditional grants."""
    found = set()
    for policy in role["Properties"]["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            assert statement["Effect"] == "Allow"
            condition = (json.dumps(statement["Condition"]),) if "Condition" in statement else ()
            for action in _as_list(statement["Action"]):
                for resource in _as_list(statement["Resource"]):
                    found.add((action, _resource_name(resource), *condition))
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


def test_a_deny_may_be_wide_but_an_allow_may_not():
    def template(effect):
        statement = {"Effect": effect, "Principal": "*", "Action": "s3:*", "Resource": "*"}
        return {"Resources": {"P": {"Properties": {"PolicyDocument": {"Statement": [statement]}}}}}

    assert wildcard_actions(template("Deny")) == []
    assert wildcard_resources(template("Deny")) == []
    assert wildcard_actions(template("Allow")) != []
    assert wildcard_resources(template("Allow")) != []


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
    expected = expected_grants(stage)
    assert set(roles) == set(expected)
    for name, role in roles.items():
        assert grants(role) == expected[name], name
        assert "ManagedPolicyArns" not in role["Properties"]
    for function in functions.FUNCTIONS:
        properties = resources[function.logical_id]["Properties"]
        assert properties["Role"] == {"Fn::GetAtt": [function.role, "Arn"]}
        # SAM policy templates or managed policies would bypass the hand-written files.
        assert "Policies" not in properties


@pytest.mark.parametrize("stage", STAGES)
def test_roles_carry_the_hand_written_policy_files(templates, stage):
    for function in functions.FUNCTIONS:
        name = function.chalice_name.replace("_", "-")
        path = stage_config.PROJECT / ".chalice" / f"policy-{name}.json"
        role = templates[stage]["Resources"][function.role]
        assert role["Properties"]["Policies"][0]["PolicyDocument"] == json.loads(path.read_text())


def _role_statements(template: dict, role: str) -> list[dict]:
    policies = template["Resources"][role]["Properties"]["Policies"]
    return [s for policy in policies for s in policy["PolicyDocument"]["Statement"]]


@pytest.mark.parametrize("stage", STAGES)
def test_only_the_api_touches_attachments_and_only_under_the_prefix(templates, stage):
    """And the scheduled job, which deletes an anonymised case's files (retention)."""
    template = templates[stage]
    for function in functions.FUNCTIONS:
        s3 = [
            statement
            for statement in _role_statements(template, function.role)
            if any(a.startswith("s3:") for a in _as_list(statement["Action"]))
        ]
        if not function.serves_http and function.role != "RunJobsRole":
            assert s3 == [], f"{function.role} has S3 grants"
            continue
        for statement in s3:
            actions = set(_as_list(statement["Action"]))
            if actions in ({"s3:ListBucket"}, {"s3:ListBucketVersions"}):
                assert statement["Resource"] == {"Fn::GetAtt": ["AttachmentsBucket", "Arn"]}
                prefixes = statement["Condition"]["StringLike"]["s3:prefix"]
                assert prefixes == [storage.ATTACHMENTS_PREFIX + "*"]
            else:
                assert not actions & {"s3:ListBucket", "s3:ListBucketVersions"}
                assert statement["Resource"] == {
                    "Fn::Sub": "${AttachmentsBucket.Arn}/" + storage.ATTACHMENTS_PREFIX + "*"
                }
                assert "Condition" not in statement


@pytest.mark.parametrize("stage", STAGES)
def test_the_bucket_policy_grants_nobody_and_refuses_plain_http(templates, stage):
    policy = templates[stage]["Resources"]["AttachmentsBucketPolicy"]["Properties"]
    assert policy["Bucket"] == {"Ref": "AttachmentsBucket"}
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Principal"] == "*"
    assert statement["Action"] == "s3:*"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statement["Resource"] == [
        {"Fn::GetAtt": ["AttachmentsBucket", "Arn"]},
        {"Fn::Sub": "${AttachmentsBucket.Arn}/*"},
    ]


def test_the_keys_the_app_writes_are_inside_the_granted_prefix(client):
    """The prefix the API role is held to (test above) is the one the app keys files under: a
    presigned POST for any other key would be signed by a role that may not write it."""
    receipt = post_json(client, "/complaints", complaint_body()).json_body
    grant = post_json(
        client,
        f"/complaints/{receipt['number']}/attachments",
        {"filename": "photo.png", "content_type": "image/png", "size_bytes": 10},
        {"X-Tracking-Token": receipt["tracking_token"]},
    ).json_body
    key = grant["upload"]["fields"]["key"]
    assert fnmatch.fnmatchcase(key, storage.ATTACHMENTS_PREFIX + "*"), key
