"""The complaint lifecycle as data: which action moves which status where, and who may act.

One table each, so the state machine and the permission rules can be read, and tested,
exhaustively. See DOMAIN.md "Lifecycle" and "People and roles".
"""

from __future__ import annotations

from enum import StrEnum

from .actor import Actor, Role
from .errors import Forbidden, IllegalTransition
from .vocabulary import Status

ALL_DEPARTMENTS = "*"  # a departments claim of "*" covers the whole organisation


class Action(StrEnum):
    record_intake = "record_intake"
    view = "view"
    view_identity = "view_identity"
    accept = "accept"
    refuse = "refuse"
    transfer = "transfer"
    assign = "assign"
    start = "start"
    wait = "wait"
    resume = "resume"
    record_handling = "record_handling"
    resolve = "resolve"
    close = "close"
    reopen = "reopen"
    add_note = "add_note"
    request_extension = "request_extension"
    decide_extension = "decide_extension"
    change_grade = "change_grade"
    send_message = "send_message"
    request_info = "request_info"
    record_contact = "record_contact"
    mark_conflict = "mark_conflict"


S = Status
OPEN_WORK = (S.assigned, S.in_progress, S.waiting_for_complainant)

# (status, action) -> new status. Actions that do not move the status map to themselves.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (S.received, Action.accept): S.accepted,
    (S.received, Action.refuse): S.not_accepted,
    (S.received, Action.transfer): S.transferred,
    (S.transferred, Action.accept): S.accepted,
    (S.transferred, Action.refuse): S.not_accepted,
    (S.transferred, Action.transfer): S.transferred,
    (S.transferred, Action.close): S.closed,
    (S.accepted, Action.assign): S.assigned,
    (S.accepted, Action.transfer): S.transferred,
    (S.assigned, Action.assign): S.assigned,
    (S.assigned, Action.start): S.in_progress,
    (S.in_progress, Action.assign): S.assigned,
    (S.in_progress, Action.wait): S.waiting_for_complainant,
    (S.in_progress, Action.resolve): S.resolved,
    (S.waiting_for_complainant, Action.resume): S.in_progress,
    (S.waiting_for_complainant, Action.resolve): S.resolved,
    (S.resolved, Action.close): S.closed,
    (S.resolved, Action.reopen): S.in_progress,
    (S.closed, Action.reopen): S.in_progress,
}
for _status in OPEN_WORK:
    for _action in (Action.record_handling, Action.request_extension, Action.decide_extension):
        TRANSITIONS[(_status, _action)] = _status
for _status in Status:
    if _status not in (S.closed, S.withdrawn, S.not_accepted):
        TRANSITIONS[(_status, Action.add_note)] = _status
        TRANSITIONS[(_status, Action.change_grade)] = _status
        TRANSITIONS[(_status, Action.mark_conflict)] = _status

# Withdrawal (撤回) is the complainant's, with the tracking token: any time before closing.
WITHDRAWABLE = frozenset(Status) - {S.closed, S.withdrawn, S.not_accepted}

R = Role
# Cases are decided and handled along the chain (DOMAIN.md "People and roles"). An admin
# configures the service and looks after it (users, failed notifications): it sees every
# department's cases, to support the people who work them, but decides, handles, notes
# and grades nothing, and a confidential complainant's identity stays masked for it.
DECIDERS = frozenset({R.SUPERVISOR, R.MANAGER, R.DIRECTOR})
HANDLING = frozenset({R.HANDLER, R.SUPERVISOR, R.MANAGER, R.DIRECTOR})
STAFF = frozenset(Role)

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.record_intake: frozenset({R.INTAKE_AGENT}) | DECIDERS,
    Action.view: STAFF,
    Action.view_identity: DECIDERS,
    Action.accept: DECIDERS,
    Action.refuse: DECIDERS,
    Action.transfer: DECIDERS,
    Action.assign: DECIDERS,
    Action.start: HANDLING,
    Action.wait: HANDLING,
    Action.resume: HANDLING,
    Action.record_handling: HANDLING,
    Action.resolve: HANDLING,
    Action.close: DECIDERS,
    Action.reopen: frozenset({R.MANAGER, R.DIRECTOR}),
    Action.add_note: STAFF - {R.QUALITY, R.ADMIN},
    Action.request_extension: HANDLING,
    Action.decide_extension: DECIDERS,
    Action.change_grade: DECIDERS | {R.QUALITY},
    # Talking with the complainant is the work of whoever may work the case. These are
    # not transitions: handling.converse applies them to any case not yet finished.
    Action.send_message: HANDLING,
    Action.request_info: HANDLING,
    Action.record_contact: HANDLING,
    Action.mark_conflict: DECIDERS,
}

# Handling a case is the assignee's job; deciders of the department may step in.
ASSIGNEE_ONLY_FOR_HANDLERS = frozenset(
    {
        Action.start,
        Action.wait,
        Action.resume,
        Action.record_handling,
        Action.resolve,
        Action.request_extension,
        Action.send_message,
        Action.request_info,
        Action.record_contact,
    }
)


def allowed_actions(status: Status) -> list[str]:
    return sorted(action.value for (state, action) in TRANSITIONS if state == status)


def next_status(status: Status, action: Action) -> Status:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransition(
            f"cannot {action.value} a complaint that is {status.value}",
            status=status.value,
            allowed=allowed_actions(status),
        ) from None


def covers(actor: Actor, department: str) -> bool:
    return (
        Role.ADMIN in actor.roles
        or ALL_DEPARTMENTS in actor.departments
        or department in actor.departments
    )


def may(actor: Actor, action: Action, *, department: str, assignee: str | None = None) -> bool:
    if not actor.roles & PERMISSIONS[action]:
        return False
    if not covers(actor, department):
        return False
    if action in ASSIGNEE_ONLY_FOR_HANDLERS and not actor.roles & DECIDERS:
        return assignee == actor.user_id
    return True


def authorize(actor: Actor, action: Action, *, department: str, assignee: str | None = None):
    if not may(actor, action, department=department, assignee=assignee):
        raise Forbidden(f"your role or department does not allow you to {action.value} this")
