"""Exceptions the domain and use cases raise; the HTTP layer maps each to one status code."""


class DomainError(Exception):
    """Base for every refusal the domain can explain to a caller."""

    code = "domain_error"

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"


class StaleVersion(Conflict):
    code = "stale_version"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class InvalidCommand(DomainError):
    """A well-formed request the domain refuses; `fields` names the offending ones."""

    code = "validation_error"

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message, fields=fields or {})
        self.fields = fields or {}


class CaseClosed(IllegalTransition):
    """Nothing changes a closed case (closed, not accepted, withdrawn) but a reopen."""

    code = "case_closed"
