"""Settings from the environment, read once per process on first use (not at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from .domain.model import DEFAULT_CATEGORIES


def _list(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = os.environ.get(name, "")
    items = tuple(item.strip() for item in raw.split(",") if item.strip())
    return items or default


@dataclass(frozen=True)
class Settings:
    table_name: str
    idempotency_table: str
    timezone: str
    notify_topic_arn: str
    ses_sender: str
    public_base_url: str
    departments: tuple[str, ...]
    default_department: str
    categories: tuple[str, ...]
    max_body_bytes: int


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    departments = _list("DEPARTMENTS", ("service",))
    return Settings(
        table_name=os.environ.get("TABLE_NAME", "complaints"),
        idempotency_table=os.environ.get("IDEMPOTENCY_TABLE", "complaints-idempotency"),
        timezone=os.environ.get("ORG_TIMEZONE", "Asia/Shanghai"),
        notify_topic_arn=os.environ.get("NOTIFY_TOPIC_ARN", ""),
        ses_sender=os.environ.get("SES_SENDER", "complaints@example.org"),
        public_base_url=os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
        departments=departments,
        default_department=os.environ.get("DEFAULT_DEPARTMENT", departments[0]),
        categories=_list("CATEGORIES", DEFAULT_CATEGORIES),
        max_body_bytes=int(os.environ.get("MAX_BODY_BYTES", str(256 * 1024))),
    )
