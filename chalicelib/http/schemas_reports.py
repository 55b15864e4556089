"""Response bodies of the reports API (/coord/REPORTS-API.md), for /openapi.json."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from ..domain.base import Model


class Rate(Model):
    numerator: int
    denominator: int
    value: float | None = Field(description="numerator / denominator; null when it is 0")


class Duration(Model):
    mean: float | None = Field(description="working hours, exact mean")
    p50: float | None = Field(description="working hours: upper edge of the median's bucket")
    p90: float | None = Field(description="working hours: upper edge of the p90's bucket")
    count: int


class Mean(Model):
    sum: int
    count: int
    value: float | None


class Backlog(Model):
    model_config = ConfigDict(populate_by_name=True)

    age_0_3: int = Field(alias="0-3")
    age_4_10: int = Field(alias="4-10")
    age_11_20: int = Field(alias="11-20")
    over_20: int
    overdue: int


class Values(Model):
    """Every figure of one group (keys and definitions: docs/reporting.md)."""

    received: int
    accepted: int
    not_accepted: int
    transferred: int
    withdrawn: int
    resolved: int
    re_resolved: int
    closed: int
    recomplaints: int
    escalations_L1: int  # noqa: N815 - the agreed key
    escalations_L2: int  # noqa: N815
    escalations_L3: int  # noqa: N815
    escalations_L4: int  # noqa: N815
    extensions: int
    closure_rate: Rate
    on_time_acceptance_rate: Rate
    on_time_resolution_rate: Rate
    overdue_acceptance: int
    overdue_resolution: int
    time_to_accept: Duration
    time_to_resolve: Duration
    follow_up_rate: Rate
    satisfaction_rate: Rate
    mean_satisfaction: Mean
    recomplaint_rate: Rate
    substantiated: int
    partly_substantiated: int
    not_substantiated: int
    valid_complaints: int
    substantiation_rate: Rate = Field(
        description="属实率: found substantiated or partly / resolved with a finding"
    )
    backlog: Backlog


class MetricInfo(Model):
    key: str
    label: str
    kind: Literal["count", "rate", "duration", "mean"]


class Group(Model):
    key: str
    label: str
    values: Values


class Total(Model):
    values: Values


class Period(Model):
    start: str
    end: str
    complete: bool = Field(description="false while the month is running (backlog as of now)")
    as_of: str | None = Field(
        default=None,
        description="while the month is running: the time its figures are as of; deadline"
        " rates count only deadlines met by then or already passed (null once it is over)",
    )


class MonthReport(Model):
    month: str
    timezone: str
    by: Literal["department", "category", "channel", "grade", "handler", "kind", "responsible"]
    lang: Literal["zh-CN", "en"]
    filters: dict[str, str]
    generated_at: str
    period: Period
    metrics: list[MetricInfo]
    groups: list[Group]
    total: Total
    backlog: Backlog


class TrendMonth(Model):
    month: str
    values: Values


class TrendReport(Model):
    to: str
    timezone: str
    lang: Literal["zh-CN", "en"]
    filters: dict[str, str]
    generated_at: str
    metrics: list[MetricInfo]
    months: list[TrendMonth]


class AssessmentValues(Model):
    valid_complaints: int
    on_time_resolution_rate: Rate
    satisfaction_rate: Rate
    recomplaints: int = Field(description="re-complaints about the cases found its responsibility")


class AssessmentRow(Model):
    rank: int = Field(description="1 = most valid complaints")
    key: str = Field(description="the responsible department")
    label: str
    values: AssessmentValues


class AssessmentTotal(Model):
    values: AssessmentValues


class Assessment(Model):
    """考核表: per responsible department (the finding's), ranked by valid complaints."""

    month: str
    timezone: str
    by: Literal["responsible"]
    kind: Literal["complaint"]
    lang: Literal["zh-CN", "en"]
    generated_at: str
    period: Period
    metrics: list[MetricInfo]
    groups: list[AssessmentRow]
    total: AssessmentTotal
