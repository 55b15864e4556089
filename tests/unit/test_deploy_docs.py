"""docs/deploy.md, followed word for word, works (issue 13, items 14, 15, 18)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


def documented_filter_policies() -> list[dict]:
    text = DEPLOY.read_text()
    quoted = re.findall(r"""'\{"FilterPolicy": "(.*?)"\}'""", text)
    return [json.loads(policy.replace('\\"', '"')) for policy in quoted]


def published_audiences() -> set[str]:
    """Every `audience` the service puts on a staff message, from the code that sets it."""
    from chalicelib.domain import deadlines, notifications

    audiences = set()
    for audience, _subject, _body in notifications._TO_STAFF.values():
        if "{role}" in audience:
            audiences |= {audience.format(role=role) for role in deadlines.CHAIN}
        else:
            audiences.add(audience)
    values = dict(number="n", grade="C", subject="s", department="service", channel="web")
    new = notifications._to_supervisors(SimpleNamespace(department="service"), values)
    audiences.add(new.attributes["audience"])
    from chalicelib.service import callbacks

    audiences.add(callbacks.DIGEST_AUDIENCE)  # the 09:00 callback digest
    # Any other staff message written with a literal audience attribute (digests, ...).
    for source in (DEPLOY.parents[1] / "chalicelib").rglob("*.py"):
        audiences |= set(re.findall(r'"audience": "(\w+)"', source.read_text()))
    return audiences


def matches(policy: dict, attributes: dict) -> bool:
    # `<USER_SUB>`-style values are placeholders the reader fills in.
    return all(
        attributes.get(key) in allowed or any(v.startswith("<") for v in allowed)
        for key, allowed in policy.items()
    )


def test_every_published_audience_reaches_a_documented_subscription():
    policies = documented_filter_policies()
    assert policies, "no filter policies found in docs/deploy.md"
    audiences = published_audiences()
    assert {"supervisors", "supervisor", "manager", "director", "handler"} <= audiences
    for audience in sorted(audiences):
        attributes = {"audience": audience, "department": "service"}
        if audience == "handler":
            attributes["user"] = "handler-sub-1"  # messages to a handler name them
        assert any(matches(p, attributes) for p in policies), audience
        assert f"| `{audience}`" in DEPLOY.read_text(), f"{audience} not in the table"


def documented_regions_without_services() -> dict[str, set[str]]:
    text = DEPLOY.read_text()
    section = text[text.index("### Regions") : text.index("### 1. Build")]
    missing = {}
    for regions, services in re.findall(r"(?m)^\| (`[a-z]{2}-[^|]*)\| ([^|]+) \|$", section):
        kinds = set()
        if "SES" in services:
            kinds.add("SES")
        if "Cognito" in services:
            kinds.add("Cognito")
        for region in re.findall(r"`([a-z]{2}-[a-z]+-\d)`", regions):
            missing[region] = kinds
    return missing
