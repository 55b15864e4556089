"""Field types the input models share: trimmed text, configured values, phone, e-mail and
link formats, and the strict base that refuses unknown fields.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from .base import Model
from .email_address import EmailAddress
from .patterns import NON_BLANK, SPACE

# A leading bracket too: "(010) 6552 1234" is how an area code is commonly written.
_PHONE = re.compile(r"^\+?[0-9(][0-9 ()\-]{4,24}$")
# What the documents promise (stricter: no space at the end, which would be stripped).
PHONE_PATTERN = r"^\+?[0-9(][0-9 ()\-]{3,23}[0-9()\-]$"
# contact.normalise_mobile's rule as the documents give it (without separators): a mainland
# mobile with or without +86/0086/86, or E.164 outside +86.
MOBILE_PATTERN = (
    r"^(?:(?:\+86|0086|86)?1[3-9][0-9]{9}|\+(?:[1-79][0-9]{6,14}|8[0-57-9][0-9]{5,13}))$"
)


def Text(max_length: int, min_length: int = 0):  # noqa: N802 - reads like a type
    constraints = StringConstraints(
        strip_whitespace=True, min_length=min_length, max_length=max_length
    )
    if not min_length:
        return Annotated[str, constraints]
    # Whitespace is stripped before the length is checked: say so in the JSON Schema.
    return Annotated[str, constraints, Field(json_schema_extra={"pattern": NON_BLANK})]


def Configured(max_length: int, setting: str):  # noqa: N802 - reads like a type
    """Text whose allowed values are an organisation's setting (checked by the service);
    the OpenAPI document lists them (see http/openapi.py)."""
    return Annotated[Text(max_length, 1), Field(json_schema_extra={"x-configured": setting})]


def OneOf(values) -> type:  # noqa: N802 - reads like a type
    """A string the service checks against `values` (its own validator names them): the
    JSON Schema lists them as an enum."""
    return Annotated[str, Field(json_schema_extra={"enum": list(values)})]


_LINK = re.compile(r"^https?://[^\s/?#@]+[^\s]*$", re.IGNORECASE)


def _http_link(value: str) -> str:
    # Kept as given (no normalising): staff open exactly what the complainant sent.
    if not _LINK.match(value):
        raise ValueError("must be an http or https URL")
    return value


# A link to a photo or video of the problem, as a reporting app sends one, shown to staff.
MEDIA_URL_PATTERN = f"^[hH][tT][tT][pP][sS]?://[^{SPACE}/?#@]+[^{SPACE}]*$"  # _LINK
MediaUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=2000),
    AfterValidator(_http_link),
    Field(json_schema_extra={"pattern": MEDIA_URL_PATTERN}),
]


class Strict(Model):
    """Unknown fields are errors: a typo in a form must not silently drop data."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _any_case(word: str) -> str:
    return "".join(f"[{c}{c.upper()}]" for c in word)


# The e-mail check refuses special-use domains (RFC 6761), e.g. a.b@example.test.
SPECIAL_USE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
EMAIL_PATTERN = (
    r"^(?!.*[@.](?:" + "|".join(_any_case(name) for name in SPECIAL_USE_DOMAINS) + r")$)"
)
Email = Annotated[EmailAddress, Field(max_length=254, json_schema_extra={"pattern": EMAIL_PATTERN})]
Phone = Annotated[Text(30), Field(json_schema_extra={"pattern": PHONE_PATTERN})]
Mobile = Annotated[Text(30), Field(json_schema_extra={"pattern": MOBILE_PATTERN})]


def not_before(first: str, last: str):
    """A validator of `last` (declared after `first`) that refuses a value before `first`'s:
    a field error, not the model's, so that the answer names `last`."""

    def check(cls, value, info: ValidationInfo):
        earlier = info.data.get(first)
        if earlier and value and value < earlier:
            raise ValueError(f"{last} is before {first}")
        return value

    return field_validator(last)(classmethod(check))
