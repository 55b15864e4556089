"""The Lambda functions `chalice package` emits, and what the stack adds to each: its deployed
name, its environment, its log group, and for the scheduled job the retry policy and the dead
letter queue. A new function in app.py is added to FUNCTIONS (infra/chalice_package.py refuses
a template whose functions differ from it), with a policy file in .chalice/."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infra import abuse
from infra.cfn import camel, deleted_with_stack, get_att, sub
from infra.environment import environment


@dataclass(frozen=True)
class Function:
    """A Lambda function as `chalice package` names it, and what the stack adds to it."""

    logical_id: str
    chalice_name: str  # key under lambda_functions in .chalice/config.json
    name_suffix: str  # deployed as <stack name>-<suffix>
    schedule_event: str | None = None
    # Where an asynchronous invocation goes once Lambda's retries fail (an SQS queue).
    dead_letter_queue: str | None = None
    sns_event: str | None = None  # chalice's name for an SNS subscription event
    serves_http: bool = False  # gets the settings of the HTTP routes (attachments, CORS, Open311)

    @property
    def role(self) -> str:
        return camel(self.chalice_name) + "Role"

    @property
    def log_group(self) -> str:
        return camel(self.chalice_name) + "LogGroup"

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
        dead_letter_queue="JobsDeadLetterQueue",
    ),
    # SES bounces and complaints (chalicelib/service/bounces.py), from EmailEventsTopic. SNS
    # invokes it asynchronously: an event that fails Lambda's retries waits in its queue
    # instead of being lost with the address unsuppressed.
    Function(
        "SesEvents",
        "ses_events",
        "ses-events",
        sns_event=abuse.SES_EVENTS_SUBSCRIPTION,
        dead_letter_queue="SesEventsDeadLetterQueue",
    ),
)


# The scheduled job runs every 5 minutes: a retried invocation older than this is dropped
# rather than run beside the next one (with reserved concurrency 1 they never overlap).
JOB_MAX_EVENT_AGE_SECONDS = 240
JOB_MAX_RETRIES = 1


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
                "TargetArn": get_att(function.dead_letter_queue, "Arn"),
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
            **deleted_with_stack(),
            "Properties": {"LogGroupName": log_group_name},
        }
    return resources


def dead_letter_queues() -> dict:
    """One queue per function that has one; SQS keeps a message at most 14 days."""
    queue = {
        "Type": "AWS::SQS::Queue",
        **deleted_with_stack(),
        "Properties": {
            "MessageRetentionPeriod": 14 * 24 * 3600,
            "SqsManagedSseEnabled": True,
        },
    }
    return {f.dead_letter_queue: dict(queue) for f in FUNCTIONS if f.dead_letter_queue}
