"""The documented teardown empties a versioned bucket so that it can be deleted (issue 13,
item 15): the command in docs/deploy.md, run as written against a local AWS."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import boto3
import pytest

from bench.common import local_aws as running_local_aws

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def local_aws():
    with running_local_aws() as url:
        yield url


def aws_env(url: str) -> dict:
    return {
        **os.environ,
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }


def documented_emptying_command() -> str:
    text = (ROOT / "docs" / "deploy.md").read_text()
    [line] = re.findall(r'(?m)^\.venv/bin/python -m scripts\.empty_bucket "\$FILES".*$', text)
    return line.split("#")[0].strip()


def test_the_documented_commands_empty_a_versioned_bucket(local_aws):
    s3 = boto3.session.Session(**{"region_name": "us-east-1"}).client(
        "s3", endpoint_url=local_aws, aws_access_key_id="local", aws_secret_access_key="local"
    )
    bucket = "complaints-dev-attachmentsbucket-1a2b3c"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    for n in range(3):
        s3.put_object(Bucket=bucket, Key=f"attachments/TS-1/{n}.jpg", Body=b"first")
        s3.put_object(Bucket=bucket, Key=f"attachments/TS-1/{n}.jpg", Body=b"second")
    s3.delete_object(Bucket=bucket, Key="attachments/TS-1/0.jpg")  # a delete marker
    # What the docs used to say leaves versions behind, and the bucket cannot go.
    with pytest.raises(s3.exceptions.ClientError, match="BucketNotEmpty"):
        s3.delete_bucket(Bucket=bucket)

    command = documented_emptying_command()
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=ROOT,
        env={**aws_env(local_aws), "FILES": bucket},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "deleted 7 " in result.stdout  # 6 versions and 1 delete marker
    listed = s3.list_object_versions(Bucket=bucket)
    assert not listed.get("Versions") and not listed.get("DeleteMarkers")
    s3.delete_bucket(Bucket=bucket)
