"""The finding (issue 20): its rules, its place in the record and history, who sees the
person it names, and recusal (回避) of the respondent and of marked staff."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chalicelib.domain import commands as c
from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.errors import InvalidCommand
from chalicelib.domain.finding import Finding
from chalicelib.domain.handling import perform
from chalicelib.domain.lifecycle import Action
from chalicelib.domain.recusal import RESPONDENT, Recused, Staff, check, recused
from chalicelib.domain.vocabulary import Kind, Status
from chalicelib.service.views import MASK, event_view, masked_finding, staff_view
from tests.unit.test_handling import (
    FULL_HANDLING,
    HANDLER,
    MANAGER,
    SUPERVISOR,
    at_status,
    ctx,
    sh,
)

AT = sh(2026, 1, 7, 10)
AGAINST_SALES = {
    "substantiated": "yes",
    "valid": True,
    "responsible": {"department": "sales", "person": "王五"},
    "action": "warning and training",
}


def resolve(complaint, finding=None, actor=HANDLER):
    body = c.Resolve(**FULL_HANDLING, finding=finding)
    perform(complaint, Action.resolve, body, ctx(AT, actor))


def errors_of(body: dict) -> dict:
    with pytest.raises(ValidationError) as caught:
        Finding.model_validate(body)
    return {".".join(map(str, e["loc"])): e["msg"] for e in caught.value.errors()}


# -- the rules ------------------------------------------------------------------------------


def test_a_complaint_is_not_resolved_without_its_finding():
    complaint = at_status(Status.in_progress)
    with pytest.raises(InvalidCommand) as caught:
        resolve(complaint, None)
    assert set(caught.value.fields) == {"finding"}
    assert "finding" in caught.value.message
    assert complaint.status == Status.in_progress and complaint.pending_events() == []


@pytest.mark.parametrize("kind", [k for k in Kind if k != Kind.complaint])
def test_other_kinds_may_resolve_without_one_or_carry_one(kind):
    complaint = at_status(Status.in_progress, kind=kind)
    resolve(complaint, None)
    assert complaint.status == Status.resolved and complaint.finding is None
    other = at_status(Status.in_progress, kind=kind)
    resolve(other, {"substantiated": "no", "valid": False})
    assert other.finding.substantiated == "no"


@pytest.mark.parametrize("substantiated", ["yes", "partly"])
def test_responsible_and_action_are_required_when_substantiated_or_partly(substantiated):
    found = errors_of({"substantiated": substantiated, "valid": True})
    assert set(found) == {"responsible", "action"}
    assert "required" in found["responsible"]
    ok = Finding.model_validate({**AGAINST_SALES, "substantiated": substantiated})
    assert ok.responsible.department == "sales"


def test_not_substantiated_is_never_valid_and_needs_no_responsible():
    assert set(errors_of({"substantiated": "no", "valid": True})) == {"valid"}
    finding = Finding.model_validate({"substantiated": "no", "valid": False})
    assert finding.responsible is None


@pytest.mark.parametrize(
    "body",
    [
        {"valid": False},
        {"substantiated": "maybe", "valid": False},
        {"substantiated": "no", "valid": False, "blame": "x"},
        {**AGAINST_SALES, "responsible": {"person": "王五"}},
        {**AGAINST_SALES, "responsible": {"department": "  "}},
    ],
)
def test_malformed_findings_are_refused(body):
    assert errors_of(body)


def test_the_json_schema_carries_every_enum_and_the_conditional_rule():
    schema = Finding.model_json_schema()
    substantiated = schema["$defs"]["Substantiated"]["enum"]
    assert substantiated == ["yes", "partly", "no"]
    rules = schema["allOf"]
    assert rules[0]["if"]["properties"]["substantiated"]["enum"] == ["yes", "partly"]
    assert set(rules[0]["then"]["required"]) == {"responsible", "action"}
    assert rules[1]["then"]["properties"]["valid"] == {"const": False}


def test_a_reopen_keeps_the_earlier_finding_in_the_history_and_asks_for_a_new_one():
    complaint = at_status(Status.in_progress)
    resolve(complaint, AGAINST_SALES)
    assert complaint.finding.responsible.department == "sales"
    perform(
        complaint, Action.reopen, c.Reopen(reason="new facts"), ctx(sh(2026, 1, 8, 10), MANAGER)
    )
    assert complaint.finding is None
    resolved_event, reopened_event = complaint.pending_events()[-2:]
    assert resolved_event.changes["finding"] == [None, AGAINST_SALES]
    assert reopened_event.changes["finding"] == [AGAINST_SALES, None]
    with pytest.raises(InvalidCommand):
        resolve(complaint, None)  # the next resolution needs a new one
    resolve(complaint, {"substantiated": "no", "valid": False})
    assert complaint.finding.substantiated == "no"


def test_the_finding_is_not_in_the_events_details_the_complainant_may_see():
    complaint = at_status(Status.in_progress)
    resolve(complaint, AGAINST_SALES)
    event = complaint.pending_events()[-1]
    assert "finding" not in event.details
    assert "王五" not in repr(event.details)


# -- who sees the person ----------------------------------------------------------------------

SEES = [
    (Actor("s", roles={Role.SUPERVISOR}, departments={"sales"}), True),
    (Actor("m", roles={Role.MANAGER}, departments={"*"}), True),
    (Actor("d", roles={Role.DIRECTOR}, departments={"sales"}), True),
    (Actor("q", roles={Role.QUALITY}, departments={"service"}), True),
    (Actor("a", roles={Role.ADMIN}), True),
    (Actor("s2", roles={Role.SUPERVISOR}, departments={"service"}), False),
    (Actor("h", roles={Role.HANDLER}, departments={"sales"}), False),
    (Actor("i", roles={Role.INTAKE_AGENT}, departments={"sales"}), False),
]


@pytest.mark.parametrize(("actor", "sees"), SEES, ids=lambda v: getattr(v, "user_id", str(v)))
def test_the_responsible_person_is_seen_by_supervisors_up_of_that_department_quality_admin(
    actor, sees
):
    complaint = at_status(Status.in_progress)
    resolve(complaint, AGAINST_SALES)
    view = staff_view(complaint, actor)
    history = [event_view(e, actor) for e in complaint.pending_events()]
    shown = [view["finding"], history[-1]["changes"]["finding"][1]]
    for finding in shown:
        assert finding["responsible"]["department"] == "sales"  # everyone sees the department
        assert finding["responsible"]["person"] == ("王五" if sees else MASK)
        assert finding.get("masked", False) is (not sees)
    assert ("王五" in repr(view) + repr(history)) is sees


def test_a_finding_without_a_person_has_nothing_to_mask():
    finding = {"substantiated": "no", "valid": False, "responsible": None, "action": None}
    assert masked_finding(finding, HANDLER) == finding
    assert masked_finding(None, HANDLER) is None


# -- recusal ----------------------------------------------------------------------------------


def with_respondent(person: str):
    return at_status(Status.accepted, respondent={"department": "sales", "person": person})


@pytest.mark.parametrize("named", ["han-1", "Zhao", " zhao "])
def test_the_respondent_is_matched_by_user_id_or_name(named):
    complaint = with_respondent(named)
    with pytest.raises(Recused) as caught:
        check(complaint, Staff("han-1", "Zhao"), "be assigned it")
    assert caught.value.details["reason"] == RESPONDENT
    assert recused(complaint, [Staff("han-1", "Zhao"), Staff("han-2", "Li")]) == {
        "han-1": RESPONDENT
    }
    check(complaint, Staff("han-2", "Li"), "be assigned it")  # anybody else may


def test_a_marked_member_of_staff_is_recused_with_the_reason():
    complaint = at_status(Status.accepted)
    body = c.MarkConflict(user_id="han-2", reason="the complainant's brother")
    perform(complaint, Action.mark_conflict, body, ctx(AT, SUPERVISOR))
    event = complaint.pending_events()[-1]
    assert event.type == "conflict_marked" and event.actor == "sup-1"
    assert not event.public
    assert recused(complaint, []) == {"han-2": "the complainant's brother"}
    with pytest.raises(Recused):
        check(complaint, Staff("han-2"), "act")
