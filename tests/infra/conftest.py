"""Builds the deployable templates once per session, the way `make package` does."""

from __future__ import annotations

import fcntl
import json
import tempfile
from pathlib import Path

import pytest

from infra import build


@pytest.fixture(scope="session")
def template_paths(tmp_path_factory, worker_id) -> dict[str, Path]:
    # A scratch directory, not build/: tests never read a stale build, nor clobber one.
    if worker_id == "master":
        with tempfile.TemporaryDirectory(prefix="complaints-infra-") as out:
            yield build.package_stages(build.STAGES, Path(out))
        return
    # Under pytest-xdist (`make test`) the first worker to get here builds for the whole run
    # (the run's shared temporary directory), the others wait for it and read the same files.
    out = tmp_path_factory.getbasetemp().parent / "infra-templates"
    with open(f"{out}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "built").exists():
            build.package_stages(build.STAGES, out)
            (out / "built").touch()
    yield {stage: out / stage / "sam.json" for stage in build.STAGES}


@pytest.fixture(scope="session")
def templates(template_paths) -> dict[str, dict]:
    return {stage: json.loads(path.read_text()) for stage, path in template_paths.items()}
