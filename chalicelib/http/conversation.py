"""Routes of the conversation with the complainant (issue 17): staff messages, requests
for information and contacts; the thread for staff and for the complainant; replies."""

from __future__ import annotations

from chalice import Blueprint

from ..wiring import get_services
from .openapi import ETAG_PATTERN, Later, header
from .routing import (
    caller,
    complainant,
    complainant_routes,
    created,
    json_body,
    tracking_token,
    with_etag,
)
from .staff import ETAG, STAFF_COMPLAINT, optional_version, staff_routes

THREADS = "chalicelib.http.schemas_conversation"
BODIES = "chalicelib.domain.conversation_bodies"  # imported by the document and the views

conversation = Blueprint(__name__)
complainant_route = complainant_routes(conversation)
staff_route = staff_routes(conversation)

OPTIONAL_IF_MATCH = header(
    "If-Match",
    'optional: the ETag you read, e.g. "3"; a stale one gets 409',
    schema={"type": "string", "pattern": ETAG_PATTERN},
)
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

# A staff command on the case: the case back with its ETag; If-Match optional.
staff_command = staff_routes(
    conversation, ok=STAFF_COMPLAINT, response_headers=ETAG, parameters=[OPTIONAL_IF_MATCH]
)


def _staff_command(name, number):
    from ..service import conversation as use_case

    command = getattr(use_case, name)
    body = json_body(conversation)
    actor, services = caller(conversation)
    version = optional_version(conversation.current_request)
    return with_etag(command(number, body, actor, version, services))


@staff_command(
    "POST /staff/complaints/{number}/messages",
    request=Later(BODIES, "StaffMessage"),
    conditions=MESSAGE_CONDITIONS,
)
def send_message(number):
    """Send the complainant a message; with `request`, a request for information (一次性告知): the
    case waits for the complainant until they reply or reply_by passes"""
    return _staff_command("send_message", number)


@staff_route("GET /staff/complaints/{number}/messages", Later(THREADS, "StaffThread"))
def staff_thread(number):
    """The thread: messages, requests, replies, contacts and notes in time order"""
    from ..service import conversation as use_case

    return use_case.staff_thread(number, *caller(conversation))


@staff_command(
    "POST /staff/complaints/{number}/contacts",
    request=Later(BODIES, "ContactBody"),
    conditions=CONTACT_CONDITIONS,
)
def record_contact(number):
    """Record a contact made or received outside the system; a reached one meets the
    first-contact deadline"""
    return _staff_command("record_contact", number)


@complainant_route(
    "GET /complaints/{number}/messages",
    Later(THREADS, "PublicThread"),
)
def public_thread(number):
    """The complainant's thread: messages from staff (by role and department) and replies"""
    from ..service import conversation as use_case

    return use_case.public_thread(number, tracking_token(conversation), get_services())


@complainant_route(
    "POST /complaints/{number}/messages",
    created=Later(THREADS, "ReplyReceipt"),
    request=Later(BODIES, "ReplyBody"),
    conditions=REPLY_CONDITIONS,
    errors=(400, 404, 409, 413, 415, 429),
)
def post_reply(number):
    """Reply (text only; files through the upload flow); ends a wait for the complainant"""
    from ..service import conversation as use_case

    return created(use_case.post_reply(number, *complainant(conversation)))


@staff_route(
    "POST /staff/complaints/{number}/held-mail/{mail_id}",
    Later(THREADS, "HeldMailDecided"),
    request=Later(BODIES, "HeldMailDecision"),
    conditions={"decision": "409 if the mail was decided already"},
)
def decide_held_mail(number, mail_id):
    """Accept (into the thread as the complainant's reply) or discard an e-mail kept aside
    (unverified sender, spam, virus, SPF/DKIM failure)"""
    from ..service.inbound_mail import decide_held

    body = json_body(conversation)
    return decide_held(number, mail_id, body, *caller(conversation))
