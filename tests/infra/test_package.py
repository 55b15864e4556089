"""The deployment package: bytecode for the declared runtime, nothing pruned that runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from infra import build, functions, package, stage_config


@pytest.fixture(scope="session")
def unzipped(template_paths, tmp_path_factory) -> Path:
    into = tmp_path_factory.mktemp("package")
    with zipfile.ZipFile(template_paths["dev"].parent / "deployment.zip") as archive:
        archive.extractall(into)
    return into


def names(template_paths, stage="dev") -> set[str]:
    with zipfile.ZipFile(template_paths[stage].parent / "deployment.zip") as archive:
        return set(archive.namelist())


def pyc_of(name: str, tag: str) -> str:
    folder, _, module = name.rpartition("/")
    return f"{folder + '/' if folder else ''}__pycache__/{module[:-3]}.{tag}.pyc"


def test_the_declared_runtime_is_what_every_function_runs(templates):
    runtime = stage_config.chalice_config()["lambda_runtime"]
    for template in templates.values():
        for function in functions.FUNCTIONS:
            properties = template["Resources"][function.logical_id]["Properties"]
            assert properties["Runtime"] == runtime


@pytest.mark.parametrize("stage", build.STAGES)
def test_every_module_ships_bytecode_for_the_declared_runtime(template_paths, stage):
    runtime = stage_config.chalice_config()["lambda_runtime"]
    tag = package.runtime_tag(runtime)
    assert tag == sys.implementation.cache_tag  # the interpreter that wrote them
    listed = names(template_paths, stage)
    sources = [name for name in listed if name.endswith(".py")]
    assert "app.py" in sources and "chalicelib/wiring.py" in sources
    missing = [name for name in sources if pyc_of(name, tag) not in listed]
    assert not missing, missing[:20]
    with zipfile.ZipFile(template_paths[stage].parent / "deployment.zip") as archive:
        pyc = archive.read(pyc_of("app.py", tag))
    assert pyc[:4] == package.current_magic()
    flags = int.from_bytes(pyc[4:8], "little")
    assert flags == 0b01, "unchecked-hash bytecode: used whatever the files' dates"


def test_runtime_tags():
    assert package.runtime_tag("python3.11") == "cpython-311"
    assert package.runtime_tag("python3.13") == "cpython-313"
    with pytest.raises(package.PackageError):
        package.runtime_tag("nodejs20.x")


def test_a_runtime_other_than_the_packaging_python_is_refused():
    other = "python3.12" if sys.version_info[:2] != (3, 12) else "python3.13"
    with pytest.raises(package.PackageError, match="package with Python"):
        package.check_interpreter(other)


def test_nothing_unused_is_shipped(template_paths):
    listed = names(template_paths)
    tops = {name.split("/", 1)[0] for name in listed}
    assert not tops & set(package.UNUSED_PACKAGES)
    for leftover in ("tests", "bench", "infra", "scripts", "boto3", "moto", "s3transfer"):
        assert leftover not in tops
    models = {
        name.split("/")[2]
        for name in listed
        if name.startswith("botocore/data/") and name.count("/") > 2
    }
    assert models <= set(package.SERVICES) | {"__pycache__"}


def test_the_unzipped_package_runs_from_bytecode(unzipped):
    """Imports the app, the authorizer's JWT code, e-mail validation and a client of every
    service from the package alone (boto3/botocore's own copy is the package's), with no
    module compiled from source."""
    code = (
        "import app, jwt, jwt.algorithms\n"
        "from chalicelib.adapters import aws\n"
        "from chalicelib.domain.model import ComplaintInput\n"
        "from chalicelib.config import get_calendar\n"
        "from chalicelib.domain.email_address import normalised\n"
        "normalised('Li@Example.COM')\n"
        "get_calendar()\n"
        "print(sorted(type(aws.client(s)).__name__ for s in aws.SERVICES))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "AWS_ENDPOINT"))}
    env |= {"PYTHONPATH": str(unzipped), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-v", "-c", code], cwd=unzipped, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().replace("'", '"')) == [
        "CognitoIdentityProvider",  # the staff directory (GET /staff/directory)
        "DynamoDB",
        "S3",
        "SES",
        "SNS",
    ]
    loaded = [
        line.rsplit(" ", 1)[-1].strip("'")
        for line in done.stderr.splitlines()
        if line.startswith("# code object from") and str(unzipped) in line
    ]
    assert any(path.endswith("app.cpython-311.pyc") for path in loaded)
    assert [path for path in loaded if not path.endswith(".pyc")] == []


def test_every_page_and_file_the_function_serves_is_shipped(template_paths):
    from chalicelib.http import console, meta
    from chalicelib.http.static_files import STATIC

    root = Path(__file__).resolve().parents[2]
    served = [*meta.ASSETS.values(), *console.assets().values()]
    served += [STATIC / f"{page}.html" for page in meta.PAGES] + [STATIC / "shell.html"]
    served += [console.FILES / "console.html"]
    listed = names(template_paths)
    missing = [str(p.relative_to(root)) for p in served if str(p.relative_to(root)) not in listed]
    assert not missing, missing
    assert "chalicelib/http/static/shared/elements.js" in listed
