"""Running `chalice package` and checking what it emits against infra/functions.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from infra import inbound
from infra.cfn import ref
from infra.environment import environment
from infra.functions import FUNCTIONS
from infra.stage_config import LOCAL_ONLY_VARIABLES, PROJECT, BuildError, lambda_runtime


def package_environment(region: str) -> dict[str, str]:
    """The caller's environment minus anything AWS or app specific: `chalice package` must
    not see a local endpoint or dummy keys, and needs only a region."""
    app_variables = set(LOCAL_ONLY_VARIABLES).union(*(environment(f) for f in FUNCTIONS))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key not in app_variables
    }
    env["AWS_DEFAULT_REGION"] = region
    return env


def chalice_command() -> str:
    beside_python = Path(sys.executable).parent / "chalice"
    return str(beside_python) if beside_python.exists() else "chalice"


def run(stage: str, merge_path: Path, out_dir: Path, region: str) -> Path:
    """`chalice package` of one stage with the merge template; returns the sam.json path."""
    command = [
        chalice_command(),
        "--project-dir",
        str(PROJECT),
        "package",
        "--stage",
        stage,
        "--merge-template",
        str(merge_path),
        str(out_dir),
    ]
    result = subprocess.run(
        command, cwd=PROJECT, env=package_environment(region), capture_output=True, text=True
    )
    if f"policy-{stage}.json" in result.stderr:
        raise BuildError(
            f"chalice looked for .chalice/policy-{stage}.json: a function has no iam_policy_file"
            f" in stage {stage} of .chalice/config.json. Give it its own policy file there and"
            " wire it in FUNCTIONS of infra/functions.py."
        )
    if result.returncode != 0:
        raise BuildError(f"chalice package --stage {stage} failed:\n{result.stderr}")
    return out_dir / "sam.json"


def wire_sns_topics(template: dict) -> None:
    """Point SNS subscriptions at the stack's topic. chalice names a topic by its name in
    app.py, and --merge-template merges dicts key by key, so the whole value is replaced
    here instead (a topic of the stack, not one of a fixed name per account)."""
    for function in FUNCTIONS:
        if function.sns_event:
            events = template["Resources"][function.logical_id]["Properties"]["Events"]
            events[function.sns_event]["Properties"]["Topic"] = ref("EmailEventsTopic")


def check_runtime(template: dict) -> None:
    runtime = lambda_runtime()
    for function in FUNCTIONS:
        emitted = template["Resources"][function.logical_id]["Properties"].get("Runtime")
        if emitted != runtime:
            raise BuildError(
                f"chalice packaged {function.logical_id} for {emitted}, but .chalice/config.json"
                f" declares {runtime}: run the build with that Python"
            )


def check_functions(template: dict) -> None:
    """Every function chalice emits must be one this module wires, and the other way round:
    a new function needs its environment, policy file and alarms before it can deploy."""
    resources = template["Resources"]
    emitted = {
        name
        for name, resource in resources.items()
        if resource.get("Type") == "AWS::Serverless::Function"
    } - {inbound.FUNCTION}  # declared by the stack itself (infra/inbound.py)
    wired = {function.logical_id for function in FUNCTIONS}
    if emitted - wired:
        raise BuildError(
            f"chalice emitted functions {sorted(emitted - wired)} that infra/functions.py does not"
            " wire: add them to FUNCTIONS and give them a .chalice/policy-*.json"
        )
    missing = sorted(name for name in wired if "Type" not in resources.get(name, {}))
    if missing:
        raise BuildError(
            f"infra/functions.py wires functions {missing} that the app does not define"
            " (expected from app.py; see FUNCTIONS)"
        )
    for function in FUNCTIONS:
        events = resources[function.logical_id]["Properties"].get("Events", {})
        if function.schedule_event and "Type" not in events.get(function.schedule_event, {}):
            raise BuildError(
                f"{function.logical_id} has no schedule event {function.schedule_event!r}:"
                f" chalice emitted {sorted(events)}"
            )
