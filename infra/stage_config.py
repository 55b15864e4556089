"""What .chalice/config.json says about a stage, and the checks a stage passes before it builds."""

from __future__ import annotations

import json
from pathlib import Path

from infra.functions import FUNCTIONS, Function

PROJECT = Path(__file__).resolve().parent.parent


# Variables of the local stack (scripts/local_env.sh): none may reach a deployable stage.
LOCAL_ONLY_VARIABLES = (
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AUTH_JWKS_FILE",
    "LOCAL_DIR",
    "LOCAL_SIGN_IN",  # the console's demo sign-in (chalicelib/http/local_signin.py)
)


class BuildError(Exception):
    pass


def chalice_config() -> dict:
    return json.loads((PROJECT / ".chalice" / "config.json").read_text())


def _config(stage: str, function: Function):
    """Chalice's view of .chalice/config.json for one function in one stage."""
    from chalice.config import Config

    return Config(
        chalice_stage=stage,
        function_name=function.chalice_name,
        config_from_disk=chalice_config(),
    )


def stage_environment(stage: str, function: Function) -> dict[str, str]:
    """A function's variables as chalice computes them from .chalice/config.json."""
    return _config(stage, function).environment_variables


def metrics_namespace(stage: str) -> str:
    namespace = stage_environment(stage, FUNCTIONS[0]).get("POWERTOOLS_METRICS_NAMESPACE")
    if not namespace:
        raise BuildError(f"stage {stage}: set POWERTOOLS_METRICS_NAMESPACE in .chalice/config.json")
    return namespace


def log_retention_days(stage: str) -> int:
    """The stage's "log_retention_in_days": chalice's log groups and the stack's own."""
    days = chalice_config()["stages"][stage].get("log_retention_in_days")
    if not days:
        raise BuildError(f"stage {stage}: set log_retention_in_days in .chalice/config.json")
    return int(days)


def check_stage_config(stage: str) -> None:
    if stage not in chalice_config().get("stages", {}):
        raise BuildError(f"no stage {stage!r} in .chalice/config.json")
    for function in FUNCTIONS:
        leaked = sorted(set(stage_environment(stage, function)) & set(LOCAL_ONLY_VARIABLES))
        if leaked:
            raise BuildError(
                f"stage {stage}: local-only variables {leaked} in .chalice/config.json"
            )
        if not _config(stage, function).iam_policy_file:
            raise BuildError(f"stage {stage}: no iam_policy_file for {function.chalice_name}")


def lambda_runtime() -> str:
    """The runtime .chalice/config.json declares; chalice itself takes the packaging
    interpreter's version, so the two are checked against each other."""
    runtime = chalice_config().get("lambda_runtime")
    if not runtime:
        raise BuildError('declare "lambda_runtime" (e.g. "python3.11") in .chalice/config.json')
    return runtime
