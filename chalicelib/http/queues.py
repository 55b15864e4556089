"""Staff routes the console needs beyond the case API: queues and the staff directory.

Like every staff route they take the bearer token; any other client can use them too.
"""

from __future__ import annotations

from chalice import Blueprint

from ..domain.queues import CountFilters, QueueFilters
from ..wiring import get_services
from .auth import current_actor
from .errors import HttpError, handles_errors
from .openapi import SCHEMAS, Later, documented
from .staff import STAFF_ERRORS, authorizer

queues = Blueprint(__name__)


def _query() -> dict:
    return dict(queues.current_request.query_params or {})


@queues.route("/staff/queues", methods=["GET"], authorizer=authorizer)
@documented(
    "How many cases each of the caller's queues holds (by department and status), read from"
    " counters kept with every change: the same few reads whatever the organisation's size",
    responses={200: Later(SCHEMAS, "QueueCounts")},
    query=CountFilters,
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def counts():
    from ..service import queues as use_case

    return use_case.queue_counts(_query(), current_actor(queues.current_request), get_services())


@queues.route("/staff/queues/{name}", methods=["GET"], authorizer=authorizer)
@documented(
    "One queue (mine, to_accept, due, waiting, follow_up, replied), nearest deadline first;"
    " replied: cases with a complainant reply their handler has not opened;"
    " each case carries `clock`, the working hours left on each pending deadline",
    responses={200: Later(SCHEMAS, "QueuePage")},
    query=QueueFilters,
    conditions={"cursor": "only a next_cursor this queue returned"},
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def queue(name):
    from ..service import queues as use_case

    actor = current_actor(queues.current_request)
    return use_case.queue_page(name, _query(), actor, get_services())


@queues.route("/staff/directory", methods=["GET"], authorizer=authorizer)
@documented(
    "Staff of the caller's departments (one department with ?department=), for assigning;"
    " with ?case=, without those recused from that case (回避)",
    responses={200: Later(SCHEMAS, "StaffDirectory")},
    query=Later(SCHEMAS, "DirectoryQuery"),
    errors=(*STAFF_ERRORS, 503),
    secured=True,
)
@handles_errors
def directory():
    from ..adapters.directory import DirectoryUnavailable
    from ..service import queues as use_case

    query = _query()
    unknown = set(query) - {"department", "case"}
    if unknown:
        fields = {name: "unknown field" for name in unknown}
        raise HttpError(400, "validation_error", "unknown parameter", fields)
    actor = current_actor(queues.current_request)
    try:
        services = get_services()
        if query.get("case"):
            return use_case.suggestions(query["case"], query.get("department"), actor, services)
        return use_case.directory(query.get("department"), actor, services)
    except DirectoryUnavailable as error:
        raise HttpError(503, "directory_unavailable", str(error)) from error
