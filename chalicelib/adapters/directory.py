"""Who works where: the staff directory behind the assignee picker and the escalation chain.

The people are the Cognito user pool's enabled users, by group (a group per role) with
their `custom:departments`: on AWS the stack's pool, on the local stack moto's, where
scripts/bootstrap.py creates the demo users. `people()` lists every staff member, cached a
few minutes per process, read with a bounded number of calls; an account change made in
this process (service/accounts.py) forgets the cache at once.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

from ..domain.actor import Actor, Role

CACHE_SECONDS = 300
PAGE = 60  # ListUsersInGroup's largest page
MAX_PAGES_PER_GROUP = 20  # 1,200 people per role: beyond that, a directory service is due


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    roles: tuple[str, ...]
    departments: tuple[str, ...]


class DirectoryUnavailable(Exception):
    pass


def _person(entry: dict) -> Person:
    actor = Actor(
        user_id=entry["user_id"],
        name=entry.get("name", ""),
        roles=entry.get("roles", ()),
        departments=entry.get("departments", ()),
    )
    return Person(
        actor.user_id,
        actor.name or actor.user_id,
        tuple(sorted(r.value for r in actor.roles)),
        tuple(sorted(actor.departments)),
    )


class CognitoDirectory:
    """Users of each role group; `sub` is the user id tokens carry."""

    def __init__(self, pool_id: str):
        self.pool_id = pool_id
        self._lock = threading.Lock()
        self._cached: tuple[float, list[Person]] | None = None

    def forget(self) -> None:
        with self._lock:
            self._cached = None

    def people(self) -> list[Person]:
        with self._lock:
            if self._cached and time.monotonic() - self._cached[0] < CACHE_SECONDS:
                return self._cached[1]
            people = self._load()
            self._cached = (time.monotonic(), people)
            return people

    def _load(self) -> list[Person]:
        from .aws import client

        cognito = client("cognito-idp")
        found: dict[str, dict] = {}
        for role in Role:
            token = None
            for _ in range(MAX_PAGES_PER_GROUP):
                args = {"UserPoolId": self.pool_id, "GroupName": role.value, "Limit": PAGE}
                if token:
                    args["NextToken"] = token
                try:
                    page = cognito.list_users_in_group(**args)
                except cognito.exceptions.ResourceNotFoundException:
                    break  # a role without its group in this pool: nobody holds it
                for user in page.get("Users", []):
                    if not user.get("Enabled", True):
                        continue
                    attrs = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
                    # The username: the `sub` where e-mail signs in (staff_accounts.py).
                    entry = found.setdefault(
                        user["Username"],
                        {
                            "user_id": user["Username"],
                            "name": attrs.get("name") or attrs.get("email") or user["Username"],
                            "departments": _split(attrs.get("custom:departments", "")),
                            "roles": [],
                        },
                    )
                    entry["roles"].append(role.value)
                token = page.get("NextToken")
                if not token:
                    break
        return [_person(entry) for entry in found.values()]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


_directory = None


def pool_id() -> str:
    """STAFF_USER_POOL_ID: the stack's pool on AWS, moto's on the local stack."""
    pool = os.environ.get("STAFF_USER_POOL_ID")
    if not pool:
        raise DirectoryUnavailable("no staff directory is configured (STAFF_USER_POOL_ID)")
    return pool


def get_directory() -> CognitoDirectory:
    global _directory
    if _directory is None or _directory.pool_id != pool_id():
        _directory = CognitoDirectory(pool_id())
    return _directory


def forget() -> None:
    """After an account change: this process lists the pool afresh on its next read."""
    if _directory is not None:
        _directory.forget()
