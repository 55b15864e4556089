"""What the statistics count in: the cells of a case's group, the case as they see it
(`CaseView`), its events (`Happened`) and the increments of one commit (domain/stats.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from .stats_months import _dt

DIMENSIONS = ("category", "channel", "grade", "handler", "responsible")
UNASSIGNED = "-"


WORK_STATES = {
    "received",
    "accepted",
    "assigned",
    "in_progress",
    "waiting_for_complainant",
}


@dataclass(frozen=True)
class Group:
    """The group a case is in at one moment."""

    department: str
    kind: str
    category: str
    channel: str
    grade: str
    handler: str
    # The department the case's finding names (责任认定); "-" until there is one. A
    # default, so bookings stored before this dimension existed still read.
    responsible: str = UNASSIGNED

    def cells(self) -> list[str]:
        base = f"{_q(self.department)}#{_q(self.kind)}"
        return [f"{base}#all#-"] + [f"{base}#{dim}#{_q(getattr(self, dim))}" for dim in DIMENSIONS]

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def responsible_of(finding: dict | None) -> str:
    return ((finding or {}).get("responsible") or {}).get("department") or UNASSIGNED


def parse_cell(cell: str) -> tuple[str, str, str, str]:
    """(department, kind, dimension, value) of a cell key."""
    from urllib.parse import unquote

    department, kind, dim, value = cell.split("#")
    return unquote(department), unquote(kind), dim, unquote(value)


def _q(value: str) -> str:
    return quote(str(value), safe="")


@dataclass(frozen=True)
class CaseView:
    """What the statistics need of a complaint (from the record, or rebuilt from its
    audit trail): a plain snapshot, so both paths share one computation."""

    number: str
    received_at: datetime
    status: str
    department: str
    grade: str
    assignee: str | None
    kind: str
    category: str
    channel: str
    related_to: str | None
    deadlines: dict[str, dict]  # name -> {"start", "due", "met_at"} as ISO strings
    responsible: str = UNASSIGNED
    related_responsible: str | None = None  # a re-complaint's original's responsible

    @classmethod
    def of(cls, snapshot: dict, data: dict) -> CaseView:
        """`snapshot` = the record dumped as JSON (the audit trail's shape)."""
        return cls(
            number=snapshot["number"],
            received_at=_dt(snapshot["received_at"]),
            status=snapshot["status"],
            department=snapshot["department"],
            grade=snapshot["grade"],
            assignee=snapshot.get("assignee"),
            kind=data.get("kind", "complaint"),
            category=data.get("category", ""),
            channel=snapshot["channel"],
            related_to=snapshot.get("related_to"),
            deadlines=dict(snapshot.get("deadlines") or {}),
            responsible=responsible_of(snapshot.get("finding")),
            related_responsible=snapshot.get("related_responsible"),
        )

    def group(self, **override) -> Group:
        values = {
            "department": self.department,
            "kind": self.kind,
            "category": self.category,
            "channel": self.channel,
            "grade": self.grade,
            "handler": self.assignee or UNASSIGNED,
            "responsible": self.responsible,
        }
        values.update(override)
        return Group(**values)

    @property
    def working(self) -> bool:
        """Work is still owed: the backlog. A case transferred to another body is not
        (its acceptance was met by the transfer); one transferred inside is, until the
        new department decides."""
        if self.status == "transferred":
            acceptance = self.deadlines.get("acceptance") or {}
            return not acceptance.get("met_at")
        return self.status in WORK_STATES


@dataclass(frozen=True)
class Happened:
    """A domain event as the statistics see it."""

    type: str
    at: datetime
    changes: dict
    details: dict


class Increments:
    """Counter increments keyed by (partition, cell): partition is STATS#<month> or LIVE."""

    def __init__(self) -> None:
        self.by_item: dict[tuple[str, str], Counter] = defaultdict(Counter)

    def add(self, partition: str, group: Group, counter: str, amount: int = 1) -> None:
        if not amount:
            return
        for cell in group.cells():
            self.by_item[(partition, cell)][counter] += amount

    def add_booked(self, booked: list, sign: int) -> None:
        for partition, group, counter, amount in booked:
            self.add(partition, Group(**group), counter, sign * amount)

    def items(self) -> dict[tuple[str, str], dict[str, int]]:
        """Non-zero increments only, one entry per item."""
        result = {}
        for key, counters in self.by_item.items():
            nonzero = {name: value for name, value in counters.items() if value}
            if nonzero:
                result[key] = nonzero
        return result

    def merge(self, other: Increments) -> None:
        for key, counters in other.by_item.items():
            self.by_item[key].update(counters)
