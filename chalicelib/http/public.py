"""Routes for the public: submit a complaint, and track it with its token."""

from __future__ import annotations

from chalice import Blueprint

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
from .errors import HttpError
from .openapi import SCHEMAS, Later, header
from .receipt import receipt_body
from .routing import (
    COMMAND_ERRORS,
    SURVEY_TOKEN,
    complainant,
    complainant_routes,
    created,
    json_body,
    routes,
    tracking_token,
)

# The complainant's commands: imported by their use cases and the document, not the intake.
COMMANDS = "chalicelib.domain.commands"
public = Blueprint(__name__)
route = routes(public)
complainant_route = complainant_routes(public)


@route(
    "POST /complaints",
    created=Later(SCHEMAS, "Receipt"),
    request=ComplaintInput,
    parameters=[
        header(
            "Idempotency-Key",
            "retries with the same key and body create nothing",
            schema={"type": "string", "minLength": 8, "maxLength": 128},
        )
    ],
    errors=(400, 409, 413, 415, 422, 429),
)
def post_complaint():
    """Submit a complaint"""
    request = public.current_request
    data = ComplaintInput.model_validate(json_body(public))
    key = request.headers.get("idempotency-key")
    source = source_address(request)
    receipt = submit_once(data, key, source) if key else _submit(data, source)
    return created(receipt, f"/complaints/{receipt['number']}")


@complainant_route("GET /complaints/{number}", Later(SCHEMAS, "PublicView"))
def get_complaint(number):
    """The complainant's view of a complaint"""
    return public_view(number, tracking_token(public), get_services())


@complainant_route(
    "POST /complaints/{number}/withdraw",
    Later(SCHEMAS, "StatusChange"),
    request=Later(COMMANDS, "Withdraw"),
    errors=COMMAND_ERRORS,
)
def withdraw_complaint(number):
    """Withdraw a complaint (the complainant, with the tracking token)"""
    return withdraw(number, *complainant(public))


@complainant_route(
    "POST /complaints/{number}/recomplaint",
    created=Later(SCHEMAS, "Receipt"),
    request=Later(COMMANDS, "Recomplaint"),
    parameters=[header("X-Tracking-Token", "the original complaint's token", required=True)],
    errors=COMMAND_ERRORS,
)
def recomplain_complaint(number):
    """Complain again about a resolved or closed complaint: a new case, linked, one grade up"""
    receipt = recomplain(number, *complainant(public))
    return created(receipt_body(receipt), f"/complaints/{receipt.number}")


@complainant_route(
    "POST /complaints/{number}/survey",
    Later(SCHEMAS, "StatusChange"),
    request=SurveyAnswer,
    parameters=[SURVEY_TOKEN],
    errors=COMMAND_ERRORS,
)
def answer_survey_route(number):
    """Answer the follow-up survey (score 1-5, solved, comment)"""
    return answer_survey(number, *complainant(public))


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
