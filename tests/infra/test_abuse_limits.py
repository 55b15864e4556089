"""Issue 12 in the templates: throttling per stage and route, WAF in prod, the job's
concurrency and retries, SES bounce events wired to their function."""

from __future__ import annotations

import pytest

from chalicelib.adapters.limits import TTL_ATTRIBUTE
from infra import abuse, build, stage_config

STAGES = build.STAGES


def resources(templates, stage):
    return templates[stage]["Resources"]


@pytest.mark.parametrize("stage", STAGES)
def test_stage_and_route_throttling_come_from_the_stage_config(templates, stage):
    limits = stage_config.chalice_config()["stages"][stage]["abuse_limits"]
    settings = resources(templates, stage)["RestAPI"]["Properties"]["MethodSettings"]
    every = next(s for s in settings if s["ResourcePath"] == "/*")
    assert every["HttpMethod"] == "*"
    assert every["ThrottlingRateLimit"] == limits["throttle"]["rate"]
    assert every["ThrottlingBurstLimit"] == limits["throttle"]["burst"]
    intake = next(s for s in settings if s["ResourcePath"] == "/~1complaints")
    assert intake["HttpMethod"] == "POST"
    assert intake["ThrottlingRateLimit"] == limits["routes"]["POST /complaints"]["rate"]
    assert intake["ThrottlingRateLimit"] < every["ThrottlingRateLimit"]
    assert len(settings) == 1 + len(limits["routes"])


def test_route_paths_use_api_gateways_escaping():
    assert abuse.resource_path("/complaints/{number}/attachments") == (
        "/~1complaints~1{number}~1attachments"
    )
    with pytest.raises(ValueError, match="abuse_limits"):
        abuse.stage_limits({"stages": {"x": {}}}, "x")


def test_prod_blocks_a_flooding_ip_with_a_rate_based_rule_answering_429(templates):
    acl = resources(templates, "prod")["ApiWebAcl"]["Properties"]
    [rule] = acl["Rules"]
    statement = rule["Statement"]["RateBasedStatement"]
    assert statement["AggregateKeyType"] == "IP"
    limit = stage_config.chalice_config()["stages"]["prod"]["abuse_limits"]["waf_requests_per_ip"]
    assert statement["Limit"] == limit
    answer = rule["Action"]["Block"]["CustomResponse"]
    assert answer["ResponseCode"] == 429
    assert answer["ResponseHeaders"] == [{"Name": "Retry-After", "Value": "300"}]
    association = resources(templates, "prod")["ApiWebAclAssociation"]["Properties"]
    assert "${RestAPI}" in association["ResourceArn"]["Fn::Sub"]
    assert "ApiWebAcl" not in resources(templates, "dev")  # optional: prod's config only


@pytest.mark.parametrize("stage", STAGES)
def test_the_job_never_overlaps_itself_and_retries_a_bounded_number_of_times(templates, stage):
    job = resources(templates, stage)["RunJobs"]["Properties"]
    assert job["ReservedConcurrentExecutions"] == 1
    period = 300  # rate(5 minutes)
    assert job["Events"]["RunJobsEvent"]["Properties"]["Schedule"] == "rate(5 minutes)"
    schedule = job["Events"]["RunJobsEvent"]["Properties"]
    for retries in (job["EventInvokeConfig"], schedule["RetryPolicy"]):
        assert retries["MaximumRetryAttempts"] <= 2
        assert retries["MaximumEventAgeInSeconds"] < period


@pytest.mark.parametrize("stage", STAGES)
def test_ses_bounces_and_complaints_reach_the_ses_events_function(templates, stage):
    found = resources(templates, stage)
    destination = found["EmailEventDestination"]["Properties"]
    assert destination["ConfigurationSetName"] == {"Ref": "EmailConfigurationSet"}
    event = destination["EventDestination"]
    assert sorted(event["MatchingEventTypes"]) == ["bounce", "complaint"]
    assert event["SnsDestination"]["TopicARN"] == {"Ref": "EmailEventsTopic"}
    [statement] = found["EmailEventsTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "ses.amazonaws.com"}
    subscription = found["SesEvents"]["Properties"]["Events"][abuse.SES_EVENTS_SUBSCRIPTION]
    assert subscription == {"Type": "SNS", "Properties": {"Topic": {"Ref": "EmailEventsTopic"}}}


@pytest.mark.parametrize("stage", STAGES)
def test_counters_expire_and_their_hash_key_is_a_generated_secret(templates, stage):
    found = resources(templates, stage)
    ttl = found["ComplaintsTable"]["Properties"]["TimeToLiveSpecification"]
    assert ttl == {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}
    assert "GenerateSecretString" in found["LimitHashKeySecret"]["Properties"]
    for function in ("APIHandler", "SesEvents", "RunJobs"):
        variables = found[function]["Properties"]["Environment"]["Variables"]
        assert "LimitHashKeySecret" in variables["LIMIT_HASH_KEY"]["Fn::Sub"]
        assert int(variables["ACK_LIMIT_PER_RECIPIENT_DAY"]) >= 1
