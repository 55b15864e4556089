"""The receipt an intake answers with (its own module: every intake needs it, while the
other response bodies in schemas.py only describe routes for the OpenAPI document)."""

from __future__ import annotations

from ..domain.base import Model


class Receipt(Model):
    number: str
    status: str
    tracking_token: str
    received_at: str


def receipt_body(receipt) -> dict:
    """A service.intake.Receipt as the API returns it."""
    return Receipt(
        number=receipt.number,
        status=receipt.status,
        tracking_token=receipt.tracking_token,
        received_at=receipt.received_at.isoformat(),
    ).model_dump()
