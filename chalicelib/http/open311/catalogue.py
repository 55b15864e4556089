"""What a client reads before it posts: discovery, the service list (the configured complaint
categories) and each service's definition (the extra fields it may send as attributes)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from ...domain.org_settings import OrgSettings
from ...domain.vocabulary import Language
from .access import Open311Config
from .attributes import ATTRIBUTES, Attribute
from .errors import Open311Error
from .labels import CHOICES, TEXT, service_name, t

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def services_digest(org: OrgSettings) -> str:
    """A digest of everything the service list and definitions say, in every language:
    it changes exactly when what a client would fetch changes."""
    document = [
        [service_list(org, lang)]
        + [service_definition(code, org, lang) for code in org.codes("categories")]
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


def service_list(org: OrgSettings, lang: Language) -> list[dict]:
    """The services: the categories in use (a retired one takes no new requests)."""
    return [_service(code, lang, org) for code in org.codes("categories")]


def _service(code: str, lang: Language, org: OrgSettings) -> dict:
    name = service_name(code, lang, org)
    names = tuple(org.names("categories")[code].values())
    return {
        "service_code": code,
        "service_name": name,
        "description": t(TEXT["service_description"], lang).format(name=name),
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys([*names, code])),
        "group": t(TEXT["group"], lang),
    }


def service_definition(code: str, org: OrgSettings, lang: Language) -> dict:
    known_service(code, org)
    return {
        "service_code": code,
        "attributes": [
            _attribute(attribute, order, org, lang)
            for order, attribute in enumerate(ATTRIBUTES, start=1)
        ],
    }


def known_service(code: str | None, org: OrgSettings) -> str:
    if not code:
        raise Open311Error(400, "service_code was not provided")
    if code not in org.codes("categories"):
        raise Open311Error(404, f"service_code {code!r} not found")
    return code


def _attribute(attribute: Attribute, order: int, org: OrgSettings, lang: Language) -> dict:
    described = attribute.datatype_description
    body = {
        "variable": True,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": False,
        "datatype_description": t(described, lang) if described else None,
        "order": order,
        "description": t(attribute.description, lang),
    }
    if attribute.choices:
        body["values"] = [
            {"key": key, "name": name} for key, name in _choices(attribute, org, lang)
        ]
    return body


def _choices(attribute: Attribute, org: OrgSettings, lang: Language) -> list[tuple[str, str]]:
    if attribute.choices == "department":
        return [(d, org.name("departments", d, lang.value)) for d in org.codes("departments")]
    return [(str(key), t(names, lang)) for key, names in CHOICES[attribute.choices].items()]
