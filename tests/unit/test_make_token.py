"""`make token` works exactly as the README and the Makefile's comment write it (issue 13,
item 17): `*` reaches the token unexpanded, several roles and departments, USER_ID."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import jwt

ROOT = Path(__file__).resolve().parents[2]


def make_token(tmp_path: Path, *assignments: str) -> dict:
    # The shell's glob has something to match: a `*` left unquoted would expand to these.
    (tmp_path / "a-file").touch()
    env = {**os.environ, "LOCAL_DIR": str(tmp_path / "local")}
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", str(ROOT), "token", *assignments],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert re.fullmatch(r"[\w-]+\.[\w-]+\.[\w-]+", token), result.stdout
    return jwt.decode(token, options={"verify_signature": False})


def test_every_department(tmp_path):
    claims = make_token(tmp_path, "ROLE=director", "DEPT=*")
    assert claims["custom:departments"] == "*"
    assert claims["cognito:groups"] == ["director"] and claims["sub"] == "director-1"


def test_several_roles_and_departments(tmp_path):
    claims = make_token(tmp_path, "ROLE=handler,quality", "DEPT=service,sales", "USER_ID=h-7")
    assert claims["cognito:groups"] == ["handler", "quality"]
    assert claims["custom:departments"] == "sales,service"
    assert claims["sub"] == "h-7"


def test_the_readme_commands_are_the_ones_that_work():
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "USER=" not in makefile.replace("USER_ID=", "")
    # Never a script run outside the virtualenv: `scripts/x.py` needs .venv's packages.
    bare = re.findall(r"(?m)^(?:\S+=\S+ )*(?:python3? )?scripts/\S+\.py", readme)
    assert bare == []
    assert "run `scripts/" not in readme


def test_the_default_user_is_named_after_the_first_role(tmp_path):
    assert make_token(tmp_path, "ROLE=manager,quality")["sub"] == "manager-1"
