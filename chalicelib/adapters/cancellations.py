"""What a cancelled transaction means: a stale read, a number taken, a limit refused, a
concurrent intake, or a passing reason worth sending it again for.
"""

from __future__ import annotations

from pynamodb.exceptions import TransactWriteError

from ..domain.errors import Conflict, StaleVersion
from ..service.ports import LimitClaim


class NumberTaken(Conflict):
    """A complaint with the new number exists already (the counter was reset or restored)."""


class LimitRefused(Conflict):
    """DynamoDB refused a limit claim (marked refused): the intake is built again."""


class Transient(Exception):
    """DynamoDB cancelled the transaction for a reason that passes: the same one may succeed."""


# Cancellation reasons (and error codes) that say nothing about the items, only about the
# moment: another transaction on one of them, throttling, a server error.
TRANSIENT_REASONS = frozenset(
    {
        "TransactionConflict",
        "ThrottlingError",
        "ProvisionedThroughputExceeded",
        "RequestLimitExceeded",
        "InternalServerError",
    }
)
TRANSIENT_ERRORS = frozenset(
    {
        "TransactionConflictException",
        "TransactionInProgressException",
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "InternalServerError",
    }
)


def _raise_conflict(error: TransactWriteError, roles: list[str]):
    """A known record's version check failing means a stale read; another failed condition
    (the repeat item moved, the number exists) means the intake must be built again; a
    transient reason means the same transaction may be sent again."""
    reasons = list(getattr(error, "cancellation_reasons", None) or [])
    codes = [(role, reason.code) for role, reason in zip(roles, reasons, strict=False) if reason]
    failed = [role for role, code in codes if code == "ConditionalCheckFailed"]
    named = {role for role in failed if isinstance(role, str)}
    if "known" in named:
        raise StaleVersion("the complaint was changed by someone else; reload and retry") from error
    if "new" in named:
        raise NumberTaken("a complaint with this number exists already") from error
    if named:
        raise Conflict("a concurrent intake changed what this one read; retry") from error
    refused = [role for role in failed if isinstance(role, LimitClaim)]
    if refused:  # limit claims (adapters/limits.py)
        for claim in refused:
            claim.refused = True
        raise LimitRefused("a limit refused the intake as built") from error
    transient = {code for _, code in codes} & TRANSIENT_REASONS
    if transient or error.cause_response_code in TRANSIENT_ERRORS:
        raise Transient(", ".join(sorted(transient)) or error.cause_response_code) from error
    raise error
