"""CloudWatch alarms, all to the ops topic: every function's errors and throttles (the SMS
settings custom resource's and the inbound mail function's too), the schedule's failed
invocations, each dead-letter queue's depth, and the counts the scheduled run keeps
(chalicelib/metrics_names.py). docs/deploy.md lists them all (tests/infra/test_deploy_doc.py)."""

from __future__ import annotations

from chalicelib import metrics_names
from infra import inbound, sms
from infra.cfn import get_att, ref
from infra.functions import FUNCTIONS

ALARM_PERIOD_SECONDS = 300
# What a message in each dead-letter queue means (infra/functions.py names the queues).
DEAD_LETTERS = {
    "JobsDeadLetterQueue": "A scheduled run failed all its retries"
    " (message in the dead-letter queue)",
    "SesEventsDeadLetterQueue": "An SES bounce or complaint event failed all its retries"
    " (message in the dead-letter queue): the address stays unsuppressed until it is replayed",
    inbound.DEAD_LETTER_QUEUE: "A received e-mail reply failed all its retries (message in the"
    " dead-letter queue): the reply is not in the thread until it is replayed",
}


def alarmed_functions() -> list[str]:
    """Every function of the stack: chalice's, the SMS settings custom resource's and the
    inbound mail's."""
    return [function.logical_id for function in FUNCTIONS] + [sms.FUNCTION, inbound.FUNCTION]


def dead_letter_queues() -> list[str]:
    chalice_queues = [f.dead_letter_queue for f in FUNCTIONS if f.dead_letter_queue]
    return chalice_queues + [inbound.DEAD_LETTER_QUEUE]


def alarms(metrics_namespace: str) -> dict:
    resources = {}
    for logical_id in alarmed_functions():
        for metric in ("Errors", "Throttles"):
            resources[f"{logical_id}{metric}Alarm"] = _alarm(
                f"{logical_id}: Lambda {metric.lower()}",
                "AWS/Lambda",
                metric,
                {"FunctionName": ref(logical_id)},
            )
    for function in FUNCTIONS:
        if function.schedule_event:
            resources[f"{function.logical_id}ScheduleFailedAlarm"] = _alarm(
                f"{function.logical_id}: the schedule could not invoke the function",
                "AWS/Events",
                "FailedInvocations",
                {"RuleName": function.deployed_name},
            )
    for queue in dead_letter_queues():
        resources[f"{queue}Alarm"] = _alarm(
            DEAD_LETTERS[queue],
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            {"QueueName": get_att(queue, "QueueName")},
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
