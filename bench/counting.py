"""Count the AWS calls and DynamoDB items of a block of code, whichever client makes them.

    with recording() as recorder:
        run_jobs(services, now)
    recorder.calls  # one bench.intake_calls.Call per API call

The handlers are bench.intake_calls.Recorder's botocore hooks (`before-parameter-build`,
`after-call`). Its install() reaches only clients created afterwards, but pynamodb's
connections and the service's boto3 clients are cached per process and usually exist
already (in a test suite, certainly). So recording() registers the same hooks on each
client's own event emitter the first time that client makes a call, and removes them
when the block ends.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from bench.intake_calls import Call, Recorder, item_kind

__all__ = ["Call", "ItemRecorder", "items_read", "recording"]


class ItemRecorder(Recorder):
    """Items read are what DynamoDB reads: ScannedCount for Query and Scan (before any
    filter), the items returned for BatchGetItem (not the keys asked for).

    To tell the reads apart, a Query's or Scan's table is labelled with its index
    ("complaints/by_due") and a BatchGetItem's with the kinds of rows it asks for
    ("complaints/complaint", "complaints/outbox entry").
    """

    def before(self, params, model, context, **kwargs):
        super().before(params=params, model=model, context=context, **kwargs)
        call = context["bench_call"]
        if model.name in ("Query", "Scan") and params.get("IndexName"):
            call.table += f"/{params['IndexName']}"
        elif model.name == "BatchGetItem":
            keys = [key for ask in params["RequestItems"].values() for key in ask["Keys"]]
            kinds = sorted({item_kind({"Get": {"Key": key}}) for key in keys})
            call.table += "/" + ",".join(kinds)

    def of(self, service: str) -> list[Call]:
        """The calls made to one service ("dynamodb", "s3", ...)."""
        return [call for call in self.calls if call.service == service]

    def after(self, parsed, model, context, **_):
        call = context.get("bench_call")
        if call is None:
            return
        if model.name in ("Query", "Scan"):
            call.read = parsed.get("ScannedCount", parsed.get("Count", 0))
        elif model.name == "BatchGetItem":
            call.read = sum(len(rows) for rows in parsed.get("Responses", {}).values())


def default_tables() -> dict[str, str]:
    tables = {os.environ.get("TABLE_NAME", "complaints"): "complaints"}
    tables[os.environ.get("IDEMPOTENCY_TABLE", "complaints-idempotency")] = "idempotency"
    return tables


@contextmanager
def recording(tables: dict[str, str] | None = None) -> Iterator[ItemRecorder]:
    from botocore.client import BaseClient

    recorder = ItemRecorder(tables if tables is not None else default_tables())
    tag = f"bench-counting-{id(recorder)}"
    hooks = (("before-parameter-build", recorder.before), ("after-call", recorder.after))
    hooked = []  # event emitters, compared by identity
    original = BaseClient._make_api_call

    def make_api_call(client, operation_name, api_params):
        events = client.meta.events
        if not any(seen is events for seen in hooked):
            for event, handler in hooks:
                events.register(event, handler, unique_id=f"{tag}-{event}")
            hooked.append(events)
        return original(client, operation_name, api_params)

    BaseClient._make_api_call = make_api_call
    try:
        yield recorder
    finally:
        BaseClient._make_api_call = original
        for events in hooked:
            for event, _ in hooks:
                events.unregister(event, unique_id=f"{tag}-{event}")


def items_read(calls: list[Call], service: str = "dynamodb") -> int:
    return sum(call.read for call in calls if call.service == service)
