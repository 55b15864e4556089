"""Routes for evidence files: the complainant asks for an upload and confirms it (with the
tracking token); staff list a case's files with short-lived download links."""

from __future__ import annotations

from chalice import Blueprint

from ..domain.complaint_input import AttachmentRef
from ..wiring import get_services
from .openapi import Later
from .routing import TOKEN, caller, complainant, created, route, tracking_token
from .staff import staff_route

attachments = Blueprint(__name__)

SCHEMAS = "chalicelib.http.schemas_attachments"  # imported when the document is built


@route(
    attachments,
    "POST /complaints/{number}/attachments",
    "Ask to upload a file (the complainant): a presigned POST for exactly that file",
    request=AttachmentRef,
    responses={201: Later(SCHEMAS, "UploadGrant")},
    parameters=[TOKEN],
    errors=(400, 404, 409, 413, 415),
)
def request_upload(number):
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


@route(
    attachments,
    "POST /complaints/{number}/attachments/{attachment_id}/confirm",
    "Confirm an upload: the stored file is checked against its declaration",
    responses={200: Later(SCHEMAS, "AttachmentItem")},
    parameters=[TOKEN],
    errors=(400, 404, 409),
)
def confirm_upload(number, attachment_id):
    from ..service import attachments as use_case

    token = tracking_token(attachments)
    attachment = use_case.confirm_upload(number, attachment_id, token, get_services())
    return use_case.attachment_view(attachment)


@route(
    attachments,
    "GET /complaints/{number}/attachments",
    "The complainant's list of files on their complaint",
    responses={200: Later(SCHEMAS, "AttachmentList")},
    parameters=[TOKEN],
    errors=(404,),
)
def list_public(number):
    from ..service import attachments as use_case

    items = use_case.public_list(number, tracking_token(attachments), get_services())
    return {"number": number, "items": items}


@staff_route(
    attachments,
    "GET /staff/complaints/{number}/attachments",
    "A case's files, each uploaded one with a download link valid for a few minutes",
    responses={200: Later(SCHEMAS, "AttachmentList")},
)
def list_for_staff(number):
    from ..service import attachments as use_case

    return use_case.staff_list(number, *caller(attachments))
