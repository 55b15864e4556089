"""Staff accounts (issue 21 item 3) over moto's Cognito: the pool, groups and demo users
that `make run` creates (scripts/bootstrap.py)."""

import json

import boto3
import pytest


@pytest.fixture
def admin(client, token, staff_pool):
    return As(client, token("admin", ("service",), "admin-service"))


class As:
    def __init__(self, client, auth):
        self.client = client
        self.auth = auth

    def get(self, path):
        return self.client.http.get(path, headers={"Authorization": self.auth})

    def send(self, method, path, body):
        headers = {"Authorization": self.auth, "Content-Type": "application/json"}
        call = getattr(self.client.http, method)
        return call(path, headers=headers, body=json.dumps(body))


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
    changed = admin.send(
        "patch",
        "/staff/admin/users/handler-sales",
        {"roles": ["supervisor"], "departments": ["sales", "service"]},
    )
    assert changed.status_code == 200, changed.json_body
    assert changed.json_body["roles"] == ["supervisor"]
    assert changed.json_body["departments"] == ["sales", "service"]
    cognito = boto3.client("cognito-idp")
    groups = cognito.admin_list_groups_for_user(UserPoolId=staff_pool, Username="handler-sales")
    assert [g["GroupName"] for g in groups["Groups"]] == ["supervisor"]
    off = admin.send("patch", "/staff/admin/users/handler-sales", {"enabled": False})
    assert off.status_code == 200 and off.json_body["enabled"] is False
    assert not cognito.admin_get_user(UserPoolId=staff_pool, Username="handler-sales")["Enabled"]
    on = admin.send("patch", "/staff/admin/users/handler-sales", {"enabled": True})
    assert on.json_body["enabled"] is True


def test_an_admin_keeps_their_own_admin_role_and_account(admin):
    own = "/staff/admin/users/admin-service"
    demoted = admin.send("patch", own, {"roles": ["supervisor"]})
    assert demoted.status_code == 409 and demoted.json_body["error"]["reason"] == "own_admin_role"
    disabled = admin.send("patch", own, {"enabled": False})
    assert disabled.status_code == 409 and disabled.json_body["error"]["reason"] == "own_account"
    assert admin.get("/staff/admin/users?limit=60").json_body["users"]
    other = admin.send("patch", "/staff/admin/users/admin-sales", {"roles": ["quality"]})
    assert other.status_code == 200


def test_each_change_is_in_the_audit(admin):
    user = admin.send("post", "/staff/admin/users", INVITE).json_body
    admin.send("patch", f"/staff/admin/users/{user['user_id']}", {"enabled": False})
    admin.send("patch", f"/staff/admin/users/{user['user_id']}", {"enabled": False})  # no-op
    entries = admin.get("/staff/admin/audit").json_body["items"]
    mine = [e for e in entries if e["target"] == f"user:{user['user_id']}"]
    # The pinned clock gives both entries one instant: compare them by action.
    by_action = {e["action"]: e for e in mine}
    assert len(mine) == 2 and set(by_action) == {"user.invite", "user.update"}
    assert by_action["user.update"]["changes"] == {"enabled": [True, False]}
    assert by_action["user.invite"]["changes"]["roles"] == [[], ["handler", "supervisor"]]
    assert all(e["actor"] == "admin-service" for e in mine)


def test_only_admins_manage_accounts(client, token, staff_pool):
    sup = As(client, token("supervisor", ("service",)))
    assert sup.get("/staff/admin/users").status_code == 403
    assert sup.send("post", "/staff/admin/users", INVITE).status_code == 403
    assert (
        sup.send("patch", "/staff/admin/users/handler-sales", {"enabled": False}).status_code == 403
    )


def test_bad_requests_are_clear(admin):
    assert admin.send("patch", "/staff/admin/users/nobody", {"enabled": False}).status_code == 404
    assert admin.get("/staff/admin/users?limit=0").status_code == 400
    assert admin.get("/staff/admin/users?cursor=bogus").status_code == 400
    assert admin.get("/staff/admin/users?colour=red").status_code == 400
    unknown = admin.send("patch", "/staff/admin/users/handler-sales", {"email": "x@example.org"})
    assert unknown.status_code == 400 and "email" in unknown.json_body["error"]["fields"]


def test_without_a_pool_the_routes_say_so(admin, monkeypatch):
    monkeypatch.delenv("STAFF_USER_POOL_ID")
    assert admin.get("/staff/admin/users").status_code == 503


def test_the_local_sign_in_lists_the_pool(admin, monkeypatch):
    monkeypatch.setenv("LOCAL_SIGN_IN", "true")
    from chalicelib.http.local_signin import users

    user = admin.send("post", "/staff/admin/users", INVITE).json_body
    admin.send("patch", "/staff/admin/users/handler-service", {"enabled": False})
    listed = {p["user_id"]: p for p in users()["people"]}
    assert listed[user["user_id"]]["roles"] == ["handler", "supervisor"]
    assert "handler-service" not in listed and "handler2-service" in listed
