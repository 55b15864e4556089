"""GET /staff/admin/subject-access (issue 21 item 7): a complainant's complaints, their own
data and the public messages, as JSON or as a zip file, for admin and quality.

The zip is binary: Chalice (and API Gateway) send it only when the request's Accept matches
application/zip (`*/*`, as curl and browsers send, does); otherwise they answer 400.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from ..domain.lookup import SUBJECT_CONDITIONS
from .openapi import Later
from .routing import caller, query
from .staff import staff_routes

SCHEMAS = "chalicelib.http.schemas_subject_access"
ZIP = "application/zip"

subject_access = Blueprint(__name__)
staff_route = staff_routes(subject_access)


@staff_route(
    "GET /staff/admin/subject-access",
    Later(SCHEMAS, "SubjectAccess"),
    query=Later("chalicelib.domain.lookup_queries", "SubjectQuery"),
    conditions=SUBJECT_CONDITIONS,
    produces=(ZIP,),
)
def read():
    """A complainant's data on request (admin and quality): every complaint found by their phone
    or e-mail through the keyed lookup index, newest first, with what they submitted, status
    and dates, their survey answer, the names of their files and the public messages. One
    page of `limit` complaints (next_cursor for more). format=zip or Accept: application/zip
    gives the same page as a zip (send an Accept that matches application/zip) with the files
    they sent, up to 4 MiB of files per export; NOT-INCLUDED.txt in the zip names those left
    out (ask again with a smaller limit). Every request is audited without the key."""
    from ..service import subject_access as use_case

    params = query(subject_access)
    actor, services = caller(subject_access)
    headers = subject_access.current_request.headers
    if not (params.get("format") == "zip" or _accepts_only_zip(headers)):
        return use_case.subject_access(params, actor, services)
    data, stamp = use_case.export(params, actor, services)
    return Response(
        body=data,
        headers={
            "Content-Type": ZIP,
            "Content-Disposition": f'attachment; filename="subject-access-{stamp}.zip"',
        },
    )


def _accepts_only_zip(headers) -> bool:
    accept = (headers.get("accept") or "").lower()
    return ZIP in accept and "application/json" not in accept
