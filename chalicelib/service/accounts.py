"""Staff accounts (issue 21 item 3): admins list, invite and change them, each change in
the administration audit.

Cognito and DynamoDB share no transaction. A change (PATCH) or an invitation is recorded
with its audit entry first, made in Cognito, then marked done (adapters/account_journal.py):
a failure at any step leaves no change, or a change with its entry that the same request
sent again (or, for a change, the next read of the account) finishes. Two admins editing
one account: If-Match (the ETag, domain `etag`) and the journal's version let exactly one
win. Supervisors and up list their own
departments' staff through the directory (service/queues.py `directory`), not here.
"""

from __future__ import annotations

from ..domain.accounts import (
    AccountChange,
    AccountsQuery,
    Invitation,
    check_change,
    check_departments,
    differences,
    etag,
    targets,
)
from ..domain.actor import Actor, Role
from ..domain.errors import Conflict, Forbidden, StaleVersion
from ..domain.limits import TooManyRequests
from ..observability import logger
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
    """Invite someone, in the journal's order (record, create, finish), the journal item
    keyed by a keyed hash of the e-mail: the same invitation sent again after a failure
    finishes it (201); another one for an address that has an account is 409 exists."""
    _admin_only(actor)
    invitation = Invitation.model_validate(body)
    check_departments(invitation.departments, known_departments(services))
    target = {
        "email": invitation.email,
        "name": invitation.name,
        "roles": sorted(role.value for role in invitation.roles),
        "departments": sorted(invitation.departments),
    }
    accounts, store = _accounts(), journal_store()
    key = invitation_key(invitation.email, services)
    journal = store.read(key)
    if not journal.pending:
        if accounts.find(invitation.email):
            raise Conflict("a staff account with this e-mail exists", reason="exists")
        changes = {"roles": [[], target["roles"]], "departments": [[], target["departments"]]}
        entry = audit_entry(actor, "user.invite", key.lower(), changes, services, state="pending")
        journal = store.claim(journal, {"actor": actor.user_id, "target": target}, entry)
    elif journal.pending["target"] != target:
        raise Conflict("another invitation of this e-mail is not finished yet", reason="pending")
    account = _invite_and_finish(accounts, journal)
    return account.view()


def invitation_key(email: str, services: Services) -> str:
    """INVITE#<keyed hash of the address>: never the address itself in a key."""
    from ..domain.keyed import keyed_hash

    secret = services.complaints.lookup_key
    return "INVITE#" + keyed_hash(secret, f"staff-invite:{email.strip().lower()}")


def get_account(user_id: str, actor: Actor, services: Services) -> dict:
    """One account with its ETag; a change left pending by a failure is finished first."""
    _admin_only(actor)
    accounts = _accounts()
    _finish_pending(accounts, journal_store().read(user_id))
    return accounts.get(user_id).view()


def change(user_id: str, body: dict, if_match: int, actor: Actor, services: Services) -> dict:
    """Change an account if it is still as the admin read it (`if_match`, its ETag).

    The order that keeps a change and its audit entry together across Cognito and
    DynamoDB is adapters/account_journal.py's: record (with the entry), apply, finish."""
    _admin_only(actor)
    wanted = AccountChange.model_validate(body)
    if wanted.departments is not None:
        check_departments(wanted.departments, known_departments(services))
    accounts = _accounts()
    store = journal_store()
    journal = store.read(user_id)
    if _finish_pending(accounts, journal) == _request(actor, if_match, wanted):
        return accounts.get(user_id).view()  # this very request, sent again: done now
    account = accounts.get(user_id)
    if etag(account) != if_match:
        raise StaleVersion("the account changed since you read it: read it again", reason="stale")
    check_change(actor, account, wanted)
    changes = differences(account, wanted)
    if not changes:
        return account.view()
    target = f"user:{user_id}"
    entry = audit_entry(actor, "user.update", target, changes, services, state="pending")
    pending = {**_request(actor, if_match, wanted), "target": targets(changes)}
    claimed = store.claim(journal, pending, entry)
    _apply_and_finish(accounts, claimed, account)  # the claim: nobody changed it since
    return accounts.get(user_id).view()


def audit_entry(actor: Actor, action: str, target: str, changes: dict, services, **details):
    from ..domain.admin_audit import entry

    return entry(services.clock.now(), actor, action, target, changes=changes, details=details)


def _request(actor: Actor, if_match: int, wanted: AccountChange) -> dict:
    """What identifies a request when it is sent again after a failure."""
    return {
        "actor": actor.user_id,
        "if_match": if_match,
        "body": wanted.model_dump(mode="json", exclude_none=True),
    }


def _finish_pending(accounts, journal) -> dict | None:
    """Finish the change a failure left pending (apply it again, then mark it done); the
    request that recorded it, or None when nothing was pending."""
    if not journal.pending:
        return None
    if not _apply_and_finish(accounts, journal):
        raise TooManyRequests(
            "an earlier change of this account is not yet marked done: send it again",
            retry_after=2,
        )
    return {key: journal.pending[key] for key in ("actor", "if_match", "body")}


def _apply_and_finish(accounts, journal, account=None) -> bool:
    """Apply the recorded change in Cognito, then mark it done; False when it is made
    but the journal did not answer (its entry says pending until the next read)."""
    target = journal.pending["target"]
    _, finished = _make_and_finish(
        journal, lambda: accounts.apply(journal.user_id, target, account), "change"
    )
    return finished


def _invite_and_finish(accounts, journal):
    account, _ = _make_and_finish(
        journal,
        lambda: accounts.invite(**journal.pending["target"]),
        "invitation",
        target=lambda account: f"user:{account.user_id}",
    )
    return account


def _make_and_finish(journal, make, what: str, target=None) -> tuple:
    """Step 2 (`make`, the Cognito part) and step 3 (mark the entry done, with its
    `target(made)` if given) of the journal's order: (what make returned, whether marked)."""
    from ..adapters.directory import forget
    from ..adapters.staff_accounts import NotApplied

    try:
        made = make()
    except NotApplied as error:
        raise Conflict(
            f"the {what} is recorded but the user pool did not take it yet: send the same"
            " request again to finish it",
            reason="pending",
        ) from error
    finally:
        forget()  # this container's directory and sign-in list show the change at once
    try:
        journal_store().finish(journal, target=target(made) if target else None)
    except TooManyRequests:
        logger().warning("staff account %s made, its audit entry not yet marked done", what)
        return made, False
    return made, True


def journal_store():
    from ..adapters import account_journal

    return account_journal
