"""Entry point of SES's bounce and complaint events (SNS -> the `ses_events` function)."""

from __future__ import annotations

import json


def handle(message: str) -> dict:
    from .observability import logger
    from .service.bounces import record_ses_event
    from .wiring import get_services

    services = get_services()
    try:
        event = json.loads(message)
    except ValueError:
        logger().warning("SES event is not JSON; ignored")
        return {"suppressed": 0, "cases": []}
    done = record_ses_event(event, services, services.clock.now())
    # Counts and case numbers only: never the addresses.
    logger().info("SES event", **done)
    return done
