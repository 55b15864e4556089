"""A complainant's data on request (issue 21 item 7): admin and quality find every complaint
of a person by phone or e-mail (keyed index), as JSON or a zip, paged and audited."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.helpers import complaint_body, post_json

PERSON = {"name": "韩梅梅", "mobile": "13700001234", "email": "Meimei@Example.com"}


@pytest.fixture
def cases(client):
    numbers = []
    for index, person in enumerate(
        (PERSON, {**PERSON, "confidential": True}, {"name": "Other", "mobile": "13600009999"})
    ):
        body = complaint_body(subject=f"case {index}", complainant=person)
        numbers.append(post_json(client, "/complaints", body).json_body["number"])
    return numbers


def get(client, token, query, roles=("admin",), accept="application/json"):
    return client.http.get(
        f"/staff/admin/subject-access?{query}",
        headers={"Authorization": token(list(roles), "*"), "Accept": accept},
    )


def test_admin_gets_every_case_of_the_person_with_their_data(client, token, cases):
    answer = get(client, token, "phone=137-0000-1234")
    assert answer.status_code == 200, answer.json_body
    page = answer.json_body
    assert page["by"] == "phone" and page["next_cursor"] is None
    assert sorted(item["number"] for item in page["items"]) == sorted(cases[:2])
    submitted = page["items"][0]["submitted"]
    assert submitted["complainant"]["name"] == "韩梅梅"
    assert all(item["messages"] == [] for item in page["items"])
    by_mail = get(client, token, "email=meimei@example.COM", roles=("quality",)).json_body
    assert sorted(item["number"] for item in by_mail["items"]) == sorted(cases[:2])


def test_paged(client, token, cases):
    first = get(client, token, "phone=13700001234&limit=1").json_body
    assert len(first["items"]) == 1 and first["next_cursor"]
    cursor = first["next_cursor"]
    second = get(client, token, f"phone=13700001234&limit=1&cursor={cursor}").json_body
    assert len(second["items"]) == 1
    assert second["items"][0]["number"] != first["items"][0]["number"]


def test_zip_export(client, token, cases):
    answer = get(client, token, "phone=13700001234&format=zip", accept="*/*")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.body))
    names = archive.namelist()
    assert "subject-access.json" in names
    assert {f"complaints/{n}.json" for n in cases[:2]} <= set(names)
    page = json.loads(archive.read("subject-access.json"))
    assert len(page["items"]) == 2
    by_accept = get(client, token, "phone=13700001234", accept="application/zip")
    assert by_accept.headers["Content-Type"] == "application/zip"


@pytest.mark.parametrize("roles", [("supervisor",), ("director",), ("handler",)])
def test_only_admin_and_quality(client, token, cases, roles):
    assert get(client, token, "phone=13700001234", roles=roles).status_code == 403


@pytest.mark.parametrize(
    "query", ["", "phone=13700001234&email=a@example.com", "phone=12", "limit=0&phone=137000012"]
)
def test_bad_queries_are_400(client, token, query):
    answer = get(client, token, query)
    assert answer.status_code == 400
    assert answer.json_body["error"]["fields"]


def test_audited_without_the_key(client, token, cases):
    get(client, token, "phone=13700001234")
    log = client.http.get(
        "/staff/search/log", headers={"Authorization": token(["quality"], "*")}
    ).json_body
    entry = log["items"][0]
    assert (entry["kind"], entry["results"], entry["user"]) == ("phone", 2, "admin-1")
    assert "13700001234" not in json.dumps(log)


def test_in_the_admin_audit_without_the_key(client, token, cases):
    get(client, token, "email=meimei@example.com", roles=("quality",))
    audit = client.http.get(
        "/staff/admin/audit?month=2026-12",
        headers={"Authorization": token(["admin"], "*")},
    ).json_body
    (entry,) = [e for e in audit["items"] if e["action"] == "subject_access.read"]
    assert entry["roles"] == ["quality"] and entry["details"] == {"by": "email", "results": 2}
    assert "meimei" not in json.dumps(audit).lower()


def _with_files(client, sizes: list[int]) -> tuple[str, list[bytes]]:
    """A case of PERSON's with a confirmed file of each size, and one asked for but never
    uploaded (never in the export)."""
    from tests.api.test_attachments import put

    body = complaint_body(subject="with files", complainant=PERSON)
    receipt = post_json(client, "/complaints", body).json_body
    number, headers = receipt["number"], {"X-Tracking-Token": receipt["tracking_token"]}
    contents = []
    for index, size in enumerate(sizes):
        declared = {"filename": f"照片{index}.png", "content_type": "image/png", "size_bytes": size}
        grant = post_json(client, f"/complaints/{number}/attachments", declared, headers).json_body
        data = bytes([index + 1]) * size
        put(grant, data)
        assert client.http.post(grant["confirm_url"], headers=headers).status_code == 200
        contents.append(data)
    declared = {"filename": "never.png", "content_type": "image/png", "size_bytes": 10}
    post_json(client, f"/complaints/{number}/attachments", declared, headers)
    return number, contents


def _zip(client, token, query) -> zipfile.ZipFile:
    answer = get(client, token, query + "&format=zip", accept="*/*")
    assert answer.status_code == 200
    return zipfile.ZipFile(io.BytesIO(answer.body))


def test_the_zip_holds_the_files_the_person_sent(client, token):
    number, contents = _with_files(client, [2048, 100])
    archive = _zip(client, token, "phone=13700001234")
    files = sorted(
        (n for n in archive.namelist() if n.startswith(f"complaints/{number}/files/")),
        key=lambda name: name.rsplit("-", 1)[1],
    )
    assert len(files) == 2 and files[0].endswith("-照片0.png") and files[1].endswith("-照片1.png")
    assert [archive.read(name) for name in files] == contents
    assert "NOT-INCLUDED.txt" not in archive.namelist()
    assert "never.png" not in " ".join(archive.namelist())


def test_files_over_the_exports_cap_are_named_not_included(client, token):
    from chalicelib.service.subject_access import EXPORT_FILE_BYTES

    big = 3 * 1024 * 1024
    assert big < EXPORT_FILE_BYTES < 2 * big
    number, contents = _with_files(client, [big, big])
    archive = _zip(client, token, "phone=13700001234")
    files = [n for n in archive.namelist() if n.startswith(f"complaints/{number}/files/")]
    assert len(files) == 1 and archive.read(files[0]) == contents[0]
    note = archive.read("NOT-INCLUDED.txt").decode()
    assert f"{number}  照片1.png  {big} bytes  over the export's 4 MiB" in note
    assert "limit=1" in note


def test_a_file_gone_from_storage_is_named_not_included(client, token):
    import boto3

    from tests.api.test_attachments import BUCKET

    number, _ = _with_files(client, [50])
    s3 = boto3.client("s3")
    for version in s3.list_object_versions(Bucket=BUCKET, Prefix=f"attachments/{number}/")[
        "Versions"
    ]:
        s3.delete_object(Bucket=BUCKET, Key=version["Key"], VersionId=version["VersionId"])
    archive = _zip(client, token, "phone=13700001234")
    assert "could not be read" in archive.read("NOT-INCLUDED.txt").decode()
