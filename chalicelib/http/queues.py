"""Staff routes the console needs beyond the case API: queues and the staff directory.

Like every staff route they take the bearer token; any other client can use them too.
"""

from __future__ import annotations

from chalice import Blueprint

from ..wiring import get_services
from .auth import current_actor
from .errors import HttpError, directory_reachable
from .openapi import SCHEMAS, Later
from .routing import caller, query
from .staff import STAFF_ERRORS, staff_routes

FILTERS = "chalicelib.domain.queue_filters"  # imported by the document and the use cases

queues = Blueprint(__name__)
staff_route = staff_routes(queues)


@staff_route(
    "GET /staff/queues", Later(SCHEMAS, "QueueCounts"), query=Later(FILTERS, "CountFilters")
)
def counts():
    """How many cases each of the caller's queues holds (by department and status), read from
    counters kept with every change: the same few reads whatever the organisation's size"""
    from ..service import queues as use_case

    return use_case.queue_counts(query(queues), *caller(queues))


@staff_route(
    "GET /staff/queues/{name}",
    Later(SCHEMAS, "QueuePage"),
    query=Later(FILTERS, "QueueFilters"),
    conditions={"cursor": "only a next_cursor this queue returned"},
)
def queue(name):
    """One queue (mine, to_accept, due, waiting, follow_up, replied), nearest deadline first;
    replied: cases with a complainant reply their handler has not opened; each case carries
    `clock`, the working hours left on each pending deadline"""
    from ..service import queues as use_case

    return use_case.queue_page(name, query(queues), *caller(queues))


@staff_route(
    "GET /staff/directory",
    Later(SCHEMAS, "StaffDirectory"),
    query=Later(SCHEMAS, "DirectoryQuery"),
    errors=(*STAFF_ERRORS, 503),
)
def directory():
    """Staff of the caller's departments (one department with ?department=), for assigning; with
    ?case=, without those recused from that case (回避)"""
    from ..service import queues as use_case

    params = query(queues)
    unknown = set(params) - {"department", "case"}
    if unknown:
        fields = {name: "unknown field" for name in unknown}
        raise HttpError(400, "validation_error", "unknown parameter", fields)
    actor = current_actor(queues.current_request)
    with directory_reachable():
        services = get_services()
        if params.get("case"):
            return use_case.suggestions(params["case"], params.get("department"), actor, services)
        return use_case.directory(params.get("department"), actor, services)
