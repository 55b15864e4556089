"""Create what the service needs in a local AWS (moto): tables, the topic, a verified sender,
and the private attachments bucket.

Idempotent, so `make run` can call it every time. Reads the same environment as the app.
Usage: python -m scripts.bootstrap
"""

from __future__ import annotations

import contextlib
import os
from urllib.parse import urlsplit

import boto3

from chalicelib.adapters.attachments import bucket_name, inbound_bucket
from chalicelib.adapters.schema import create_tables
from chalicelib.config import get_settings


def topic_name(arn: str) -> str:
    return arn.rsplit(":", 1)[-1]


def create_attachments_bucket(s3, name: str, page_origin: str) -> None:
    """Private (every public access blocked); CORS lets the pages' origin POST uploads
    to it straight from the browser and fetch presigned downloads."""
    region = s3.meta.region_name
    location = {} if region == "us-east-1" else {"LocationConstraint": region}
    extra = {"CreateBucketConfiguration": location} if location else {}
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=name, **extra)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    rule = {
        "AllowedOrigins": [page_origin],
        "AllowedMethods": ["POST", "GET"],
        "AllowedHeaders": ["*"],
        "MaxAgeSeconds": 600,
    }
    s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [rule]})


def create_inbound_bucket(s3, name: str) -> None:
    """Where received e-mail is written (by SES's receipt rule on AWS; locally by
    scripts/mail_server.py): private."""
    region = s3.meta.region_name
    extra = (
        {}
        if region == "us-east-1"
        else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    )
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=name, **extra)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def bootstrap() -> dict:
    settings = get_settings()
    create_tables(boto3.client("dynamodb"), settings.table_name, settings.idempotency_table)
    topic_arn = boto3.client("sns").create_topic(Name=topic_name(settings.notify_topic_arn))
    boto3.client("ses").verify_email_identity(EmailAddress=settings.ses_sender)
    bucket = bucket_name()
    create_attachments_bucket(boto3.client("s3"), bucket, origin_of(settings.public_base_url))
    create_inbound_bucket(boto3.client("s3"), inbound_bucket())
    return {
        "table": settings.table_name,
        "idempotency_table": settings.idempotency_table,
        "topic": topic_arn["TopicArn"],
        "sender": settings.ses_sender,
        "attachments_bucket": bucket,
        "inbound_bucket": inbound_bucket(),
        "endpoint": os.environ.get("AWS_ENDPOINT_URL", "(default)"),
    }


if __name__ == "__main__":
    for key, value in bootstrap().items():
        print(f"{key}: {value}")
