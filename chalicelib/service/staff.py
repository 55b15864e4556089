"""Staff use cases: look at complaints, act on them, record complaints taken off-line.

One command, one transaction: the changed record, its audit event and its outbox entries
commit together, conditional on the version the caller last read.
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.action_context import Context
from ..domain.actor import Actor, Role
from ..domain.commands import StaffIntake
from ..domain.errors import Forbidden, InvalidCommand, NotFound, StaleVersion
from ..domain.handling import body_model, perform
from ..domain.lifecycle import ALL_DEPARTMENTS, Action, authorize, covers, may
from ..domain.listing import ListCriteria
from ..domain.model import Complaint
from ..domain.numbering import local_day
from . import recusal
from .context import Services
from .intake import Receipt, submit_complaint
from .outbox import commit
from .queues import with_clock
from .views import event_view, sees_identity, staff_view


def load(number: str, services: Services) -> Complaint:
    complaint = services.complaints.load(number)
    if complaint is None:
        raise NotFound(f"no complaint {number}")
    return complaint


def get_complaint(number: str, actor: Actor, services: Services) -> dict:
    complaint = load(number, services)
    authorize(actor, Action.view, department=complaint.department, assignee=complaint.assignee)
    complaint = open_case(number, complaint, actor, services)
    return case_view(complaint, actor, services)


def open_case(number: str, complaint: Complaint, actor: Actor, services: Services) -> Complaint:
    """The assignee opening the case marks its replies seen, with an audit record, so it
    leaves the "replied" queue (its counters move in the same transaction). A version race
    is re-read; a case changed again meanwhile is left for the next opening."""
    from ..domain import conversation as talk
    from ..domain.handling import stamp

    def mark_seen(complaint: Complaint) -> bool:
        if not talk.opens_replies(complaint, actor.user_id):
            return False
        ctx = context_for(complaint, actor, services)
        details = {"replies": complaint.replies_unread}
        stamp(complaint, "replies_seen", ctx, details, talk.mark_replies_seen)
        return True

    return record_once(number, services, mark_seen, complaint)


def record_once(
    number: str,
    services: Services,
    record: Callable[[Complaint], bool],
    complaint: Complaint | None = None,
    tries: int = 3,
) -> Complaint:
    """`record(complaint)` stamps an event, or answers False when there is none to stamp;
    then commit. A version race re-reads and decides again; after `tries` races the case
    is left as stored (the next occasion records it)."""
    for attempt in range(tries):
        if attempt or complaint is None:
            complaint = load(number, services)
        if not record(complaint):
            return complaint
        try:
            commit(complaint, services)
            return complaint
        except StaleVersion:
            continue
    return load(number, services)


def list_complaints(query: dict, actor: Actor, services: Services) -> dict:
    criteria = ListCriteria.model_validate(query)
    criteria = _within_scope(criteria, actor)
    today = local_day(services.clock.now(), services.settings.timezone)
    window = _window(criteria, services.settings.received_bounds, today)
    scope = None if org_wide(actor) else sorted(actor.departments)
    complaints, cursor = services.complaints.search(criteria, scope, window)
    visible = [
        staff_view(complaint, actor)
        for complaint in complaints
        if may(actor, Action.view, department=complaint.department, assignee=complaint.assignee)
    ]
    first, last = window
    return {
        "items": visible,
        "next_cursor": cursor,
        "window": {"received_from": first.isoformat(), "received_to": last.isoformat()},
    }


def _window(criteria: ListCriteria, bounds, today) -> tuple:
    """The days received the list covers: the filters given, else from the first day of
    the organisation's records (RECEIVED_SINCE) to today, so no open case falls out."""
    for name in ("received_from", "received_to"):
        bounds.check_filter_date(name, getattr(criteria, name), today)
    first = criteria.received_from or bounds.since
    last = min(criteria.received_to or today, today)
    return first, max(first, last)


def _within_scope(criteria: ListCriteria, actor: Actor) -> ListCriteria:
    if criteria.department and not covers(actor, criteria.department):
        raise Forbidden("that department is outside your scope")
    if not actor.roles - {Role.HANDLER}:
        # A handler's list is their own cases.
        return criteria.model_copy(update={"assignee": actor.user_id})
    return criteria


def org_wide(actor: Actor) -> bool:
    return Role.ADMIN in actor.roles or ALL_DEPARTMENTS in actor.departments


def history(number: str, actor: Actor, services: Services) -> list[dict]:
    complaint, events = services.complaints.load_with_events(number)
    if complaint is None:
        raise NotFound(f"no complaint {number}")
    authorize(actor, Action.view, department=complaint.department, assignee=complaint.assignee)
    hide = not sees_identity(actor, complaint)
    return [event_view(event, actor, complaint if hide else None) for event in events]


def act(
    number: str,
    action: Action,
    body: dict,
    actor: Actor,
    expected_version: int,
    services: Services,
) -> dict:
    command = body_model(action).model_validate(body)
    complaint = load(number, services)
    if complaint.version != expected_version:
        raise StaleVersion(
            "the complaint has changed since you read it; reload and retry",
            current_version=complaint.version,
        )
    authorize(actor, action, department=complaint.department, assignee=complaint.assignee)
    recusal.check(complaint, action, command, actor)
    _check_finding(command, services)
    perform(complaint, action, command, context_for(complaint, actor, services))
    commit(complaint, services)
    return case_view(complaint, actor, services)


def case_view(complaint: Complaint, actor: Actor, services: Services) -> dict:
    """One case as staff see it: masked, with its clock and who must stay out of it."""
    view = with_clock(staff_view(complaint, actor), complaint, services)
    view["recused"] = recusal.recused(complaint)
    _talk(view, complaint, actor, services)
    return view


def _talk(view: dict, complaint: Complaint, actor: Actor, services: Services) -> None:
    """What the conversation needs (issue 17): whether the caller may write to the
    complainant, and the default date to reply by for a request for information."""
    allowed = may(
        actor, Action.send_message, department=complaint.department, assignee=complaint.assignee
    )
    view["allowed_talk"] = allowed and complaint.is_open
    view["info_request_default"] = None
    if allowed and complaint.status.value in ("in_progress", "waiting_for_complainant"):
        from ..domain.conversation import default_reply_by

        limits = services.sla.limits_for(
            complaint.grade, kind=complaint.data.kind.value, category=complaint.data.category
        )
        now = services.clock.now()
        reply_by = default_reply_by(now, limits.info_request_days, services.calendar)
        view["info_request_default"] = reply_by.isoformat()


def _check_finding(command, services: Services) -> None:
    finding = getattr(command, "finding", None)
    departments = services.settings.departments
    if finding and finding.responsible and finding.responsible.department not in departments:
        raise InvalidCommand(
            "the responsible department is not one of the organisation's",
            {"finding.responsible.department": f"must be one of: {', '.join(departments)}"},
        )


def context_for(complaint: Complaint, actor: Actor, services: Services) -> Context:
    limits = services.sla.limits_for(
        complaint.grade, kind=complaint.data.kind.value, category=complaint.data.category
    )
    return Context(
        actor=actor,
        at=services.clock.now(),
        calendar=services.calendar,
        limits=limits,
        internal_departments=services.org.codes("departments", active_only=False),
        policy=services.sla,
        info_request_expiry=services.org.info_request_expiry,
    )


def record_intake(body: dict, actor: Actor, services: Services) -> Receipt:
    """A complaint taken by phone, visit, letter, fax or e-mail.

    首问负责: the staff member who took it is on record as the actor of its first event.
    """
    intake = StaffIntake.model_validate(body)
    services.settings.received_bounds.check_received_at(intake.received_at, services.clock.now())
    department = intake.department or services.settings.default_department
    authorize(actor, Action.record_intake, department=department)
    return submit_complaint(
        intake.complaint_input(),
        services,
        channel=intake.channel,
        actor=actor.user_id,
        actor_role=str(actor.highest_role() or "staff"),
        received_at=intake.received_at,
    )


def failed_notifications(actor: Actor, services: Services) -> list[dict]:
    if Role.ADMIN not in actor.roles:
        raise Forbidden("only admins see failed notifications")
    return [
        {
            "number": entry.number,
            "id": entry.id,
            "channel": entry.message.channel,
            "audience": entry.message.audience,
            "subject": entry.message.subject,
            "attempts": entry.attempts,
            "last_error": entry.last_error,
            "created_at": entry.created_at.isoformat(),
        }
        for entry in services.complaints.outbox_failed()
    ]
