"""The oversight figures (监督统计), defined once: key, zh-CN/en label, kind, and how each is
read from the monthly counters that domain/stats.py keeps. ../shared/REPORTING.md is the
contract; docs/reporting.md says where a rule had to be decided.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .calendar import BusinessCalendar
from .stats import BUCKET_DAYS, day_minutes
from .stats_backlog import BACKLOG_BUCKETS, backlog_position, parse_live_attribute
from .stats_cells import UNASSIGNED

COUNT, RATE, DURATION, MEAN = "count", "rate", "duration", "mean"


@dataclass(frozen=True)
class Metric:
    key: str
    kind: str
    zh: str
    en: str

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh-CN" else self.en


METRICS: tuple[Metric, ...] = (
    Metric("received", COUNT, "登记量", "Received"),
    Metric("accepted", COUNT, "受理量", "Accepted"),
    Metric("not_accepted", COUNT, "不予受理量", "Not accepted"),
    Metric("transferred", COUNT, "转办量", "Transferred"),
    Metric("withdrawn", COUNT, "撤回量", "Withdrawn"),
    Metric("resolved", COUNT, "办结量", "Resolved"),
    Metric("re_resolved", COUNT, "重新办结量", "Resolved again"),
    Metric("closed", COUNT, "关闭量", "Closed"),
    Metric("recomplaints", COUNT, "重复投诉量", "Re-complaints"),
    Metric("escalations_L1", COUNT, "升级量（一级）", "Escalations level 1"),
    Metric("escalations_L2", COUNT, "升级量（二级）", "Escalations level 2"),
    Metric("escalations_L3", COUNT, "升级量（三级）", "Escalations level 3"),
    Metric("escalations_L4", COUNT, "升级量（四级）", "Escalations level 4"),
    Metric("extensions", COUNT, "延期量", "Extensions granted"),
    Metric("closure_rate", RATE, "办结率", "Closure rate"),
    Metric("on_time_acceptance_rate", RATE, "按时受理率", "On-time acceptance rate"),
    Metric("on_time_resolution_rate", RATE, "按时办结率", "On-time resolution rate"),
    Metric("overdue_acceptance", COUNT, "超期未受理", "Acceptance overdue"),
    Metric("overdue_resolution", COUNT, "超期未办结", "Resolution overdue"),
    Metric("time_to_accept", DURATION, "受理用时（工作小时）", "Time to accept (working hours)"),
    Metric("time_to_resolve", DURATION, "办结用时（工作小时）", "Time to resolve (working hours)"),
    Metric("follow_up_rate", RATE, "回访率", "Follow-up rate"),
    Metric("satisfaction_rate", RATE, "满意率", "Satisfaction rate"),
    Metric("mean_satisfaction", MEAN, "平均满意度", "Mean satisfaction"),
    Metric("recomplaint_rate", RATE, "重复投诉率", "Re-complaint rate"),
    Metric("on_time_first_contact_rate", RATE, "按时首次联系率", "On-time first contact rate"),
    Metric("messages_sent", COUNT, "发给投诉人的消息", "Messages to complainants"),
    Metric("info_requests", COUNT, "补正告知量", "Requests for information"),
    Metric("info_answered_in_time_rate", RATE, "按期补正率", "Information supplied in time"),
    Metric("info_expired_withdrawn", COUNT, "逾期视为撤销", "Expired: treated as withdrawn"),
    Metric("info_expired_resumed", COUNT, "逾期按现有材料处理", "Expired: decided as is"),
    Metric("time_to_reply", DURATION, "补正用时（工作小时）", "Time to reply (working hours)"),
    Metric("replies", COUNT, "投诉人回复量", "Complainant replies"),
    Metric("substantiated", COUNT, "属实", "Substantiated"),
    Metric("partly_substantiated", COUNT, "部分属实", "Partly substantiated"),
    Metric("not_substantiated", COUNT, "不属实", "Not substantiated"),
    Metric("valid_complaints", COUNT, "有效投诉量", "Valid complaints"),
    Metric("substantiation_rate", RATE, "属实率", "Substantiation rate"),
)
BY_KEY = {metric.key: metric for metric in METRICS}
BACKLOG_KEYS = tuple(name for name, _, _ in BACKLOG_BUCKETS) + ("overdue",)
BACKLOG_LABELS = {
    "0-3": ("积压 0-3 个工作日", "Backlog 0-3 working days"),
    "4-10": ("积压 4-10 个工作日", "Backlog 4-10 working days"),
    "11-20": ("积压 11-20 个工作日", "Backlog 11-20 working days"),
    "over_20": ("积压 20 个工作日以上", "Backlog over 20 working days"),
    "overdue": ("积压中已超期", "Backlog overdue"),
}
# Headline figures: the e-mail's table and the chart use these.
HEADLINE = (
    "received",
    "accepted",
    "resolved",
    "closed",
    "on_time_acceptance_rate",
    "on_time_resolution_rate",
    "closure_rate",
    "satisfaction_rate",
)
GROUPINGS = ("department", "category", "channel", "grade", "handler", "kind", "responsible")
FILTERS = ("department", "category", "channel", "grade", "kind")
LABELS = {
    "kind": {
        "complaint": ("投诉", "Complaint"),
        "request": ("请求", "Request"),
        "suggestion": ("建议", "Suggestion"),
        "inquiry": ("咨询", "Inquiry"),
        "misconduct_report": ("举报", "Report of misconduct"),
    },
    "channel": {
        "web": ("网站", "Web"),
        "phone": ("电话", "Phone"),
        "email": ("电子邮件", "E-mail"),
        "fax": ("传真", "Fax"),
        "letter": ("信件", "Letter"),
        "visit": ("来访", "Visit"),
        "open311": ("Open311", "Open311"),
        "other": ("其他", "Other"),
    },
    "handler": {UNASSIGNED: ("未分配", "Unassigned")},
    "responsible": {UNASSIGNED: ("未认定责任", "No responsible found")},
}
GROUP_HEADER = {
    "department": ("部门", "Department"),
    "category": ("投诉分类", "Category"),
    "channel": ("来源", "Channel"),
    "grade": ("等级", "Grade"),
    "handler": ("处理人", "Handler"),
    "kind": ("服务类型", "Kind"),
    "responsible": ("责任部门", "Responsible department"),
    "month": ("月份", "Month"),
}
TOTAL_LABEL = ("合计", "Total")


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh-CN" else pair[1]


# Groupings named by the organisation's settings (names of retired ones included).
OWN_NAMES = {"department": "departments", "category": "categories"}


def group_label(by: str, key: str, lang: str, own: dict | None = None) -> str:
    """A group's name; `own`: the settings' names {code: {"zh-CN": ..., "en": ...}}."""
    if own and key in own:
        return own[key]["en" if lang == "en" else "zh-CN"]
    pair = LABELS.get(by, {}).get(key)
    return pick(pair, lang) if pair else key


# -- from counters to figures -----------------------------------------------------------


DUES = ("acc", "res", "fc", "fu")  # deadline-based figures (domain/stats.TRACKED)


def not_arrived(c: Counter, prefix: str, pending_from: str | None) -> int:
    """Deadlines not met whose due hour (`DDHH`, organisation time) is `pending_from` or
    later: in a month in progress they have not arrived (the current hour's count once it
    is over), so they are neither met nor missed yet. None: a month that is over."""
    if pending_from is None:
        return 0
    start = f"{prefix}_open_"
    return sum(
        n for name, n in c.items() if name.startswith(start) and name[len(start) :] >= pending_from
    )


def pending_from(month: str, now: datetime, calendar: BusinessCalendar) -> str | None:
    """The first due hour (`DDHH`) of `month` not yet over at `now`; None once the month
    is over; "0000" for a month still to come."""
    local = calendar.local(now)
    this = local.strftime("%Y-%m")
    if month < this:
        return None
    return local.strftime("%d%H") if month == this else "0000"


def values(c: Counter, calendar: BusinessCalendar, pending: str | None = None) -> dict[str, Any]:
    """Every figure of one group from its summed counters (exact fractions in JSON).
    `pending`: for a month in progress, see `pending_from` (deadlines not arrived yet are
    left out of the deadline-based figures)."""
    received = c["received"]
    result: dict[str, Any] = {
        key: c[key]
        for key in (
            "received",
            "accepted",
            "not_accepted",
            "transferred",
            "withdrawn",
            "resolved",
            "re_resolved",
            "closed",
            "recomplaints",
            "escalations_L1",
            "escalations_L2",
            "escalations_L3",
            "escalations_L4",
            "extensions",
        )
    }
    due = {prefix: c[f"{prefix}_due"] - not_arrived(c, prefix, pending) for prefix in DUES}
    result["closure_rate"] = rate(c["closure_resolved"], received)
    result["on_time_acceptance_rate"] = rate(c["acc_on_time"], due["acc"])
    result["on_time_resolution_rate"] = rate(c["res_on_time"], due["res"])
    result["overdue_acceptance"] = due["acc"] - c["acc_met_by_end"]
    result["overdue_resolution"] = due["res"] - c["res_met_by_end"]
    result["time_to_accept"] = duration(c, "tta", calendar)
    result["time_to_resolve"] = duration(c, "ttr", calendar)
    result["follow_up_rate"] = rate(c["follow_ups_done"], due["fu"])
    result["satisfaction_rate"] = rate(c["satisfied"], c["answers"])
    result["mean_satisfaction"] = mean(c["score_sum"], c["answers"])
    result["recomplaint_rate"] = rate(c["recomplaints"], received)
    result["on_time_first_contact_rate"] = rate(c["fc_on_time"], due["fc"])
    for key in ("messages_sent", "info_requests", "info_expired_withdrawn"):
        result[key] = c[key]
    result["info_expired_resumed"] = c["info_expired_resumed"]
    result["info_answered_in_time_rate"] = rate(c["info_answered_in_time"], c["info_requests"])
    result["time_to_reply"] = duration(c, "ttreply", calendar)
    result["replies"] = c["replies"]
    result.update(finding_values(c))
    result["backlog"] = {key: c[f"backlog_{key}"] for key in BACKLOG_KEYS}
    return result


def finding_values(c: Counter) -> dict[str, Any]:
    """The findings made in the month (核实是否属实, 有效投诉, 属实率)."""
    found = c["sub_yes"] + c["sub_partly"]
    return {
        "substantiated": c["sub_yes"],
        "partly_substantiated": c["sub_partly"],
        "not_substantiated": c["sub_no"],
        "valid_complaints": c["valid"],
        "substantiation_rate": rate(found, found + c["sub_no"]),
    }


def rate(numerator: int, denominator: int) -> dict:
    value = round(numerator / denominator, 6) if denominator else None
    return {"numerator": numerator, "denominator": denominator, "value": value}


def mean(total: int, count: int) -> dict:
    return {"sum": total, "count": count, "value": round(total / count, 4) if count else None}


def duration(c: Counter, prefix: str, calendar: BusinessCalendar) -> dict:
    """Mean exact; median and p90 read as the upper edge of their histogram bucket
    (working days 0.5, 1, 2, 3, 5, 10, 15, 20, 30, more), in working hours."""
    count = c[f"{prefix}_n"]
    if not count:
        return {"mean": None, "p50": None, "p90": None, "count": 0}
    hours_per_day = day_minutes(calendar) / 60
    buckets = [c[f"{prefix}_b{i}"] for i in range(len(BUCKET_DAYS) + 1)]
    return {
        "mean": round(c[f"{prefix}_min"] / count / 60, 2),
        "p50": _percentile(buckets, 0.5, hours_per_day),
        "p90": _percentile(buckets, 0.9, hours_per_day),
        "count": count,
    }


def _percentile(buckets: list[int], q: float, hours_per_day: float) -> float | None:
    """The upper edge of the bucket holding the q-th value; None if it is the open-ended
    last bucket (more than 30 working days)."""
    total, seen = sum(buckets), 0
    for index, size in enumerate(buckets):
        seen += size
        if seen >= q * total and size:
            if index == len(BUCKET_DAYS):
                return None
            return round(BUCKET_DAYS[index] * hours_per_day, 2)
    return None


def backlog_from_live(live: dict[str, int], at: datetime, calendar: BusinessCalendar) -> Counter:
    """Backlog counters at `at` from the open cases' live attributes (o<day>_<due hour>)."""
    result: Counter = Counter()
    cache: dict[tuple[date, str | None], tuple[str, bool]] = {}
    for name, count in live.items():
        if not count or not name.startswith("o"):
            continue
        key = parse_live_attribute(name)
        if key not in cache:
            cache[key] = backlog_position(key[0], key[1], at, calendar)
        bucket, overdue = cache[key]
        result[f"backlog_{bucket}"] += count
        if overdue:
            result["backlog_overdue"] += count
    return result


def percent(value: dict | None) -> str:
    """A rate for exports: one decimal, "-" when the denominator is 0."""
    if not value or value.get("value") is None:
        return "-"
    return f"{value['value'] * 100:.1f}%"
