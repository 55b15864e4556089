"""What a reader of the administration audit asks for (GET /staff/admin/audit). The
entries are in domain/admin_audit.py, which every admin change writes; only the audit
route loads this query.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .fields import Strict, Text


class AuditQuery(Strict):
    """A month of the administration audit (UTC months), newest first."""

    month: Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: Text(200) | None = None
