"""Build the deployable SAM templates: `chalice package` merged with the stack's resources.

    python -m infra.build [--stage dev] [--stage prod] [--out build] [--region us-east-1]

For each stage this writes build/<stage>/merge-template.json and runs
`chalice package --stage <stage> --merge-template ...`, which leaves build/<stage>/sam.json
(the template to deploy) and build/<stage>/deployment.zip beside it.

The merge template is generated rather than kept as JSON so that the tables come from
chalicelib/adapters/schema.py, the definitions the local stack and the tests create, and
cannot drift from them. It declares every resource the functions use and overrides the
parts of chalice's function resources that need them (names, environment, the dead letter
queue). This module composes it from one module per concern:

    parameters.py   the stack's parameters and conditions
    tables.py       the DynamoDB tables
    messaging.py    the SNS topics, SES's sender identity and configuration set
    auth.py         the staff directory (Cognito) and the console's sign-in
    storage.py      the attachments bucket
    inbound.py      e-mail replies: SES's receipt rule, the inbound bucket and its function
    functions.py    the Lambda functions: names, environment (environment.py), log groups,
                    retries and dead letter queues
    api.py          the REST API's gateway responses (gateway.py) and throttling
    alarms.py       the CloudWatch alarms
    abuse.py, sms.py   flood protection and bounces; the account's SMS settings
    stage_config.py    .chalice/config.json per stage, and its checks
    chalice_package.py running `chalice package` and checking its output
    package.py      the deployment.zip (pruned, with bytecode)

The IAM policies are hand-written in .chalice/policy-*.json and refer to the logical ids
declared here (ComplaintsTable, NotificationsTopic, AttachmentsBucket, ...).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from infra import (
    abuse,
    alarms,
    api,
    auth,
    chalice_package,
    functions,
    inbound,
    messaging,
    sms,
    storage,
)
from infra import package as package_module
from infra import parameters as stack_parameters
from infra import tables as stack_tables
from infra.cfn import ref
from infra.environment import common_environment
from infra.stage_config import (
    PROJECT,
    BuildError,
    chalice_config,
    check_stage_config,
    lambda_runtime,
    log_retention_days,
    metrics_namespace,
)

STAGES = ("dev", "prod")
PROTECTED_STAGES = frozenset({"prod"})
DEFAULT_REGION = "us-east-1"
__all__ = [
    "STAGES",
    "PROTECTED_STAGES",
    "BuildError",
    "merge_template",
    "package",
    "package_stages",
    "main",
]


def outputs() -> dict:
    values = {
        "ComplaintsTableName": ref("ComplaintsTable"),
        "IdempotencyTableName": ref("IdempotencyTable"),
        "NotificationsTopicArn": ref("NotificationsTopic"),
        "OpsTopicArn": ref("OpsTopic"),
        "StaffUserPoolId": ref("StaffUserPool"),
        "StaffUserPoolClientId": ref("StaffUserPoolClient"),
        "ConsoleUrl": auth.CONSOLE_URL,
        "EmailConfigurationSetName": ref("EmailConfigurationSet"),
        "JobsDeadLetterQueueUrl": ref("JobsDeadLetterQueue"),
        "SesEventsDeadLetterQueueUrl": ref("SesEventsDeadLetterQueue"),
        "AttachmentsBucketName": ref("AttachmentsBucket"),
        "InboundBucketName": ref("InboundBucket"),
        "InboundMailDeadLetterQueueUrl": ref("InboundMailDeadLetterQueue"),
    }
    return {name: {"Value": value} for name, value in values.items()}


def inbound_environment(config: dict, stage: str) -> dict:
    """The inbound function is not chalice's: it gets .chalice/config.json's variables here."""
    stage_variables = config["stages"][stage].get("environment_variables", {})
    return {
        **config.get("environment_variables", {}),
        **stage_variables,
        **common_environment(),
        "ATTACHMENTS_BUCKET": ref("AttachmentsBucket"),
        "INBOUND_BUCKET": inbound.bucket_name(stage),
    }


def merge_template(stage: str) -> dict:
    protected = stage in PROTECTED_STAGES
    config = chalice_config()
    resources = {
        **stack_tables.tables(protected),
        **messaging.messaging(),
        **auth.staff_directory(protected),
        **auth.console_sign_in(stage),
        **storage.attachments(protected),
        **functions.dead_letter_queues(),
        **functions.function_overrides(),
        **alarms.alarms(metrics_namespace(stage)),
        **api.rest_api(config, stage),
        **sms.resources(log_retention_days(stage)),
        **abuse.resources(config, stage),
        **inbound.resources(
            stage,
            inbound_environment(config, stage),
            lambda_runtime(),
            log_retention_days(stage),
        ),
    }
    return {
        "Description": f"Complaint service ({stage})",
        "Parameters": stack_parameters.parameters() | sms.parameters() | inbound.parameters(),
        "Conditions": stack_parameters.conditions() | inbound.conditions(),
        "Resources": resources,
        "Outputs": outputs(),
    }


def package(
    stage: str,
    out_dir: Path,
    region: str = DEFAULT_REGION,
    finished: dict[str, Path] | None = None,
) -> Path:
    """Build one stage into out_dir and return the path of its sam.json. `finished` maps the
    digest of a zip as chalice wrote it to one already finished (package_stages)."""
    check_stage_config(stage)
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    merge_path = out_dir / "merge-template.json"
    merge_path.write_text(json.dumps(merge_template(stage), indent=2) + "\n")
    template_path = chalice_package.run(stage, merge_path, out_dir, region)
    template = json.loads(template_path.read_text())
    chalice_package.check_functions(template)
    chalice_package.wire_sns_topics(template)
    template_path.write_text(json.dumps(template, indent=2) + "\n")
    chalice_package.check_runtime(template)
    finish_zip(out_dir / "deployment.zip", {} if finished is None else finished)
    return template_path


def finish_zip(zip_path: Path, finished: dict[str, Path]) -> None:
    """Prune and compile chalice's zip, or copy an equal zip finished before: every stage
    packages the same code, and finishing (extract, compile, deflate) is most of a stage's
    build. The finished zip is a function of the input's bytes (package.py writes it in a
    stable order with fixed dates)."""
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    if digest in finished:
        shutil.copyfile(finished[digest], zip_path)
        return
    try:
        package_module.finish(zip_path, lambda_runtime())
    except package_module.PackageError as error:
        raise BuildError(str(error)) from error
    finished[digest] = zip_path


def package_stages(stages, out: Path, region: str = DEFAULT_REGION) -> dict[str, Path]:
    """Build each stage into out/<stage>; returns each stage's sam.json."""
    finished: dict[str, Path] = {}
    return {stage: package(stage, Path(out) / stage, region, finished) for stage in stages}


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
        for stage, path in package_stages(args.stage or STAGES, Path(args.out), region).items():
            print(f"{stage}: {path}")
    except BuildError as error:
        print(f"infra.build: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
