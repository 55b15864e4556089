"""Small helpers shared by the API tests: valid bodies and a look into moto's backends."""

import json

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

REGION = "us-east-1"


# The finding a complaint (kind complaint) is resolved with: not substantiated, not valid.
NOT_SUBSTANTIATED = {"substantiated": "no", "valid": False}
# A resolution with that finding.
RESOLUTION = {
    "root_cause": "Clerk untrained",
    "solution": "Training",
    "result": "Apologised",
    "finding": NOT_SUBSTANTIATED,
}


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


def services_at(now):
    """The app's services, their clock pinned at `now`."""
    from chalicelib.adapters.clock import FixedClock
    from chalicelib.wiring import get_services

    services = get_services()
    services.clock = FixedClock(now)
    return services


def post_json(client, path, body, headers=None):
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return client.http.post(path, headers=all_headers, body=json.dumps(body))


def sent_emails() -> list:
    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def topic_messages() -> list:
    topics = sns_backends[DEFAULT_ACCOUNT_ID][REGION].topics
    return [note for topic in topics.values() for note in topic.sent_notifications]


class StaffCalls:
    """A member of staff calling the API with a bearer token (the `staff` fixtures)."""

    def __init__(self, client, auth: str):
        self.client, self.auth = client, auth

    def get(self, path, headers=None):
        return self.client.http.get(path, headers={"Authorization": self.auth, **(headers or {})})

    def send(self, method, path, body, etag=None):
        """`method` ("post", "put", "patch") with `body` as JSON, and If-Match if `etag`."""
        headers = {"Authorization": self.auth, "Content-Type": "application/json"}
        if etag is not None:
            headers["If-Match"] = etag
        return getattr(self.client.http, method)(path, headers=headers, body=json.dumps(body))

    def post(self, path, body=None, etag=None):
        return self.send("post", path, body or {}, etag)

    def put(self, path, body, etag=None):
        return self.send("put", path, body, etag)

    def act(self, number, segment, body=None):
        """Read the current ETag, then act with it."""
        etag = self.get(f"/staff/complaints/{number}").headers["ETag"]
        return self.post(f"/staff/complaints/{number}/{segment}", body, etag)

    def act_ok(self, number, segment, body=None):
        """Act, and check it was done (200)."""
        response = StaffCalls.act(self, number, segment, body)
        assert response.status_code == 200, response.body
        return response


def staff_as(client, token, calls=StaffCalls):
    """staff_as(client, token)("supervisor", ["service"], "sup-1") calls as that role."""

    def make(roles, departments=("service",), user=None):
        return calls(client, token(roles, departments, user))

    return make
