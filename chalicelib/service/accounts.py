"""Staff accounts (issue 21 item 3): admins list, invite and change them; each change is
written to the administration audit right after Cognito accepted it.

Cognito and DynamoDB share no transaction: the entry follows the change, so a failure to
write it leaves a change without its entry (logged as an error), never an entry without
its change. Supervisors and up list their own departments' staff through the directory
(service/queues.py `directory`), not here.
"""

from __future__ import annotations

from ..domain.accounts import (
    AccountChange,
    AccountsQuery,
    Invitation,
    check_change,
    check_departments,
    differences,
)
from ..domain.actor import Actor, Role
from ..domain.errors import Forbidden
from .context import Services


def _admin_only(actor: Actor) -> None:
    if not actor.has_role(Role.ADMIN):
        raise Forbidden("staff accounts are for admins")


def known_departments(services: Services) -> set[str]:
    """The departments an account may name: the organisation's departments in use."""
    return set(services.org.codes("departments"))


def _accounts():
    from ..adapters.directory import pool_id
    from ..adapters.staff_accounts import CognitoAccounts

    return CognitoAccounts(pool_id())


def list_accounts(query: dict, actor: Actor, services: Services) -> dict:
    _admin_only(actor)
    wanted = AccountsQuery.model_validate(query)
    accounts, cursor = _accounts().page(wanted.limit, wanted.cursor)
    return {"users": [a.view() for a in accounts], "next_cursor": cursor}


def invite(body: dict, actor: Actor, services: Services) -> dict:
    _admin_only(actor)
    invitation = Invitation.model_validate(body)
    check_departments(invitation.departments, known_departments(services))
    roles = sorted(role.value for role in invitation.roles)
    account = _accounts().invite(
        invitation.email, invitation.name, roles, sorted(invitation.departments)
    )
    _changed(
        actor,
        "user.invite",
        account.user_id,
        {
            "roles": [[], list(account.roles)],
            "departments": [[], list(account.departments)],
        },
        services,
    )
    return account.view()


def change(user_id: str, body: dict, actor: Actor, services: Services) -> dict:
    _admin_only(actor)
    wanted = AccountChange.model_validate(body)
    if wanted.departments is not None:
        check_departments(wanted.departments, known_departments(services))
    accounts = _accounts()
    account = accounts.get(user_id)
    check_change(actor, account, wanted)
    changes = differences(account, wanted)
    if "roles" in changes:
        accounts.set_roles(account, changes["roles"][1])
    if "departments" in changes:
        accounts.set_departments(account, changes["departments"][1])
    if "enabled" in changes:
        accounts.set_enabled(account, wanted.enabled)
    if changes:
        _changed(actor, "user.update", user_id, changes, services)
    return accounts.get(user_id).view()


def _changed(actor: Actor, action: str, user_id: str, changes: dict, services: Services) -> None:
    from ..adapters.directory import forget

    forget()  # this container's directory and sign-in list show the change at once
    _audit(actor, action, f"user:{user_id}", changes, services.clock.now())


def _audit(actor: Actor, action: str, target: str, changes: dict, at) -> None:
    """The administration audit (adapters/admin_audit.py), read at GET /staff/admin/audit."""
    from ..adapters import admin_audit
    from ..domain.admin_audit import entry

    admin_audit.record(entry(at, actor, action, target, changes=changes))
