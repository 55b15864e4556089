"""The table definitions as CreateTable arguments: one source for the local stack and tests.

infra/ declares the same tables for AWS; tests/infra checks the two agree.
"""

from __future__ import annotations

LISTING_INDEXES = (
    ("by_department", "department", "list_sk"),
    ("by_dept_status", "dept_status", "list_sk"),
    ("by_status", "status_key", "list_sk"),
    ("by_assignee", "assignee", "list_sk"),
    ("by_grade", "grade_key", "list_sk"),
    ("by_month", "month_key", "list_sk"),
    ("by_callback", "callback_pk", "callback_sk"),  # sparse: callbacks due
    # Sparse (open complaints only), sorted by the nearest deadline: the console's queues.
    ("by_dept_deadline", "department", "deadline_sk"),
    ("by_dept_status_deadline", "dept_status", "deadline_sk"),
    ("by_assignee_deadline", "assignee", "deadline_sk"),
    # Sparse (lookup rows only): a complainant's or respondent's keyed hash, newest first.
    ("by_lookup", "lookup_pk", "list_sk"),
)
SPARSE_INDEXES = (
    ("by_due", "due_pk", "due_sk"),
    ("outbox_pending", "outbox_pk", "outbox_sk"),
    # Final cases still holding personal data, by when they became final (retention).
    ("by_closed", "closed_pk", "closed_sk"),
)


def _gsi(name: str, hash_attr: str, range_attr: str, projection: str) -> dict:
    return {
        "IndexName": name,
        "KeySchema": [
            {"AttributeName": hash_attr, "KeyType": "HASH"},
            {"AttributeName": range_attr, "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": projection},
    }


def complaints_table(name: str) -> dict:
    indexes = [_gsi(*spec, "ALL") for spec in LISTING_INDEXES]
    indexes += [_gsi(*spec, "KEYS_ONLY") for spec in SPARSE_INDEXES]
    attributes = {"pk", "sk"}
    for _, hash_attr, range_attr in LISTING_INDEXES + SPARSE_INDEXES:
        attributes.update((hash_attr, range_attr))
    return {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": attr, "AttributeType": "S"} for attr in sorted(attributes)
        ],
        "GlobalSecondaryIndexes": indexes,
    }


def idempotency_table(name: str) -> dict:
    """The layout Powertools' DynamoDBPersistenceLayer expects (key `id`, TTL `expiration`)."""
    return {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    }


def create_tables(client, table_name: str, idempotency_name: str) -> None:
    existing = set(client.list_tables()["TableNames"])
    for spec in (complaints_table(table_name), idempotency_table(idempotency_name)):
        if spec["TableName"] not in existing:
            client.create_table(**spec)
    ttl = client.describe_time_to_live(TableName=idempotency_name)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
        client.update_time_to_live(
            TableName=idempotency_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiration"},
        )
