"""The JSON shapes of Open311 answers, for the OpenAPI document (XML mirrors them)."""

from __future__ import annotations

from pydantic import ConfigDict, Field, RootModel

from ...domain.base import Model


class Open311Endpoint(Model):
    specification: str
    url: str
    changeset: str
    type: str
    formats: list[str]


class Open311Discovery(Model):
    changeset: str = Field(
        description="when the service list or definitions last changed (UTC, W3C): fetch"
        " them again when it moves",
        json_schema_extra={"format": "date-time"},
    )
    contact: str
    key_service: str
    endpoints: list[Open311Endpoint]


class Open311Service(Model):
    service_code: str
    service_name: str
    description: str | None
    metadata: bool
    type: str
    keywords: str | None
    group: str | None


class Open311Services(RootModel[list[Open311Service]]):
    model_config = ConfigDict(defer_build=True)


class Open311Value(Model):
    key: str
    name: str


class Open311Attribute(Model):
    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str | None
    order: int
    description: str
    values: list[Open311Value] | None = None


class Open311ServiceDefinition(Model):
    service_code: str
    attributes: list[Open311Attribute]


class Open311Request(Model):
    service_request_id: str
    status: str
    status_notes: str | None
    service_name: str | None
    service_code: str
    description: str | None
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str | None
    expected_datetime: str | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


class Open311Requests(RootModel[list[Open311Request]]):
    model_config = ConfigDict(defer_build=True)


class Open311Created(Model):
    service_request_id: str
    service_notice: str | None
    account_id: str | None


class Open311CreatedList(RootModel[list[Open311Created]]):
    model_config = ConfigDict(defer_build=True)


class Open311Token(Model):
    service_request_id: str
    token: str


class Open311Tokens(RootModel[list[Open311Token]]):
    model_config = ConfigDict(defer_build=True)
