"""Builds the deployable templates once per session, the way `make package` does."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from infra import build


@pytest.fixture(scope="session")
def template_paths() -> dict[str, Path]:
    # A scratch directory, not build/: tests never read a stale build, nor clobber one.
    with tempfile.TemporaryDirectory(prefix="complaints-infra-") as out:
        yield {stage: build.package(stage, Path(out) / stage) for stage in build.STAGES}


@pytest.fixture(scope="session")
def templates(template_paths) -> dict[str, dict]:
    return {stage: json.loads(path.read_text()) for stage, path in template_paths.items()}
