"""Open311 GeoReport v2 over the complaint service (spec: wiki.open311.org/GeoReport_v2).

Services are the configured complaint categories, service requests are complaints and
service_request_id is the complaint number. Requests are created at once (type
"realtime"), so no token is ever issued. Values here are plain dicts and lists in the
spec's field order; the HTTP layer renders them as XML or JSON.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from ..config import Settings
from ..domain.contact import is_mobile
from ..domain.errors import InvalidCommand
from ..domain.model import (
    Channel,
    Complaint,
    ComplaintInput,
    Kind,
    Language,
    Priority,
    ProblemType,
    Severity,
    Status,
)
from .context import Services

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_WINDOW = timedelta(days=90)
MAX_PAGE_SIZE = 1000  # the spec's "first 1000 requests"
MAX_DEPTH = 10_000  # page * page_size: how far paging may reach into one window
MAX_IDS = 100
MAX_DESCRIPTION = 4000
CLOSED = frozenset({Status.closed, Status.withdrawn, Status.not_accepted})

ZH, EN = Language.zh_cn, Language.en


class Open311Error(Exception):
    """One or more problems with a request, all answered with one HTTP status."""

    def __init__(self, status: int, *descriptions: str):
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions)


@dataclass(frozen=True)
class Open311Config:
    api_keys: tuple[str, ...]
    jurisdiction_id: str
    contact: str
    key_service: str

    @classmethod
    def from_env(cls) -> Open311Config:
        keys = os.environ.get("OPEN311_API_KEYS", "")
        return cls(
            api_keys=tuple(key.strip() for key in keys.split(",") if key.strip()),
            jurisdiction_id=os.environ.get("OPEN311_JURISDICTION_ID", "").strip(),
            contact=os.environ.get("OPEN311_CONTACT", "Contact the complaints office."),
            key_service=os.environ.get(
                "OPEN311_KEY_SERVICE", "Ask the complaints office for an api_key."
            ),
        )


# -- labels (zh-CN, en) -----------------------------------------------------------------

CATEGORY_NAMES = {
    "product_quality": ("产品质量", "Product quality"),
    "service_attitude": ("服务态度", "Service attitude"),
    "service_efficiency": ("服务效率", "Service efficiency"),
    "professional_competence": ("专业能力", "Professional competence"),
    "billing": ("收费", "Billing"),
    "delivery": ("交付", "Delivery"),
    "other": ("其他", "Other"),
}
CHOICES = {
    "kind": {
        Kind.complaint: ("投诉", "Complaint"),
        Kind.request: ("请求", "Request"),
        Kind.suggestion: ("建议", "Suggestion"),
        Kind.inquiry: ("咨询", "Inquiry"),
        Kind.misconduct_report: ("举报", "Report of misconduct"),
    },
    "severity": {
        Severity.serious: ("严重", "Serious"),
        Severity.normal: ("一般", "Normal"),
        Severity.minor: ("轻微", "Minor"),
    },
    "priority": {
        Priority.high: ("高", "High"),
        Priority.medium: ("中", "Medium"),
        Priority.low: ("低", "Low"),
    },
    "problem_type": {
        ProblemType.appearance_defect: ("外观缺陷", "Appearance defect"),
        ProblemType.functional_defect: ("功能缺陷", "Functional defect"),
        ProblemType.other: ("其他", "Other"),
    },
    "yes_no": {"true": ("是", "Yes"), "false": ("否", "No")},
}
STATUS_NOTES = {
    Status.received: ("已登记，等待受理审查", "Received; awaiting the acceptance decision"),
    Status.accepted: ("已受理", "Accepted"),
    Status.not_accepted: ("不予受理", "Not accepted"),
    Status.transferred: ("已转办至负责机构", "Transferred to the body responsible"),
    Status.assigned: ("已分配处理人", "Assigned to a handler"),
    Status.in_progress: ("处理中", "Being handled"),
    Status.waiting_for_complainant: ("等待投诉人反馈", "Waiting for the complainant's reply"),
    Status.resolved: ("已处理，等待回访", "Resolved; follow-up pending"),
    Status.closed: ("已关闭", "Closed"),
    Status.withdrawn: ("投诉人已撤回", "Withdrawn by the complainant"),
}
TEXT = {
    "service_description": (
        "关于“{name}”的投诉、请求、建议与咨询",
        "Complaints, requests, suggestions and inquiries about {name}",
    ),
    "group": ("投诉", "Complaints"),
    "notice": ("已登记为投诉 {number}。", "Received as complaint {number}."),
    "notice_due": (
        "我们将在 {due} 前决定是否受理。",
        " We will decide whether to accept it by {due}.",
    ),
}


def _t(pair: tuple[str, str], lang: Language) -> str:
    return pair[0] if lang == ZH else pair[1]


def service_name(code: str, lang: Language) -> str:
    default = (code, code.replace("_", " ").capitalize())
    return _t(CATEGORY_NAMES.get(code, default), lang)


def pick_language(requested: str | None, accept_language: str | None) -> Language:
    """`locale`/`lang` first, then Accept-Language in order of preference; default en."""
    candidates = [requested] if requested else _by_preference(accept_language or "")
    for tag in candidates:
        tag = tag.strip().lower()
        if tag.startswith("zh"):
            return ZH
        if tag.startswith("en"):
            return EN
    return EN


def _by_preference(header: str) -> list[str]:
    weighted = []
    for part in header.split(","):
        tag, _, params = part.partition(";")
        quality = 1.0
        match = re.search(r"q=([0-9.]+)", params)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                quality = 0.0
        if tag.strip() and quality > 0:
            weighted.append((quality, tag))
    return [tag for _, tag in sorted(weighted, key=lambda pair: -pair[0])]


# -- access -----------------------------------------------------------------------------


def check_api_key(given: str | None, config: Open311Config) -> str:
    """The client's audit name for a valid key; every configured key is compared in full."""
    if not given:
        raise Open311Error(403, "api_key is required to post a service request")
    matched = None
    for key in config.api_keys:
        if hmac.compare_digest(given.encode("utf-8"), key.encode("utf-8")):
            matched = key
    if matched is None:
        raise Open311Error(403, "invalid api_key")
    # A fingerprint names the client in the audit trail without storing the key.
    return "open311:" + hashlib.sha256(matched.encode("utf-8")).hexdigest()[:12]


def check_jurisdiction(given: str | None, config: Open311Config) -> None:
    """A single-jurisdiction server: the argument is optional, but a wrong one is refused."""
    if given and config.jurisdiction_id and given != config.jurisdiction_id:
        raise Open311Error(404, f"jurisdiction_id {given!r} not found")


# -- discovery and services -------------------------------------------------------------


def services_digest(settings: Settings) -> str:
    """A digest of everything the service list and definitions say, in every language:
    it changes exactly when what a client would fetch changes."""
    document = [
        [service_list(settings, lang)]
        + [service_definition(code, settings, lang) for code in settings.categories]
        for lang in Language
    ]
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def discovery(config: Open311Config, base_url: str, changed_at: datetime) -> dict:
    """`changed_at`: when the services (services_digest) last changed."""
    changeset = changed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "changeset": changeset,
        "contact": config.contact,
        "key_service": config.key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{base_url.rstrip('/')}/open311/v2",
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service_list(settings: Settings, lang: Language) -> list[dict]:
    return [_service(code, lang) for code in settings.categories]


def _service(code: str, lang: Language) -> dict:
    name = service_name(code, lang)
    names = CATEGORY_NAMES.get(code, ())
    return {
        "service_code": code,
        "service_name": name,
        "description": _t(TEXT["service_description"], lang).format(name=name),
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys([*names, code])),
        "group": _t(TEXT["group"], lang),
    }


@dataclass(frozen=True)
class Attribute:
    """An extra field of ComplaintInput offered as a service definition attribute."""

    code: str
    datatype: str
    description: tuple[str, str]
    path: tuple[str, ...]
    choices: str | None = None
    datatype_description: tuple[str, str] | None = None


ATTRIBUTES = (
    Attribute(
        "kind",
        "singlevaluelist",
        ("类型（默认：投诉）", "What this is (default: complaint)"),
        ("kind",),
        "kind",
    ),
    Attribute(
        "subject",
        "string",
        (
            "标题；不填则由服务名称和描述生成",
            "A short title; made from the service name and the description when left out",
        ),
        ("subject",),
        datatype_description=("最多 200 字", "up to 200 characters"),
    ),
    Attribute(
        "desired_outcome",
        "text",
        ("您希望的处理结果", "What you would like us to do"),
        ("desired_outcome",),
        datatype_description=("最多 2000 字", "up to 2,000 characters"),
    ),
    Attribute(
        "severity", "singlevaluelist", ("严重程度", "How serious it is"), ("severity",), "severity"
    ),
    Attribute("priority", "singlevaluelist", ("优先级", "Priority"), ("priority",), "priority"),
    Attribute(
        "problem_type",
        "singlevaluelist",
        ("问题类型", "Type of problem"),
        ("problem_type",),
        "problem_type",
    ),
    Attribute(
        "department",
        "singlevaluelist",
        ("受理部门", "The department the complaint is for"),
        ("department",),
        "department",
    ),
    Attribute(
        "respondent_department",
        "string",
        ("被投诉部门", "The department complained about"),
        ("respondent", "department"),
    ),
    Attribute(
        "respondent_person",
        "string",
        ("被投诉人员", "The person complained about"),
        ("respondent", "person"),
    ),
    Attribute("product_name", "string", ("产品名称", "Product name"), ("product", "name")),
    Attribute("product_model", "string", ("产品型号", "Product model"), ("product", "model")),
    Attribute(
        "product_serial_number",
        "string",
        ("产品序列号（S/N）", "Product serial number"),
        ("product", "serial_number"),
    ),
    Attribute(
        "required_completion_date",
        "datetime",
        ("要求完成日期", "The date by which you need it settled"),
        ("required_completion_date",),
        datatype_description=("日期，如 2026-03-01", "a date, e.g. 2026-03-01"),
    ),
    Attribute(
        "people_affected",
        "number",
        ("受影响人数（集体投诉）", "How many people are affected (collective complaints)"),
        ("people_affected",),
        datatype_description=("1 到 100000 的整数", "a whole number from 1 to 100,000"),
    ),
    Attribute(
        "confidential",
        "singlevaluelist",
        ("对被投诉方保密我的身份", "Keep my identity from those complained about"),
        ("complainant", "confidential"),
        "yes_no",
    ),
)
ATTRIBUTE_BY_CODE = {attribute.code: attribute for attribute in ATTRIBUTES}
ATTRIBUTE_BY_PATH = {attribute.path: attribute for attribute in ATTRIBUTES}


def service_definition(code: str, settings: Settings, lang: Language) -> dict:
    _known_service(code, settings)
    return {
        "service_code": code,
        "attributes": [
            _attribute(attribute, order, settings, lang)
            for order, attribute in enumerate(ATTRIBUTES, start=1)
        ],
    }


def _known_service(code: str | None, settings: Settings) -> str:
    if not code:
        raise Open311Error(400, "service_code was not provided")
    if code not in settings.categories:
        raise Open311Error(404, f"service_code {code!r} not found")
    return code


def _attribute(attribute: Attribute, order: int, settings: Settings, lang: Language) -> dict:
    described = attribute.datatype_description
    body = {
        "variable": True,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": False,
        "datatype_description": _t(described, lang) if described else None,
        "order": order,
        "description": _t(attribute.description, lang),
    }
    if attribute.choices:
        body["values"] = [
            {"key": key, "name": name} for key, name in _choices(attribute, settings, lang)
        ]
    return body


def _choices(attribute: Attribute, settings: Settings, lang: Language) -> list[tuple[str, str]]:
    if attribute.choices == "department":
        return [(department, department) for department in settings.departments]
    return [(str(key), _t(names, lang)) for key, names in CHOICES[attribute.choices].items()]


# -- POST requests ----------------------------------------------------------------------

PARAMETERS = {
    "api_key",
    "jurisdiction_id",
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "zipcode",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
    "locale",
    "lang",
}
_ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def split_form(form: dict[str, list[str]]) -> tuple[dict[str, str], dict[str, str]]:
    """(arguments, attributes) with one value each; an empty value counts as absent."""
    errors, arguments, attributes = [], {}, {}
    for key, values in form.items():
        values = [value for value in values if value.strip()]
        match = _ATTRIBUTE_KEY.match(key)
        if match:
            code = match.group(1)
            if code not in ATTRIBUTE_BY_CODE:
                errors.append(f"attribute[{code}] is not an attribute of this service")
            elif match.group(2) or len(values) > 1:
                errors.append(f"attribute[{code}] takes a single value")
            elif values:
                attributes[code] = values[0].strip()
        elif key not in PARAMETERS:
            errors.append(f"{key} is not a parameter of POST requests")
        elif len(values) > 1:
            errors.append(f"{key} was given more than once")
        elif values:
            arguments[key] = values[0].strip()
    if errors:
        raise Open311Error(400, *errors)
    return arguments, attributes


def create_request(
    arguments: dict[str, str],
    attributes: dict[str, str],
    services: Services,
    lang: Language,
    client: str,
) -> list[dict]:
    """Submit through the same intake as the web form; the id is the complaint number."""
    from .intake import submit_complaint

    settings = services.settings
    code = _known_service(arguments.get("service_code"), settings)
    data = _complaint_input(code, arguments, attributes, settings, lang)
    try:
        receipt = submit_complaint(
            data, services, channel=Channel.open311, actor=client, actor_role="complainant"
        )
    except InvalidCommand as error:
        raise Open311Error(
            400, *(f"{_parameter((field,))}: {why}" for field, why in error.fields.items())
        ) from error
    complaint = services.complaints.load(receipt.number)
    return [
        {
            "service_request_id": receipt.number,
            "service_notice": _notice(complaint, receipt.number, settings, lang),
            "account_id": arguments.get("account_id"),
        }
    ]


def _complaint_input(
    code: str,
    arguments: dict[str, str],
    attributes: dict[str, str],
    settings: Settings,
    lang: Language,
) -> ComplaintInput:
    errors: list[str] = []
    body = {
        "category": code,
        "complainant": _complainant(arguments, errors),
        "location": _location(arguments, errors),
        "language": lang.value,
    }
    body["description"] = _description(arguments, service_name(code, lang), errors)
    if arguments.get("media_url"):
        body["media_url"] = arguments["media_url"]
    body["subject"] = _subject(service_name(code, lang), arguments.get("description", ""), lang)
    for attribute_code, value in attributes.items():
        attribute = ATTRIBUTE_BY_CODE[attribute_code]
        if attribute.datatype == "datetime":
            value = _local_date(value, settings.timezone, attribute_code, errors)
        _put(body, attribute.path, value)
    if len(arguments.get("account_id", "")) > 200:
        errors.append("account_id is over 200 characters")
    if errors:
        raise Open311Error(400, *errors)
    try:
        return ComplaintInput.model_validate(body)
    except ValidationError as error:
        raise Open311Error(400, *_validation_messages(error)) from error


def _complainant(arguments: dict[str, str], errors: list[str]) -> dict:
    first, last = arguments.get("first_name", ""), arguments.get("last_name", "")
    email, phone = arguments.get("email"), arguments.get("phone")
    if not (first or last or email or phone):
        return {"anonymous": True}
    if not (first or last):
        errors.append("first_name or last_name is required with email or phone")
    if not (email or phone):
        errors.append("email or phone is required with first_name or last_name")
    # Chinese names are written family name first, without a space.
    name = f"{last}{first}" if _cjk(first + last) else " ".join(filter(None, (first, last)))
    # A number that is not a mobile (a landline) can still be called back, not texted.
    kind = "mobile" if is_mobile(phone) else "office_phone"
    person = {"name": name or None, "email": email, kind: phone}
    return {key: value for key, value in person.items() if value}


def _cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _location(arguments: dict[str, str], errors: list[str]) -> dict | None:
    given = {
        key: arguments[key]
        for key in ("lat", "long", "address_string", "address_id", "zipcode")
        if key in arguments
    }
    if ("lat" in given) != ("long" in given):
        errors.append("lat and long must be given together")
    elif not ({"lat", "address_string", "address_id"} & given.keys()):
        errors.append("a location is required: lat and long, address_string or address_id")
    return given or None


def _description(arguments: dict[str, str], name: str, errors: list[str]) -> str:
    text = arguments.get("description", "")
    if len(text) > MAX_DESCRIPTION:
        errors.append(f"description is over {MAX_DESCRIPTION} characters")
    return text or name


def _subject(name: str, description: str, lang: Language) -> str:
    words = " ".join(description.split())
    if not words:
        return name
    text = f"{name}{'：' if lang == ZH else ': '}{words}"
    if len(text) <= 80:
        return text
    cut = text[:79]
    if " " in cut[len(name) + 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut + "…"


def _local_date(value: str, timezone: str, code: str, errors: list[str]) -> str:
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        moment = datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError:
        errors.append(f"attribute[{code}] is not an ISO 8601 date")
        return value
    if moment.tzinfo is None:
        return moment.date().isoformat()
    return moment.astimezone(ZoneInfo(timezone)).date().isoformat()


def _put(body: dict, path: tuple[str, ...], value: str) -> None:
    for part in path[:-1]:
        body = body.setdefault(part, {})
    body[path[-1]] = value


def _validation_messages(error: ValidationError) -> list[str]:
    messages = []
    for item in error.errors(include_url=False, include_input=False):
        message = item["msg"].removeprefix("Value error, ")
        messages.append(f"{_parameter(tuple(str(part) for part in item['loc']))}: {message}")
    return list(dict.fromkeys(messages))


_PARAMETER_OF = {
    ("complainant", "office_phone"): "phone",
    ("complainant", "email"): "email",
    ("complainant", "mobile"): "phone",
    ("complainant", "name"): "first_name/last_name",
    ("description",): "description",
}


def _parameter(path: tuple[str, ...]) -> str:
    """The Open311 name of a ComplaintInput field, for error descriptions."""
    if path in _PARAMETER_OF:
        return _PARAMETER_OF[path]
    if path[:1] == ("location",):
        return path[1] if len(path) > 1 else "location"
    if path in ATTRIBUTE_BY_PATH:
        return f"attribute[{ATTRIBUTE_BY_PATH[path].code}]"
    return ".".join(path)


def _notice(complaint: Complaint | None, number: str, settings: Settings, lang: Language) -> str:
    notice = _t(TEXT["notice"], lang).format(number=number)
    acceptance = complaint.deadlines.get("acceptance") if complaint else None
    if acceptance:
        due = acceptance.due.astimezone(ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M")
        notice += _t(TEXT["notice_due"], lang).format(due=due)
    return notice


# -- GET requests -----------------------------------------------------------------------


def get_request(number: str, services: Services, lang: Language) -> list[dict]:
    complaint = services.complaints.load(number) if 0 < len(number) <= 50 else None
    if complaint is None:
        raise Open311Error(404, f"service_request_id {number!r} not found")
    return [to_request(complaint, services.settings, lang)]


def find_requests(query: dict[str, str], services: Services, lang: Language) -> list[dict]:
    """GET requests: by ids (which override every other filter) or by a received window."""
    from ..adapters import listing

    settings = services.settings
    ids = _csv(query.get("service_request_id"))
    if ids:
        if len(ids) > MAX_IDS:
            raise Open311Error(400, f"at most {MAX_IDS} service_request_id values at once")
        found = services.complaints.load_many(ids)
    else:
        start, end = request_window(query, services.clock.now(), settings.received_bounds)
        statuses = _statuses(query.get("status"))
        codes = set(_csv(query.get("service_code")))
        page, size = _paging(query)
        months = listing.month_keys(start, end, settings.timezone)
        rows = listing.received_between(months, start, end, page_size=min(page * size, 200))
        wanted = (c for c in rows if _matches(c, codes, statuses))
        found = list(islice(wanted, (page - 1) * size, page * size))
    return [to_request(complaint, settings, lang) for complaint in found]


def request_window(query: dict[str, str], now: datetime, bounds):
    """[start, end] of requested_datetime: at most 90 days, by default the last 90; each
    date within the received dates the service keeps (domain/received.py)."""
    tz = ZoneInfo(bounds.timezone)
    start = _moment(query.get("start_date"), "start_date", tz, time.min)
    end = _moment(query.get("end_date"), "end_date", tz, time.max)
    _within(bounds, "start_date", start, now, tz)
    _within(bounds, "end_date", end, now, tz)
    if start and end:
        if end < start:
            raise Open311Error(400, "end_date is before start_date")
        if end - start > MAX_WINDOW:
            raise Open311Error(400, "start_date and end_date may not be more than 90 days apart")
    elif start:
        end = min(start + MAX_WINDOW, max(start, now))
    elif end:
        start = end - MAX_WINDOW
    else:
        start, end = now - MAX_WINDOW, now
    return start, end


def _within(bounds, name: str, moment: datetime | None, now: datetime, tz: ZoneInfo) -> None:
    if moment is None:
        return
    first = datetime.combine(bounds.since, time.min, tzinfo=tz)
    last = datetime.combine(bounds.latest_filter(now.astimezone(tz).date()), time.max, tzinfo=tz)
    if not first <= moment <= last:
        raise Open311Error(
            400,
            f"{name} must be between {_w3(first, tz)} and {_w3(last, tz)}: "
            "no request was received outside these dates",
        )


def _moment(raw: str | None, name: str, tz: ZoneInfo, day_edge: time) -> datetime | None:
    if not raw:
        return None
    # A "+" in an unencoded query string arrives as a space.
    text = raw.strip().replace(" ", "+")
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), day_edge, tzinfo=tz)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Open311Error(
            400, f"{name} is not a w3 date-time, e.g. 2010-01-01T00:00:00Z"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _csv(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def _statuses(raw: str | None) -> set[str]:
    statuses = set(_csv(raw))
    unknown = statuses - {"open", "closed"}
    if unknown:
        raise Open311Error(400, f"status must be open or closed, not {sorted(unknown)[0]!r}")
    return statuses


def _paging(query: dict[str, str]) -> tuple[int, int]:
    page = _positive(query.get("page"), "page", 1)
    size = _positive(query.get("page_size"), "page_size", MAX_PAGE_SIZE)
    if size > MAX_PAGE_SIZE:
        raise Open311Error(400, f"page_size may be at most {MAX_PAGE_SIZE}")
    if page * size > MAX_DEPTH:
        raise Open311Error(400, "page is too deep; narrow the dates instead")
    return page, size


def _positive(raw: str | None, name: str, default: int) -> int:
    if not raw:
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise Open311Error(400, f"{name} must be a positive whole number")
    return int(raw)


def _matches(complaint: Complaint, codes: set[str], statuses: set[str]) -> bool:
    if codes and complaint.data.category not in codes:
        return False
    return not statuses or _open_closed(complaint) in statuses


def _open_closed(complaint: Complaint) -> str:
    return "closed" if complaint.status in CLOSED else "open"


def to_request(complaint: Complaint, settings: Settings, lang: Language) -> dict:
    """A complaint as an Open311 service request.

    Free text and location are published only for complaints posted through Open311
    (whose clients know the API is public) and not marked confidential; web, phone and
    letter complaints show their status and dates only.
    """
    tz = ZoneInfo(settings.timezone)
    public = complaint.channel == Channel.open311 and not complaint.data.complainant.confidential
    location = complaint.data.location if public else None
    resolution = complaint.deadlines.get("resolution")
    return {
        "service_request_id": complaint.number,
        "status": _open_closed(complaint),
        "status_notes": _status_notes(complaint, public, lang),
        "service_name": service_name(complaint.data.category, lang),
        "service_code": complaint.data.category,
        "description": complaint.data.description if public else None,
        "agency_responsible": complaint.department,
        "service_notice": None,
        "requested_datetime": _w3(complaint.received_at, tz),
        "updated_datetime": _w3(updated_at(complaint), tz),
        "expected_datetime": _w3(resolution.due, tz) if resolution else None,
        "address": location.address_string if location else None,
        "address_id": location.address_id if location else None,
        "zipcode": location.zipcode if location else None,
        "lat": location.lat if location else None,
        "long": location.long if location else None,
        "media_url": complaint.data.media_url if public else None,
    }


def _status_notes(complaint: Complaint, public: bool, lang: Language) -> str:
    notes = _t(STATUS_NOTES[complaint.status], lang)
    if public and complaint.status == Status.not_accepted and complaint.refusal_reason:
        notes += f"{'：' if lang == ZH else ': '}{complaint.refusal_reason}"
    return notes


def updated_at(complaint: Complaint) -> datetime:
    """When the last event was recorded, or a later moment the record carries."""
    c = complaint
    moments = [
        c.updated_at,
        c.received_at,
        c.registered_at,
        c.paused_at,
        c.resolved_at,
        c.closed_at,
    ]
    for deadline in c.deadlines.values():
        moments += [deadline.start, deadline.met_at]
    if c.extension is not None:
        moments += [c.extension.requested_at, c.extension.decided_at]
    return max(moment for moment in moments if moment is not None)


def _w3(moment: datetime, tz: ZoneInfo) -> str:
    """W3C date-time: the offset is +hh:mm; a zone's historical offset with seconds (local
    mean time before 1901, say) cannot be written so, and the moment is given in UTC."""
    local = moment.astimezone(tz)
    offset = local.utcoffset()
    if offset is not None and offset.seconds % 60:
        return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return local.isoformat(timespec="seconds")


def find_token(token: str) -> list[dict]:
    """Requests are created at once and answered with their id, so no token exists."""
    if not token:
        raise Open311Error(400, "token was not provided")
    raise Open311Error(
        404, f"token {token!r} not found: this server answers POST requests with the id"
    )
