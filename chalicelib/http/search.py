"""Lookup routes (issue 18): complaints by a complainant's phone or e-mail, a number, a
tracking token or a respondent, and the access log of those searches."""

from __future__ import annotations

from chalice import Blueprint

from ..domain.lookup import LOG_CONDITIONS, SEARCH_CONDITIONS
from .openapi import Later
from .routing import caller, query
from .staff import staff_routes

SCHEMAS = "chalicelib.http.schemas_search"  # imported when the document is built
QUERIES = "chalicelib.domain.lookup_queries"  # and by the views' use cases

search = Blueprint(__name__)
staff_route = staff_routes(search)


@staff_route(
    "GET /staff/search",
    Later(SCHEMAS, "SearchPage"),
    query=Later(QUERIES, "SearchQuery"),
    conditions=SEARCH_CONDITIONS,
)
def find():
    """Find complaints by one key: phone (any spelling), e-mail (any case), number, tracking
    token, or the respondent (department or person complained about). Exact matches on
    normalised values, newest first, within the caller's scope; a confidential complainant's
    cases are found by phone or e-mail only by users who may see their identity. Searches by
    phone, e-mail or token are logged (GET /staff/search/log)."""
    from ..service import search as use_case

    return use_case.search(query(search), *caller(search))


@staff_route(
    "GET /staff/search/log",
    Later(SCHEMAS, "SearchLog"),
    query=Later(QUERIES, "LogQuery"),
    conditions=LOG_CONDITIONS,
)
def log():
    """Who searched by phone, e-mail or tracking token, when, by what kind of key and how many
    results (never the key), newest first, one UTC month (quality and admin)"""
    from ..service import search as use_case

    return use_case.access_log(query(search), *caller(search))
