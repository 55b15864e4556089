"""pynamodb models of the single complaints table. See docs/architecture.md for the key design.

Item types share one table so that a complaint, its audit events and its outbox entries
live in one partition (pk = C#<number>) and commit in one transaction.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection
from pynamodb.connection.table import TableConnection
from pynamodb.exceptions import PutError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from . import aws

TABLE_NAME = os.environ.get("TABLE_NAME", "complaints")
REGION = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


class _Meta:
    table_name = TABLE_NAME
    region = REGION
    billing_mode = "PAY_PER_REQUEST"


class SharedConnection(Connection):
    """pynamodb's connection over the process's one DynamoDB client (adapters/aws.py).

    pynamodb 6.1 gives each Connection its own botocore session and client, and each
    model class its own Connection: three models meant three sessions on a cold start.
    """

    @property
    def client(self):
        return aws.client("dynamodb")


@lru_cache(maxsize=1)
def get_connection() -> Connection:
    """The connection for transactions (TransactWrite), on the process's one DynamoDB client
    like every model; the repository and the callbacks store both write through it."""
    return SharedConnection(region=REGION)


class Item(Model):
    """Base of every model on the table: the table, its keys (pk, sk), and a connection that
    shares the one client. Each item type adds its own attributes."""

    Meta = _Meta
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)

    @classmethod
    def _get_connection(cls) -> TableConnection:
        table = super()._get_connection()
        if not isinstance(table.connection, SharedConnection):
            shared = SharedConnection(region=cls.Meta.region)
            shared.add_meta_table(table.get_meta_table())
            table.connection = shared
        return table


def conditional_write(write: Callable[..., object], **kwargs) -> bool:
    """`write(**kwargs)`, a model's conditional save or update; False when its condition
    did not hold."""
    try:
        write(**kwargs)
    except (PutError, UpdateError) as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise
        return False
    return True


def _index(name: str, hash_attr: str, range_attr: str, projection=None):
    """A GSI class whose hash and range attributes are named after the index."""

    class Meta:
        index_name = name
        projection = None

    Meta.projection = projection or AllProjection()
    attrs = {
        "Meta": Meta,
        hash_attr: UnicodeAttribute(hash_key=True),
        range_attr: UnicodeAttribute(range_key=True),
    }
    return type(f"Index_{name}", (GlobalSecondaryIndex,), attrs)()


class ComplaintItem(Item):
    """pk=C#<number>, sk=META. `doc` holds the whole record as JSON; the rest are keys."""

    number = UnicodeAttribute()
    status = UnicodeAttribute()
    department = UnicodeAttribute()
    grade = UnicodeAttribute()
    received_at = UnicodeAttribute()
    doc = UnicodeAttribute()
    version = VersionAttribute()
    # Index keys. list_sk (received_at#number) sorts every listing index by receipt.
    list_sk = UnicodeAttribute()
    dept_status = UnicodeAttribute()
    status_key = UnicodeAttribute()
    grade_key = UnicodeAttribute()
    month_key = UnicodeAttribute()
    assignee = UnicodeAttribute(null=True)
    escalation_level = NumberAttribute(default=0)
    # Sparse: set only while the complaint is open, so the scheduled scan reads only those.
    due_pk = UnicodeAttribute(null=True)
    due_sk = UnicodeAttribute(null=True)
    # JSON: what the case has added to the monthly statistics (domain/stats.py).
    stats = UnicodeAttribute(null=True)
    # JSON: the queue counters the case is counted in (domain/queue_cells.queue_booking).
    qbook = UnicodeAttribute(null=True)
    # Sparse: set only while a resolved case's callback is due (the callback work list).
    callback_pk = UnicodeAttribute(null=True)
    callback_sk = UnicodeAttribute(null=True)
    # Sparse: "<nearest pending deadline in UTC ISO>#<number>" while the complaint is open,
    # so the console's queues come sorted by the deadline that falls first.
    deadline_sk = UnicodeAttribute(null=True)
    # Sparse: "CLOSED" / "<final UTC ISO>#<number>" while a final case still holds
    # personal data: the retention job's work list (adapters/retention.py).
    closed_pk = UnicodeAttribute(null=True)
    closed_sk = UnicodeAttribute(null=True)
    category = UnicodeAttribute(null=True)  # filters of the queues
    # Sparse: replies the handler has not opened; the "replied" queue's filter.
    unread = NumberAttribute(null=True)
    channel = UnicodeAttribute(null=True)

    by_department = _index("by_department", "department", "list_sk")
    by_dept_status = _index("by_dept_status", "dept_status", "list_sk")
    by_status = _index("by_status", "status_key", "list_sk")
    by_assignee = _index("by_assignee", "assignee", "list_sk")
    by_grade = _index("by_grade", "grade_key", "list_sk")
    by_month = _index("by_month", "month_key", "list_sk")
    by_due = _index("by_due", "due_pk", "due_sk", KeysOnlyProjection())
    by_callback = _index("by_callback", "callback_pk", "callback_sk")
    by_dept_deadline = _index("by_dept_deadline", "department", "deadline_sk")
    by_dept_status_deadline = _index("by_dept_status_deadline", "dept_status", "deadline_sk")
    by_assignee_deadline = _index("by_assignee_deadline", "assignee", "deadline_sk")
    by_closed = _index("by_closed", "closed_pk", "closed_sk", KeysOnlyProjection())

    def to_complaint(self):
        from ..domain.model import Complaint

        complaint = Complaint.model_validate_json(self.doc)
        complaint.version = int(self.version)
        if self.stats:
            import json

            complaint._stats = json.loads(self.stats)
        if self.qbook:
            import json

            complaint._queues = json.loads(self.qbook)
        return complaint


class EventItem(Item):
    """pk=C#<number>, sk=EV#<at>#<seq>: one immutable audit event."""

    type = UnicodeAttribute()
    at = UnicodeAttribute()
    actor = UnicodeAttribute()
    actor_role = UnicodeAttribute()
    public = BooleanAttribute()
    changes = UnicodeAttribute()  # JSON {field: [before, after]}
    details = UnicodeAttribute()  # JSON


class OutboxItem(Item):
    """pk=C#<number>, sk=OUT#<id>: a notification and the outcome of delivering it."""

    channel = UnicodeAttribute()
    audience = UnicodeAttribute()
    recipient = UnicodeAttribute()
    subject = UnicodeAttribute()
    body = UnicodeAttribute()
    attributes = UnicodeAttribute()  # JSON
    status = UnicodeAttribute()  # pending | sent | failed
    attempts = NumberAttribute(default=0)
    last_error = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    sent_at = UnicodeAttribute(null=True)
    # Sparse: present only while a delivery is still owed, for the retry job.
    outbox_pk = UnicodeAttribute(null=True)
    outbox_sk = UnicodeAttribute(null=True)

    pending = _index("outbox_pending", "outbox_pk", "outbox_sk", KeysOnlyProjection())


class CounterItem(Item):
    """pk=COUNTER#<yyyymmdd>, sk=COUNTER: the last number given out that day (an atomic
    counter: UpdateItem ADD 1, returning the new value)."""

    value = NumberAttribute()


class GapItem(Item):
    """pk=COUNTER#<yyyymmdd>, sk=GAP#<sequence>: a number given out whose intake did not
    commit, and why; an audit of the day's numbers tells gaps from lost complaints."""

    number = UnicodeAttribute()
    reason = UnicodeAttribute()
    at = UnicodeAttribute()


class RepeatItem(Item):
    """pk=REPEAT#<issue key>, sk=REPEAT: who complained about one issue in the last month.

    The issue key is a hash of category and respondent; complainants are hashed keys too,
    so the item names nobody.
    """

    seen = UnicodeAttribute()  # JSON {complainant key: last seen ISO time}
    version = VersionAttribute()
