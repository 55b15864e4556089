"""Oversight reports for staff: GET /staff/reports/... (quality, manager, director, admin:
everything; a supervisor: his departments; handlers and intake agents: 403)."""

from __future__ import annotations

from chalice import Blueprint, Response

from ..domain.patterns import MONTH_PATTERN
from ..wiring import get_services
from .auth import current_actor
from .openapi import Later
from .staff import staff_routes

reports = Blueprint(__name__)
staff_route = staff_routes(reports, errors=(400, 401, 403))

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SVG = "image/svg+xml"
MONTH = {"month": {"type": "string", "pattern": MONTH_PATTERN}}
# The report machinery (use cases, statistics, charts, workbooks) is imported by the views
# that use it, never when the app loads: a cold start's first request does not need it.
USE_CASE = "chalicelib.service.reports"
SCHEMAS = "chalicelib.http.schemas_reports"
ASSESSMENT = "chalicelib.service.assessment"
ONE_FILTER = "at most one of category, channel and grade; with by=department, kind or itself"
CONDITIONS = {dimension: ONE_FILTER for dimension in ("category", "channel", "grade")}


def _read(model):
    """The caller, the request's query as `model` and the language of the answer."""
    from ..service import reports as use_case

    request = reports.current_request
    actor = current_actor(request)
    query = model.model_validate(dict(request.query_params or {}))
    lang = use_case.language(query.lang, request.headers.get("accept-language"))
    return actor, query, lang


def _trend() -> dict:
    from ..service import reports as use_case

    actor, query, lang = _read(use_case.TrendQuery)
    return use_case.trend(query, actor, get_services(), lang)


def _svg(body: str) -> Response:
    return Response(body=body, headers={"Content-Type": SVG})


@staff_route(
    "GET /staff/reports/trend",
    Later(SCHEMAS, "TrendReport"),
    query=Later(USE_CASE, "TrendQuery"),
    conditions=CONDITIONS,
)
def trend():
    """12-month trend of every figure, ending at `to` (default: this month)"""
    return _trend()


@staff_route(
    "GET /staff/reports/trend/chart.svg",
    SVG,
    query=Later(USE_CASE, "TrendQuery"),
    conditions=CONDITIONS,
)
def trend_chart():
    """Chart: received vs closed per month and the on-time resolution rate (SVG)"""
    from ..presentation.charts import trend_chart as draw

    return _svg(draw(_trend()))


@staff_route(
    "GET /staff/reports/{month}",
    Later(SCHEMAS, "MonthReport"),
    query=Later(USE_CASE, "ReportQuery"),
    conditions=CONDITIONS,
    path_schemas=MONTH,
    produces=(CSV, XLSX),
)
def month_report(month):
    """A month's figures per group (JSON, or format=csv / format=xlsx)"""
    from ..service import reports as use_case

    actor, query, lang = _read(use_case.ReportQuery)
    report = use_case.month_report(month, query, actor, get_services(), lang)
    return _in_format(report, query.format, f"report-{month}-{query.by}")


def _in_format(table: dict, format_: str, name: str, keys=None):
    """The table as JSON, or as a CSV or XLSX download named `name`."""
    if format_ == "json":
        return table
    from ..presentation import tables

    if format_ == "csv":
        body, content_type = tables.to_csv(table, keys), CSV
    else:
        body, content_type = tables.to_xlsx(table, keys), XLSX
    disposition = f'attachment; filename="{name}.{format_}"'
    return Response(
        body=body, headers={"Content-Type": content_type, "Content-Disposition": disposition}
    )


@staff_route(
    "GET /staff/reports/{month}/chart.svg",
    SVG,
    query=Later(USE_CASE, "ChartQuery"),
    path_schemas=MONTH,
)
def month_chart(month):
    """Chart: on-time acceptance and resolution rates by department for a month (SVG)"""
    from ..presentation.charts import department_chart
    from ..service import reports as use_case

    actor, query, lang = _read(use_case.ChartQuery)
    base = use_case.ReportQuery(by="department", department=query.department, kind=query.kind)
    return _svg(department_chart(use_case.month_report(month, base, actor, get_services(), lang)))


@staff_route(
    "GET /staff/reports/{month}/assessment",
    Later(SCHEMAS, "Assessment"),
    query=Later(ASSESSMENT, "AssessmentQuery"),
    path_schemas=MONTH,
    produces=(CSV, XLSX),
)
def assessment(month):
    """考核表: per responsible department (the finding's), valid complaints, on-time resolution
    rate, satisfaction rate and re-complaints, ranked by valid complaints (JSON, or
    format=csv / format=xlsx)"""
    from ..service import assessment as assessment_case

    actor, query, lang = _read(assessment_case.AssessmentQuery)
    table = assessment_case.assessment(month, actor, get_services(), lang)
    return _in_format(table, query.format, f"assessment-{month}", assessment_case.ASSESSMENT)
