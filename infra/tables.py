"""The DynamoDB tables, from the same definitions the local stack and the tests create
(chalicelib/adapters/schema.py), so they cannot drift."""

from __future__ import annotations

from infra.cfn import kept_in

# Powertools' DynamoDBPersistenceLayer default expiry attribute (see schema.create_tables).
IDEMPOTENCY_TTL_ATTRIBUTE = "expiration"


def tables(protected: bool) -> dict:
    from chalicelib.adapters import schema

    complaints = _table_properties(schema.complaints_table("unused"))
    complaints["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
    complaints["DeletionProtectionEnabled"] = protected
    # Only the acknowledgement counters carry this attribute (chalicelib/adapters/limits.py).
    complaints["TimeToLiveSpecification"] = {"AttributeName": "ttl_expires", "Enabled": True}
    idempotency = _table_properties(schema.idempotency_table("unused"))
    idempotency["TimeToLiveSpecification"] = {
        "AttributeName": IDEMPOTENCY_TTL_ATTRIBUTE,
        "Enabled": True,
    }
    # Its records stop a retried submission from filing a second complaint: in prod it is
    # protected and kept like the complaints table.
    idempotency["DeletionProtectionEnabled"] = protected
    return {
        # Complaint records outlive the stack in prod: deleting or replacing it keeps the table.
        "ComplaintsTable": {
            "Type": "AWS::DynamoDB::Table",
            **kept_in(protected),
            "Properties": complaints,
        },
        "IdempotencyTable": {
            "Type": "AWS::DynamoDB::Table",
            **kept_in(protected),
            "Properties": idempotency,
        },
    }


def _table_properties(create_table_args: dict) -> dict:
    # CloudFormation names the table (functions get the name through TABLE_NAME), so that
    # two stacks can live in one account and region.
    return {key: value for key, value in create_table_args.items() if key != "TableName"}
