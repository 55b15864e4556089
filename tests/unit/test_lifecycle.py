"""The lifecycle and permission tables, pair by pair, against tables written out by hand.

The expected tables below are transcribed from DOMAIN.md "Lifecycle" and "People and roles"
and issue 3, not computed from chalicelib.domain.lifecycle, so a change to either table in
the code shows up here as a failing pair.
"""

from __future__ import annotations

import itertools

import pytest

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.errors import Conflict, Forbidden, IllegalTransition
from chalicelib.domain.lifecycle import (
    ASSIGNEE_ONLY_FOR_HANDLERS,
    PERMISSIONS,
    TRANSITIONS,
    WITHDRAWABLE,
    Action,
    allowed_actions,
    authorize,
    covers,
    may,
    next_status,
)
from chalicelib.domain.vocabulary import Status

S, A, R = Status, Action, Role

# Actions that record something without moving the status.
_NOTE_AND_GRADE = {A.add_note: None, A.change_grade: None, A.mark_conflict: None}
_OPEN_WORK = {A.record_handling: None, A.request_extension: None, A.decide_extension: None}

# status -> {action: target}; a target of None means "stays where it is".
_LIFECYCLE: dict[Status, dict[Action, Status | None]] = {
    S.received: {
        A.accept: S.accepted,
        A.refuse: S.not_accepted,
        A.transfer: S.transferred,
        **_NOTE_AND_GRADE,
    },
    S.transferred: {
        A.accept: S.accepted,
        A.refuse: S.not_accepted,
        A.transfer: S.transferred,
        A.close: S.closed,
        **_NOTE_AND_GRADE,
    },
    S.accepted: {
        A.assign: S.assigned,
        A.transfer: S.transferred,
        **_NOTE_AND_GRADE,
    },
    S.assigned: {
        A.assign: S.assigned,
        A.start: S.in_progress,
        **_OPEN_WORK,
        **_NOTE_AND_GRADE,
    },
    S.in_progress: {
        A.assign: S.assigned,
        A.wait: S.waiting_for_complainant,
        A.resolve: S.resolved,
        **_OPEN_WORK,
        **_NOTE_AND_GRADE,
    },
    S.waiting_for_complainant: {
        A.resume: S.in_progress,
        A.resolve: S.resolved,
        **_OPEN_WORK,
        **_NOTE_AND_GRADE,
    },
    S.resolved: {
        A.close: S.closed,
        A.reopen: S.in_progress,
        **_NOTE_AND_GRADE,
    },
    # A closed case cannot be edited; reopening (反关闭) is the only way back.
    S.closed: {A.reopen: S.in_progress},
    S.not_accepted: {},
    S.withdrawn: {},
}

EXPECTED_TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (status, action): target or status
    for status, moves in _LIFECYCLE.items()
    for action, target in moves.items()
}

ALL_PAIRS = list(itertools.product(Status, Action))


def test_the_expected_table_covers_every_status():
    assert set(_LIFECYCLE) == set(Status)


def test_transitions_table_is_exactly_the_expected_one():
    assert TRANSITIONS == EXPECTED_TRANSITIONS


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS, ids=lambda v: v.value)
def test_next_status_for_every_status_and_action(status, action):
    expected = EXPECTED_TRANSITIONS.get((status, action))
    if expected is not None:
        assert next_status(status, action) is expected
        return
    with pytest.raises(IllegalTransition) as caught:
        next_status(status, action)
    error = caught.value
    assert isinstance(error, Conflict)  # mapped to 409
    assert error.code == "illegal_transition"
    assert error.details == {
        "status": status.value,
        "allowed": sorted(a.value for a in _LIFECYCLE[status]),
    }
    assert action.value in error.message and status.value in error.message


@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.value)
def test_allowed_actions_lists_the_expected_ones_sorted(status):
    assert allowed_actions(status) == sorted(a.value for a in _LIFECYCLE[status])


@pytest.mark.parametrize("action", [A.view, A.view_identity, A.record_intake])
def test_non_transition_actions_are_illegal_in_every_status(action):
    for status in Status:
        with pytest.raises(IllegalTransition):
            next_status(status, action)


def test_final_statuses_have_no_way_out_but_reopening_a_closed_case():
    assert allowed_actions(S.not_accepted) == []
    assert allowed_actions(S.withdrawn) == []
    assert allowed_actions(S.closed) == ["reopen"]


# DOMAIN.md: "Withdrawn by the complainant at any time before closing"; a refused
# (not accepted) case is already finished. Stated here, not taken from the domain.
BEFORE_CLOSING = {
    S.received,
    S.accepted,
    S.transferred,
    S.assigned,
    S.in_progress,
    S.waiting_for_complainant,
    S.resolved,
}


def test_withdrawable_statuses_are_every_status_before_closing():
    assert BEFORE_CLOSING == WITHDRAWABLE


# -- permissions -----------------------------------------------------------------------------

_STAFF = set(Action)
_HANDLING = {
    A.view,
    A.start,
    A.wait,
    A.resume,
    A.record_handling,
    A.resolve,
    A.add_note,
    A.request_extension,
    A.send_message,
    A.request_info,
    A.record_contact,
}
_DECIDING = {
    A.record_intake,
    A.view_identity,
    A.accept,
    A.refuse,
    A.transfer,
    A.assign,
    A.close,
    A.decide_extension,
    A.change_grade,
    A.mark_conflict,
}

# role -> the actions the role alone allows (department and assignee rules aside).
EXPECTED_PERMISSIONS: dict[Role, set[Action]] = {
    R.INTAKE_AGENT: {A.record_intake, A.view, A.add_note},
    R.HANDLER: _HANDLING,
    R.SUPERVISOR: _HANDLING | _DECIDING,
    R.MANAGER: _HANDLING | _DECIDING | {A.reopen},
    R.DIRECTOR: _HANDLING | _DECIDING | {A.reopen},
    # An admin configures and supports: it sees every department's cases, decides nothing
    # (actor.py, DOMAIN.md "People and roles"; issue 13 item 8).
    R.ADMIN: {A.view},
    R.QUALITY: {A.view, A.change_grade},
}
ROLE_ACTION = list(itertools.product(Role, Action))


def test_every_action_has_a_permission_entry():
    assert set(PERMISSIONS) == set(Action)
    assert set(EXPECTED_PERMISSIONS) == set(Role)


@pytest.mark.parametrize(("role", "action"), ROLE_ACTION, ids=lambda v: v.value)
def test_permission_table_for_every_role_and_action(role, action):
    assert (role in PERMISSIONS[action]) is (action in EXPECTED_PERMISSIONS[role])


@pytest.mark.parametrize(("role", "action"), ROLE_ACTION, ids=lambda v: v.value)
def test_may_for_every_role_and_action_in_own_department_on_own_case(role, action):
    actor = Actor("u-1", roles={role}, departments={"service"})
    expected = action in EXPECTED_PERMISSIONS[role]
    assert may(actor, action, department="service", assignee="u-1") is expected
    if expected:
        authorize(actor, action, department="service", assignee="u-1")
    else:
        with pytest.raises(Forbidden, match=action.value):
            authorize(actor, action, department="service", assignee="u-1")


@pytest.mark.parametrize(("role", "action"), ROLE_ACTION, ids=lambda v: v.value)
def test_no_role_but_admin_acts_in_another_department(role, action):
    actor = Actor("u-1", roles={role}, departments={"sales"})
    expected = role is R.ADMIN and action in EXPECTED_PERMISSIONS[R.ADMIN]
    assert may(actor, action, department="service", assignee="u-1") is expected


@pytest.mark.parametrize(("role", "action"), ROLE_ACTION, ids=lambda v: v.value)
def test_an_organisation_wide_claim_covers_every_department(role, action):
    actor = Actor("u-1", roles={role}, departments={"*"})
    expected = action in EXPECTED_PERMISSIONS[role]
    assert may(actor, action, department="service", assignee="u-1") is expected


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_an_actor_without_roles_may_do_nothing(action):
    actor = Actor("u-1", departments={"*"})
    assert not may(actor, action, department="service", assignee="u-1")


def test_roles_combine_as_a_union():
    actor = Actor("u-1", roles={R.QUALITY, R.INTAKE_AGENT}, departments={"service"})
    for action in Action:
        expected = action in EXPECTED_PERMISSIONS[R.QUALITY] | EXPECTED_PERMISSIONS[R.INTAKE_AGENT]
        assert may(actor, action, department="service") is expected


# -- department scope ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "departments", "department", "expected"),
    [
        ({R.SUPERVISOR}, {"service"}, "service", True),
        ({R.SUPERVISOR}, {"service"}, "sales", False),
        ({R.SUPERVISOR}, {"service", "sales"}, "sales", True),
        ({R.SUPERVISOR}, set(), "service", False),
        ({R.SUPERVISOR}, {"*"}, "sales", True),
        ({R.HANDLER}, {"*"}, "anything", True),
        ({R.ADMIN}, set(), "service", True),
        ({R.ADMIN}, {"sales"}, "service", True),
        ({R.QUALITY}, {"quality"}, "service", False),
        ({R.MANAGER}, {"Service"}, "service", False),  # names are exact
    ],
)
def test_covers(roles, departments, department, expected):
    assert covers(Actor("u-1", roles=roles, departments=departments), department) is expected


# -- the assignee rule -----------------------------------------------------------------------

ASSIGNEE_ONLY = [
    A.start,
    A.wait,
    A.resume,
    A.record_handling,
    A.resolve,
    A.request_extension,
    A.send_message,
    A.request_info,
    A.record_contact,
]


def test_assignee_only_actions_are_the_handling_ones():
    assert set(ASSIGNEE_ONLY_FOR_HANDLERS) == set(ASSIGNEE_ONLY)


@pytest.mark.parametrize("action", ASSIGNEE_ONLY, ids=lambda a: a.value)
@pytest.mark.parametrize(
    ("roles", "departments", "assignee", "expected"),
    [
        ({R.HANDLER}, {"service"}, "u-1", True),
        ({R.HANDLER}, {"service"}, "u-2", False),
        ({R.HANDLER}, {"service"}, None, False),
        ({R.HANDLER}, {"*"}, "u-2", False),
        ({R.HANDLER}, {"sales"}, "u-1", False),  # assigned, but outside the department
        ({R.HANDLER, R.QUALITY}, {"service"}, "u-2", False),
        ({R.HANDLER, R.INTAKE_AGENT}, {"service"}, "u-2", False),
        ({R.SUPERVISOR}, {"service"}, "u-2", True),
        ({R.SUPERVISOR}, {"service"}, None, True),
        ({R.MANAGER}, {"service"}, "u-2", True),
        ({R.DIRECTOR}, {"service"}, "u-2", True),
        ({R.HANDLER, R.SUPERVISOR}, {"service"}, "u-2", True),
        ({R.SUPERVISOR}, {"sales"}, "u-2", False),  # decider of another department
        ({R.ADMIN}, set(), "u-2", False),
        ({R.ADMIN}, set(), None, False),
        ({R.ADMIN}, {"*"}, "u-1", False),
        ({R.INTAKE_AGENT}, {"service"}, "u-1", False),  # no handling role at all
        ({R.QUALITY}, {"service"}, "u-1", False),
    ],
)
def test_assignee_rule(action, roles, departments, assignee, expected):
    actor = Actor("u-1", roles=roles, departments=departments)
    assert may(actor, action, department="service", assignee=assignee) is expected


@pytest.mark.parametrize("action", [A.view, A.add_note], ids=lambda a: a.value)
def test_a_handler_sees_and_notes_cases_not_assigned_to_them(action):
    actor = Actor("u-1", roles={R.HANDLER}, departments={"service"})
    assert may(actor, action, department="service", assignee="u-2")
    assert may(actor, action, department="service", assignee=None)


@pytest.mark.parametrize(
    "action", sorted(EXPECTED_PERMISSIONS[R.SUPERVISOR] - set(ASSIGNEE_ONLY)), ids=str
)
def test_the_assignee_does_not_matter_outside_handling(action):
    actor = Actor("u-1", roles={R.SUPERVISOR}, departments={"service"})
    for assignee in (None, "u-1", "u-2"):
        assert may(actor, action, department="service", assignee=assignee)


@pytest.mark.parametrize("action", sorted(set(Action) - {A.view}), ids=str)
def test_an_admin_decides_and_handles_nothing(action):
    """Admin is off the chain (actor.CHAIN): it looks at cases, it does not decide them."""
    admin = Actor("adm-1", roles={R.ADMIN}, departments={"*"})
    assert R.ADMIN not in PERMISSIONS[action]
    assert not may(admin, action, department="service", assignee="adm-1")
    assert may(admin, A.view, department="any-department")
