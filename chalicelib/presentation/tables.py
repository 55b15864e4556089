"""A report as a table: CSV (UTF-8 with BOM, so Excel keeps Chinese), XLSX (openpyxl),
and the HTML and plain-text tables of the monthly e-mail. Headers in the caller's
language; rates as percentages with one decimal, each beside its numerator and
denominator; durations in working hours."""

from __future__ import annotations

import csv
import io
from html import escape

from ..domain.reporting import (
    BACKLOG_KEYS,
    BACKLOG_LABELS,
    BY_KEY,
    DURATION,
    GROUP_HEADER,
    MEAN,
    METRICS,
    RATE,
    TOTAL_LABEL,
    percent,
    pick,
)

PARTS = {
    "numerator": ("分子", "numerator"),
    "denominator": ("分母", "denominator"),
    "mean": ("平均", "mean"),
    "p50": ("中位数", "median"),
    "p90": ("90%分位", "p90"),
    "rank": ("名次", "Rank"),
}


def columns(lang: str, keys=None) -> list[tuple[str, str, str]]:
    """(header, metric key, part) per column."""
    result = []
    for metric in METRICS if keys is None else [BY_KEY[key] for key in keys]:
        label = metric.label(lang)
        if metric.kind == RATE:
            result.append((label, metric.key, "rate"))
            for part in ("numerator", "denominator"):
                result.append((f"{label}（{pick(PARTS[part], lang)}）", metric.key, part))
        elif metric.kind == DURATION:
            for part in ("mean", "p50", "p90"):
                result.append((f"{label}（{pick(PARTS[part], lang)}）", metric.key, part))
        elif metric.kind == MEAN:
            result.append((label, metric.key, "value"))
        else:
            result.append((label, metric.key, "count"))
    if keys is None:
        for key in BACKLOG_KEYS:
            result.append((pick(BACKLOG_LABELS[key], lang), "backlog", key))
    return result


def cell(values: dict, key: str, part: str, as_text: bool):
    value = values[key]
    if part == "count":
        return value
    if key == "backlog":
        return value[part]
    if part == "rate":
        if as_text:
            return percent(value)
        return value["value"]
    return value[part] if not (as_text and value[part] is None) else "-"


def rows(report: dict, lang: str, keys=None, as_text: bool = True) -> list[list]:
    """Header row, one row per group, and the total row (a ranked table, such as the
    assessment, has its rank first)."""
    cols = columns(lang, keys)
    by = report.get("by", "month")
    ranked = any("rank" in group for group in report["groups"])
    first = [pick(PARTS["rank"], lang)] if ranked else []
    header = first + [pick(GROUP_HEADER[by], lang)] + [name for name, _, _ in cols]
    body = [
        ([group["rank"]] if ranked else [])
        + [group["label"]]
        + [cell(group["values"], k, p, as_text) for _, k, p in cols]
        for group in report["groups"]
    ]
    total = (
        ([""] if ranked else [])
        + [pick(TOTAL_LABEL, lang)]
        + [cell(report["total"]["values"], k, p, as_text) for _, k, p in cols]
    )
    return [header, *body, total]


def to_csv(report: dict, keys=None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows(report, report["lang"], keys))
    return "\ufeff" + out.getvalue()


def to_xlsx(report: dict, keys=None) -> bytes:
    """A workbook: the table (rates as numbers formatted 0.0%) and a sheet that says
    what was counted."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lang = report["lang"]
    cols = columns(lang, keys)
    book = Workbook()
    sheet = book.active
    sheet.title = report["month"]
    table = rows(report, lang, keys, as_text=False)
    offset = len(table[0]) - len(cols)  # the label column, and the rank if ranked
    for row in table:
        sheet.append(["-" if value is None else value for value in row])
    for cell_ in sheet[1]:
        cell_.font = Font(bold=True)
    for index, (_, _, part) in enumerate(cols, start=offset + 1):
        if part == "rate":
            for (target,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(target.value, float):
                    target.number_format = "0.0%"
    sheet.freeze_panes = sheet.cell(row=2, column=offset + 1).coordinate
    about = book.create_sheet("about" if lang == "en" else "说明")
    about.append(["month" if lang == "en" else "月份", report["month"]])
    about.append(["timezone" if lang == "en" else "时区", report["timezone"]])
    about.append(["generated" if lang == "en" else "生成时间", report["generated_at"]])
    for name, value in report.get("filters", {}).items():
        about.append([name, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_html(report: dict, keys) -> str:
    table = rows(report, report["lang"], keys)
    head = "".join(f"<th>{escape(str(v))}</th>" for v in table[0])
    lines = [f"<tr>{head}</tr>"]
    for row in table[1:]:
        lines.append("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>")
    style = 'border="1" cellpadding="4" cellspacing="0" style="border-collapse:collapse"'
    return f"<table {style}>" + "".join(lines) + "</table>"


def to_text(report: dict, keys) -> str:
    table = [[str(v) for v in row] for row in rows(report, report["lang"], keys)]
    widths = [max(_width(row[i]) for row in table) for i in range(len(table[0]))]
    return "\n".join(
        "  ".join(v + " " * (w - _width(v)) for v, w in zip(row, widths, strict=True)).rstrip()
        for row in table
    )


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
