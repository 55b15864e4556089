"""GET /staff/admin/subject-access (issue 21 item 7): a complainant's complaints, their own
data and the public messages, as JSON or as a zip file, for admin and quality.

The zip is binary: Chalice (and API Gateway) send it only when the request's Accept matches
application/zip (`*/*`, as curl and browsers send, does); otherwise they answer 400.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from ..domain.lookup import SUBJECT_CONDITIONS, SubjectQuery
from ..wiring import get_services
from .auth import current_actor
from .errors import handles_errors
from .openapi import Later, documented
from .staff import STAFF_ERRORS, authorizer

SCHEMAS = "chalicelib.http.schemas_subject_access"
ZIP = "application/zip"

subject_access = Blueprint(__name__)


@subject_access.route("/staff/admin/subject-access", methods=["GET"], authorizer=authorizer)
@documented(
    "A complainant's data on request (admin and quality): every complaint found by their"
    " phone or e-mail through the keyed lookup index, newest first, with what they"
    " submitted, status and dates, their survey answer, the names of their files and the"
    " public messages. One page of `limit` complaints (next_cursor for more). format=zip"
    " or Accept: application/zip gives the same page as a zip (send an Accept that"
    " matches application/zip) with the files they sent, up to 4 MiB of files per export;"
    " NOT-INCLUDED.txt in the zip names those left out (ask again with a smaller limit)."
    " Every request is audited without the key.",
    responses={200: Later(SCHEMAS, "SubjectAccess")},
    query=SubjectQuery,
    conditions=SUBJECT_CONDITIONS,
    errors=STAFF_ERRORS,
    secured=True,
    produces=(ZIP,),
)
@handles_errors
def read():
    from ..service import subject_access as use_case

    request = subject_access.current_request
    query = dict(request.query_params or {})
    actor = current_actor(request)
    if not (query.get("format") == "zip" or _accepts_only_zip(request.headers)):
        return use_case.subject_access(query, actor, get_services())
    data, stamp = use_case.export(query, actor, get_services())
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
