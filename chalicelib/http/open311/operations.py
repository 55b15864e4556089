"""What each Open311 request does, in our terms: submit a complaint, find complaints by
window and status, get one. Answers are plain dicts and lists in the spec's field order;
render.py writes them as XML or JSON."""

from __future__ import annotations

from ...domain.errors import InvalidCommand
from ...domain.vocabulary import Channel, Language
from ...service.context import Services
from ...service.intake import submit_complaint
from ...service.reads import find_received, get_complaint, get_complaints
from . import search
from .catalogue import known_service
from .errors import Open311Error
from .form import complaint_input, parameter
from .view import notice, to_request


def create_request(
    arguments: dict[str, str],
    attributes: dict[str, str],
    services: Services,
    lang: Language,
    client: str,
) -> list[dict]:
    """Submit through the same intake as the web form; the id is the complaint number.
    Requests are created at once (type "realtime"), so no token is ever issued."""
    settings = services.settings
    org = services.org
    code = known_service(arguments.get("service_code"), org)
    data = complaint_input(code, arguments, attributes, settings, lang, org)
    try:
        receipt = submit_complaint(
            data, services, channel=Channel.open311, actor=client, actor_role="complainant"
        )
    except InvalidCommand as error:
        raise Open311Error(
            400, *(f"{parameter((field,))}: {why}" for field, why in error.fields.items())
        ) from error
    complaint = get_complaint(receipt.number, services)
    return [
        {
            "service_request_id": receipt.number,
            "service_notice": notice(complaint, receipt.number, settings, lang),
            "account_id": arguments.get("account_id"),
        }
    ]


def get_request(number: str, services: Services, lang: Language) -> list[dict]:
    complaint = get_complaint(number, services) if 0 < len(number) <= 50 else None
    if complaint is None:
        raise Open311Error(404, f"service_request_id {number!r} not found")
    return [to_request(complaint, services.settings, lang, services.org)]


def find_requests(query: dict[str, str], services: Services, lang: Language) -> list[dict]:
    """GET requests: by ids (which override every other filter) or by a received window."""
    settings = services.settings
    ids = search.csv(query.get("service_request_id"))
    if ids:
        if len(ids) > search.MAX_IDS:
            raise Open311Error(400, f"at most {search.MAX_IDS} service_request_id values at once")
        found = get_complaints(ids, services)
    else:
        now = services.clock.now()
        start, end = search.request_window(query, now, settings.received_bounds)
        statuses = search.statuses(query.get("status"))
        categories = set(search.csv(query.get("service_code")))
        skip, limit = search.paging(query)
        found = find_received(
            start,
            end,
            services,
            statuses=statuses,
            categories=categories,
            skip=skip,
            limit=limit,
        )
    org = services.org
    return [to_request(complaint, settings, lang, org) for complaint in found]


def find_token(token: str) -> list[dict]:
    """Requests are created at once and answered with their id, so no token exists."""
    if not token:
        raise Open311Error(400, "token was not provided")
    raise Open311Error(
        404, f"token {token!r} not found: this server answers POST requests with the id"
    )
