"""The finding that ends the handling of a complaint (核实是否属实, 有效投诉, 责任认定, 处理意见).

Internal: it feeds the monthly assessment (考核) and is never shown to the complainant.
Pure pydantic; the service checks the department against the organisation's settings and
who may see the responsible person (service/views.py, the one masking function).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import (
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from .base import Model
from .patterns import NON_BLANK


class Substantiated(StrEnum):
    yes = "yes"  # 属实
    partly = "partly"  # 部分属实
    no = "no"  # 不属实


FOUND = (Substantiated.yes, Substantiated.partly)


def _text(max_length: int, required: bool = False):
    constraints = StringConstraints(
        strip_whitespace=True, min_length=1 if required else 0, max_length=max_length
    )
    if not required:
        return Annotated[str, constraints]
    return Annotated[str, constraints, Field(json_schema_extra={"pattern": NON_BLANK})]


class Responsible(Model):
    """Who was found responsible (责任认定): a configured department, optionally a person."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    department: Annotated[
        _text(100, required=True), Field(json_schema_extra={"x-configured": "departments"})
    ]
    person: _text(100) | None = None


# The rules below in JSON Schema, so a generated client knows them (docs: /openapi.json).
FINDING_RULES = {
    "allOf": [
        {
            "if": {
                "required": ["substantiated"],
                "properties": {"substantiated": {"enum": [s.value for s in FOUND]}},
            },
            "then": {
                "required": ["responsible", "action"],
                "properties": {
                    "responsible": {"type": "object"},
                    "action": {"type": "string", "pattern": NON_BLANK},
                },
            },
        },
        {
            "if": {
                "required": ["substantiated"],
                "properties": {"substantiated": {"const": Substantiated.no.value}},
            },
            "then": {"properties": {"valid": {"const": False}}},
        },
    ]
}


class Finding(Model):
    """Substantiated or not; valid (the organisation's own failure) or not; who is
    responsible and what was decided about them (required when substantiated or partly)."""

    # Field validators (not a model one), so that a refusal names its field.
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=FINDING_RULES
    )

    substantiated: Substantiated
    valid: bool = Field(description="有效投诉: the organisation's own failure")
    responsible: Responsible | None = Field(default=None, validate_default=True)
    action: _text(2000) | None = Field(
        default=None,
        validate_default=True,
        description="处理意见: what was decided about the responsible",
    )

    @field_validator("valid")
    @classmethod
    def _valid_only_if_found(cls, valid: bool, info: ValidationInfo) -> bool:
        if valid and info.data.get("substantiated") == Substantiated.no:
            raise ValueError("a complaint found not substantiated cannot be valid")
        return valid

    @field_validator("responsible", "action")
    @classmethod
    def _required_if_found(cls, value, info: ValidationInfo):
        if not value and info.data.get("substantiated") in FOUND:
            raise ValueError(f"{info.field_name} is required when substantiated is yes or partly")
        return value or None

    @property
    def responsible_department(self) -> str | None:
        return self.responsible.department if self.responsible else None
