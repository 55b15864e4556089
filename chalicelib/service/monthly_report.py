"""The monthly report to management (月度报告), sent by the scheduled job.

On the first working day of each month, from 09:00 organisation time, the job queues last
month's report for the REPORT_RECIPIENTS as one outbox entry whose key names the month,
written only if it does not exist yet: overlapping or retried runs queue it once, and the
outbox keeps it (retries with backoff) until SES has taken it. Like every other notice it
goes out in business hours: a first run after closing time (the job was down all day, say)
queues it for the next business hour instead of mailing management at night.

The message is a raw MIME e-mail: an HTML table of the key figures per department and the
assessment table per responsible department (考核表) with a plain-text alternative, the full
report and the assessment as CSV, the report as XLSX, and the two SVG charts. Every
figure in a chart is also in the tables (mail clients often block SVG).
"""

from __future__ import annotations

from datetime import date, datetime, time
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate

from ..domain.actor import Actor, Role
from ..domain.notifications import Message, OutboxEntry
from ..domain.reporting import HEADLINE, pick
from .assessment import ASSESSMENT, assessment
from .context import Services
from .reports import ReportQuery, TrendQuery, last_month, month_report, trend

SEND_AT = time(9, 0)
REPORTER = Actor(user_id="scheduler", name="scheduler", roles=[Role.QUALITY])
CHANNEL = "raw_email"  # a whole MIME message in the body (AwsNotifier sends it raw)
HEADLINE_KIND = "complaint"  # REPORTING.md: the headline figures are for complaints
SUBJECT = ("{month} 月度投诉报告", "Monthly complaints report {month}")
INTRO = (
    "{month} 投诉统计（按部门）。完整报表见附件（CSV、XLSX）及图表（SVG）。",
    "Complaint figures for {month} by department. The full report is attached"
    " (CSV, XLSX) with two charts (SVG).",
)


def report_number(month: str) -> str:
    """The outbox entry's partition key names the month: one entry per month."""
    return f"REPORT-{month}"


def send_at(month_day: date, services: Services) -> datetime:
    """09:00 on the first working day of the month of `month_day`."""
    calendar = services.calendar
    first = calendar.add_working_days(month_day.replace(day=1), 0)
    return datetime.combine(first, SEND_AT, tzinfo=calendar.tz)


def due_report(now: datetime, services: Services) -> str | None:
    """Last month, once this month's first working day has reached 09:00."""
    if not services.org.report_recipients:
        return None
    local = now.astimezone(services.calendar.tz)
    if now < send_at(local.date(), services):
        return None
    return last_month(now, services)


def queue_monthly_report(now: datetime, services: Services) -> OutboxEntry | None:
    """The month's report entry if this run queued it; None if not due or already queued."""
    month = due_report(now, services)
    if month is None:
        return None
    number = report_number(month)
    if services.complaints.outbox_exists(number, "monthly"):
        return None  # queued earlier: the outbox (and its retries) owns it
    message = build_message(month, services, now)
    entry = OutboxEntry(number=number, id="monthly", message=message, created_at=now)
    if not services.calendar.is_business_time(now):
        entry.next_attempt_at = services.calendar.next_business_time(now)
    if not services.complaints.queue_once(entry):
        return None  # another run queued it first
    # Once a month, also drop the open-case items that no longer count anything.
    services.complaints.compact_open_cells(month)
    return entry


def build_message(month: str, services: Services, now: datetime) -> Message:
    lang = services.org.report_language
    recipients = tuple(services.org.report_recipients)
    query = ReportQuery(by="department", kind=HEADLINE_KIND, lang=lang)
    report = month_report(month, query, REPORTER, services, lang)
    series = trend(TrendQuery(to=month, kind=HEADLINE_KIND), REPORTER, services, lang)
    ranked = assessment(month, REPORTER, services, lang)
    subject = pick(SUBJECT, lang).format(month=month)
    raw = mime(report, series, subject, services.settings.ses_sender, recipients, now, ranked)
    return Message(
        channel=CHANNEL,
        audience="management",
        recipient=",".join(recipients),
        subject=subject,
        body=raw,
        attributes={"month": month},
    )


def mime(report, series, subject, sender, recipients, now, ranked=None) -> str:
    """`ranked`: the month's assessment table (考核表), shown after the figures."""
    from ..presentation import charts, tables

    lang, month = report["lang"], report["month"]
    intro = pick(INTRO, lang).format(month=month)
    heading = pick(ASSESSMENT_HEADING, lang)
    message = MIMEMultipart("mixed")
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(now.timestamp(), localtime=False)
    body = MIMEMultipart("alternative")
    text = f"{intro}\n\n{tables.to_text(report, HEADLINE)}\n\n{_backlog_line(report, False)}\n"
    html = (
        f"<html><body><p>{intro}</p>{tables.to_html(report, HEADLINE)}"
        f"<p>{_backlog_line(report)}</p>"
    )
    if ranked is not None:
        text += f"\n{heading}\n{tables.to_text(ranked, ASSESSMENT)}\n"
        html += f"<h3>{heading}</h3>{tables.to_html(ranked, ASSESSMENT)}"
    html += "</body></html>"
    body.attach(MIMEText(text, "plain", "utf-8"))
    body.attach(MIMEText(html, "html", "utf-8"))
    message.attach(body)
    attachments = [
        (f"report-{month}.csv", tables.to_csv(report).encode("utf-8"), "text", "csv"),
        (f"report-{month}.xlsx", tables.to_xlsx(report), "application", XLSX_SUBTYPE),
        (f"trend-{month}.svg", charts.trend_chart(series).encode("utf-8"), "image", "svg+xml"),
        (
            f"departments-{month}.svg",
            charts.department_chart(report).encode("utf-8"),
            "image",
            "svg+xml",
        ),
    ]
    if ranked is not None:
        data = tables.to_csv(ranked, ASSESSMENT).encode("utf-8")
        attachments.append((f"assessment-{month}.csv", data, "text", "csv"))
    for name, data, major, minor in attachments:
        part = MIMEApplication(data, _subtype=minor)
        part.replace_header("Content-Type", f'{major}/{minor}; name="{name}"')
        part.add_header("Content-Disposition", "attachment", filename=name)
        message.attach(part)
    return message.as_string()


ASSESSMENT_HEADING = (
    "考核表（按责任部门，有效投诉量排序）",
    "Assessment by responsible department (most valid complaints first)",
)
XLSX_SUBTYPE = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _backlog_line(report: dict, html: bool = True) -> str:
    from html import escape

    from ..domain.reporting import BACKLOG_LABELS

    lang = report["lang"]
    parts = [f"{pick(BACKLOG_LABELS[k], lang)}: {v}" for k, v in report["backlog"].items()]
    line = "; ".join(parts)
    return escape(line) if html else line
