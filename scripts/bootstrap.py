"""Create what the service needs in a local AWS (moto): tables, the topic, a verified sender,
the private attachments bucket, and (for the local stack) the staff user pool with its role
groups and demo users.

Idempotent, so `make run` can call it every time. Reads the same environment as the app.
Usage: python -m scripts.bootstrap [--pool-id-file PATH]
(prints what it made; with --pool-id-file also writes the staff pool's id there, which
scripts/run_local.sh exports as STAFF_USER_POOL_ID).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import boto3

from chalicelib.adapters.attachments import bucket_name, inbound_bucket
from chalicelib.adapters.schema import create_tables
from chalicelib.config import get_settings


def client(service: str):
    """One client per service, endpoint and region: the test suite bootstraps before every
    test, and making five clients each time was a fifth of that cost."""
    env = os.environ
    return _client(service, env.get("AWS_ENDPOINT_URL"), env.get("AWS_DEFAULT_REGION"))


@lru_cache(maxsize=32)
def _client(service: str, endpoint: str | None, region: str | None):
    return boto3.client(service)


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
    create_tables(client("dynamodb"), settings.table_name, settings.idempotency_table)
    topic_arn = client("sns").create_topic(Name=topic_name(settings.notify_topic_arn))
    client("ses").verify_email_identity(EmailAddress=settings.ses_sender)
    bucket = bucket_name()
    create_attachments_bucket(client("s3"), bucket, origin_of(settings.public_base_url))
    create_inbound_bucket(client("s3"), inbound_bucket())
    return {
        "table": settings.table_name,
        "idempotency_table": settings.idempotency_table,
        "topic": topic_arn["TopicArn"],
        "sender": settings.ses_sender,
        "attachments_bucket": bucket,
        "inbound_bucket": inbound_bucket(),
        "endpoint": os.environ.get("AWS_ENDPOINT_URL", "(default)"),
    }


STAFF_POOL_NAME = "complaints-local-staff"
DEMO_STAFF = Path(__file__).with_name("local_staff.json")
POOL_PAGE = 60
POOL_PAGES = 20  # moto on loopback holds a handful of pools


def find_pool(cognito, name: str) -> str | None:
    token = None
    for _ in range(POOL_PAGES):
        page = cognito.list_user_pools(
            MaxResults=POOL_PAGE, **({"NextToken": token} if token else {})
        )
        for pool in page.get("UserPools", []):
            if pool["Name"] == name:
                return pool["Id"]
        token = page.get("NextToken")
        if not token:
            return None
    return None


def create_staff_pool(cognito, name: str = STAFF_POOL_NAME) -> str:
    """The pool as infra/auth.py defines it, except that usernames are plain (not the
    e-mail), so the demo users keep their ids; plus one group per role."""
    from chalicelib.domain.actor import Role

    pool_id = find_pool(cognito, name)
    if pool_id is None:
        pool_id = cognito.create_user_pool(
            PoolName=name,
            AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
            AutoVerifiedAttributes=["email"],
            Schema=[
                {
                    "Name": "departments",
                    "AttributeDataType": "String",
                    "Mutable": True,
                    "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "2048"},
                }
            ],
        )["UserPool"]["Id"]
    for role in Role:
        with contextlib.suppress(cognito.exceptions.GroupExistsException):
            cognito.create_group(UserPoolId=pool_id, GroupName=role.value)
    return pool_id


def seed_demo_staff(cognito, pool_id: str, path: Path = DEMO_STAFF) -> int:
    """The demo users (scripts/local_staff.json), created once: an admin's later changes to
    them in the console stay until moto restarts."""
    created = 0
    for person in json.loads(path.read_text(encoding="utf-8"))["people"]:
        attributes = [
            {"Name": "name", "Value": person["name"]},
            {"Name": "email", "Value": f"{person['user_id']}@example.org"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:departments", "Value": ",".join(person["departments"])},
        ]
        try:
            cognito.admin_create_user(
                UserPoolId=pool_id,
                Username=person["user_id"],
                UserAttributes=attributes,
                MessageAction="SUPPRESS",
            )
        except cognito.exceptions.UsernameExistsException:
            continue
        # Signed in before: CONFIRMED, as demo staff would be (the local sign-in never asks
        # for it; a random password nobody knows).
        cognito.admin_set_user_password(
            UserPoolId=pool_id,
            Username=person["user_id"],
            Password=secrets.token_urlsafe(24) + "aA1!",
            Permanent=True,
        )
        for role in person["roles"]:
            cognito.admin_add_user_to_group(
                UserPoolId=pool_id, Username=person["user_id"], GroupName=role
            )
        created += 1
    return created


def bootstrap_staff() -> dict:
    cognito = client("cognito-idp")
    pool_id = create_staff_pool(cognito)
    return {"staff_pool": pool_id, "demo_staff_created": seed_demo_staff(cognito, pool_id)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool-id-file", help="write the staff pool's id to this file")
    args = parser.parse_args()
    made = {**bootstrap(), **bootstrap_staff()}
    if args.pool_id_file:
        Path(args.pool_id_file).write_text(made["staff_pool"], encoding="utf-8")
    for key, value in made.items():
        print(f"{key}: {value}")
