"""Routes for evidence files: the complainant asks for an upload and confirms it (with the
tracking token); staff list a case's files with short-lived download links."""

from __future__ import annotations

from chalice import Blueprint, Response

from ..domain.complaint_input import AttachmentRef
from ..wiring import get_services
from .auth import current_actor
from .errors import handles_errors, read_json
from .openapi import Later, documented, header
from .public import ANY_BODY
from .staff import STAFF_ERRORS, authorizer

attachments = Blueprint(__name__)

TOKEN = header("X-Tracking-Token", "the token given on submission", required=True)


def _token() -> str | None:
    return attachments.current_request.headers.get("x-tracking-token")


@attachments.route("/complaints/{number}/attachments", methods=["POST"], content_types=ANY_BODY)
@documented(
    "Ask to upload a file (the complainant): a presigned POST for exactly that file",
    request=AttachmentRef,
    responses={201: Later("chalicelib.http.schemas_attachments", "UploadGrant")},
    parameters=[TOKEN],
    errors=(400, 404, 409, 413, 415),
)
@handles_errors
def request_upload(number):
    from ..service import attachments as use_case

    request = attachments.current_request
    services = get_services()
    body = read_json(request, services.settings.max_body_bytes)
    attachment, upload = use_case.request_upload(number, _token(), body, services)
    confirm = f"/complaints/{number}/attachments/{attachment.id}/confirm"
    grant = {
        "attachment_id": attachment.id,
        "attachment": use_case.attachment_view(attachment),
        "upload": upload,
        "confirm_url": confirm,
    }
    return Response(body=grant, status_code=201, headers={"Location": confirm})


@attachments.route(
    "/complaints/{number}/attachments/{attachment_id}/confirm",
    methods=["POST"],
    content_types=ANY_BODY,
)
@documented(
    "Confirm an upload: the stored file is checked against its declaration",
    responses={200: Later("chalicelib.http.schemas_attachments", "AttachmentItem")},
    parameters=[TOKEN],
    errors=(400, 404, 409),
)
@handles_errors
def confirm_upload(number, attachment_id):
    from ..service import attachments as use_case

    attachment = use_case.confirm_upload(number, attachment_id, _token(), get_services())
    return use_case.attachment_view(attachment)


@attachments.route("/complaints/{number}/attachments", methods=["GET"])
@documented(
    "The complainant's list of files on their complaint",
    responses={200: Later("chalicelib.http.schemas_attachments", "AttachmentList")},
    parameters=[TOKEN],
    errors=(404,),
)
@handles_errors
def list_public(number):
    from ..service import attachments as use_case

    items = use_case.public_list(number, _token(), get_services())
    return {"number": number, "items": items}


@attachments.route("/staff/complaints/{number}/attachments", methods=["GET"], authorizer=authorizer)
@documented(
    "A case's files, each uploaded one with a download link valid for a few minutes",
    responses={200: Later("chalicelib.http.schemas_attachments", "AttachmentList")},
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def list_for_staff(number):
    from ..service import attachments as use_case

    actor = current_actor(attachments.current_request)
    return use_case.staff_list(number, actor, get_services())
