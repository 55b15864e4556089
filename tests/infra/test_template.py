"""The deployable templates: valid, built from the app's own table definitions, and wired."""

from __future__ import annotations

import importlib
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib import metrics_names
from chalicelib.adapters import schema
from chalicelib.domain.actor import Role
from infra import build, chalice_package, functions, inbound, stage_config

STAGES = build.STAGES
TABLE_LAYOUT = ("BillingMode", "KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes")


def resources_of(template: dict, type_: str) -> dict:
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if resource.get("Type") == type_
    }


def test_cfn_lint_reports_no_errors_or_warnings(template_paths):
    paths = [str(path) for path in template_paths.values()]
    # The console script: `python -m cfnlint` does not run (no __main__), which exits 1
    # and passed this check without linting anything.
    cfn_lint = str(Path(sys.executable).parent / "cfn-lint")
    result = subprocess.run([cfn_lint, "--", *paths], capture_output=True, text=True)
    assert "Traceback" not in result.stderr and "No module" not in result.stderr
    # cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational.
    assert result.returncode & 0b110 == 0, result.stdout + result.stderr


@pytest.mark.parametrize("stage", STAGES)
def test_complaints_table_is_the_one_the_app_creates(templates, stage):
    table = templates[stage]["Resources"]["ComplaintsTable"]["Properties"]
    expected = schema.complaints_table("any")
    assert {key: table.get(key) for key in TABLE_LAYOUT} == {
        key: expected[key] for key in TABLE_LAYOUT
    }
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    # Only the acknowledgement counters carry the TTL attribute (adapters/limits.py).
    assert table["TimeToLiveSpecification"] == {"AttributeName": "ttl_expires", "Enabled": True}


@pytest.mark.parametrize("stage", STAGES)
def test_idempotency_table_expires_records(templates, stage):
    table = templates[stage]["Resources"]["IdempotencyTable"]["Properties"]
    expected = schema.idempotency_table("any")
    assert table["KeySchema"] == expected["KeySchema"]
    assert table["AttributeDefinitions"] == expected["AttributeDefinitions"]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}


def test_prod_keeps_complaints_idempotency_and_staff_dev_does_not(templates):
    for stage, protected in (("prod", True), ("dev", False)):
        resources = templates[stage]["Resources"]
        table, pool = resources["ComplaintsTable"], resources["StaffUserPool"]
        idempotency = resources["IdempotencyTable"]
        for protected_table in (table, idempotency):
            assert protected_table["Properties"]["DeletionProtectionEnabled"] is protected
        assert pool["Properties"]["DeletionProtection"] == ("ACTIVE" if protected else "INACTIVE")
        kept = "Retain" if protected else "Delete"
        for resource in (table, pool, idempotency):
            assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == (kept, kept)


WIRED = {
    "TABLE_NAME": {"Ref": "ComplaintsTable"},
    "IDEMPOTENCY_TABLE": {"Ref": "IdempotencyTable"},
    "NOTIFY_TOPIC_ARN": {"Ref": "NotificationsTopic"},
    "SES_SENDER": {"Ref": "SenderEmail"},
    "PUBLIC_BASE_URL": {"Ref": "PublicBaseUrl"},
    "AUTH_ISSUER": {"Fn::Sub": "https://${StaffUserPool.ProviderURL}"},
    "AUTH_JWKS_URL": {"Fn::Sub": "https://${StaffUserPool.ProviderURL}/.well-known/jwks.json"},
    "AUTH_AUDIENCE": {"Ref": "StaffUserPoolClient"},
}


OPEN311_KEYS_REFERENCE = (
    "{{resolve:secretsmanager:${Open311ApiKeysSecret}:SecretString:::"
    "${Open311ApiKeysSecretVersion}}}"
)
# Only the HTTP routes read these (attachments, CORS, Open311).
HTTP_WIRED = {
    "ATTACHMENTS_BUCKET": {"Ref": "AttachmentsBucket"},
    "CORS_ORIGINS": {"Ref": "CorsOrigins"},
    "OPEN311_JURISDICTION_ID": {"Ref": "Open311JurisdictionId"},
    "OPEN311_API_KEYS": {"Fn::If": ["HasOpen311ApiKeys", {"Fn::Sub": OPEN311_KEYS_REFERENCE}, ""]},
    "COGNITO_DOMAIN": {
        "Fn::Sub": "https://${StaffSignInDomain}.auth.${AWS::Region}.amazoncognito.com"
    },
    "COGNITO_CLIENT_ID": {"Ref": "StaffUserPoolClient"},
    "STAFF_USER_POOL_ID": {"Ref": "StaffUserPool"},
}


@pytest.mark.parametrize("stage", STAGES)
def test_functions_find_their_resources_in_the_environment(templates, stage):
    functions = resources_of(templates[stage], "AWS::Serverless::Function")
    assert set(functions) == {"APIHandler", "StaffJwt", "RunJobs", "SesEvents", "InboundMail"}
    # The inbound mail function (infra/inbound.py) stores a reply's attachments.
    inbound_http = {"ATTACHMENTS_BUCKET": HTTP_WIRED["ATTACHMENTS_BUCKET"]}
    for name, function in functions.items():
        variables = function["Properties"]["Environment"]["Variables"]
        assert {key: variables.get(key) for key in WIRED} == WIRED
        assert variables["INBOUND_DOMAIN"] == {"Ref": "InboundDomain"}
        assert variables["POWERTOOLS_SERVICE_NAME"] == "complaints"
        assert variables["POWERTOOLS_METRICS_NAMESPACE"]
        http = {key: variables[key] for key in HTTP_WIRED if key in variables}
        expected = {"APIHandler": HTTP_WIRED, "InboundMail": inbound_http}.get(name, {})
        assert http == expected, name
    inbound_variables = functions["InboundMail"]["Properties"]["Environment"]["Variables"]
    assert inbound_variables["INBOUND_BUCKET"] == inbound.bucket_name(stage)


def test_the_open311_keys_come_from_secrets_manager_not_from_the_template(templates):
    """ssm-secure references are refused in Lambda environments; secretsmanager ones are
    resolved by CloudFormation at deploy time, so the keys are in no template or parameter."""
    for template in templates.values():
        parameters = template["Parameters"]
        for name in ("Open311ApiKeysSecret", "Open311ApiKeysSecretVersion"):
            assert parameters[name]["Default"] == ""
        assert not any("NoEcho" in parameter for parameter in parameters.values())
        assert template["Conditions"]["HasOpen311ApiKeys"] == {
            "Fn::Not": [{"Fn::Equals": [{"Ref": "Open311ApiKeysSecret"}, ""]}]
        }
        assert "ssm-secure" not in json.dumps(template)


@pytest.mark.parametrize("stage", STAGES)
def test_nothing_local_reaches_a_deployable_stage(templates, stage):
    config = json.loads((stage_config.PROJECT / ".chalice" / "config.json").read_text())
    sources = {
        "config.json": config["stages"][stage],
        **{
            name: function["Properties"]["Environment"]
            for name, function in resources_of(
                templates[stage], "AWS::Serverless::Function"
            ).items()
        },
    }
    for source, data in sources.items():
        text = json.dumps(data)
        for marker in (*stage_config.LOCAL_ONLY_VARIABLES, "127.0.0.1", "localhost", "moto"):
            assert marker not in text, f"{marker} in {source} of stage {stage}"


@pytest.mark.parametrize("stage", STAGES)
def test_failed_scheduled_runs_land_in_the_dead_letter_queue(templates, stage):
    run_jobs = templates[stage]["Resources"]["RunJobs"]["Properties"]
    assert run_jobs["DeadLetterQueue"] == {
        "Type": "SQS",
        "TargetArn": {"Fn::GetAtt": ["JobsDeadLetterQueue", "Arn"]},
    }
    event = run_jobs["Events"]["RunJobsEvent"]
    assert event["Type"] == "Schedule"
    assert event["Properties"]["Schedule"] == "rate(5 minutes)"
    assert event["Properties"]["Name"] == {"Fn::Sub": "${AWS::StackName}-run-jobs"}


@pytest.mark.parametrize("stage", STAGES)
def test_failed_bounce_events_land_in_their_dead_letter_queue(templates, stage):
    """Issue 19: after Lambda's retries a bounce waits in a queue, alarmed, not lost."""
    resources = templates[stage]["Resources"]
    ses_events = resources["SesEvents"]["Properties"]
    assert ses_events["DeadLetterQueue"] == {
        "Type": "SQS",
        "TargetArn": {"Fn::GetAtt": ["SesEventsDeadLetterQueue", "Arn"]},
    }
    queue = resources["SesEventsDeadLetterQueue"]
    assert queue["Type"] == "AWS::SQS::Queue"
    assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
    alarm = resources["SesEventsDeadLetterQueueAlarm"]["Properties"]
    assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["SesEventsDeadLetterQueue", "QueueName"]}}
    ]
    assert templates[stage]["Outputs"]["SesEventsDeadLetterQueueUrl"] == {
        "Value": {"Ref": "SesEventsDeadLetterQueue"}
    }


def _alarm_targets(alarm: dict) -> tuple:
    properties = alarm["Properties"]
    dimensions = {d["Name"]: d["Value"] for d in properties.get("Dimensions", [])}
    return properties.get("Namespace"), properties.get("MetricName"), json.dumps(dimensions)


@pytest.mark.parametrize("stage", STAGES)
def test_alarms_watch_every_function_and_the_jobs_and_tell_ops(templates, stage):
    alarms = resources_of(templates[stage], "AWS::CloudWatch::Alarm")
    watched = {_alarm_targets(alarm) for alarm in alarms.values()}
    functions = [
        name
        for name, resource in templates[stage]["Resources"].items()
        if resource["Type"] in ("AWS::Serverless::Function", "AWS::Lambda::Function")
    ]
    assert {"APIHandler", "StaffJwt", "RunJobs", "SesEvents", "SmsSettingsFunction"} <= set(
        functions
    )
    for function in functions:
        dims = json.dumps({"FunctionName": {"Ref": function}})
        assert ("AWS/Lambda", "Errors", dims) in watched
        assert ("AWS/Lambda", "Throttles", dims) in watched
    queue = json.dumps({"QueueName": {"Fn::GetAtt": ["JobsDeadLetterQueue", "QueueName"]}})
    assert ("AWS/SQS", "ApproximateNumberOfMessagesVisible", queue) in watched
    rule = json.dumps({"RuleName": {"Fn::Sub": "${AWS::StackName}-run-jobs"}})
    assert ("AWS/Events", "FailedInvocations", rule) in watched
    namespace = templates[stage]["Resources"]["RunJobs"]["Properties"]["Environment"]["Variables"][
        "POWERTOOLS_METRICS_NAMESPACE"
    ]
    queries = [m["Expression"] for a in alarms.values() for m in a["Properties"].get("Metrics", [])]
    assert sorted(queries) == sorted(
        f'SELECT SUM({metric}) FROM "{namespace}"'
        for metric in ("NotificationsFailed", "JobErrors", "SmsDeferred")
    )
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "OpsTopic"}]


@pytest.mark.parametrize("stage", STAGES)
def test_staff_groups_are_the_roles_and_only_admins_set_departments(templates, stage):
    resources = templates[stage]["Resources"]
    groups = resources_of(templates[stage], "AWS::Cognito::UserPoolGroup").values()
    assert sorted(g["Properties"]["GroupName"] for g in groups) == sorted(r.value for r in Role)
    pool = resources["StaffUserPool"]["Properties"]
    assert pool["AdminCreateUserConfig"] == {"AllowAdminCreateUserOnly": True}
    assert [(a["Name"], a["AttributeDataType"]) for a in pool["Schema"]] == [
        ("departments", "String")
    ]
    client = resources["StaffUserPoolClient"]["Properties"]
    assert "custom:departments" in client["ReadAttributes"]
    assert "custom:departments" not in client["WriteAttributes"]
    assert client["GenerateSecret"] is False


@pytest.mark.parametrize("stage", STAGES)
def test_mail_goes_out_through_the_configuration_set(templates, stage):
    resources = templates[stage]["Resources"]
    identity = resources["SenderIdentity"]["Properties"]
    assert identity["EmailIdentity"] == {"Ref": "SenderEmail"}
    assert identity["ConfigurationSetAttributes"] == {
        "ConfigurationSetName": {"Ref": "EmailConfigurationSet"}
    }
    assert resources["EmailConfigurationSet"]["Type"] == "AWS::SES::ConfigurationSet"


def test_build_refuses_functions_it_does_not_wire():
    template = {
        "Resources": {
            "APIHandler": {"Type": "AWS::Serverless::Function", "Properties": {}},
            "RunJobs": {"Type": "AWS::Serverless::Function", "Properties": {}},
            "OnUpload": {"Type": "AWS::Serverless::Function", "Properties": {}},
        }
    }
    with pytest.raises(build.BuildError, match="OnUpload"):
        chalice_package.check_functions(template)
    # A function infra/functions.py wires but the app lacks is left as a bare override by the merge.
    del template["Resources"]["OnUpload"]
    template["Resources"]["RunJobs"] = {"Properties": {"FunctionName": "x"}}
    with pytest.raises(build.BuildError, match="RunJobs"):
        chalice_package.check_functions(template)


def test_package_environment_drops_local_endpoint_and_keys(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("TABLE_NAME", "complaints-test")
    env = chalice_package.package_environment("eu-west-1")
    assert {k: v for k, v in env.items() if k.startswith("AWS_")} == {
        "AWS_DEFAULT_REGION": "eu-west-1"
    }
    assert "TABLE_NAME" not in env


def test_templates_are_written_where_asked(template_paths):
    for stage, path in template_paths.items():
        assert path.name == "sam.json"
        assert Path(path.parent, "deployment.zip").stat().st_size > 0
        assert Path(path.parent, "merge-template.json").exists(), stage


@pytest.mark.parametrize("stage", STAGES)
def test_each_function_logs_to_the_group_its_role_may_write(templates, stage):
    resources = templates[stage]["Resources"]
    for function in functions.FUNCTIONS:
        name = resources[function.logical_id]["Properties"]["FunctionName"]["Fn::Sub"]
        group = resources[function.log_group]
        assert group["Properties"]["LogGroupName"] == {"Fn::Sub": f"/aws/lambda/{name}"}
        assert group["Properties"]["RetentionInDays"] > 0


def test_the_alarmed_job_metrics_are_the_ones_the_job_counts(monkeypatch, templates):
    from chalicelib import jobs, observability, wiring
    from chalicelib.service import jobs as service_jobs

    counted = []
    report = service_jobs.JobReport(failed=2, errors=1)
    monkeypatch.setattr(service_jobs, "run_jobs", lambda services, now: report)
    monkeypatch.setattr(wiring, "get_services", lambda: None)
    monkeypatch.setattr(observability, "count", lambda name, **_: counted.append(name))
    jobs.run_scheduled()
    assert sorted(counted) == sorted([metrics_names.NOTIFICATIONS_FAILED, metrics_names.JOB_ERRORS])

    alarms = resources_of(templates["prod"], "AWS::CloudWatch::Alarm")
    queried = {
        re.match(r"SELECT SUM\((\w+)\)", metric["Expression"]).group(1)
        for alarm in alarms.values()
        for metric in alarm["Properties"].get("Metrics", [])
    }
    # SmsDeferred is counted where an SMS is held back (adapters/sms.py; the daily-cap test
    # in tests/api/test_callbacks.py checks it is counted under this name).
    assert queried == set(counted) | {metrics_names.SMS_DEFERRED}


def test_every_handler_is_a_lambda_entry_point(templates):
    """Lambda calls handler(event, context): a name that resolves to anything else (say a
    plain function registered as an authorizer) deploys, then fails on every call."""
    functions = resources_of(templates["dev"], "AWS::Serverless::Function")
    for name, function in functions.items():
        module, _, attribute = function["Properties"]["Handler"].rpartition(".")
        handler = getattr(importlib.import_module(module), attribute)
        try:
            inspect.signature(handler).bind({}, None)
        except TypeError as error:
            pytest.fail(f"{name}: {module}.{attribute} cannot take (event, context): {error}")


# --- Attachments bucket ------------------------------------------------------------------


def evaluate(node, parameters: dict, conditions: dict):
    """The few intrinsics the bucket's CORS uses, evaluated as CloudFormation would."""
    if isinstance(node, list):
        return [evaluate(item, parameters, conditions) for item in node]
    if not isinstance(node, dict):
        return node
    ((function, argument),) = node.items()
    if function == "Ref":
        return parameters[argument]
    if function == "Fn::If":
        name, when_true, when_false = argument
        return evaluate(when_true if conditions[name] else when_false, parameters, conditions)
    if function == "Fn::Join":
        return argument[0].join(evaluate(argument[1], parameters, conditions))
    if function == "Fn::Split":
        return evaluate(argument[1], parameters, conditions).split(argument[0])
    if function == "Fn::Select":
        return evaluate(argument[1], parameters, conditions)[int(argument[0])]
    raise AssertionError(f"unexpected {function}")


def _bucket(templates, stage) -> dict:
    return templates[stage]["Resources"]["AttachmentsBucket"]


@pytest.mark.parametrize("stage", STAGES)
def test_the_attachments_bucket_is_private_and_encrypted(templates, stage):
    bucket = _bucket(templates, stage)["Properties"]
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert "AccessControl" not in bucket
    assert bucket["BucketEncryption"] == {
        "ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
        ]
    }
    uploads, replaced = bucket["LifecycleConfiguration"]["Rules"]
    assert uploads["Status"] == replaced["Status"] == "Enabled"
    assert uploads["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}
    assert set(uploads) == {"Id", "Status", "AbortIncompleteMultipartUpload"}
    # Only versions replaced by a later one (or a delete) expire, after the retention the
    # organisation sets; current files never do.
    assert replaced["NoncurrentVersionExpiration"] == {
        "NoncurrentDays": {"Ref": "AttachmentsRetentionDays"}
    }
    assert replaced["ExpiredObjectDeleteMarker"] is True
    assert set(replaced) == {
        "Id",
        "Status",
        "NoncurrentVersionExpiration",
        "ExpiredObjectDeleteMarker",
    }
    retention = templates[stage]["Parameters"]["AttachmentsRetentionDays"]
    assert retention["Type"] == "Number" and retention["MinValue"] == 1


@pytest.mark.parametrize(
    ("base_url", "others", "origins"),
    [
        ("https://complaints.example.org", "", ["https://complaints.example.org"]),
        (
            "https://abc.execute-api.us-east-1.amazonaws.com/api",
            "",
            ["https://abc.execute-api.us-east-1.amazonaws.com"],
        ),
        (
            "https://complaints.example.org:8443/forms/",
            "https://city.example,http://localhost:3000",
            [
                "https://complaints.example.org:8443",
                "https://city.example",
                "http://localhost:3000",
            ],
        ),
    ],
)
def test_the_bucket_admits_uploads_and_downloads_from_the_pages_origins(
    templates, base_url, others, origins
):
    (rule,) = _bucket(templates, "prod")["Properties"]["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedMethods"] == ["POST", "GET"]
    parameters = {"PublicBaseUrl": base_url, "CorsOrigins": others}
    conditions = {"HasCorsOrigins": others != ""}
    assert evaluate(rule["AllowedOrigins"], parameters, conditions) == origins


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("", True),
        ("https://city.example", True),
        ("https://city.example,http://localhost:3000", True),
        ("https://city.example, https://town.example", False),  # S3 would compare " https://..."
        ("https://city.example/", False),
        ("https://city.example/forms", False),
        ("city.example", False),
    ],
)
def test_cors_origins_must_be_exact_origins(templates, value, accepted):
    pattern = templates["prod"]["Parameters"]["CorsOrigins"]["AllowedPattern"]
    assert (re.fullmatch(pattern, value) is not None) is accepted


def test_prod_keeps_the_evidence_dev_deletes_it(templates):
    for stage, kept in (("prod", "Retain"), ("dev", "Delete")):
        resources = templates[stage]["Resources"]
        for name in ("AttachmentsBucket", "AttachmentsBucketPolicy"):
            resource = resources[name]
            assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == (kept, kept)


@pytest.mark.parametrize("stage", STAGES)
def test_sms_settings_sender_spend_limit_and_daily_cap(templates, stage):
    """Issue 11: SNS SMS settings in the stack, and the daily cap in every function."""
    resources = templates[stage]["Resources"]
    settings = resources["SmsSettings"]["Properties"]
    assert settings["MonthlySpendLimit"] == {"Ref": "SmsMonthlySpendLimit"}
    assert settings["DefaultSenderID"] == {"Ref": "SmsSenderId"}
    code = resources["SmsSettingsFunction"]["Properties"]["Code"]["ZipFile"]
    assert '"DefaultSMSType": "Transactional"' in code and "set_sms_attributes" in code
    compile(code, "sms_settings", "exec")  # the inline handler is valid Python
    for function in ("APIHandler", "RunJobs"):
        variables = resources[function]["Properties"]["Environment"]["Variables"]
        assert variables["SMS_DAILY_CAP"] == {"Ref": "SmsDailyCap"}
        assert variables["SMS_SENDER_ID"] == {"Ref": "SmsSenderId"}
        assert variables["SMS_SIGNATURE"] == {"Ref": "SmsSignature"}
