"""Attachments: a presigned POST whose policy pins key, size and type; the file recorded on
the case in one versioned transaction with its audit event; checked when confirmed; listed
for staff with 5-minute download links; kept in a private bucket."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest

from tests.helpers import complaint_body, post_json

pytestmark = pytest.mark.usefixtures("aws")

BUCKET = "complaints-attachments-test"
PNG = {"filename": "照片.png", "content_type": "image/png", "size_bytes": 2048}


@pytest.fixture
def case(client):
    receipt = post_json(client, "/complaints", complaint_body()).json_body
    return receipt["number"], {"X-Tracking-Token": receipt["tracking_token"]}


def ask(client, number, headers, body=None):
    return post_json(client, f"/complaints/{number}/attachments", body or PNG, headers)


def confirm(client, grant, headers):
    return client.http.post(grant["confirm_url"], headers=headers)


def put(grant, body: bytes, content_type: str | None = None):
    """What the browser's POST leaves in the bucket (moto in-process cannot take the POST)."""
    fields = grant["upload"]["fields"]
    boto3.client("s3").put_object(
        Bucket=BUCKET,
        Key=fields["key"],
        Body=body,
        ContentType=content_type or fields["Content-Type"],
    )


def policy_of(grant) -> dict:
    return json.loads(base64.b64decode(grant["upload"]["fields"]["policy"]))


def staff_get(client, token, path, role="supervisor", department="service"):
    return client.http.get(path, headers={"Authorization": token(role, department)})


def test_upload_grant_pins_key_size_and_type(client, case):
    number, headers = case
    response = ask(client, number, headers)
    assert response.status_code == 201, response.json_body
    grant = response.json_body
    attachment_id = grant["attachment_id"]
    fields = grant["upload"]["fields"]
    assert fields["key"] == f"attachments/{number}/{attachment_id}"
    assert fields["Content-Type"] == "image/png"
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert grant["upload"]["url"].startswith("https://")
    assert response.headers["Location"] == grant["confirm_url"]

    conditions = policy_of(grant)["conditions"]
    assert {"Content-Type": "image/png"} in conditions
    assert ["content-length-range", 2048, 2048] in conditions
    assert {"key": fields["key"]} in conditions
    assert {"bucket": BUCKET} in conditions
    # The signature's own date, not the machine's clock: the grant lasts at most 15 minutes.
    expires = datetime.fromisoformat(policy_of(grant)["expiration"].replace("Z", "+00:00"))
    signed = datetime.strptime(fields["x-amz-date"], "%Y%m%dT%H%M%S%z")
    assert 0 < (expires - signed).total_seconds() <= 15 * 60


def test_the_file_is_recorded_on_the_case_with_an_audit_event(client, case, token):
    number, headers = case
    grant = ask(client, number, headers).json_body
    doc = staff_get(client, token, f"/staff/complaints/{number}").json_body
    [stored] = doc["attachments"]
    assert stored["key"] == grant["upload"]["fields"]["key"]
    assert (stored["filename"], stored["content_type"], stored["size_bytes"]) == (
        "照片.png",
        "image/png",
        2048,
    )
    assert stored["uploaded_at"] is None and doc["version"] == 2

    history = staff_get(client, token, f"/staff/complaints/{number}/history").json_body
    added = history["items"][-1]
    assert added["action"] == "attachment_added"
    assert (added["actor"], added["role"], added["public"]) == ("complainant", "complainant", False)
    assert added["details"]["id"] == grant["attachment_id"]
    assert added["changes"]["attachments"][0] == []


def test_confirm_checks_what_storage_holds(client, case, token):
    number, headers = case
    grant = ask(client, number, headers).json_body

    early = confirm(client, grant, headers)
    assert early.status_code == 409 and early.json_body["error"]["code"] == "upload_missing"

    put(grant, b"x" * 10)  # not the declared 2048 bytes
    wrong = confirm(client, grant, headers)
    assert wrong.status_code == 400 and "file" in wrong.json_body["error"]["fields"]
    objects = boto3.client("s3").list_objects_v2(Bucket=BUCKET).get("Contents", [])
    assert objects == []  # what did not match is not kept

    put(grant, b"p" * 2048)
    done = confirm(client, grant, headers)
    assert done.status_code == 200, done.json_body
    assert done.json_body["uploaded"] is True
    again = confirm(client, grant, headers)
    assert again.status_code == 200
    history = staff_get(client, token, f"/staff/complaints/{number}/history").json_body["items"]
    assert [item["action"] for item in history].count("attachment_uploaded") == 1


def test_staff_get_short_lived_links_to_confirmed_files_only(client, case, token):
    number, headers = case
    first = ask(client, number, headers).json_body
    second = ask(client, number, headers, {**PNG, "filename": "later.png"}).json_body
    put(first, b"p" * 2048)
    assert confirm(client, first, headers).status_code == 200

    listed = staff_get(client, token, f"/staff/complaints/{number}/attachments")
    assert listed.status_code == 200
    body = listed.json_body
    items = {item["id"]: item for item in body["items"]}
    assert body["expires_in"] == 300
    assert items[second["attachment_id"]]["uploaded"] is False
    assert "download_url" not in items[second["attachment_id"]]
    url = items[first["attachment_id"]]["download_url"]
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert (
        "filename%2A%3DUTF-8" in url
        or "filename*=UTF-8" in query["response-content-disposition"][0]
    )
    assert f"attachments/{number}/{first['attachment_id']}" in urlsplit(url).path
    # Evidence, not identity: nothing about who sent it.
    assert "张三" not in json.dumps(body) and "zhang@example.com" not in json.dumps(body)


def test_staff_list_is_authorized_like_the_complaint(client, case, token):
    number, _ = case
    path = f"/staff/complaints/{number}/attachments"
    assert client.http.get(path).status_code == 401
    answers = {}
    for role in ("handler", "supervisor", "manager", "director", "admin"):
        for department in ("service", "sales"):
            view = staff_get(client, token, f"/staff/complaints/{number}", role, department)
            files = staff_get(client, token, path, role, department)
            answers[(role, department)] = files.status_code
            assert files.status_code == view.status_code, (role, department)
    assert answers[("supervisor", "sales")] == 403
    assert answers[("supervisor", "service")] == 200
    missing = staff_get(client, token, "/staff/complaints/TS-20200101-0001/attachments")
    assert missing.status_code == 404


def test_the_complainant_sees_their_files(client, case):
    number, headers = case
    grant = ask(client, number, headers).json_body
    put(grant, b"p" * 2048)
    confirm(client, grant, headers)
    listed = client.http.get(f"/complaints/{number}/attachments", headers=headers)
    assert listed.status_code == 200
    [item] = listed.json_body["items"]
    assert item["filename"] == "照片.png" and item["uploaded"] is True
    assert "download_url" not in item and "key" not in item
    wrong = client.http.get(f"/complaints/{number}/attachments", headers={"X-Tracking-Token": "x"})
    assert wrong.status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({**PNG, "content_type": "application/x-msdownload"}, "content_type"),
        ({**PNG, "size_bytes": 10 * 1024 * 1024 + 1}, "size_bytes"),
        ({**PNG, "size_bytes": 0}, "size_bytes"),
        ({**PNG, "filename": ""}, "filename"),
        ({"filename": "a.png", "content_type": "image/png"}, "size_bytes"),
        ({**PNG, "key": "attachments/other/x"}, "key"),
    ],
)
def test_bad_declarations_are_refused(client, case, body, field):
    number, headers = case
    response = ask(client, number, headers, body)
    assert response.status_code == 400
    assert field in response.json_body["error"]["fields"]


def test_wrong_token_or_number_is_404(client, case):
    number, _ = case
    assert ask(client, number, {"X-Tracking-Token": "nope"}).status_code == 404
    assert ask(client, number, {}).status_code == 404
    assert ask(client, "TS-20200101-0001", {"X-Tracking-Token": "x"}).status_code == 404


def test_at_most_ten_files(client, case):
    number, headers = case
    for _ in range(10):
        assert ask(client, number, headers).status_code == 201
    eleventh = ask(client, number, headers)
    assert eleventh.status_code == 409
    assert eleventh.json_body["error"]["code"] == "too_many_attachments"


def test_no_files_on_a_withdrawn_complaint(client, case):
    number, headers = case
    post_json(client, f"/complaints/{number}/withdraw", {}, headers)
    response = ask(client, number, headers)
    assert response.status_code == 409
    assert response.json_body["error"]["code"] == "illegal_transition"


def test_a_concurrent_change_is_retried_not_lost(client, case, token, monkeypatch):
    """Two requests read the same version; the second commit re-reads and adds its file."""
    from chalicelib.service import attachments, staff

    number, headers = case
    real_commit = staff.commit
    raced = []

    def commit_after_a_rival(complaint, services, *others):
        if not raced:
            raced.append(True)
            rival = services.complaints.load(number)
            rival.escalation_level += 1
            rival.record("noted", services.clock.now())
            real_commit(rival, services)
        return real_commit(complaint, services, *others)

    monkeypatch.setattr(staff, "commit", commit_after_a_rival)
    assert ask(client, number, headers).status_code == 201
    assert raced
    doc = staff_get(client, token, f"/staff/complaints/{number}").json_body
    assert len(doc["attachments"]) == 1 and doc["escalation_level"] == 1
    assert attachments.SAVE_ATTEMPTS > 1


def test_the_bucket_is_private_and_takes_uploads_from_the_pages():
    s3 = boto3.client("s3")
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    [rule] = s3.get_bucket_cors(Bucket=BUCKET)["CORSRules"]
    assert rule["AllowedOrigins"] == ["http://127.0.0.1:8000"]
    assert set(rule["AllowedMethods"]) == {"POST", "GET"}


def test_upload_routes_are_documented(client):
    paths = client.http.get("/openapi.json").json_body["paths"]
    grant = paths["/complaints/{number}/attachments"]["post"]
    assert "201" in grant["responses"] and "requestBody" in grant
    assert "/complaints/{number}/attachments/{attachment_id}/confirm" in paths
    assert paths["/staff/complaints/{number}/attachments"]["get"]["security"] == [{"bearer": []}]


def test_writing_the_key_again_cannot_replace_confirmed_evidence(client, case, token):
    number, headers = case
    grant = ask(client, number, headers).json_body
    put(grant, b"a" * 2048)
    assert confirm(client, grant, headers).status_code == 200
    put(grant, b"b" * 2048)  # the upload link is still valid for a while

    listed = staff_get(client, token, f"/staff/complaints/{number}/attachments").json_body
    url = listed["items"][0]["download_url"]
    version = parse_qs(urlsplit(url).query)["versionId"][0]
    served = boto3.client("s3").get_object(
        Bucket=BUCKET, Key=grant["upload"]["fields"]["key"], VersionId=version
    )
    assert served["Body"].read() == b"a" * 2048


def _close_through_staff(client, token, number):
    auth = token("supervisor", "service")

    def act(segment, body):
        etag = client.http.get(
            f"/staff/complaints/{number}", headers={"Authorization": auth}
        ).headers["ETag"]
        headers = {"Authorization": auth, "Content-Type": "application/json", "If-Match": etag}
        response = client.http.post(
            f"/staff/complaints/{number}/{segment}", headers=headers, body=json.dumps(body)
        )
        assert response.status_code == 200, response.json_body

    act("transfer", {"to": "the court", "reason": "already before a court"})
    act("close", {})


def test_confirming_an_upload_does_not_change_a_closed_case(client, case, token):
    """Issue 13 item 3: asked for while open, uploaded, case closed, then confirmed."""
    number, headers = case
    grant = ask(client, number, headers).json_body
    put(grant, b"p" * 2048)
    _close_through_staff(client, token, number)
    before = staff_get(client, token, f"/staff/complaints/{number}")
    history = staff_get(client, token, f"/staff/complaints/{number}/history").json_body

    response = confirm(client, grant, headers)

    assert response.status_code == 409, response.json_body
    assert response.json_body["error"]["code"] == "case_closed"
    after = staff_get(client, token, f"/staff/complaints/{number}")
    assert after.headers["ETag"] == before.headers["ETag"]
    assert after.json_body["attachments"] == before.json_body["attachments"]
    again = staff_get(client, token, f"/staff/complaints/{number}/history").json_body
    assert again == history
