"""docs/deploy.md names the regions the stack cannot deploy to (issue 13, item 18)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.unit.test_deploy_docs import documented_regions_without_services


def test_the_documented_regions_are_where_the_template_cannot_deploy(template_paths):
    """cfn-lint's region data says where the resource types exist: the table must agree."""
    documented = documented_regions_without_services()
    assert {"ap-east-1", "cn-north-1", "cn-northwest-1"} <= set(documented)
    supported = ["us-east-1", "ap-southeast-1"]
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), "--regions", *documented, *supported]
        + ["--"]
        + [str(template_paths["prod"])],
        capture_output=True,
        text=True,
    )
    found: dict[str, set[str]] = {}
    pattern = r"Resource type 'AWS::(SES|Cognito)::\w+' does not exist in '([\w-]+)'"
    for service, region in re.findall(pattern, result.stdout):
        found.setdefault(region, set()).add(service)
    assert found == documented, result.stdout[-2000:]
