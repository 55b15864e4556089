"""Two SVG charts drawn by hand (no plotting library in the Lambda package):

- the 12-month trend: received and closed per month as bars, the on-time resolution rate
  as a line on a 0-100% axis;
- a month's on-time acceptance and resolution rates by department, as horizontal bars.

Every figure drawn is also printed as text in the chart (and is in the tables), so the
chart is never the only place a number appears. Labels in the report's language.
"""

from __future__ import annotations

from html import escape

from ..domain.reporting import BY_KEY

FONT = "font-family='Noto Sans CJK SC, Microsoft YaHei, PingFang SC, Arial, sans-serif'"
RECEIVED, CLOSED, RATE, ACCEPT = "#4e79a7", "#59a14f", "#e15759", "#f28e2b"
TEXT = {
    "trend_title": (
        "近12个月：登记量、关闭量与按时办结率",
        "Last 12 months: received, closed, on-time resolution",
    ),
    "month_title": ("{month} 各部门按时率", "On-time rates by department, {month}"),
    "no_data": ("无数据", "no data"),
}


def _t(key: str, lang: str, **values) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh-CN" else en).format(**values)


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-label='{escape(title)}' {FONT}>"
        f"<title>{escape(title)}</title>"
        f"<rect width='{width}' height='{height}' fill='white'/>" + "".join(body) + "</svg>"
    )


def _text(x, y, text, size=12, anchor="start", fill="#333", weight="normal") -> str:
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' "
        f"fill='{fill}' font-weight='{weight}'>{escape(str(text))}</text>"
    )


def _rect(x, y, w, h, fill) -> str:
    size = f"width='{max(w, 0):.1f}' height='{max(h, 0):.1f}'"
    return f"<rect x='{x:.1f}' y='{y:.1f}' {size} fill='{fill}'/>"


def _pct(rate: dict) -> str:
    return "-" if rate["value"] is None else f"{rate['value'] * 100:.1f}%"


def _legend(x, y, items) -> list[str]:
    body = []
    for label, colour in items:
        body += [_rect(x, y - 10, 12, 12, colour), _text(x + 16, y, label, 12)]
        x += 20 + 8 * len(label) + (6 * sum(1 for ch in label if ord(ch) > 0x2E80))
    return body


def trend_chart(trend: dict) -> str:
    lang = trend["lang"]
    months = trend["months"]
    width, height = 860, 400
    left, right, top, bottom = 60, 60, 60, 80
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([1] + [m["values"][k] for m in months for k in ("received", "closed")])
    scale = 4 * _nice(-(-peak // 4))  # four grid steps of a round size
    slot = plot_w / max(len(months), 1)
    bar = slot * 0.32
    title = _t("trend_title", lang)
    body = [_text(width / 2, 24, title, 16, "middle", weight="bold")]
    body += _legend(
        left,
        46,
        [
            (BY_KEY["received"].label(lang), RECEIVED),
            (BY_KEY["closed"].label(lang), CLOSED),
            (BY_KEY["on_time_resolution_rate"].label(lang), RATE),
        ],
    )
    for step in range(5):  # grid and both axes' ticks
        y = top + plot_h - plot_h * step / 4
        body.append(
            f"<line x1='{left}' y1='{y:.1f}' x2='{left + plot_w}' y2='{y:.1f}' stroke='#ddd'/>"
        )
        body.append(_text(left - 6, y + 4, scale * step // 4, 11, "end"))
        body.append(_text(left + plot_w + 6, y + 4, f"{25 * step}%", 11, "start", RATE))
    points = []
    for index, month in enumerate(months):
        v = month["values"]
        x0 = left + slot * index + slot * 0.16
        for offset, key, colour in ((0, "received", RECEIVED), (bar, "closed", CLOSED)):
            h = plot_h * v[key] / scale
            body.append(_rect(x0 + offset, top + plot_h - h, bar, h, colour))
            body.append(_text(x0 + offset + bar / 2, top + plot_h - h - 3, v[key], 10, "middle"))
        rate = v["on_time_resolution_rate"]
        cx = left + slot * index + slot / 2
        if rate["value"] is not None:
            points.append((cx, top + plot_h - plot_h * rate["value"]))
        body.append(_text(cx, top + plot_h + 16, month["month"][2:], 11, "middle"))
        body.append(_text(cx, top + plot_h + 32, _pct(rate), 10, "middle", RATE))
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f"<polyline points='{path}' fill='none' stroke='{RATE}' stroke-width='2'/>")
    body += [f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='{RATE}'/>" for x, y in points]
    return _svg(width, height, body, title)


def department_chart(report: dict) -> str:
    lang = report["lang"]
    groups = report["groups"]
    row_h, left, width = 44, 150, 760
    top = 70
    height = top + row_h * max(len(groups), 1) + 30
    plot_w = width - left - 120
    title = _t("month_title", lang, month=report["month"])
    body = [_text(width / 2, 24, title, 16, "middle", weight="bold")]
    accept = BY_KEY["on_time_acceptance_rate"].label(lang)
    resolve = BY_KEY["on_time_resolution_rate"].label(lang)
    body += _legend(left, 48, [(accept, ACCEPT), (resolve, RATE)])
    if not groups:
        body.append(_text(width / 2, top + 20, _t("no_data", lang), 13, "middle"))
    for index, group in enumerate(groups):
        y = top + row_h * index
        body.append(_text(left - 8, y + 22, group["label"], 12, "end"))
        for offset, key, colour in (
            (0, "on_time_acceptance_rate", ACCEPT),
            (18, "on_time_resolution_rate", RATE),
        ):
            rate = group["values"][key]
            w = plot_w * (rate["value"] or 0)
            body.append(_rect(left, y + offset + 4, plot_w, 14, "#f0f0f0"))
            body.append(_rect(left, y + offset + 4, w, 14, colour))
            detail = f"{_pct(rate)} ({rate['numerator']}/{rate['denominator']})"
            body.append(_text(left + plot_w + 6, y + offset + 15, detail, 11))
    return _svg(width, height, body, title)


def _nice(peak: int) -> int:
    """An axis maximum of 1, 2 or 5 times a power of ten, at least `peak`."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude >= peak:
                return factor * magnitude
        magnitude *= 10
