"""What the Open311 routes document: the form a POST sends, the filters of GET requests,
the path suffix, and the spec's error list. Kept apart from the routes themselves.

The form mirrors form.py: its PARAMETERS, attributes.py's ATTRIBUTES, the limits of the
ComplaintInput it is turned into, and the rules between fields (a location; a name with
a contact) as JSON Schema, so a client generated from the document sends what is accepted.
"""

from __future__ import annotations

from pydantic import ConfigDict, RootModel

from ...domain.base import Model
from ...domain.fields import EMAIL_PATTERN, MEDIA_URL_PATTERN, MOBILE_PATTERN, SPACE
from ..openapi import configured
from .attributes import ATTRIBUTES
from .form import MAX_DESCRIPTION
from .labels import CHOICES
from .search import MAX_DEPTH, MAX_IDS, MAX_PAGE_SIZE

NON_BLANK = f"[^{SPACE}]"
FORMATS = ("json", "xml")


class Open311ErrorItem(Model):
    code: int
    description: str


class Open311Errors(RootModel[list[Open311ErrorItem]]):
    """The spec's error answer (XML: <errors><error><code/><description/></error></errors>)."""

    model_config = ConfigDict(defer_build=True)


ERROR_TEXTS = {
    400: "Invalid request: each problem is one {code, description} item",
    403: "api_key missing or not valid (POST)",
    404: "jurisdiction_id, service_code or service request not found",
}


def errors_for(fmt: str | None):
    """The error body of a route answering in `fmt` (None: either, by the path's suffix)."""
    return {"json": Open311Errors, "xml": "text/xml"}.get(fmt, (Open311Errors, "text/xml"))


def suffixed(description: str) -> dict:
    return {
        "type": "string",
        "pattern": r"^[^/]+\.(json|xml)$",
        "description": f"{description}, then .json or .xml: the format of the answer",
    }


def _query(name: str, description: str, schema: dict, **extra) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **extra,
    }


def _list_param(name: str, description: str, items: dict, max_items: int | None = None):
    """A comma-separated list (repeating the argument is the same)."""
    schema = {"type": "array", "items": items, "minItems": 1}
    if max_items:
        schema["maxItems"] = max_items
    return _query(name, description, schema, style="form", explode=False)


LOCALE = _query(
    "locale",
    "zh-CN or en (else Accept-Language; default en)",
    {"type": "string", "maxLength": 35},
)
JURISDICTION = _query(
    "jurisdiction_id", "optional: this server has one (another is 404)", {"type": "string"}
)
DATE = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}
ID = {"type": "string", "minLength": 1, "maxLength": 50, "pattern": r"^[^,\s]+$"}
FILTERS = [
    _list_param(
        "service_request_id",
        f"complaint numbers (at most {MAX_IDS}); overrides the other filters",
        ID,
        max_items=MAX_IDS,
    ),
    _list_param(
        "service_code",
        "service codes (the configured categories)",
        {"type": "string", **configured("categories")},
    ),
    _query("start_date", "w3 date-time or date; received on or after", DATE),
    _query(
        "end_date",
        "w3 date-time or date; received on or before (default now); at most a year from now",
        DATE,
    ),
    _list_param("status", "open, closed, or both", {"type": "string", "enum": ["open", "closed"]}),
    _query(
        "page",
        "extension: page number from 1",
        {"type": "integer", "minimum": 1, "maximum": MAX_DEPTH, "default": 1},
    ),
    _query(
        "page_size",
        f"extension: requests per page, at most {MAX_PAGE_SIZE} (the default)",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    ),
]
FILTER_CONDITIONS = {
    "start_date": "at most 90 days before end_date; not before RECEIVED_SINCE",
    "end_date": "not before start_date; at most a year from now",
    "page": f"page × page_size at most {MAX_DEPTH} (narrow the dates instead)",
}


def _text(max_length: int, required_text: bool = False) -> dict:
    schema = {"type": "string", "maxLength": max_length}
    if required_text:
        schema["pattern"] = NON_BLANK
    return schema


_CHOICES = {name: [str(key) for key in values] for name, values in CHOICES.items()}
_ATTRIBUTE_SCHEMAS = {
    "subject": _text(200, True),
    "desired_outcome": _text(2000),
    "respondent_department": _text(100),
    "respondent_person": _text(100),
    "product_name": _text(200),
    "product_model": _text(100),
    "product_serial_number": _text(100),
    "required_completion_date": {"type": "string", "format": "date"},
    "people_affected": {"type": "integer", "minimum": 1, "maximum": 100_000},
}


def _attribute_schema(attribute) -> dict:
    if attribute.choices == "department":
        return {"type": "string", **configured("departments")}
    if attribute.choices:
        return {"type": "string", "enum": _CHOICES[attribute.choices]}
    return _ATTRIBUTE_SCHEMAS[attribute.code]


def _present(*names: str) -> dict:
    return {"anyOf": [{"required": [name]} for name in names]}


def post_form() -> dict:
    """The application/x-www-form-urlencoded body of POST requests."""
    properties = {
        "api_key": {"type": "string", "pattern": NON_BLANK, "description": "required"},
        "jurisdiction_id": {"type": "string"},
        "service_code": {"type": "string", **configured("categories")},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
        "address_string": _text(500, True),
        "address_id": _text(100, True),
        "zipcode": _text(20),
        "email": {
            "type": "string",
            "format": "email",
            "maxLength": 254,
            "pattern": EMAIL_PATTERN,
        },
        "device_id": _text(200),
        "account_id": _text(200),
        # The complainant's name is last + first, at most 100 characters in all.
        "first_name": _text(49, True),
        "last_name": _text(49, True),
        "phone": {"type": "string", "pattern": MOBILE_PATTERN},  # the complainant's mobile
        "description": _text(MAX_DESCRIPTION),
        "media_url": {"type": "string", "pattern": MEDIA_URL_PATTERN, "maxLength": 2000},
        "locale": LOCALE["schema"],
        "lang": LOCALE["schema"],
    }
    for attribute in ATTRIBUTES:
        properties[f"attribute[{attribute.code}]"] = _attribute_schema(attribute)
    who = {"allOf": [_present("first_name", "last_name"), _present("email", "phone")]}
    return {
        "type": "object",
        "description": (
            "A location (lat and long, address_string or address_id) is required; a"
            " complainant who gives any of first_name, last_name, email or phone gives a"
            " name and a contact, else the request is anonymous. api_key may instead be in"
            " the query string."
        ),
        "properties": properties,
        "required": ["api_key", "service_code"],
        "additionalProperties": False,
        "dependentRequired": {"lat": ["long"], "long": ["lat"]},
        "dependentSchemas": {name: who for name in ("first_name", "last_name", "email", "phone")},
        **_present("lat", "address_string", "address_id"),
    }
