"""Staff accounts in the Cognito user pool (STAFF_USER_POOL_ID): list a page, read one,
invite, change roles (the role groups), departments (`custom:departments`), disable, enable.

Every method makes a bounded number of calls: a page of ListUsers (at most 60 users) plus
one AdminListGroupsForUser per user listed (roles are groups, which ListUsers does not
return); an invitation is ListUsers by e-mail (one address, one account), AdminCreateUser
and one AdminAddUserToGroup per role; a change is AdminGetUser + AdminListGroupsForUser
+ one call per group added or removed (at most 7) + one per attribute or state changed.

User id: the Cognito username. A pool whose sign-in name is the e-mail (infra/auth.py)
makes the username its `sub`, so on AWS the id is the token's `sub`; the local pool
(scripts/bootstrap.py) has plain usernames so the demo users keep their ids, and an
invitation there gets a fresh UUID as username, as Cognito would give it.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from ..domain.accounts import Account
from ..domain.actor import Role
from ..domain.errors import InvalidCommand, NotFound
from .aws import client

DEPARTMENTS = "custom:departments"
GROUPS_PAGE = 60
BAD_TOKEN = (
    "InvalidParameterException",
    "InvalidToken",
)  # Cognito's, moto's  # a user is in at most one group per role; one page is enough


class NotApplied(Exception):
    """Cognito did not take (all of) a change: it stays pending in the account journal."""


class CognitoAccounts:
    def __init__(self, pool_id: str, cognito=None):
        self.pool_id = pool_id
        self._cognito = cognito
        self._email_is_username: bool | None = None

    @property
    def cognito(self):
        if self._cognito is None:
            self._cognito = client("cognito-idp")
        return self._cognito

    def page(self, limit: int, cursor: str | None) -> tuple[list[Account], str | None]:
        args = {"UserPoolId": self.pool_id, "Limit": limit}
        if cursor:
            args["PaginationToken"] = cursor
        from botocore.exceptions import ClientError

        try:
            answer = self.cognito.list_users(**args)
        except ClientError as error:
            if not cursor or error.response["Error"]["Code"] not in BAD_TOKEN:
                raise
            raise InvalidCommand(
                "invalid cursor", {"cursor": "not a cursor from this list"}
            ) from error
        accounts = [self._account(user, "Attributes") for user in answer.get("Users", [])]
        return accounts, answer.get("PaginationToken")

    def get(self, user_id: str) -> Account:
        try:
            user = self.cognito.admin_get_user(UserPoolId=self.pool_id, Username=user_id)
        except self.cognito.exceptions.UserNotFoundException as error:
            raise NotFound("no such staff account") from error
        return self._account(user, "UserAttributes")

    def find(self, email: str) -> Account | None:
        """The account with this e-mail, if any (one ListUsers filtered by it)."""
        quoted = email.replace("\\", "").replace('"', "")
        found = self.cognito.list_users(
            UserPoolId=self.pool_id, Filter=f'email = "{quoted}"', Limit=1
        ).get("Users")
        return self._account(found[0], "Attributes") if found else None

    def invite(self, email: str, name: str, roles: list[str], departments: list[str]) -> Account:
        """Create the account if it is not there yet, and put it in its role groups: run
        again after a failure, it finishes the same invitation."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            account = self.find(email) or self._create(email, name, departments)
            for role in sorted(set(roles) - set(account.roles)):
                self._group(account.user_id, role, add=True)
        except (BotoCoreError, ClientError) as error:
            raise NotApplied(str(error)) from error
        return replace(account, roles=tuple(sorted(set(roles) | set(account.roles))))

    def _create(self, email: str, name: str, departments: list[str]) -> Account:
        attributes = [
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "name", "Value": name},
            {"Name": DEPARTMENTS, "Value": ",".join(departments)},
        ]
        user = self.cognito.admin_create_user(
            UserPoolId=self.pool_id,
            Username=email if self._signs_in_with_email() else str(uuid.uuid4()),
            UserAttributes=attributes,
            DesiredDeliveryMediums=["EMAIL"],  # Cognito mails the temporary password
        )["User"]
        return self._account(user, "Attributes", roles=())

    def apply(self, user_id: str, target: dict, account: Account | None = None) -> None:
        """Make the account what `target` says (roles, departments, enabled). Each call sets
        a value, so running it again after a failure finishes the change. `account`: as
        just read, if it was (a change left pending is applied to the account as it is)."""
        from botocore.exceptions import BotoCoreError, ClientError

        account = account or self.get(user_id)
        try:
            if "roles" in target:
                self.set_roles(account, target["roles"])
            if "departments" in target:
                self.set_departments(account, target["departments"])
            if "enabled" in target:
                self.set_enabled(account, target["enabled"])
        except (BotoCoreError, ClientError) as error:
            raise NotApplied(str(error)) from error

    def set_roles(self, account: Account, roles: list[str]) -> None:
        for role in sorted(set(roles) - set(account.roles)):
            self._group(account.user_id, role, add=True)
        for role in sorted(set(account.roles) - set(roles)):
            self._group(account.user_id, role, add=False)

    def set_departments(self, account: Account, departments: list[str]) -> None:
        self.cognito.admin_update_user_attributes(
            UserPoolId=self.pool_id,
            Username=account.user_id,
            UserAttributes=[{"Name": DEPARTMENTS, "Value": ",".join(sorted(departments))}],
        )

    def set_enabled(self, account: Account, enabled: bool) -> None:
        call = self.cognito.admin_enable_user if enabled else self.cognito.admin_disable_user
        call(UserPoolId=self.pool_id, Username=account.user_id)

    def _group(self, user_id: str, role: str, add: bool) -> None:
        call = (
            self.cognito.admin_add_user_to_group
            if add
            else self.cognito.admin_remove_user_from_group
        )
        call(UserPoolId=self.pool_id, Username=user_id, GroupName=role)

    def _roles(self, user_id: str) -> tuple[str, ...]:
        groups = self.cognito.admin_list_groups_for_user(
            UserPoolId=self.pool_id, Username=user_id, Limit=GROUPS_PAGE
        )["Groups"]
        known = {role.value for role in Role}
        return tuple(sorted(g["GroupName"] for g in groups if g["GroupName"] in known))

    def _account(self, user: dict, key: str, roles: tuple[str, ...] | None = None) -> Account:
        attributes = {a["Name"]: a["Value"] for a in user.get(key, [])}
        return Account(
            user_id=user["Username"],
            email=attributes.get("email", ""),
            name=attributes.get("name", ""),
            roles=self._roles(user["Username"]) if roles is None else roles,
            departments=tuple(sorted(split(attributes.get(DEPARTMENTS, "")))),
            enabled=user.get("Enabled", True),
            status=user.get("UserStatus", ""),
        )

    def _signs_in_with_email(self) -> bool:
        """Whether the pool takes the e-mail as username (asked once per container)."""
        if self._email_is_username is None:
            pool = self.cognito.describe_user_pool(UserPoolId=self.pool_id)["UserPool"]
            self._email_is_username = "email" in pool.get("UsernameAttributes", [])
        return self._email_is_username


def split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]
