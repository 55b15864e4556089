"""Evidence files in a private S3 bucket: presigned uploads and downloads, and a check of
what was stored.

The browser sends the file straight to S3 with a presigned POST whose policy fixes the
key, the exact size and the Content-Type declared, so the service never carries the
bytes and S3 refuses anything else. Downloads are presigned GETs that expire in minutes.

What the deployment must provide (ATTACHMENTS_BUCKET):
- a private, versioned bucket: all four public-access blocks on, no policy granting anyone,
  default encryption (SSE-S3; SSE-KMS would also need kms:GenerateDataKey/Decrypt);
- CORS on it allowing POST (uploads) and GET (downloads) from the pages' origins;
- for the API function's role, on arn:aws:s3:::BUCKET/attachments/*: s3:PutObject (the
  presigned POST is signed with it), s3:GetObject and s3:GetObjectVersion (presigned GET
  of the confirmed version, HeadObject on confirm),
  s3:DeleteObject (a stored file that does not match its declaration); and s3:ListBucket on
  the bucket (prefix attachments/), without which HeadObject of a missing key is a 403,
  not a 404;
- optionally a lifecycle rule expiring objects never confirmed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote

UPLOAD_SECONDS = 15 * 60
DOWNLOAD_SECONDS = 5 * 60


def bucket_name() -> str:
    return os.environ.get("ATTACHMENTS_BUCKET", "complaints-attachments")


def _s3():
    from .aws import client

    return client("s3")  # SigV4 (adapters/aws.py)


@dataclass(frozen=True)
class StoredObject:
    size_bytes: int
    content_type: str
    version_id: str | None = None


def presigned_upload(key: str, content_type: str, size_bytes: int) -> dict:
    """{url, fields} for a multipart/form-data POST of exactly this file to `key`."""
    conditions = [
        {"Content-Type": content_type},
        ["content-length-range", size_bytes, size_bytes],
    ]
    return _s3().generate_presigned_post(
        Bucket=bucket_name(),
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=conditions,
        ExpiresIn=UPLOAD_SECONDS,
    )


def presigned_download(
    key: str, filename: str, content_type: str, version_id: str | None = None
) -> str:
    """A GET link that expires in DOWNLOAD_SECONDS and saves the file under its name.

    With the version confirmed, the link serves those bytes even if the key was written
    again later (the bucket is versioned; the upload link stays valid for a while)."""
    # RFC 6266/5987: a UTF-8 name (e.g. Chinese) survives only as filename*.
    disposition = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
    return _s3().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": bucket_name(),
            "Key": key,
            "ResponseContentDisposition": disposition,
            "ResponseContentType": content_type,
            **({"VersionId": version_id} if version_id else {}),
        },
        ExpiresIn=DOWNLOAD_SECONDS,
    )


def stored(key: str) -> StoredObject | None:
    """What S3 holds under `key` (size and type), or None if nothing was uploaded."""
    from botocore.exceptions import ClientError

    try:
        head = _s3().head_object(Bucket=bucket_name(), Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return StoredObject(
        int(head["ContentLength"]), head.get("ContentType", ""), head.get("VersionId")
    )


def read(key: str, version_id: str | None = None) -> bytes | None:
    """The bytes of a stored file (the version confirmed), or None if it is gone."""
    from botocore.exceptions import ClientError

    args = {
        "Bucket": bucket_name(),
        "Key": key,
        **({"VersionId": version_id} if version_id else {}),
    }
    try:
        return _s3().get_object(**args)["Body"].read()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NoSuchVersion"):
            return None
        raise


def delete(key: str) -> None:
    _s3().delete_object(Bucket=bucket_name(), Key=key)


def reset() -> None:
    """Forget the client (tests switch between moto backends and endpoints)."""
    _s3.cache_clear()


def put(key: str, data: bytes, content_type: str) -> str | None:
    """Store a file the service received itself (an e-mail reply's attachment); returns
    the stored version."""
    response = _s3().put_object(Bucket=bucket_name(), Key=key, Body=data, ContentType=content_type)
    return response.get("VersionId")


def inbound_bucket() -> str:
    return os.environ.get("INBOUND_BUCKET", "complaints-inbound-mail")


def read_inbound(key: str, bucket: str | None = None) -> bytes:
    """A raw e-mail SES's receipt rule stored (or the local SMTP listener)."""
    return _s3().get_object(Bucket=bucket or inbound_bucket(), Key=key)["Body"].read()
