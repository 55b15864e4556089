"""Small helpers shared by the API tests: valid bodies and a look into moto's backends."""

import json

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

REGION = "us-east-1"


# The finding a complaint (kind complaint) is resolved with: not substantiated, not valid.
NOT_SUBSTANTIATED = {"substantiated": "no", "valid": False}


def complaint_body(**overrides) -> dict:
    body = {
        "kind": "complaint",
        "category": "service_attitude",
        "subject": "Rude staff at the counter",
        "description": "On Monday the clerk refused to take my form.",
        "complainant": {"name": "张三", "mobile": "13800138000", "email": "zhang@example.com"},
        "language": "zh-CN",
    }
    body.update(overrides)
    return body


def post_json(client, path, body, headers=None):
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return client.http.post(path, headers=all_headers, body=json.dumps(body))


def sent_emails() -> list:
    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def topic_messages() -> list:
    topics = sns_backends[DEFAULT_ACCOUNT_ID][REGION].topics
    return [note for topic in topics.values() for note in topic.sent_notifications]
