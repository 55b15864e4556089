"""Staff accounts (issue 21 item 3) over moto's Cognito: the pool, groups and demo users
that `make run` creates (scripts/bootstrap.py)."""

import boto3
import pytest

from tests.helpers import StaffCalls


@pytest.fixture
def admin(client, token, staff_pool):
    return As(client, token("admin", ("service",), "admin-service"))


class As(StaffCalls):
    def change(self, path, body):
        """PATCH as the console does: with the ETag just read."""
        etag = self.get(path).headers.get("ETag", '"1"')
        return self.send("patch", path, body, etag)


INVITE = {
    "email": "new.staff@example.org",
    "name": "新同事",
    "roles": ["handler", "supervisor"],
    "departments": ["sales"],
}


def everyone(admin) -> list[dict]:
    found, cursor = [], None
    for _ in range(10):
        page = admin.get("/staff/admin/users?limit=10" + (f"&cursor={cursor}" if cursor else ""))
        assert page.status_code == 200, page.json_body
        found += page.json_body["users"]
        cursor = page.json_body["next_cursor"]
        if not cursor:
            return found
    raise AssertionError("more than 10 pages")


def test_the_list_pages_through_the_demo_users(admin):
    users = everyone(admin)
    assert len(users) == 22
    by_id = {u["user_id"]: u for u in users}
    assert by_id["sup-sales"]["roles"] == ["supervisor"]
    assert by_id["sup-sales"]["departments"] == ["sales"]
    assert by_id["sup-sales"]["name"] == "陈晨" and by_id["sup-sales"]["enabled"]
    assert by_id["sup-sales"]["status"] == "CONFIRMED"


def test_an_invited_member_has_the_roles_given_and_is_in_the_directory(admin, client, token):
    made = admin.send("post", "/staff/admin/users", INVITE)
    assert made.status_code == 201, made.json_body
    user = made.json_body
    assert user["roles"] == ["handler", "supervisor"] and user["departments"] == ["sales"]
    assert user["status"] == "FORCE_CHANGE_PASSWORD" and user["enabled"]
    assert user["user_id"] != INVITE["email"]  # an e-mail is never the id
    sup = As(client, token("supervisor", ("sales",)))
    people = sup.get("/staff/directory").json_body["people"]
    assert {"user_id": user["user_id"], "name": "新同事"}.items() <= next(
        p for p in people if p["user_id"] == user["user_id"]
    ).items()
    again = admin.send("post", "/staff/admin/users", INVITE)
    assert again.status_code == 409 and again.json_body["error"]["reason"] == "exists"


def test_an_invitation_names_only_known_departments(admin):
    made = admin.send("post", "/staff/admin/users", {**INVITE, "departments": ["legal"]})
    assert made.status_code == 400
    assert "legal" in made.json_body["error"]["fields"]["departments"]


def test_roles_departments_and_disabling_change_cognito(admin, staff_pool):
    changed = admin.change(
        "/staff/admin/users/handler-sales",
        {"roles": ["supervisor"], "departments": ["sales", "service"]},
    )
    assert changed.status_code == 200, changed.json_body
    assert changed.json_body["roles"] == ["supervisor"]
    assert changed.json_body["departments"] == ["sales", "service"]
    cognito = boto3.client("cognito-idp")
    groups = cognito.admin_list_groups_for_user(UserPoolId=staff_pool, Username="handler-sales")
    assert [g["GroupName"] for g in groups["Groups"]] == ["supervisor"]
    off = admin.change("/staff/admin/users/handler-sales", {"enabled": False})
    assert off.status_code == 200 and off.json_body["enabled"] is False
    assert not cognito.admin_get_user(UserPoolId=staff_pool, Username="handler-sales")["Enabled"]
    on = admin.change("/staff/admin/users/handler-sales", {"enabled": True})
    assert on.json_body["enabled"] is True


def test_an_admin_keeps_their_own_admin_role_and_account(admin):
    own = "/staff/admin/users/admin-service"
    demoted = admin.change(own, {"roles": ["supervisor"]})
    assert demoted.status_code == 409 and demoted.json_body["error"]["reason"] == "own_admin_role"
    disabled = admin.change(own, {"enabled": False})
    assert disabled.status_code == 409 and disabled.json_body["error"]["reason"] == "own_account"
    assert admin.get("/staff/admin/users?limit=60").json_body["users"]
    other = admin.change("/staff/admin/users/admin-sales", {"roles": ["quality"]})
    assert other.status_code == 200


def test_each_change_is_in_the_audit(admin):
    user = admin.send("post", "/staff/admin/users", INVITE).json_body
    admin.change(f"/staff/admin/users/{user['user_id']}", {"enabled": False})
    admin.change(f"/staff/admin/users/{user['user_id']}", {"enabled": False})  # no-op
    entries = admin.get("/staff/admin/audit").json_body["items"]
    mine = [e for e in entries if e["target"] == f"user:{user['user_id']}"]
    # The pinned clock gives both entries one instant: compare them by action.
    by_action = {e["action"]: e for e in mine}
    assert len(mine) == 2 and set(by_action) == {"user.invite", "user.update"}
    assert by_action["user.update"]["changes"] == {"enabled": [True, False]}
    assert by_action["user.invite"]["changes"]["roles"] == [[], ["handler", "supervisor"]]
    assert by_action["user.update"]["details"] == {"state": "done"}
    assert all(e["actor"] == "admin-service" for e in mine)


def test_only_admins_manage_accounts(client, token, staff_pool):
    sup = As(client, token("supervisor", ("service",)))
    assert sup.get("/staff/admin/users").status_code == 403
    assert sup.send("post", "/staff/admin/users", INVITE).status_code == 403
    assert (
        sup.send("patch", "/staff/admin/users/handler-sales", {"enabled": False}, '"1"').status_code
        == 403
    )


def test_bad_requests_are_clear(admin):
    assert admin.change("/staff/admin/users/nobody", {"enabled": False}).status_code == 404
    assert admin.get("/staff/admin/users?limit=0").status_code == 400
    assert admin.get("/staff/admin/users?cursor=bogus").status_code == 400
    assert admin.get("/staff/admin/users?colour=red").status_code == 400
    unknown = admin.change("/staff/admin/users/handler-sales", {"email": "x@example.org"})
    assert unknown.status_code == 400 and "email" in unknown.json_body["error"]["fields"]


def test_without_a_pool_the_routes_say_so(admin, monkeypatch):
    monkeypatch.delenv("STAFF_USER_POOL_ID")
    assert admin.get("/staff/admin/users").status_code == 503


def test_the_local_sign_in_lists_the_pool(admin, monkeypatch):
    monkeypatch.setenv("LOCAL_SIGN_IN", "true")
    from chalicelib.http.local_signin import users

    user = admin.send("post", "/staff/admin/users", INVITE).json_body
    admin.change("/staff/admin/users/handler-service", {"enabled": False})
    listed = {p["user_id"]: p for p in users()["people"]}
    assert listed[user["user_id"]]["roles"] == ["handler", "supervisor"]
    assert "handler-service" not in listed and "handler2-service" in listed


HANDLER = "/staff/admin/users/handler-sales"


def updates(admin) -> list[dict]:
    entries = admin.get("/staff/admin/audit").json_body["items"]
    return [e for e in entries if e["target"] == "user:handler-sales"]


def test_a_change_needs_the_etag_it_was_read_with(admin):
    read = admin.get(HANDLER)
    assert read.status_code == 200 and read.headers["ETag"] == read.json_body["etag"]
    listed = {u["user_id"]: u for u in everyone(admin)}
    assert listed["handler-sales"]["etag"] == read.headers["ETag"]
    bare = admin.send("patch", HANDLER, {"enabled": False})
    assert bare.status_code == 428 and bare.json_body["error"]["code"] == "precondition_required"
    bad = admin.send("patch", HANDLER, {"enabled": False}, "yesterday")
    assert bad.status_code == 400 and "If-Match" in bad.json_body["error"]["fields"]
    first = admin.send("patch", HANDLER, {"enabled": False}, read.headers["ETag"])
    assert first.status_code == 200 and first.headers["ETag"] != read.headers["ETag"]
    second = admin.send("patch", HANDLER, {"departments": ["service"]}, read.headers["ETag"])
    assert second.status_code == 409 and second.json_body["error"]["reason"] == "stale"
    assert admin.get(HANDLER).json_body["departments"] == ["sales"]
    assert len(updates(admin)) == 1


def test_two_admins_who_read_the_same_version_exactly_one_wins(admin):
    """Both passed the ETag check before either wrote: the journal's version decides."""
    from datetime import UTC, datetime

    from chalicelib.adapters import account_journal
    from chalicelib.domain.actor import Actor, Role
    from chalicelib.domain.admin_audit import entry
    from chalicelib.domain.errors import StaleVersion

    actor = Actor(user_id="admin-sales", name="", roles=(Role.ADMIN,), departments=("sales",))
    at = datetime(2026, 12, 6, tzinfo=UTC)
    read = account_journal.read("handler-sales")
    for version in (0, 1):  # the first claim ever, and one on an existing journal
        claims = []
        for _ in range(2):
            try:
                claims.append(
                    account_journal.claim(
                        read, {"target": {}}, entry(at, actor, "user.update", "user:handler-sales")
                    )
                )
            except StaleVersion:
                claims.append(None)
        assert claims[0].version == version + 1 and claims[1] is None
        assert account_journal.finish(claims[0])
        read = account_journal.read("handler-sales")
        assert read.version == version + 1 and read.pending is None


class FailingTransactions:
    """DynamoDB failing the account journal's n-th transaction (1-based)."""

    def __init__(self, monkeypatch, fail_at: int):
        from pynamodb.exceptions import TransactWriteError
        from pynamodb.transactions import TransactWrite

        from chalicelib.adapters import account_journal

        self.count = 0
        outer = self

        class Failing(TransactWrite):
            def __exit__(self, *exc):
                outer.count += 1
                if outer.count == fail_at:
                    raise TransactWriteError("injected: DynamoDB did not answer")
                return super().__exit__(*exc)

        monkeypatch.setattr(account_journal, "TransactWrite", Failing)


def test_a_failure_to_record_changes_nothing(admin, monkeypatch, staff_pool):
    etag = admin.get(HANDLER).headers["ETag"]
    FailingTransactions(monkeypatch, fail_at=1)
    failed = admin.send("patch", HANDLER, {"enabled": False}, etag)
    assert failed.status_code == 429 and failed.headers["Retry-After"]
    assert admin.get(HANDLER).json_body["enabled"] is True
    assert updates(admin) == []
    again = admin.send("patch", HANDLER, {"enabled": False}, etag)
    assert again.status_code == 200 and again.json_body["enabled"] is False
    assert [e["details"] for e in updates(admin)] == [{"state": "done"}]


def test_a_change_cognito_refuses_halfway_is_recorded_and_finished_by_the_retry(
    admin, monkeypatch, staff_pool
):
    from botocore.exceptions import EndpointConnectionError

    from chalicelib.adapters.staff_accounts import CognitoAccounts

    etag = admin.get(HANDLER).headers["ETag"]
    body = {"roles": ["supervisor"], "departments": ["service"]}

    def down(self, account, departments):
        raise EndpointConnectionError(endpoint_url="https://cognito-idp")

    with monkeypatch.context() as patched:
        patched.setattr(CognitoAccounts, "set_departments", down)
        failed = admin.send("patch", HANDLER, body, etag)
    assert failed.status_code == 409 and failed.json_body["error"]["reason"] == "pending"
    (entry,) = updates(admin)  # recorded before Cognito was asked
    assert entry["details"] == {"state": "pending"}
    assert entry["changes"]["departments"] == [["sales"], ["service"]]
    retried = admin.send("patch", HANDLER, body, etag)
    assert retried.status_code == 200, retried.json_body
    assert retried.json_body["roles"] == ["supervisor"]
    assert retried.json_body["departments"] == ["service"]
    assert [e["details"] for e in updates(admin)] == [{"state": "done"}]


def test_another_admins_change_finishes_a_pending_one_first(admin, monkeypatch, staff_pool):
    from chalicelib.adapters.staff_accounts import CognitoAccounts, NotApplied

    etag = admin.get(HANDLER).headers["ETag"]
    with monkeypatch.context() as patched:
        patched.setattr(CognitoAccounts, "apply", lambda *a: (_ for _ in ()).throw(NotApplied()))
        assert admin.send("patch", HANDLER, {"enabled": False}, etag).status_code == 409
    other = admin.send("patch", HANDLER, {"departments": ["service"]}, etag)
    assert other.status_code == 409 and other.json_body["error"]["reason"] == "stale"
    now = admin.get(HANDLER).json_body
    assert now["enabled"] is False and now["departments"] == ["sales"]
    assert [e["details"] for e in updates(admin)] == [{"state": "done"}]


def test_a_change_made_but_not_marked_done_is_finished_by_the_next_read(
    admin, monkeypatch, staff_pool
):
    etag = admin.get(HANDLER).headers["ETag"]
    with monkeypatch.context() as patched:
        FailingTransactions(patched, fail_at=2)  # the claim passes, the finish fails
        made = admin.send("patch", HANDLER, {"enabled": False}, etag)
    assert made.status_code == 200 and made.json_body["enabled"] is False
    assert [e["details"] for e in updates(admin)] == [{"state": "pending"}]
    assert admin.get(HANDLER).status_code == 200
    assert [e["details"] for e in updates(admin)] == [{"state": "done"}]


def invites(admin) -> list[dict]:
    entries = admin.get("/staff/admin/audit").json_body["items"]
    return [e for e in entries if e["action"] == "user.invite"]


def with_email(staff_pool, email: str) -> list[dict]:
    cognito = boto3.client("cognito-idp")
    return cognito.list_users(UserPoolId=staff_pool, Filter=f'email = "{email}"')["Users"]


def test_an_invitation_that_cannot_be_recorded_creates_nobody(admin, monkeypatch, staff_pool):
    with monkeypatch.context() as patched:
        FailingTransactions(patched, fail_at=1)
        failed = admin.send("post", "/staff/admin/users", INVITE)
    assert failed.status_code == 429 and failed.headers["Retry-After"]
    assert with_email(staff_pool, INVITE["email"]) == [] and invites(admin) == []
    assert admin.send("post", "/staff/admin/users", INVITE).status_code == 201


@pytest.mark.parametrize("step", ["admin_create_user", "admin_add_user_to_group"])
def test_an_invitation_cognito_fails_is_recorded_and_finished_by_sending_it_again(
    admin, monkeypatch, staff_pool, step
):
    from botocore.exceptions import EndpointConnectionError

    from chalicelib.adapters.staff_accounts import CognitoAccounts

    real = CognitoAccounts.cognito.fget

    class Down:
        def __init__(self, cognito):
            self._cognito = cognito

        def __getattr__(self, name):
            if name == step:
                raise EndpointConnectionError(endpoint_url="https://cognito-idp")
            return getattr(self._cognito, name)

    with monkeypatch.context() as patched:
        patched.setattr(CognitoAccounts, "cognito", property(lambda self: Down(real(self))))
        failed = admin.send("post", "/staff/admin/users", INVITE)
    assert failed.status_code == 409 and failed.json_body["error"]["reason"] == "pending"
    (entry,) = invites(admin)  # recorded before Cognito was asked
    assert entry["details"] == {"state": "pending"} and entry["target"].startswith("invite#")
    assert INVITE["email"] not in entry["target"]
    other = admin.send("post", "/staff/admin/users", {**INVITE, "roles": ["handler"]})
    assert other.status_code == 409 and other.json_body["error"]["reason"] == "pending"

    again = admin.send("post", "/staff/admin/users", INVITE)
    assert again.status_code == 201, again.json_body
    assert again.json_body["roles"] == ["handler", "supervisor"]
    assert len(with_email(staff_pool, INVITE["email"])) == 1
    (entry,) = invites(admin)
    assert entry["details"] == {"state": "done"}
    assert entry["target"] == f"user:{again.json_body['user_id']}"
    third = admin.send("post", "/staff/admin/users", INVITE)
    assert third.status_code == 409 and third.json_body["error"]["reason"] == "exists"


def test_an_invitation_made_but_not_marked_done_is_finished_by_sending_it_again(
    admin, monkeypatch, staff_pool
):
    with monkeypatch.context() as patched:
        FailingTransactions(patched, fail_at=2)  # recorded, created, not marked done
        made = admin.send("post", "/staff/admin/users", INVITE)
    assert made.status_code == 201
    assert [e["details"] for e in invites(admin)] == [{"state": "pending"}]
    assert admin.send("post", "/staff/admin/users", INVITE).status_code == 201
    assert [e["details"] for e in invites(admin)] == [{"state": "done"}]
    assert len(with_email(staff_pool, INVITE["email"])) == 1


@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_body_that_is_not_json_gets_the_services_415(admin, method):
    headers = {"Authorization": admin.auth, "Content-Type": "text/plain", "If-Match": '"1"'}
    path = "/staff/admin/users" + ("/handler-sales" if method == "patch" else "")
    response = getattr(admin.client.http, method)(path, headers=headers, body="{}")
    assert response.status_code == 415
    assert response.json_body["error"]["code"] == "unsupported_media_type"
