"""The console's use cases: work queues with counts, and the staff directory.

Everything here goes through the same rules as the staff API: a queue holds only cases the
caller may view, in the caller's departments; the directory lists only those departments.
"""

from __future__ import annotations

from ..domain.actor import Actor
from ..domain.errors import Forbidden
from ..domain.lifecycle import Action, covers, may
from ..domain.model import Complaint
from ..domain.queue_filters import CountFilters, QueueFilters
from ..domain.queues import Queue, clock, plan, queues_for
from .context import Services
from .views import staff_view


def scope(actor: Actor, services: Services, department: str | None = None) -> tuple[str, ...]:
    """The departments a request reads: the one asked for (if covered), else all covered."""
    if department is not None:
        if not covers(actor, department):
            raise Forbidden("that department is outside your scope")
        return (department,)
    return tuple(
        d for d in services.org.codes("departments", active_only=False) if covers(actor, d)
    )


def queue_page(name: str, query: dict, actor: Actor, services: Services) -> dict:
    queue = _queue(name, actor)
    filters = QueueFilters.model_validate(query)
    wanted = plan(
        queue,
        filters,
        actor,
        scope(actor, services, filters.department),
        services.clock.now(),
        services.calendar,
    )
    complaints, cursor = services.complaints.queue(wanted, filters.limit, filters.cursor)
    items = [
        with_clock(staff_view(complaint, actor), complaint, services)
        for complaint in complaints
        if may(actor, Action.view, department=complaint.department, assignee=complaint.assignee)
    ]
    return {"queue": queue.value, "items": items, "next_cursor": cursor}


def queue_counts(query: dict, actor: Actor, services: Services) -> dict:
    """Every queue of the caller with its count, read from the queue counters (a Query or
    two, whatever the number of departments)."""
    filters = CountFilters.model_validate(query)
    departments = scope(actor, services, filters.department)
    now = services.clock.now()
    queues = queues_for(actor)
    as_queue = QueueFilters(department=filters.department, status=filters.status)
    plans = [plan(queue, as_queue, actor, departments, now, services.calendar) for queue in queues]
    counts = services.complaints.queue_counts(plans)
    return {
        "queues": [
            {"queue": queue.value, "count": count, "capped": False}
            for queue, count in zip(queues, counts, strict=True)
        ]
    }


def _queue(name: str, actor: Actor) -> Queue:
    from ..domain.errors import NotFound

    try:
        queue = Queue(name)
    except ValueError:
        raise NotFound(f"no queue {name}") from None
    if queue not in queues_for(actor):
        raise Forbidden("your role does not work this queue")
    return queue


def with_clock(view: dict, complaint: Complaint, services: Services) -> dict:
    """The view plus each pending deadline's working hours left, as of now."""
    view["clock"] = clock(complaint, services.clock.now(), services.calendar)
    return view


def directory(department: str | None, actor: Actor, services: Services) -> dict:
    from ..adapters.directory import get_directory

    wanted = set(scope(actor, services, department))
    people = []
    for person in get_directory().people():
        everywhere = "*" in person.departments or "admin" in person.roles
        shared = sorted(wanted if everywhere else set(person.departments) & wanted)
        if not shared:
            continue
        people.append(
            {
                "user_id": person.user_id,
                "name": person.name,
                "roles": list(person.roles),
                "departments": shared,
            }
        )
    people.sort(key=lambda p: (p["departments"][0], p["name"]))
    return {"department": department, "people": people}


def suggestions(number: str, department: str | None, actor: Actor, services: Services) -> dict:
    """The directory for assigning one case: those recused from it (回避) left out."""
    from ..domain.errors import NotFound
    from ..domain.lifecycle import Action, authorize
    from .recusal import recused

    complaint = services.complaints.load(number)
    if complaint is None:
        raise NotFound(f"no complaint {number}")
    authorize(actor, Action.view, department=complaint.department, assignee=complaint.assignee)
    found = directory(department or complaint.department, actor, services)
    out = {entry["user_id"] for entry in recused(complaint)}
    found["people"] = [p for p in found["people"] if p["user_id"] not in out]
    return found
