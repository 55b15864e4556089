"""Finish the deployment.zip that `chalice package` writes: prune what no function imports,
and add bytecode for the Lambda runtime's Python.

Lambda's /var/task is read-only, so a module without a usable .pyc is compiled on every
cold start (`import app` took 550 ms of CPU from chalice's zip against 290 ms with
bytecode). The .pyc files are written with unchecked hashes: the interpreter uses them
without comparing the sources' modification times, which unzipping does not keep.

docs/deploy.md lists what the package holds and why.
"""

from __future__ import annotations

import compileall
import importlib.util
import py_compile
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from chalicelib.adapters.aws import SERVICES

# Deployed code lives in /var/task: tracebacks name the files where they are on Lambda.
LAMBDA_TASK_ROOT = "/var/task"

# Directories no function imports (checked by tests/infra/test_package.py, which runs the
# app and creates every client from the unzipped package):
# - dnspython: email_validator imports it only to check deliverability, which
#   domain/email_address does not ask for;
# - pycparser: cffi needs it to build bindings, not to load the built ones.
UNUSED_PACKAGES = ("dns", "pycparser")
# botocore's models of the ~400 services other than the ones the app uses (SERVICES).
BOTOCORE_DATA = "botocore/data"


class PackageError(Exception):
    pass


def runtime_tag(runtime: str) -> str:
    """The bytecode tag of a Lambda runtime: python3.11 -> cpython-311."""
    version = runtime.removeprefix("python")
    major, _, minor = version.partition(".")
    if not (major.isdigit() and minor.isdigit()):
        raise PackageError(f"not a Python Lambda runtime: {runtime!r}")
    return f"cpython-{major}{minor}"


def check_interpreter(runtime: str) -> None:
    """Bytecode is only valid for the interpreter version that wrote it."""
    if sys.implementation.cache_tag != runtime_tag(runtime):
        raise PackageError(
            f"the Lambda runtime is {runtime} but this is {sys.implementation.cache_tag}:"
            f" package with Python {runtime.removeprefix('python')} (make package does)"
        )


def is_pruned(name: str) -> bool:
    top = name.split("/", 1)[0]
    if top in UNUSED_PACKAGES or top.split("-", 1)[0] in {"dnspython", "pycparser"}:
        return True
    if name.startswith(BOTOCORE_DATA + "/"):
        rest = name[len(BOTOCORE_DATA) + 1 :]
        return "/" in rest and rest.split("/", 1)[0] not in SERVICES
    return False


def finish(zip_path: Path, runtime: str) -> dict[str, int]:
    """Rewrite zip_path pruned and with bytecode; returns counts for the build's log."""
    check_interpreter(runtime)
    with tempfile.TemporaryDirectory(prefix="complaints-package-") as scratch:
        root = Path(scratch) / "task"
        with zipfile.ZipFile(zip_path) as archive:
            kept = [info for info in archive.infolist() if not is_pruned(info.filename)]
            pruned = len(archive.infolist()) - len(kept)
            for info in kept:
                archive.extract(info, root)
                _keep_mode(info, root)
        compiled = compileall.compile_dir(
            root,
            quiet=2,
            stripdir=str(root),
            prependdir=LAMBDA_TASK_ROOT,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
            workers=0,
        )
        if not compiled:
            raise PackageError("some modules of the package do not compile")
        new_zip = Path(scratch) / "deployment.zip"
        pycs = _write_zip(root, new_zip)
        shutil.move(new_zip, zip_path)
    return {"pruned": pruned, "bytecode": pycs}


def _keep_mode(info: zipfile.ZipInfo, root: Path) -> None:
    mode = (info.external_attr >> 16) & 0o777
    if mode and not info.is_dir():
        (root / info.filename).chmod(mode)


def _write_zip(root: Path, target: Path) -> int:
    """Entries in a stable order with a fixed date, so equal trees give equal zips."""
    pycs = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (path.stat().st_mode & 0o777 | 0o100000) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
            pycs += name.endswith(".pyc")
    return pycs


def magic_of(pyc: bytes) -> bytes:
    return pyc[:4]


def current_magic() -> bytes:
    return importlib.util.MAGIC_NUMBER
