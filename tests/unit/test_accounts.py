"""The rules of a staff-account change (domain/accounts.py)."""

import pytest
from pydantic import ValidationError

from chalicelib.domain.accounts import (
    Account,
    AccountChange,
    Invitation,
    check_change,
    check_departments,
    differences,
)
from chalicelib.domain.actor import Actor
from chalicelib.domain.errors import Conflict, InvalidCommand

ADMIN = Actor("admin-1", roles=["admin"], departments=["service"])


def account(user_id="admin-1", roles=("admin",), departments=("service",), enabled=True):
    return Account(user_id, "a@example.org", "A", roles, departments, enabled, "CONFIRMED")


def test_an_admin_cannot_remove_their_own_admin_role():
    with pytest.raises(Conflict) as refused:
        check_change(ADMIN, account(), AccountChange(roles=["supervisor"]))
    assert refused.value.details == {"reason": "own_admin_role"}


def test_an_admin_cannot_disable_themselves():
    with pytest.raises(Conflict) as refused:
        check_change(ADMIN, account(), AccountChange(enabled=False))
    assert refused.value.details == {"reason": "own_account"}


def test_an_admin_may_change_their_departments_and_add_roles():
    check_change(ADMIN, account(), AccountChange(roles=["admin", "quality"], departments=["sales"]))


def test_an_admin_may_remove_another_admins_role_and_disable_them():
    other = account(user_id="admin-2")
    check_change(ADMIN, other, AccountChange(roles=["handler"], enabled=False))


def test_differences_name_only_what_changes():
    before = account(roles=("handler",), departments=("sales", "service"))
    change = AccountChange(roles=["handler"], departments=["service", "sales"], enabled=False)
    assert differences(before, change) == {"enabled": [True, False]}
    change = AccountChange(roles=["supervisor", "handler"])
    assert differences(before, change) == {"roles": [["handler"], ["handler", "supervisor"]]}


def test_departments_must_be_known():
    check_departments(["service", "*"], {"service", "sales"})
    with pytest.raises(InvalidCommand) as refused:
        check_departments(["service", "legal"], {"service", "sales"})
    assert "legal" in refused.value.fields["departments"]


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-address", "name": "X", "roles": ["handler"], "departments": ["service"]},
        {"email": "x@example.org", "name": "", "roles": ["handler"], "departments": ["service"]},
        {"email": "x@example.org", "name": "X", "roles": [], "departments": ["service"]},
        {"email": "x@example.org", "name": "X", "roles": ["boss"], "departments": ["service"]},
        {
            "email": "x@example.org",
            "name": "X",
            "roles": ["handler", "handler"],
            "departments": ["a"],
        },
        {"email": "x@example.org", "name": "X", "roles": ["handler"], "departments": []},
        {"email": "x@example.org", "name": "X", "roles": ["handler"], "departments": ["a"], "x": 1},
    ],
)
def test_an_invitation_is_validated(body):
    with pytest.raises(ValidationError):
        Invitation.model_validate(body)


def test_a_change_refuses_unknown_fields():
    with pytest.raises(ValidationError):
        AccountChange.model_validate({"email": "new@example.org"})
