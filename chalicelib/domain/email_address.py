"""An e-mail address field: pydantic's `EmailStr`, the same checks, normalisation, errors
and JSON Schema, with email_validator loaded the cheap way (cold start, issue 19 item 3).

`EmailStr` (pydantic 2.14.3, `pydantic.networks`) imports email_validator when a model
using it is built and asks `importlib.metadata` for its version (a scan of sys.path); its
`rfc_constants` then compiles five Unicode-range character classes (~19 ms of the first
intake). `EmailAddress` builds the same core and JSON Schema; its validator is a copy of
`pydantic.networks.validate_email` that imports email_validator on the first address it
checks, after registering `domain/email_rfc_constants.py` (the same sets, cheap to compile)
as its `rfc_constants`. The pinned versions stand in for the version check:
tests/unit/test_email_address.py compares both with EmailStr and upstream's constants.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

# pydantic.networks' limits and "Name <address>" form, unchanged.
MAX_EMAIL_LENGTH = 2048
_NAME_CHARS = r"[\w.!#$%&\'*+\-/=?^_`{|}~]"
_QUOTED_NAME = r'"((?:[^"]|\")+)"'
_PRETTY = re.compile(rf"\s*(?:((?:{_NAME_CHARS}+\s+)*{_NAME_CHARS}+)|{_QUOTED_NAME})?\s*<(.+)>\s*")
_MESSAGE = "value is not a valid email address: {reason}"

_library = None


def email_validator():
    """email_validator, imported over the cheap constants unless something loaded it first."""
    global _library
    if _library is None:
        if "email_validator" not in sys.modules:
            from . import email_rfc_constants

            sys.modules.setdefault("email_validator.rfc_constants", email_rfc_constants)
        import email_validator as library

        _library = library
    return _library


def _refuse(reason: str) -> PydanticCustomError:
    return PydanticCustomError("value_error", _MESSAGE, {"reason": reason})


def normalised(value: str) -> str:
    """pydantic.networks.validate_email's normalised address (its second value)."""
    library = email_validator()
    if len(value) > MAX_EMAIL_LENGTH:
        raise _refuse(f"Length must not exceed {MAX_EMAIL_LENGTH} characters")
    if "\r" in value or "\n" in value:
        raise _refuse("Carriage return and line feed characters are not allowed")
    pretty = _PRETTY.fullmatch(value)
    if pretty:
        value = pretty.group(3)
    try:
        parts = library.validate_email(value.strip(), check_deliverability=False)
    except library.EmailNotValidError as error:
        raise _refuse(str(error.args[0])) from error
    return parts.normalized


class EmailAddress:
    """Where a model says `EmailStr`, say `EmailAddress`: the document does not change."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, _source: type[Any], _handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(normalised, core_schema.str_schema())

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        field_schema = handler(schema)
        field_schema.update(type="string", format="email")
        return field_schema
