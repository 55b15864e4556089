"""docs/deploy.md says what the templates create: every alarm, their count, and how long
each stage keeps its logs (issue 19: the docs had drifted to 10 alarms and 14/365 days while
the templates made 13 alarms and a 30-day group)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from infra import build

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


def of_type(template: dict, type_: str) -> dict:
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if resource.get("Type") == type_
    }


def alarms_section() -> str:
    text = DEPLOY.read_text()
    start = text.index("### Alarms")
    return text[start : text.index("\n#", start + 1)]


def test_the_documented_alarms_are_the_templates_alarms(templates):
    documented = set(re.findall(r"`(\w+Alarm)`", alarms_section()))
    for stage in build.STAGES:
        assert documented == set(of_type(templates[stage], "AWS::CloudWatch::Alarm")), stage


def test_every_alarm_count_in_the_doc_is_the_templates(templates):
    counts = {int(n) for n in re.findall(r"(\d+) alarms per stack", DEPLOY.read_text())}
    assert counts, "no 'N alarms per stack' in docs/deploy.md"
    for stage in build.STAGES:
        assert counts == {len(of_type(templates[stage], "AWS::CloudWatch::Alarm"))}, stage


@pytest.mark.parametrize("stage", build.STAGES)
def test_every_log_group_keeps_logs_as_long_as_the_doc_says(templates, stage):
    text = DEPLOY.read_text()
    [(dev, prod)] = re.findall(r"dev (\d+) days, prod (\d+) days retention", text)
    documented = {"dev": int(dev), "prod": int(prod)}[stage]
    groups = of_type(templates[stage], "AWS::Logs::LogGroup")
    retention = {name: group["Properties"].get("RetentionInDays") for name, group in groups.items()}
    assert set(retention.values()) == {documented}, retention
    # One group per function: the documented retention covers every function's logs.
    functions = of_type(templates[stage], "AWS::Serverless::Function") | of_type(
        templates[stage], "AWS::Lambda::Function"
    )
    assert len(groups) == len(functions)
