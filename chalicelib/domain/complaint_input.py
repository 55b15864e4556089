"""What a complainant (or an agent on their behalf) submits (`ComplaintInput`) and the parts
it is made of; pydantic validates them.
"""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field, field_validator, model_validator

from .base import empty_list
from .contact import ContactPreference, normalise_mobile
from .fields import _PHONE, Configured, Email, MediaUrl, Mobile, OneOf, Phone, Strict, Text
from .patterns import NON_BLANK
from .vocabulary import Kind, Language, Priority, ProblemType, Severity

DEFAULT_CATEGORIES = (
    "product_quality",
    "service_attitude",
    "service_efficiency",
    "professional_competence",
    "billing",
    "delivery",
    "other",
)


def _present(name: str, schema: dict | None = None) -> dict:
    return {"required": [name], "properties": {name: schema or {"type": "string"}}}


# "name is required unless the complaint is anonymous", and a way to reach them, in JSON Schema.
NAMED_UNLESS_ANONYMOUS = {
    "if": {"properties": {"anonymous": {"const": False}}},
    "then": {
        **_present("name", {"type": "string", "pattern": NON_BLANK}),
        "anyOf": [
            _present("mobile"),
            _present("office_phone"),
            _present("email"),
            _present("address", {"type": "string", "pattern": NON_BLANK}),
        ],
        # A contact preference needs the contact it names.
        "allOf": [
            {
                "if": _present("contact_preference", {"const": preference}),
                "then": {"anyOf": [_present(name) for name in names]},
            }
            for preference, names in (
                ("email", ("email",)),
                ("sms", ("mobile",)),
                ("phone", ("mobile", "office_phone")),
            )
        ],
    },
}


class Complainant(Strict):
    model_config = ConfigDict(json_schema_extra=NAMED_UNLESS_ANONYMOUS)

    name: Text(100) | None = None
    mobile: Mobile | None = None
    office_phone: Phone | None = None
    email: Email | None = None
    address: Text(500) | None = None
    organisation: Text(200) | None = None
    anonymous: bool = False
    confidential: bool = False
    # How they want to hear from us; unset: e-mail if given, else SMS to the mobile.
    contact_preference: ContactPreference | None = None

    @field_validator("office_phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value and not _PHONE.match(value):
            raise ValueError("not a valid phone number")
        return value or None

    @field_validator("mobile")
    @classmethod
    def _mobile(cls, value: str | None) -> str | None:
        return normalise_mobile(value) if value else None

    @model_validator(mode="after")
    def _contact_unless_anonymous(self) -> Complainant:
        if self.anonymous:
            return self
        if not self.name:
            raise ValueError("name is required unless the complaint is anonymous")
        if not (self.mobile or self.office_phone or self.email or self.address):
            raise ValueError(
                "give at least one of mobile, office_phone, email or address,"
                " or mark the complaint anonymous"
            )
        needs = {
            ContactPreference.email: ("email", self.email),
            ContactPreference.sms: ("mobile", self.mobile),
            ContactPreference.phone: ("mobile or office_phone", self.mobile or self.office_phone),
        }.get(self.contact_preference)
        if needs and not needs[1]:
            raise ValueError(f"contact_preference {self.contact_preference} needs {needs[0]}")
        return self


class Product(Strict):
    name: Text(200) | None = None
    model: Text(100) | None = None
    serial_number: Text(100) | None = None
    batch: Text(100) | None = None
    shipment_number: Text(100) | None = None
    shipped_on: date | None = None


class Respondent(Strict):
    """Who is complained about (被投诉对象): a department, a person, or both."""

    department: Text(100) | None = None
    person: Text(100) | None = None


ALLOWED_ATTACHMENT_TYPES = ("image/jpeg", "image/png", "application/pdf", "text/plain")


class AttachmentRef(Strict):
    """Evidence the complainant refers to; files themselves are uploaded separately."""

    filename: Text(255, min_length=1)
    content_type: OneOf(ALLOWED_ATTACHMENT_TYPES)
    size_bytes: int = Field(ge=1, le=10 * 1024 * 1024)

    @field_validator("content_type")
    @classmethod
    def _allowed_type(cls, value: str) -> str:
        if value not in ALLOWED_ATTACHMENT_TYPES:
            raise ValueError(f"must be one of: {', '.join(ALLOWED_ATTACHMENT_TYPES)}")
        return value


class Location(Strict):
    """Where the problem is, as an Open311 client gives it (WGS84 and/or an address)."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {
                    "required": ["lat", "long"],
                    "properties": {"lat": {"type": "number"}, "long": {"type": "number"}},
                },
                {"properties": {"lat": {"type": "null"}, "long": {"type": "null"}}},
            ]
        }
    )

    lat: float | None = Field(default=None, ge=-90, le=90)
    long: float | None = Field(default=None, ge=-180, le=180)
    address_string: Text(500) | None = None
    address_id: Text(100) | None = None
    zipcode: Text(20) | None = None

    @model_validator(mode="after")
    def _lat_with_long(self) -> Location:
        if (self.lat is None) != (self.long is None):
            raise ValueError("lat and long must be given together")
        return self


class ComplaintInput(Strict):
    """What a complainant (or an agent on their behalf) submits."""

    kind: Kind = Kind.complaint
    category: Configured(50, "categories")
    problem_type: ProblemType | None = None
    severity: Severity = Severity.normal
    priority: Priority = Priority.medium
    subject: Text(200, min_length=1)
    description: Text(10_000, min_length=1)
    desired_outcome: Text(2_000) | None = None
    complainant: Complainant
    respondent: Respondent | None = None
    product: Product | None = None
    department: Configured(100, "departments") | None = None
    required_completion_date: date | None = None
    people_affected: int = Field(default=1, ge=1, le=100_000)
    attachments: list[AttachmentRef] = Field(default_factory=empty_list, max_length=10)
    location: Location | None = None
    media_url: MediaUrl | None = None
    language: Language = Language.zh_cn
