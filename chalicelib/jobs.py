"""Entry point of the scheduled job, shared by the Lambda schedule and the local runner."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime


def run_scheduled(now: datetime | None = None) -> dict:
    from .metrics_names import JOB_ERRORS, NOTIFICATIONS_FAILED
    from .observability import count, logger
    from .service.jobs import run_jobs
    from .wiring import get_services

    report = run_jobs(get_services(), now)
    # Counts and case numbers only: nothing that identifies a complainant.
    logger().info("jobs run", **{k: v for k, v in asdict(report).items() if k != "numbers"})
    if report.failed:
        count(NOTIFICATIONS_FAILED)
    if report.errors:
        count(JOB_ERRORS)
    return asdict(report)
