"""Oversight reports for staff: GET /staff/reports/... (quality, manager, director, admin:
everything; a supervisor: his departments; handlers and intake agents: 403)."""

from __future__ import annotations

from chalice import Blueprint, Response

from ..domain.patterns import MONTH_PATTERN
from ..wiring import get_services
from .auth import current_actor
from .errors import handles_errors
from .openapi import Later, documented
from .staff import authorizer

reports = Blueprint(__name__)

ERRORS = (400, 401, 403)
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


def _request():
    request = reports.current_request
    return request, current_actor(request), dict(request.query_params or {})


def _lang(request, query) -> str:
    from ..service import reports as use_case

    return use_case.language(query.lang, request.headers.get("accept-language"))


@reports.route("/staff/reports/trend", methods=["GET"], authorizer=authorizer)
@documented(
    "12-month trend of every figure, ending at `to` (default: this month)",
    responses={200: Later(SCHEMAS, "TrendReport")},
    query=Later(USE_CASE, "TrendQuery"),
    conditions=CONDITIONS,
    errors=ERRORS,
    secured=True,
)
@handles_errors
def trend():
    from ..service import reports as use_case

    request, actor, params = _request()
    query = use_case.TrendQuery.model_validate(params)
    return use_case.trend(query, actor, get_services(), _lang(request, query))


@reports.route("/staff/reports/trend/chart.svg", methods=["GET"], authorizer=authorizer)
@documented(
    "Chart: received vs closed per month and the on-time resolution rate (SVG)",
    responses={200: SVG},
    query=Later(USE_CASE, "TrendQuery"),
    conditions=CONDITIONS,
    errors=ERRORS,
    secured=True,
)
@handles_errors
def trend_chart():
    from ..presentation.charts import trend_chart as draw
    from ..service import reports as use_case

    request, actor, params = _request()
    query = use_case.TrendQuery.model_validate(params)
    data = use_case.trend(query, actor, get_services(), _lang(request, query))
    return Response(body=draw(data), headers={"Content-Type": SVG})


@reports.route("/staff/reports/{month}", methods=["GET"], authorizer=authorizer)
@documented(
    "A month's figures per group (JSON, or format=csv / format=xlsx)",
    responses={200: Later(SCHEMAS, "MonthReport")},
    query=Later(USE_CASE, "ReportQuery"),
    conditions=CONDITIONS,
    path_schemas=MONTH,
    errors=ERRORS,
    secured=True,
    produces=(CSV, XLSX),
)
@handles_errors
def month_report(month):
    from ..service import reports as use_case

    request, actor, params = _request()
    query = use_case.ReportQuery.model_validate(params)
    report = use_case.month_report(month, query, actor, get_services(), _lang(request, query))
    if query.format == "json":
        return report
    return _download(report, f"report-{month}-{query.by}", query.format)


def _download(report: dict, name: str, format_: str, keys=None) -> Response:
    from ..presentation import tables

    if format_ == "csv":
        body, content_type = tables.to_csv(report, keys), CSV
    else:
        body, content_type = tables.to_xlsx(report, keys), XLSX
    disposition = f'attachment; filename="{name}.{format_}"'
    return Response(
        body=body, headers={"Content-Type": content_type, "Content-Disposition": disposition}
    )


@reports.route("/staff/reports/{month}/chart.svg", methods=["GET"], authorizer=authorizer)
@documented(
    "Chart: on-time acceptance and resolution rates by department for a month (SVG)",
    responses={200: SVG},
    query=Later(USE_CASE, "ChartQuery"),
    path_schemas=MONTH,
    errors=ERRORS,
    secured=True,
)
@handles_errors
def month_chart(month):
    from ..presentation.charts import department_chart
    from ..service import reports as use_case

    request, actor, params = _request()
    query = use_case.ChartQuery.model_validate(params)
    base = use_case.ReportQuery(by="department", department=query.department, kind=query.kind)
    report = use_case.month_report(month, base, actor, get_services(), _lang(request, query))
    return Response(body=department_chart(report), headers={"Content-Type": SVG})


@reports.route("/staff/reports/{month}/assessment", methods=["GET"], authorizer=authorizer)
@documented(
    "考核表: per responsible department (the finding's), valid complaints, on-time"
    " resolution rate, satisfaction rate and re-complaints, ranked by valid complaints"
    " (JSON, or format=csv / format=xlsx)",
    responses={200: Later(SCHEMAS, "Assessment")},
    query=Later(ASSESSMENT, "AssessmentQuery"),
    path_schemas=MONTH,
    errors=ERRORS,
    secured=True,
    produces=(CSV, XLSX),
)
@handles_errors
def assessment(month):
    from ..service import assessment as assessment_case

    request, actor, params = _request()
    query = assessment_case.AssessmentQuery.model_validate(params)
    table = assessment_case.assessment(month, actor, get_services(), _lang(request, query))
    if query.format == "json":
        return table
    return _download(table, f"assessment-{month}", query.format, assessment_case.ASSESSMENT)
