"""Routes for evidence files: the complainant asks for an upload and confirms it (with the
tracking token); staff list a case's files with short-lived download links."""

from __future__ import annotations

from chalice import Blueprint

from ..domain.complaint_input import AttachmentRef
from ..wiring import get_services
from .openapi import Later
from .routing import (
    COMMAND_ERRORS,
    caller,
    complainant,
    complainant_routes,
    created,
    tracking_token,
)
from .staff import staff_routes

attachments = Blueprint(__name__)
complainant_route = complainant_routes(attachments)
staff_route = staff_routes(attachments)

SCHEMAS = "chalicelib.http.schemas_attachments"  # imported when the document is built


@complainant_route(
    "POST /complaints/{number}/attachments",
    created=Later(SCHEMAS, "UploadGrant"),
    request=AttachmentRef,
    errors=COMMAND_ERRORS,
)
def request_upload(number):
    """Ask to upload a file (the complainant): a presigned POST for exactly that file"""
    from ..service import attachments as use_case

    attachment, upload = use_case.request_upload(number, *complainant(attachments))
    confirm = f"/complaints/{number}/attachments/{attachment.id}/confirm"
    grant = {
        "attachment_id": attachment.id,
        "attachment": use_case.attachment_view(attachment),
        "upload": upload,
        "confirm_url": confirm,
    }
    return created(grant, confirm)


@complainant_route(
    "POST /complaints/{number}/attachments/{attachment_id}/confirm",
    Later(SCHEMAS, "AttachmentItem"),
    errors=(400, 404, 409),
)
def confirm_upload(number, attachment_id):
    """Confirm an upload: the stored file is checked against its declaration"""
    from ..service import attachments as use_case

    token = tracking_token(attachments)
    attachment = use_case.confirm_upload(number, attachment_id, token, get_services())
    return use_case.attachment_view(attachment)


@complainant_route(
    "GET /complaints/{number}/attachments",
    Later(SCHEMAS, "AttachmentList"),
)
def list_public(number):
    """The complainant's list of files on their complaint"""
    from ..service import attachments as use_case

    items = use_case.public_list(number, tracking_token(attachments), get_services())
    return {"number": number, "items": items}


@staff_route("GET /staff/complaints/{number}/attachments", Later(SCHEMAS, "AttachmentList"))
def list_for_staff(number):
    """A case's files, each uploaded one with a download link valid for a few minutes"""
    from ..service import attachments as use_case

    return use_case.staff_list(number, *caller(attachments))
