"""Lookup routes (issue 18): complaints by a complainant's phone or e-mail, a number, a
tracking token or a respondent, and the access log of those searches."""

from __future__ import annotations

from chalice import Blueprint

from ..domain.lookup import LOG_CONDITIONS, SEARCH_CONDITIONS, LogQuery, SearchQuery
from ..wiring import get_services
from .auth import current_actor
from .errors import handles_errors
from .openapi import Later, documented
from .staff import STAFF_ERRORS, authorizer

SCHEMAS = "chalicelib.http.schemas_search"  # imported when the document is built

search = Blueprint(__name__)


def _query() -> dict:
    return dict(search.current_request.query_params or {})


@search.route("/staff/search", methods=["GET"], authorizer=authorizer)
@documented(
    "Find complaints by one key: phone (any spelling), e-mail (any case), number, tracking"
    " token, or the respondent (department or person complained about). Exact matches on"
    " normalised values, newest first, within the caller's scope; a confidential"
    " complainant's cases are found by phone or e-mail only by users who may see their"
    " identity. Searches by phone, e-mail or token are logged (GET /staff/search/log).",
    responses={200: Later(SCHEMAS, "SearchPage")},
    query=SearchQuery,
    conditions=SEARCH_CONDITIONS,
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def find():
    from ..service import search as use_case

    return use_case.search(_query(), current_actor(search.current_request), get_services())


@search.route("/staff/search/log", methods=["GET"], authorizer=authorizer)
@documented(
    "Who searched by phone, e-mail or tracking token, when, by what kind of key and how"
    " many results (never the key), newest first, one UTC month (quality and admin)",
    responses={200: Later(SCHEMAS, "SearchLog")},
    query=LogQuery,
    conditions=LOG_CONDITIONS,
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def log():
    from ..service import search as use_case

    return use_case.access_log(_query(), current_actor(search.current_request), get_services())
