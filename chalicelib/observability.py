"""Structured logs and metrics through Powertools, created on first use.

Logs carry case numbers, channels and categories, never names, e-mail addresses, phone
numbers or postal addresses: nothing that identifies a complainant is passed to them.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache

SERVICE = "complaints"
_lock = threading.Lock()
_logger = None


def logger():
    # Built once under a lock: `chalice local` serves requests on threads, and two
    # Loggers set up at once leave the shared handler with a plain formatter.
    global _logger
    if _logger is None:
        with _lock:
            if _logger is None:
                from aws_lambda_powertools import Logger

                _logger = Logger(service=SERVICE)
    return _logger


@lru_cache(maxsize=1)
def _metrics_module():
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    return MetricUnit, single_metric


def count(name: str, **dimensions: str) -> None:
    """One EMF record per call, so nothing waits for a flush at the end of a request."""
    unit, single_metric = _metrics_module()
    namespace = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "Complaints")
    with single_metric(name=name, unit=unit.Count, value=1, namespace=namespace) as metric:
        for key, value in dimensions.items():
            metric.add_dimension(name=key, value=value)
