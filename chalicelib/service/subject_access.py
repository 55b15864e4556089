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
from ..domain.lookup import LookupKind, partition
from ..domain.lookup_queries import SubjectQuery
from ..domain.model import Complaint
from .context import Services

READERS = (Role.ADMIN, Role.QUALITY)


def subject_access(query: dict, actor: Actor, services: Services) -> dict:
    return _answer(query, actor, services)[0]


def export(query: dict, actor: Actor, services: Services, read_file=None) -> tuple[bytes, str]:
    """The same page as a zip, with the files the person sent (`to_zip`); and its UTC day."""
    page, complaints = _answer(query, actor, services)
    files = {c.number: [a for a in c.attachments if a.uploaded_at] for c in complaints}
    return to_zip(page, files, read_file or _read_file), page["generated_at"][:10]


def _read_file(attachment) -> bytes | None:
    from ..adapters.attachments import read

    return read(attachment.key, attachment.version_id)


def _answer(query: dict, actor: Actor, services: Services) -> tuple[dict, list[Complaint]]:
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
    page = {
        "by": kind.value,
        "generated_at": now.astimezone(UTC).isoformat(),
        "items": items,
        "next_cursor": cursor,
    }
    return page, complaints


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


def to_zip(page: dict, files: dict | None = None, read_file=None) -> bytes:
    """The same answer as a zip: the whole page, one file per complaint, and the files the
    person sent (confirmed uploads, the version that was checked) while they fit in
    EXPORT_FILE_BYTES; what does not fit, or cannot be read, is named in NOT-INCLUDED.txt."""
    import io
    import zipfile

    included, left_out = _pack((files or {}), EXPORT_FILE_BYTES)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.json", _json(page))
        for item in page["items"]:
            archive.writestr(f"complaints/{item['number']}.json", _json(item))
        for number, attachment in included:
            data = read_file(attachment)
            if data is None:
                left_out.append((number, attachment, "the stored file could not be read"))
                continue
            archive.writestr(_path(number, attachment), data, zipfile.ZIP_STORED)
        archive.writestr("README.txt", README)
        if left_out:
            archive.writestr("NOT-INCLUDED.txt", _not_included(left_out))
    return buffer.getvalue()


def _pack(files: dict, cap: int) -> tuple[list, list]:
    """The files that fit in `cap` bytes, in page order; the rest with the reason."""
    included, left_out, total = [], [], 0
    for number, attachments in files.items():
        for attachment in attachments:
            if total + attachment.size_bytes > cap:
                left_out.append((number, attachment, OVER_CAP))
                continue
            total += attachment.size_bytes
            included.append((number, attachment))
    return included, left_out


def _path(number: str, attachment) -> str:
    """complaints/<number>/files/<id>-<name>: the id keeps two files of one name apart."""
    name = attachment.filename.replace("/", "_").replace("\\", "_").lstrip(".") or "file"
    return f"complaints/{number}/files/{attachment.id[:8]}-{name}"


def _not_included(left_out: list) -> str:
    lines = [NOT_INCLUDED]
    for number, attachment, reason in left_out:
        lines.append(f"{number}  {attachment.filename}  {attachment.size_bytes} bytes  {reason}")
    return "\n".join(lines) + "\n"


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=2)


# A Lambda answer carries at most 6 MB and a binary body travels base64 (4 bytes for 3):
# the files of one export stay under 4 MiB so that the zip always arrives.
EXPORT_FILE_BYTES = 4 * 1024 * 1024
OVER_CAP = f"over the export's {EXPORT_FILE_BYTES // (1024 * 1024)} MiB for files"
NOT_INCLUDED = (
    "Files not in this export / 未包含在本导出中的文件\n"
    "Ask again with a smaller page (limit=1, then the cursor) to get each complaint's files,\n"
    "or download a file from the complaint in the console.\n"
    "请用更小的分页（limit=1，再用 cursor）重新导出，或在工作台的案件页下载该文件。\n"
)
README = (
    "Subject access export / 个人信息查阅导出\n"
    "subject-access.json: this page of the answer (next_cursor: more complaints follow).\n"
    "complaints/<number>.json: each complaint: what the person submitted, its status and\n"
    "dates, their survey answer, the files they sent and the public messages.\n"
    "complaints/<number>/files/: the files they sent, as stored; NOT-INCLUDED.txt names any\n"
    "that did not fit in this export.\n"
)
