"""The local stack's inbound mail (issue 17): an SMTP server (aiosmtpd) on 127.0.0.1 that
does what SES receiving does on AWS: write each message to the inbound bucket (moto),
then run the same handler the S3 event runs (chalicelib/inbound/handler.py).

Usage: python -m scripts.mail_server --port 2525   (started by `make run`)
"""

from __future__ import annotations

import argparse
import time
import uuid

from aiosmtpd.controller import Controller


class StoreAndHandle:
    """aiosmtpd handler: accept mail for the inbound domain only, store it, handle it."""

    def __init__(self, domain: str, bucket: str):
        self.domain = domain.lower()
        self.bucket = bucket

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if not address.lower().endswith("@" + self.domain):
            return "550 not a reply address of this service"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        from chalicelib.adapters.aws import client
        from chalicelib.inbound.handler import handle_stored

        # SES names the object by its message id under the rule's prefix; so do we.
        key = f"inbound/{uuid.uuid4().hex}"
        raw = envelope.original_content or envelope.content
        client("s3").put_object(Bucket=self.bucket, Key=key, Body=raw)
        try:
            outcome = handle_stored(self.bucket, key)
        except Exception as error:  # noqa: BLE001 - kept in the bucket; say why
            print(f"{key}: not handled: {type(error).__name__}: {error}", flush=True)
            return "451 could not handle the message now; it is kept"
        print(f"{key}: {outcome.result} {outcome.number or ''}", flush=True)
        return "250 Message accepted"


def main() -> None:
    import os

    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("MAIL_PORT", "2525")))
    args = parser.parse_args()
    handler = StoreAndHandle(
        os.environ.get("INBOUND_DOMAIN", "reply.localhost.example"),
        os.environ.get("INBOUND_BUCKET", "complaints-inbound-mail"),
    )
    controller = Controller(handler, hostname=args.host, port=args.port)
    controller.start()
    print(f"SMTP on {args.host}:{args.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
