"""Oversight reports: a month's figures per group, the 12-month trend, and who may see them.

Reads only the pre-aggregated items (domain/stats.py): one Query of the month's partition
and one of the open-case partition, however many complaints the month had.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from ..domain.actor import Actor, Role
from ..domain.base import Model
from ..domain.errors import Forbidden, InvalidCommand
from ..domain.lifecycle import ALL_DEPARTMENTS
from ..domain.patterns import MONTH_PATTERN
from ..domain.reporting import (
    BACKLOG_KEYS,
    METRICS,
    OWN_NAMES,
    backlog_from_live,
    group_label,
    pending_from,
    values,
)
from ..domain.stats_cells import parse_cell
from ..domain.stats_months import month_end, month_start, previous_month
from .context import Services

ORG_WIDE = frozenset({Role.QUALITY, Role.MANAGER, Role.DIRECTOR, Role.ADMIN})
MONTH = re.compile(MONTH_PATTERN)
Grouping = Literal["department", "category", "channel", "grade", "handler", "kind", "responsible"]
Format = Literal["json", "csv", "xlsx"]
Lang = Literal["zh-CN", "en"]
CELL_DIMENSIONS = ("category", "channel", "grade", "handler", "responsible")


class ReportQuery(Model):
    """Query of GET /staff/reports/{month}. Cells are kept per department and kind and one
    other dimension, so at most one of category, channel and grade may filter, and only
    with by= department, kind or that same dimension."""

    model_config = ConfigDict(extra="forbid")

    by: Grouping = Field("department", description="grouping of the rows")
    department: str | None = Field(None, max_length=100, description="only this department")
    category: str | None = Field(None, max_length=50, description="only this category")
    channel: str | None = Field(None, max_length=20, description="only this channel")
    grade: Literal["A", "B", "C", "D"] | None = Field(None, description="only this grade")
    kind: Literal["complaint", "request", "suggestion", "inquiry", "misconduct_report"] | None = (
        Field(None, description="only this kind (headline figures: complaint)")
    )
    format: Format = Field("json", description="json (default), csv (UTF-8 with BOM) or xlsx")
    lang: Lang | None = Field(None, description="labels and headers; else Accept-Language")


class ChartQuery(Model):
    model_config = ConfigDict(extra="forbid")

    department: str | None = Field(None, max_length=100)
    kind: Literal["complaint", "request", "suggestion", "inquiry", "misconduct_report"] | None = (
        None
    )
    lang: Lang | None = None


class TrendQuery(Model):
    model_config = ConfigDict(extra="forbid")

    to: str | None = Field(
        None, pattern=MONTH.pattern, description="last month (YYYY-MM); default this month"
    )
    department: str | None = Field(None, max_length=100)
    category: str | None = Field(None, max_length=50)
    channel: str | None = Field(None, max_length=20)
    grade: Literal["A", "B", "C", "D"] | None = None
    kind: Literal["complaint", "request", "suggestion", "inquiry", "misconduct_report"] | None = (
        None
    )
    lang: Lang | None = None

    @field_validator("to")
    @classmethod
    def _month(cls, value):
        return check_month(value) if value else value


def check_month(month: str) -> str:
    if not isinstance(month, str) or not MONTH.match(month):
        raise InvalidCommand("give the month as YYYY-MM", {"month": "expected YYYY-MM"})
    return month


def language(explicit: str | None, accept_language: str | None) -> str:
    if explicit:
        return explicit
    first = (accept_language or "").split(",")[0].strip().lower()
    if first.startswith("en"):
        return "en"
    return "zh-CN"


# -- who sees what ------------------------------------------------------------------------


def scope(actor: Actor, department: str | None) -> set[str] | None:
    """Departments the caller may see (None: all). Handlers and intake agents see none."""
    org_wide = actor.roles & ORG_WIDE
    if not org_wide and Role.SUPERVISOR not in actor.roles:
        raise Forbidden("reports are for supervisors, managers, directors, quality and admins")
    if org_wide or ALL_DEPARTMENTS in actor.departments:
        return {department} if department else None
    if department:
        if department not in actor.departments:
            raise Forbidden("that department is outside your scope")
        return {department}
    return set(actor.departments)


# -- reading --------------------------------------------------------------------------------


def _dimension(query) -> tuple[str, str | None, str | None]:
    """(cell dimension to read, the filtered dimension, its value)."""
    filters = [(dim, getattr(query, dim, None)) for dim in ("category", "channel", "grade")]
    given = [(dim, value) for dim, value in filters if value]
    if len(given) > 1:
        raise InvalidCommand(
            "filter by at most one of category, channel and grade",
            {dim: "cannot be combined" for dim, _ in given},
        )
    by = getattr(query, "by", "department")
    if by in CELL_DIMENSIONS:
        if given and given[0][0] != by:
            dim = given[0][0]
            raise InvalidCommand(
                f"{dim}= can be combined with by=department, by=kind or by={dim}",
                {dim: f"not available with by={by}"},
            )
        return by, *(given[0] if given else (None, None))
    if given:
        return given[0][0], given[0][0], given[0][1]
    return "all", None, None


def _select(cells, dimension, filter_value, departments, kind):
    """(group parts, counters) of the cells that the query covers."""
    for cell, counters in cells:
        department, cell_kind, dim, value = parse_cell(cell)
        if dim != dimension:
            continue
        if departments is not None and department not in departments:
            continue
        if kind and cell_kind != kind:
            continue
        if filter_value is not None and value != filter_value:
            continue
        yield {"department": department, "kind": cell_kind, "value": value}, counters


def _group_key(parts: dict, by: str) -> str:
    return parts[by] if by in ("department", "kind") else parts["value"]


def month_counters(month, query, departments, services, now, live=None):
    """{group key: Counter} and the total, backlog included, for one month."""
    store = services.complaints
    dimension, _, filter_value = _dimension(query)
    by = getattr(query, "by", "department")
    kind = getattr(query, "kind", None)
    groups: dict[str, Counter] = {}
    cells = store.report_cells(month).items()
    for parts, counters in _select(cells, dimension, filter_value, departments, kind):
        groups.setdefault(_group_key(parts, by), Counter()).update(counters)
    live = store.open_cells() if live is None else live
    calendar = services.calendar
    end = month_end(month, calendar)
    if month_start(month, calendar) <= now:
        at = min(end, now)
        wanted = [
            (cell, counters)
            for (last_month, cell), counters in live.items()
            if end > now or last_month <= month
        ]
        for parts, counters in _select(wanted, dimension, filter_value, departments, kind):
            backlog = backlog_from_live(counters, at, calendar)
            groups.setdefault(_group_key(parts, by), Counter()).update(backlog)
    total = Counter()
    for counters in groups.values():
        total.update(counters)
    return groups, total


def month_report(month: str, query: ReportQuery, actor: Actor, services: Services, lang: str):
    check_month(month)
    departments = scope(actor, query.department)
    now = services.clock.now()
    groups, total = month_counters(month, query, departments, services, now)
    calendar = services.calendar
    pending = pending_from(month, now, calendar)
    kind = OWN_NAMES.get(query.by)
    own = services.org.names(kind) if kind else None
    rows = []
    for key in sorted(groups):
        rows.append(
            {
                "key": key,
                "label": group_label(query.by, key, lang, own),
                "values": values(groups[key], calendar, pending),
            }
        )
    total_values = values(total, calendar, pending)
    return {
        "month": month,
        "timezone": calendar.timezone,
        "by": query.by,
        "lang": lang,
        "filters": _filters(query),
        "generated_at": now.astimezone(calendar.tz).isoformat(timespec="seconds"),
        "period": {
            "start": month_start(month, calendar).isoformat(),
            "end": month_end(month, calendar).isoformat(),
            "complete": month_end(month, calendar) <= now,
            # A month in progress counts deadlines met so far and those already passed.
            "as_of": None if pending is None else now.astimezone(calendar.tz).isoformat(),
        },
        "metrics": [{"key": m.key, "label": m.label(lang), "kind": m.kind} for m in METRICS],
        "groups": rows,
        "total": {"values": total_values},
        "backlog": {key: total_values["backlog"][key] for key in BACKLOG_KEYS},
    }


def _filters(query) -> dict:
    names = ("department", "category", "channel", "grade", "kind")
    return {name: getattr(query, name) for name in names if getattr(query, name, None)}


def trend(query: TrendQuery, actor: Actor, services: Services, lang: str) -> dict:
    departments = scope(actor, query.department)
    now = services.clock.now()
    calendar = services.calendar
    to = query.to or now.astimezone(calendar.tz).strftime("%Y-%m")
    months = [to]
    while len(months) < 12:
        months.insert(0, previous_month(months[0]))
    live = services.complaints.open_cells()
    series = []
    for month in months:
        _, total = month_counters(month, query, departments, services, now, live=live)
        pending = pending_from(month, now, calendar)
        series.append({"month": month, "values": values(total, calendar, pending)})
    return {
        "to": to,
        "timezone": calendar.timezone,
        "lang": lang,
        "filters": _filters(query),
        "generated_at": now.astimezone(calendar.tz).isoformat(timespec="seconds"),
        "metrics": [{"key": m.key, "label": m.label(lang), "kind": m.kind} for m in METRICS],
        "months": series,
    }


def last_month(now: datetime, services: Services) -> str:
    return previous_month(now.astimezone(services.calendar.tz).strftime("%Y-%m"))
