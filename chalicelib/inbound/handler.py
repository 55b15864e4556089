"""The one handler of a received e-mail, on AWS (the S3 event of SES's receipt rule, through
lambda_handler, the function infra/inbound.py declares) and locally (scripts/mail_server.py,
after writing the message to the local bucket)."""

from __future__ import annotations

from urllib.parse import unquote_plus


def handle_stored(bucket: str, key: str, services=None):
    """Read the raw message SES stored and hand it to the conversation."""
    from ..adapters.attachments import read_inbound

    raw = read_inbound(key, bucket)
    return handle_raw(raw, services, raw_key=key)


def handle_raw(raw: bytes, services=None, storage=None, raw_key: str | None = None):
    from ..service.inbound_mail import receive
    from ..wiring import get_services
    from .parse import parse

    return receive(parse(raw), services or get_services(), storage, raw_key)


def handle_s3_event(event) -> list[str]:
    """Chalice's S3 event: one object per invocation; an error lets Lambda retry (and,
    after the last retry, the event goes to the dead-letter queue)."""
    outcome = handle_stored(event.bucket, unquote_plus(event.key))
    return [outcome.result]


def lambda_handler(event, context) -> list[str]:
    """The stack's own function (infra/inbound.py): S3's ObjectCreated event as Lambda gives
    it, since `chalice package` cannot emit an S3 trigger. An error lets Lambda retry."""
    results = []
    for record in event.get("Records", []):
        s3 = record["s3"]
        outcome = handle_stored(s3["bucket"]["name"], unquote_plus(s3["object"]["key"]))
        results.append(outcome.result)
    return results
