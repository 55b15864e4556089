"""Routes of the conversation with the complainant (issue 17): staff messages, requests
for information and contacts; the thread for staff and for the complainant; replies."""

from __future__ import annotations

from chalice import Blueprint, Response

from ..domain import conversation as talk
from ..wiring import get_services
from .auth import current_actor
from .errors import HttpError, handles_errors, read_json
from .openapi import ETAG_PATTERN, SCHEMAS, Later, documented, header
from .public import ANY_BODY
from .staff import ETAG, STAFF_ERRORS, _with_etag, authorizer

THREADS = "chalicelib.http.schemas_conversation"

conversation = Blueprint(__name__)

OPTIONAL_IF_MATCH = header(
    "If-Match",
    'optional: the ETag you read, e.g. "3"; a stale one gets 409',
    schema={"type": "string", "pattern": ETAG_PATTERN},
)
TOKEN = header("X-Tracking-Token", "the token given on submission", required=True)
MESSAGE_CONDITIONS = {
    "attachments": "ids of files uploaded and confirmed on this complaint",
    "request": "only while the case is in progress or waiting, and no request is open (409)",
    "request.reply_by": "not before the next working day; default INFO_REQUEST_DAYS (5) "
    "working days",
}
CONTACT_CONDITIONS = {"at": "not in the future, not before the complaint was received"}
REPLY_CONDITIONS = {
    "attachments": "ids of files uploaded (POST /complaints/{number}/attachments) and confirmed",
    "body": "409 on a closed case (error.recomplaint names the route to complain again); "
    "429 with Retry-After past PUBLIC_MESSAGES_PER_DAY (20) replies a day",
}


def _optional_version(request) -> int | None:
    raw = (request.headers.get("if-match") or "").strip()
    if not raw:
        return None
    raw = raw.removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise HttpError(400, "validation_error", "invalid If-Match", {"If-Match": "not an ETag"})
    return int(raw)


def _staff_command(name, number):
    from ..service import conversation as use_case

    command = getattr(use_case, name)
    request = conversation.current_request
    services = get_services()
    body = read_json(request, services.settings.max_body_bytes)
    actor = current_actor(request)
    return _with_etag(command(number, body, actor, _optional_version(request), services))


@conversation.route(
    "/staff/complaints/{number}/messages",
    methods=["POST"],
    authorizer=authorizer,
    content_types=ANY_BODY,
)
@documented(
    "Send the complainant a message; with `request`, a request for information "
    "(一次性告知): the case waits for the complainant until they reply or reply_by passes",
    request=talk.StaffMessage,
    responses={200: Later(SCHEMAS, "StaffComplaint")},
    response_headers=ETAG,
    parameters=[OPTIONAL_IF_MATCH],
    conditions=MESSAGE_CONDITIONS,
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def send_message(number):
    return _staff_command("send_message", number)


@conversation.route("/staff/complaints/{number}/messages", methods=["GET"], authorizer=authorizer)
@documented(
    "The thread: messages, requests, replies, contacts and notes in time order",
    responses={200: Later(THREADS, "StaffThread")},
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def staff_thread(number):
    from ..service import conversation as use_case

    actor = current_actor(conversation.current_request)
    return use_case.staff_thread(number, actor, get_services())


@conversation.route(
    "/staff/complaints/{number}/contacts",
    methods=["POST"],
    authorizer=authorizer,
    content_types=ANY_BODY,
)
@documented(
    "Record a contact made or received outside the system; a reached one meets the "
    "first-contact deadline",
    request=talk.ContactBody,
    responses={200: Later(SCHEMAS, "StaffComplaint")},
    response_headers=ETAG,
    parameters=[OPTIONAL_IF_MATCH],
    conditions=CONTACT_CONDITIONS,
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def record_contact(number):
    return _staff_command("record_contact", number)


@conversation.route("/complaints/{number}/messages", methods=["GET"])
@documented(
    "The complainant's thread: messages from staff (by role and department) and replies",
    responses={200: Later(THREADS, "PublicThread")},
    parameters=[TOKEN],
    errors=(404,),
)
@handles_errors
def public_thread(number):
    from ..service import conversation as use_case

    token = conversation.current_request.headers.get("x-tracking-token")
    return use_case.public_thread(number, token, get_services())


@conversation.route("/complaints/{number}/messages", methods=["POST"], content_types=ANY_BODY)
@documented(
    "Reply (text only; files through the upload flow); ends a wait for the complainant",
    request=talk.ReplyBody,
    responses={201: Later(THREADS, "ReplyReceipt")},
    parameters=[TOKEN],
    conditions=REPLY_CONDITIONS,
    errors=(400, 404, 409, 413, 415, 429),
)
@handles_errors
def post_reply(number):
    from ..service import conversation as use_case

    request = conversation.current_request
    services = get_services()
    body = read_json(request, services.settings.max_body_bytes)
    token = request.headers.get("x-tracking-token")
    receipt = use_case.post_reply(number, token, body, services)
    return Response(body=receipt, status_code=201)


@conversation.route(
    "/staff/complaints/{number}/held-mail/{mail_id}",
    methods=["POST"],
    authorizer=authorizer,
    content_types=ANY_BODY,
)
@documented(
    "Accept (into the thread as the complainant's reply) or discard an e-mail kept aside "
    "(unverified sender, spam, virus, SPF/DKIM failure)",
    request=talk.HeldMailDecision,
    responses={200: Later(THREADS, "HeldMailDecided")},
    conditions={"decision": "409 if the mail was decided already"},
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def decide_held_mail(number, mail_id):
    from ..service.inbound_mail import decide_held

    request = conversation.current_request
    services = get_services()
    body = read_json(request, services.settings.max_body_bytes)
    return decide_held(number, mail_id, body, current_actor(request), services)
