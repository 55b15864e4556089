"""Routes for the public: submit a complaint, and track it with its token."""

from __future__ import annotations

from chalice import Blueprint, Response

from ..domain.commands import Recomplaint, Withdraw
from ..domain.complaint_input import ComplaintInput
from ..domain.model import SurveyAnswer
from ..domain.tokens import unwrap_token, wrap_token
from ..service.intake import (
    answer_survey,
    public_view,
    recomplain,
    submit_complaint,
    withdraw,
)
from ..wiring import get_services
from .errors import HttpError, handles_errors, read_json
from .openapi import SCHEMAS, Later, documented, header
from .receipt import receipt_body

public = Blueprint(__name__)

# Accept any body type at the router so that our own handler names what is wrong with it.
ANY_BODY = [
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/xml",
    "text/xml",
    "text/html",
]


@public.route("/complaints", methods=["POST"], content_types=ANY_BODY)
@documented(
    "Submit a complaint",
    request=ComplaintInput,
    responses={201: Later(SCHEMAS, "Receipt")},
    parameters=[
        header(
            "Idempotency-Key",
            "retries with the same key and body create nothing",
            schema={"type": "string", "minLength": 8, "maxLength": 128},
        )
    ],
    errors=(400, 409, 413, 415, 422, 429),
)
@handles_errors
def post_complaint():
    request = public.current_request
    services = get_services()
    body = read_json(request, services.settings.max_body_bytes)
    data = ComplaintInput.model_validate(body)
    key = request.headers.get("idempotency-key")
    source = source_address(request)
    receipt = submit_once(data, key, source) if key else _submit(data, source)
    location = f"/complaints/{receipt['number']}"
    return Response(body=receipt, status_code=201, headers={"Location": location})


@public.route("/complaints/{number}", methods=["GET"])
@documented(
    "The complainant's view of a complaint",
    responses={200: Later(SCHEMAS, "PublicView")},
    parameters=[header("X-Tracking-Token", "the token given on submission", required=True)],
    errors=(404,),
)
@handles_errors
def get_complaint(number):
    token = public.current_request.headers.get("x-tracking-token")
    return public_view(number, token, get_services())


@public.route("/complaints/{number}/withdraw", methods=["POST"], content_types=ANY_BODY)
@documented(
    "Withdraw a complaint (the complainant, with the tracking token)",
    request=Withdraw,
    responses={200: Later(SCHEMAS, "StatusChange")},
    parameters=[header("X-Tracking-Token", "the token given on submission", required=True)],
    errors=(400, 404, 409, 413, 415),
)
@handles_errors
def withdraw_complaint(number):
    token, body, services = _complainant_request()
    return withdraw(number, token, body, services)


@public.route("/complaints/{number}/recomplaint", methods=["POST"], content_types=ANY_BODY)
@documented(
    "Complain again about a resolved or closed complaint: a new case, linked, one grade up",
    request=Recomplaint,
    responses={201: Later(SCHEMAS, "Receipt")},
    parameters=[header("X-Tracking-Token", "the original complaint's token", required=True)],
    errors=(400, 404, 409, 413, 415),
)
@handles_errors
def recomplain_complaint(number):
    token, body, services = _complainant_request()
    receipt = recomplain(number, token, body, services)
    return Response(
        body=receipt_body(receipt),
        status_code=201,
        headers={"Location": f"/complaints/{receipt.number}"},
    )


@public.route("/complaints/{number}/survey", methods=["POST"], content_types=ANY_BODY)
@documented(
    "Answer the follow-up survey (score 1-5, solved, comment)",
    request=SurveyAnswer,
    responses={200: Later(SCHEMAS, "StatusChange")},
    parameters=[
        header(
            "X-Tracking-Token", "the tracking token, or the token of the survey link", required=True
        )
    ],
    errors=(400, 404, 409, 413, 415),
)
@handles_errors
def answer_survey_route(number):
    token, body, services = _complainant_request()
    return answer_survey(number, token, body, services)


def _complainant_request():
    """The tracking token, the JSON body and the services, for a complainant's action."""
    request = public.current_request
    services = get_services()
    body = read_json(request, services.settings.max_body_bytes)
    return request.headers.get("x-tracking-token"), body, services


def source_address(request) -> str | None:
    """The caller's address as API Gateway saw it (not a header the caller can set)."""
    identity = (request.context or {}).get("identity") or {}
    return identity.get("sourceIp") or None


def _submit(data: ComplaintInput, source: str | None = None) -> dict:
    receipt = submit_complaint(data, get_services(), source=source)
    return receipt_body(receipt)


def submit_once(data: ComplaintInput, key: str, source: str | None = None) -> dict:
    """A retry with the same key and body gets the first receipt back, token included.

    The stored receipt holds the token sealed with the key, which is itself stored only
    as a hash, so the idempotency table never holds a usable token.
    """
    from ..adapters.idempotency import run_once

    if not 8 <= len(key) <= 128:
        raise HttpError(
            400,
            "validation_error",
            "invalid Idempotency-Key",
            {"Idempotency-Key": "must be 8 to 128 characters"},
        )

    def command(body: dict) -> dict:
        receipt = _submit(ComplaintInput.model_validate(body), source)
        receipt["tracking_token"] = wrap_token(receipt["tracking_token"], key)
        return receipt

    context = public.current_app.lambda_context
    stored = run_once("submit", key, data.model_dump(mode="json"), command, context)
    return {**stored, "tracking_token": unwrap_token(stored["tracking_token"], key)}
