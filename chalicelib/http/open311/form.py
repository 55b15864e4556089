"""The form of POST requests turned into our ComplaintInput, and our field errors named
back as the form's parameters (`attribute[CODE]` for the extra fields)."""

from __future__ import annotations

import re

from pydantic import ValidationError

from ...config import Settings
from ...domain.complaint_input import ComplaintInput
from ...domain.contact import is_mobile
from ...domain.org_settings import OrgSettings
from ...domain.vocabulary import Language
from .attributes import ATTRIBUTE_BY_CODE, ATTRIBUTE_BY_PATH
from .dates import local_date
from .errors import Open311Error
from .labels import colon, service_name

MAX_DESCRIPTION = 4000
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


def complaint_input(
    code: str,
    arguments: dict[str, str],
    attributes: dict[str, str],
    settings: Settings,
    lang: Language,
    org: OrgSettings,
) -> ComplaintInput:
    errors: list[str] = []
    body = {
        "category": code,
        "complainant": _complainant(arguments, errors),
        "location": _location(arguments, errors),
        "language": lang.value,
    }
    name = service_name(code, lang, org)
    body["description"] = _description(arguments, name, errors)
    if arguments.get("media_url"):
        body["media_url"] = arguments["media_url"]
    body["subject"] = _subject(name, arguments.get("description", ""), lang)
    for attribute_code, value in attributes.items():
        attribute = ATTRIBUTE_BY_CODE[attribute_code]
        if attribute.datatype == "datetime":
            value = local_date(value, settings.timezone, attribute_code, errors)
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
    text = f"{name}{colon(lang)}{words}"
    if len(text) <= 80:
        return text
    cut = text[:79]
    if " " in cut[len(name) + 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut + "…"


def _put(body: dict, path: tuple[str, ...], value: str) -> None:
    for part in path[:-1]:
        body = body.setdefault(part, {})
    body[path[-1]] = value


def _validation_messages(error: ValidationError) -> list[str]:
    messages = []
    for item in error.errors(include_url=False, include_input=False):
        message = item["msg"].removeprefix("Value error, ")
        messages.append(f"{parameter(tuple(str(part) for part in item['loc']))}: {message}")
    return list(dict.fromkeys(messages))


_PARAMETER_OF = {
    ("complainant", "office_phone"): "phone",
    ("complainant", "email"): "email",
    ("complainant", "mobile"): "phone",
    ("complainant", "name"): "first_name/last_name",
    ("description",): "description",
}


def parameter(path: tuple[str, ...]) -> str:
    """The Open311 name of a ComplaintInput field, for error descriptions."""
    if path in _PARAMETER_OF:
        return _PARAMETER_OF[path]
    if path[:1] == ("location",):
        return path[1] if len(path) > 1 else "location"
    if path in ATTRIBUTE_BY_PATH:
        return f"attribute[{ATTRIBUTE_BY_PATH[path].code}]"
    return ".".join(path)
