"""The monthly assessment (考核表): per responsible department (the finding's, not the
receiving department), its valid complaints, on-time resolution rate, satisfaction rate
and the re-complaints about the cases it was found responsible for, ranked by valid
complaints (most first). Internal: staff who may read reports, each supervisor for his
own departments. Reads the month's cells only (one Query), like every report.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import ConfigDict, Field

from ..domain.actor import Actor
from ..domain.base import Model
from ..domain.reporting import BY_KEY, values
from ..domain.stats_cells import UNASSIGNED
from ..domain.stats_months import month_end, month_start
from .context import Services
from .reports import ReportQuery, check_month, month_counters, scope

ASSESSMENT = ("valid_complaints", "on_time_resolution_rate", "satisfaction_rate", "recomplaints")
KIND = "complaint"  # 有效投诉: the assessment is about complaints


class AssessmentQuery(Model):
    model_config = ConfigDict(extra="forbid")

    format: Literal["json", "csv", "xlsx"] = Field(
        "json", description="json (default), csv (UTF-8 with BOM) or xlsx"
    )
    lang: Literal["zh-CN", "en"] | None = Field(None, description="else Accept-Language")


def assessment(month: str, actor: Actor, services: Services, lang: str) -> dict:
    check_month(month)
    departments = scope(actor, None)
    now, calendar = services.clock.now(), services.calendar
    query = ReportQuery(by="responsible", kind=KIND)
    # Every receiving department's cells: a department is judged on the cases it was
    # found responsible for, wherever they were handled. No backlog (live={}).
    groups, _ = month_counters(month, query, None, services, now, live={})
    wanted = [
        name
        for name in sorted({*services.settings.departments, *groups} - {UNASSIGNED})
        if departments is None or name in departments
    ]
    total = Counter()
    rows = []
    for name in wanted:
        counters = groups.get(name, Counter())
        total.update(counters)
        rows.append({"key": name, "label": name, "values": _values(counters, calendar)})
    rows.sort(key=lambda row: (-row["values"]["valid_complaints"], row["key"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return {
        "month": month,
        "timezone": calendar.timezone,
        "by": "responsible",
        "kind": KIND,
        "lang": lang,
        "generated_at": now.astimezone(calendar.tz).isoformat(timespec="seconds"),
        "period": {
            "start": month_start(month, calendar).isoformat(),
            "end": month_end(month, calendar).isoformat(),
            "complete": month_end(month, calendar) <= now,
        },
        "metrics": [
            {"key": key, "label": BY_KEY[key].label(lang), "kind": BY_KEY[key].kind}
            for key in ASSESSMENT
        ],
        "groups": rows,
        "total": {"values": _values(total, calendar)},
    }


def _values(counters: Counter, calendar) -> dict:
    every = values(counters, calendar)
    chosen = {key: every[key] for key in ASSESSMENT}
    chosen["recomplaints"] = counters["recomplaints_against"]
    return chosen
