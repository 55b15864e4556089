"""Who works where: the staff directory behind the assignee picker and the escalation chain.

On AWS the people are the Cognito user pool's users, by group (a group per role) with their
`custom:departments`; on the local stack a JSON file (scripts/local_staff.json) lists the
demo users. Both answer `people()`: every staff member, cached a few minutes per process,
read with a bounded number of calls.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

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


class FileDirectory:
    def __init__(self, path: str):
        self.path = Path(path)

    def people(self) -> list[Person]:
        raw = json.loads(self.path.read_text(encoding="utf-8"))
        return [_person(entry) for entry in raw["people"]]


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
                    entry = found.setdefault(
                        attrs.get("sub", user["Username"]),
                        {
                            "user_id": attrs.get("sub", user["Username"]),
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


def get_directory():
    """STAFF_USER_POOL_ID on AWS, STAFF_DIRECTORY_FILE on the local stack."""
    global _directory
    if _directory is None:
        pool = os.environ.get("STAFF_USER_POOL_ID")
        path = os.environ.get("STAFF_DIRECTORY_FILE")
        if pool:
            _directory = CognitoDirectory(pool)
        elif path:
            _directory = FileDirectory(path)
        else:
            raise DirectoryUnavailable("no staff directory is configured")
    return _directory
