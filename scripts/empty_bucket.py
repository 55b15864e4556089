"""Delete every object version and delete marker in an S3 bucket, so it can be deleted.

    .venv/bin/python -m scripts.empty_bucket BUCKET

The attachments bucket is versioned: `aws s3 rm --recursive` (and `aws s3 rb --force`)
only add delete markers over the current versions, every older version stays, and
CloudFormation's delete then fails with BucketNotEmpty. This lists the versions and the
delete markers (ListObjectVersions) and deletes them a page at a time (DeleteObjects, at
most 1,000 keys a call). Uses the AWS CLI's credentials and region (boto3 reads the same).
"""

from __future__ import annotations

import argparse
import sys


class NotEmptied(Exception):
    pass


def empty(bucket_name: str, s3=None) -> int:
    """Delete all versions and delete markers; return how many were deleted."""
    import boto3

    bucket = (s3 or boto3.resource("s3")).Bucket(bucket_name)
    deleted = 0
    for response in bucket.object_versions.delete():
        errors = response.get("Errors", [])
        if errors:
            first = errors[0]
            raise NotEmptied(f"{len(errors)} not deleted, e.g. {first['Key']}: {first['Message']}")
        deleted += len(response.get("Deleted", []))
    return deleted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bucket")
    args = parser.parse_args(argv)
    try:
        count = empty(args.bucket)
    except NotEmptied as error:
        print(f"empty_bucket: {error}", file=sys.stderr)
        return 1
    print(f"{args.bucket}: deleted {count} object versions and delete markers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
