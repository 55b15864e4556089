"""A complainant's data on request (issue 21 item 7): every complaint found by their phone or
e-mail through the lookup's keyed index, with their own data and the public messages.

For admin and quality. Bounded per request: one page of `limit` complaints (one Query per
lookup partition and one BatchGetItem, as a search), then one Query of each complaint's
partition for its public thread. Confidential complainants' partitions are read too: the
answer is the person's own data, and an access request must be complete. Each request is
audited (who, when, by which kind of key, how many complaints; never the key).
"""

from __future__ import annotations

from datetime import UTC

from ..domain.actor import Actor, Role
from ..domain.errors import Forbidden
from ..domain.lookup import LookupKind, SubjectQuery, partition
from ..domain.model import Complaint
from .context import Services

READERS = (Role.ADMIN, Role.QUALITY)


def subject_access(query: dict, actor: Actor, services: Services) -> dict:
    if not actor.has_role(*READERS):
        raise Forbidden("only admin and quality may answer a subject access request")
    wanted = SubjectQuery.model_validate(query).checked()
    kind, value = wanted.kind, wanted.normalised()
    secret = services.complaints.lookup_key
    keys = [partition(secret, kind, value), partition(secret, kind, value, confidential=True)]
    complaints, cursor = services.complaints.find(keys, wanted.limit, wanted.cursor)
    items = [_case(complaint, services) for complaint in complaints]
    now = services.clock.now()
    _audit(actor, now, kind, len(items), services)
    return {
        "by": kind.value,
        "generated_at": now.astimezone(UTC).isoformat(),
        "items": items,
        "next_cursor": cursor,
    }


def _case(complaint: Complaint, services: Services) -> dict:
    from .views import public_thread_view

    _, events, _, views = services.complaints.load_thread(complaint.number)
    data = complaint.data.model_dump(mode="json", exclude_none=True)
    return {
        "number": complaint.number,
        "received_at": _iso(complaint.received_at),
        "channel": complaint.channel.value,
        "status": complaint.status.value,
        "category": complaint.data.category,
        "department": complaint.department,
        "closed_at": _iso(complaint.closed_at),
        "submitted": data,
        "survey": complaint.survey.model_dump(mode="json") if complaint.survey else None,
        "files": [
            {
                "filename": f.filename,
                "content_type": f.content_type,
                "size_bytes": f.size_bytes,
                "added_at": _iso(f.added_at),
            }
            for f in complaint.attachments
        ],
        "messages": public_thread_view(complaint, events, views),
    }


def _iso(value) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _audit(actor: Actor, now, kind: LookupKind, results: int, services: Services) -> None:
    """The administration audit (GET /staff/admin/audit) and the lookup's access log
    (GET /staff/search/log: it is a search by who someone is); never the key."""
    from ..adapters import admin_audit
    from ..domain.admin_audit import entry

    roles = sorted(role.value for role in actor.roles)
    services.complaints.log_search(now, actor.user_id, roles, kind.value, results)
    admin_audit.record(
        entry(
            now,
            actor,
            "subject_access.read",
            "subject",
            details={"by": kind.value, "results": results},
        )
    )


def to_zip(page: dict) -> bytes:
    """The same answer as a zip: the whole page, and one file per complaint."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.json", _json(page))
        for item in page["items"]:
            archive.writestr(f"complaints/{item['number']}.json", _json(item))
        archive.writestr("README.txt", README)
    return buffer.getvalue()


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=2)


README = (
    "Subject access export / 个人信息查阅导出\n"
    "subject-access.json: this page of the answer (next_cursor: more complaints follow).\n"
    "complaints/<number>.json: each complaint: what the person submitted, its status and\n"
    "dates, their survey answer, the files they sent (names only) and the public messages.\n"
)
