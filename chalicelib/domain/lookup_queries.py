"""The staff's lookup queries (issue 18) and the subject access request's (issue 21 item 7):
what a search, the search access log and a subject access request accept. Apart from
domain/lookup.py, which every saved case needs for its index keys: only these routes load them.

Pure: no I/O.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .fields import Strict, Text
from .lookup import MAX_LIMIT, NORMALISERS, LookupKind, token_value


class SearchQuery(Strict):
    """Exactly one key to search by, and the page wanted."""

    phone: Text(40) | None = None
    email: Text(254) | None = None
    number: Text(40) | None = None
    tracking_token: Text(100) | None = None
    respondent_department: Text(100) | None = None
    respondent_person: Text(100) | None = None
    limit: int = Field(default=20, ge=1, le=MAX_LIMIT)
    cursor: Text(2000) | None = None

    def checked(self) -> SearchQuery:
        """Exactly one key, and one that can match something; InvalidCommand otherwise
        (naming the parameters, which JSON Schema cannot relate to one another)."""
        from .errors import InvalidCommand

        given = [kind.value for kind in LookupKind if getattr(self, kind.value)]
        if len(given) != 1:
            names = ", ".join(kind.value for kind in LookupKind)
            rule = f"give exactly one of: {names}"
            fields = {name: rule for name in (given or [LookupKind.phone.value])}
            raise InvalidCommand(rule, fields)
        kind = self.kind
        if kind in NORMALISERS and not NORMALISERS[kind](self.value):
            raise InvalidCommand(
                f"{kind.value} cannot match anything", {kind.value: "not a usable value"}
            )
        return self

    @property
    def kind(self) -> LookupKind:
        return next(kind for kind in LookupKind if getattr(self, kind.value))

    @property
    def value(self) -> str:
        return getattr(self, self.kind.value)

    def normalised(self) -> str:
        kind = self.kind
        if kind == LookupKind.number:
            return self.value.strip().upper()
        if kind == LookupKind.tracking_token:
            from .tokens import hash_token

            return token_value(hash_token(self.value.strip()))
        return NORMALISERS[kind](self.value)


class SubjectQuery(Strict):
    """A subject access request (issue 21 item 7): exactly one of phone or e-mail."""

    phone: Text(40) | None = None
    email: Text(254) | None = None
    limit: int = Field(default=10, ge=1, le=20)
    cursor: Text(2000) | None = None
    format: Literal["json", "zip"] = "json"

    def checked(self) -> SubjectQuery:
        from .errors import InvalidCommand

        given = [name for name in ("phone", "email") if getattr(self, name)]
        if len(given) != 1:
            rule = "give exactly one of: phone, email"
            raise InvalidCommand(rule, {name: rule for name in (given or ["phone"])})
        if not NORMALISERS[self.kind](getattr(self, self.kind.value)):
            name = self.kind.value
            raise InvalidCommand(f"{name} cannot match anything", {name: "not a usable value"})
        return self

    @property
    def kind(self) -> LookupKind:
        return LookupKind.phone if self.phone else LookupKind.email

    def normalised(self) -> str:
        return NORMALISERS[self.kind](getattr(self, self.kind.value))


class LogQuery(Strict):
    """A month of the search access log (UTC months), newest first."""

    month: Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: Text(200) | None = None
