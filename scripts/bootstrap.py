"""Create what the service needs in a local AWS (moto): tables, the topic, a verified sender.

Idempotent, so `make run` can call it every time. Reads the same environment as the app.
Usage: python -m scripts.bootstrap
"""

from __future__ import annotations

import os

import boto3

from chalicelib.adapters.schema import create_tables
from chalicelib.config import get_settings


def topic_name(arn: str) -> str:
    return arn.rsplit(":", 1)[-1]


def bootstrap() -> dict:
    settings = get_settings()
    create_tables(boto3.client("dynamodb"), settings.table_name, settings.idempotency_table)
    topic_arn = boto3.client("sns").create_topic(Name=topic_name(settings.notify_topic_arn))
    boto3.client("ses").verify_email_identity(EmailAddress=settings.ses_sender)
    return {
        "table": settings.table_name,
        "idempotency_table": settings.idempotency_table,
        "topic": topic_arn["TopicArn"],
        "sender": settings.ses_sender,
        "endpoint": os.environ.get("AWS_ENDPOINT_URL", "(default)"),
    }


if __name__ == "__main__":
    for key, value in bootstrap().items():
        print(f"{key}: {value}")
