"""The e2e modules' `stack`: what `make run` starts, on free ports, once per module."""

import pytest

from tests.e2e.test_local_stack import local_stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with local_stack(tmp_path_factory.mktemp("local-stack")) as running:
        yield running
