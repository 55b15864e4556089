"""Confidential complainants in the staff view, and the actions offered to each caller."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain import commands as c
from chalicelib.domain.action_context import Context
from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.calendar import BusinessCalendar
from chalicelib.domain.complaint_input import ComplaintInput
from chalicelib.domain.deadlines import initial_deadlines
from chalicelib.domain.handling import perform, withdraw
from chalicelib.domain.lifecycle import Action
from chalicelib.domain.model import Complaint
from chalicelib.domain.sla import SlaPolicy
from chalicelib.domain.vocabulary import Channel, Status
from chalicelib.service.views import (
    MASK,
    actions_for,
    masked_complainant,
    sees_identity,
    staff_view,
)

SH = ZoneInfo("Asia/Shanghai")
CAL = BusinessCalendar()
RECEIVED = datetime(2026, 3, 2, 10, tzinfo=SH)
TOKEN_HASH = "5e1f" * 16

# Identity and contact details (DOMAIN.md "What a complaint records"), written out here
# rather than taken from views.IDENTITY_FIELDS so that dropping one there fails a test.
IDENTITY_FIELDS = ("name", "mobile", "office_phone", "email", "address", "organisation")
IDENTITY = {
    "name": "Ouyang Xiuying",
    "mobile": "+8613912345678",  # stored normalised (E.164)
    "office_phone": "+86 21 6543 2100",
    "email": "ouyang.xiuying@example.net",
    "address": "88 Nanjing Road, Huangpu",
    "organisation": "Huangpu Tenants Association",
}


def complaint_with(complainant: dict, department: str = "service") -> Complaint:
    data = ComplaintInput.model_validate(
        {
            "category": "service_attitude",
            "subject": "Rude staff at the counter",
            "description": "The clerk shouted at me.",
            "complainant": complainant,
        }
    )
    complaint = Complaint.receive(
        number="TS-20260302-0007",
        data=data,
        received_at=RECEIVED,
        channel=Channel.web,
        department=department,
        tracking_token_hash=TOKEN_HASH,
    )
    complaint.deadlines = initial_deadlines(
        RECEIVED, SlaPolicy().limits_for(complaint.grade), CAL, data.people_affected
    )
    return complaint


def confidential() -> Complaint:
    return complaint_with({**IDENTITY, "confidential": True})


def staff(role: Role, *departments: str, user_id: str = "u-1") -> Actor:
    return Actor(user_id, roles={role}, departments=set(departments))


MASKED_FOR = [
    staff(Role.HANDLER, "service"),
    staff(Role.HANDLER, "*"),
    staff(Role.INTAKE_AGENT, "service"),
    staff(Role.QUALITY, "service"),
    staff(Role.QUALITY, "*"),
    staff(Role.SUPERVISOR, "sales"),
    staff(Role.MANAGER, "sales"),
    staff(Role.DIRECTOR, "sales", "quality"),
    staff(Role.ADMIN),  # configures the service; needs no complainant's identity
    Actor("u-1", roles={Role.HANDLER, Role.QUALITY, Role.INTAKE_AGENT}, departments={"service"}),
]
SHOWN_TO = [
    staff(Role.SUPERVISOR, "service"),
    staff(Role.MANAGER, "service"),
    staff(Role.DIRECTOR, "service"),
    staff(Role.SUPERVISOR, "sales", "service"),
    staff(Role.MANAGER, "*"),
    Actor("u-1", roles={Role.HANDLER, Role.SUPERVISOR}, departments={"service"}),
]


def describe(actor: Actor) -> str:
    roles = "+".join(sorted(actor.roles))
    return f"{roles}@{','.join(sorted(actor.departments)) or '-'}"


@pytest.mark.parametrize("actor", MASKED_FOR, ids=describe)
def test_a_confidential_identity_is_masked_for(actor):
    complaint = confidential()
    complaint.assignee = actor.user_id  # even the assigned handler
    view = staff_view(complaint, actor)
    shown = view["data"]["complainant"]
    assert {name: shown[name] for name in IDENTITY_FIELDS} == dict.fromkeys(IDENTITY_FIELDS, MASK)
    assert shown["masked"] is True
    assert shown["confidential"] is True and shown["anonymous"] is False
    text = json.dumps(view, ensure_ascii=False)
    for value in IDENTITY.values():
        assert value not in text
    assert not sees_identity(actor, complaint)


@pytest.mark.parametrize("actor", SHOWN_TO, ids=describe)
def test_a_confidential_identity_is_shown_to(actor):
    complaint = confidential()
    view = staff_view(complaint, actor)
    shown = view["data"]["complainant"]
    assert {name: shown[name] for name in IDENTITY_FIELDS} == IDENTITY
    assert "masked" not in shown
    assert sees_identity(actor, complaint)


def test_masking_hides_only_what_was_given():
    complaint = complaint_with({"name": "Ouyang", "email": "o@example.net", "confidential": True})
    shown = staff_view(complaint, staff(Role.HANDLER, "service"))["data"]["complainant"]
    assert (shown["name"], shown["email"]) == (MASK, MASK)
    assert shown["mobile"] is None and shown["address"] is None


def test_masked_complainant_does_not_change_its_input():
    original = {**IDENTITY, "anonymous": False, "confidential": True}
    masked = masked_complainant(original)
    assert original == {**IDENTITY, "anonymous": False, "confidential": True}
    assert masked["name"] == MASK


def test_the_owning_department_decides_after_an_internal_transfer():
    complaint = confidential()
    context = Context(
        actor=staff(Role.SUPERVISOR, "service"),
        at=datetime(2026, 3, 2, 11, tzinfo=SH),
        calendar=CAL,
        limits=SlaPolicy().limits_for("C"),
        internal_departments=("service", "sales"),
    )
    perform(complaint, Action.transfer, c.Transfer(to="sales", reason="billing"), context)
    assert complaint.department == "sales"
    assert staff_view(complaint, staff(Role.SUPERVISOR, "sales"))["data"]["complainant"] == {
        **IDENTITY,
        "anonymous": False,
        "confidential": True,
        "contact_preference": None,
    }
    old = staff_view(complaint, staff(Role.SUPERVISOR, "service"))["data"]["complainant"]
    assert old["name"] == MASK


ALL_ACTORS = [
    staff(role, department)
    for role in Role
    for department in ("service", "sales", "*")
    if not (role == Role.ADMIN and department != "service")
]


@pytest.mark.parametrize("actor", ALL_ACTORS, ids=describe)
def test_a_non_confidential_complainant_is_never_masked(actor):
    complaint = complaint_with(IDENTITY)
    shown = staff_view(complaint, actor)["data"]["complainant"]
    assert {name: shown[name] for name in IDENTITY_FIELDS} == IDENTITY
    assert "masked" not in shown
    assert sees_identity(actor, complaint)


@pytest.mark.parametrize("confidential_flag", [False, True])
@pytest.mark.parametrize("actor", ALL_ACTORS, ids=describe)
def test_an_anonymous_complaint_has_nothing_to_mask(actor, confidential_flag):
    complaint = complaint_with({"anonymous": True, "confidential": confidential_flag})
    shown = staff_view(complaint, actor)["data"]["complainant"]
    assert {name: shown[name] for name in IDENTITY_FIELDS} == dict.fromkeys(IDENTITY_FIELDS)
    assert MASK not in json.dumps(shown)


@pytest.mark.parametrize("confidential_flag", [False, True])
@pytest.mark.parametrize("actor", ALL_ACTORS, ids=describe)
def test_the_tracking_token_hash_never_appears(actor, confidential_flag):
    complaint = complaint_with({**IDENTITY, "confidential": confidential_flag})
    view = staff_view(complaint, actor)
    assert "tracking_token_hash" not in view
    assert TOKEN_HASH not in json.dumps(view, ensure_ascii=False)


def test_the_view_carries_version_and_the_offered_actions():
    complaint = confidential()
    complaint.version = 4
    actor = staff(Role.SUPERVISOR, "service")
    view = staff_view(complaint, actor)
    assert view["version"] == 4
    assert view["number"] == "TS-20260302-0007"
    assert view["allowed_actions"] == actions_for(actor, complaint)


# -- actions offered -------------------------------------------------------------------------

DECIDE_ON_RECEIPT = ["accept", "add_note", "change_grade", "mark_conflict", "refuse", "transfer"]
HANDLER_WORK = ["add_note", "record_handling", "request_extension", "resolve", "wait"]
DECIDER_WORK = sorted(
    [*HANDLER_WORK, "assign", "change_grade", "decide_extension", "mark_conflict"]
)


def _at(status: Status, assignee: str | None = None) -> Complaint:
    complaint = confidential()
    complaint.status = status
    complaint.assignee = assignee
    return complaint


@pytest.mark.parametrize(
    ("actor", "status", "assignee", "expected"),
    [
        (staff(Role.SUPERVISOR, "service"), Status.received, None, DECIDE_ON_RECEIPT),
        (staff(Role.ADMIN), Status.received, None, []),
        (staff(Role.MANAGER, "*"), Status.received, None, DECIDE_ON_RECEIPT),
        (staff(Role.SUPERVISOR, "sales"), Status.received, None, []),
        (staff(Role.HANDLER, "service"), Status.received, None, ["add_note"]),
        (staff(Role.INTAKE_AGENT, "service"), Status.received, None, ["add_note"]),
        (staff(Role.QUALITY, "service"), Status.received, None, ["change_grade"]),
        (staff(Role.QUALITY, "sales"), Status.received, None, []),
        (staff(Role.SUPERVISOR, "service"), Status.accepted, None,
         ["add_note", "assign", "change_grade", "mark_conflict", "transfer"]),
        (staff(Role.HANDLER, "service"), Status.assigned, "u-1",
         ["add_note", "record_handling", "request_extension", "start"]),
        (staff(Role.HANDLER, "service"), Status.assigned, "u-2", ["add_note"]),
        (staff(Role.HANDLER, "service"), Status.in_progress, "u-1", HANDLER_WORK),
        (staff(Role.HANDLER, "service"), Status.in_progress, "u-2", ["add_note"]),
        (staff(Role.HANDLER, "*"), Status.in_progress, "u-2", ["add_note"]),
        (staff(Role.HANDLER, "sales"), Status.in_progress, "u-1", []),
        (staff(Role.SUPERVISOR, "service"), Status.in_progress, "u-2", DECIDER_WORK),
        (staff(Role.DIRECTOR, "service"), Status.in_progress, "u-2", DECIDER_WORK),
        (staff(Role.ADMIN), Status.in_progress, "u-2", []),
        (staff(Role.HANDLER, "service"), Status.waiting_for_complainant, "u-1",
         ["add_note", "record_handling", "request_extension", "resolve", "resume"]),
        (staff(Role.SUPERVISOR, "service"), Status.resolved, "u-2",
         ["add_note", "change_grade", "close", "mark_conflict"]),
        (staff(Role.MANAGER, "service"), Status.resolved, "u-2",
         ["add_note", "change_grade", "close", "mark_conflict", "reopen"]),
        (staff(Role.HANDLER, "service"), Status.resolved, "u-1", ["add_note"]),
        (staff(Role.SUPERVISOR, "service"), Status.closed, "u-2", []),
        (staff(Role.MANAGER, "service"), Status.closed, "u-2", ["reopen"]),
        (staff(Role.ADMIN), Status.closed, "u-2", []),
        (staff(Role.SUPERVISOR, "service"), Status.transferred, None,
         ["accept", "add_note", "change_grade", "close", "mark_conflict", "refuse", "transfer"]),
        (staff(Role.ADMIN), Status.not_accepted, None, []),
        (staff(Role.ADMIN), Status.withdrawn, None, []),
    ],
)  # fmt: skip
def test_actions_for_lists_only_permitted_actions(actor, status, assignee, expected):
    assert actions_for(actor, _at(status, assignee)) == expected


def test_a_withdrawn_complaint_offers_nothing_to_anyone():
    complaint = confidential()
    withdraw(complaint, None, datetime(2026, 3, 2, 12, tzinfo=SH))
    for actor in ALL_ACTORS:
        assert staff_view(complaint, actor)["allowed_actions"] == []
