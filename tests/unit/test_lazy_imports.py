"""What a cold start imports (issue 19 item 3): importing the app loads the routes and the
first intake's domain, never the report, export or documentation machinery, and no
pydantic model builds its validator before it is first used.

Each check runs in a fresh interpreter, so what other tests imported does not count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Imported by the views or the document that need them, never by `import app`.
NOT_AT_IMPORT = (
    "openpyxl",
    "email_validator",
    "boto3",
    "botocore",
    "pynamodb",
    "aws_lambda_powertools",
    "chalicelib.service.reports",
    "chalicelib.domain.reporting",
    "chalicelib.domain.stats",
    "chalicelib.presentation",
    "chalicelib.service.staff",
    "chalicelib.service.queues",
    "chalicelib.service.callbacks",
    "chalicelib.service.attachments",
    "chalicelib.service.search",
    "chalicelib.service.conversation",
    "chalicelib.http.schemas",
    "chalicelib.http.schemas_reports",
    "chalicelib.http.schemas_attachments",
    "chalicelib.http.schemas_callbacks",
    "chalicelib.http.schemas_search",
    "chalicelib.http.schemas_conversation",
    # Open311: routes.py alone; its views and the document import the rest when they run.
    "chalicelib.http.open311.access",
    "chalicelib.http.open311.attributes",
    "chalicelib.http.open311.catalogue",
    "chalicelib.http.open311.dates",
    "chalicelib.http.open311.documentation",
    "chalicelib.http.open311.form",
    "chalicelib.http.open311.labels",
    "chalicelib.http.open311.operations",
    "chalicelib.http.open311.render",
    "chalicelib.http.open311.schemas",
    "chalicelib.http.open311.search",
    "chalicelib.http.open311.view",
    "chalicelib.http.schemas_accounts",
    "chalicelib.service.accounts",
    "chalicelib.adapters.staff_accounts",
    "chalicelib.adapters.account_journal",
    # Query and filter models of the staff routes: their views and the document import them.
    "chalicelib.domain.lookup_queries",
    "chalicelib.domain.queue_filters",
    "chalicelib.domain.listing",
    # The staff's and the complainant's commands (bodies of actions, withdrawal, re-complaint).
    "chalicelib.domain.commands",
    "chalicelib.domain.conversation_bodies",
    "chalicelib.domain.callback_input",
    "chalicelib.domain.audit_query",
)


def imported_by(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def loaded(modules: set[str], name: str) -> list[str]:
    return sorted(m for m in modules if m == name or m.startswith(name + "."))


@pytest.fixture(scope="module")
def after_import() -> set[str]:
    return imported_by("import app")


@pytest.mark.parametrize("name", NOT_AT_IMPORT)
def test_importing_the_app_does_not_import(after_import, name):
    assert loaded(after_import, name) == []


def test_the_document_still_finds_every_lazily_named_model():
    """`openapi.Later` names a model by module and name: a typo fails here, not in a client."""
    modules = imported_by(
        "import app\n"
        "from chalicelib.http.openapi import build_document\n"
        "from chalicelib.config import Settings\n"
        "build_document(app.app)"
    )
    assert "chalicelib.http.schemas_reports" in modules


# Runs in a fresh interpreter: every module of the service imported, `models` its pydantic
# models; `expression` (over `models`) is printed as JSON.
EVERY_MODEL = (
    "import app, pkgutil, importlib, chalicelib, json\n"
    "from pydantic import BaseModel\n"
    "for info in pkgutil.walk_packages(chalicelib.__path__, 'chalicelib.'):\n"
    "    importlib.import_module(info.name)\n"
    "def subclasses(cls):\n"
    "    for sub in cls.__subclasses__():\n"
    "        yield sub\n"
    "        yield from subclasses(sub)\n"
    "models = [m for m in subclasses(BaseModel) if m.__module__.startswith('chalicelib')]\n"
    "print(json.dumps(sorted({expression})))"
)


def over_every_model(expression: str) -> list:
    script = EVERY_MODEL.replace("{expression}", expression)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_every_model_of_the_service_defers_building_its_validator():
    """A model added without the shared base (domain/base.py) would build at import again."""
    eager = over_every_model(
        "{f'{m.__module__}.{m.__qualname__}' for m in models"
        " if '[' not in m.__qualname__ and not m.model_config.get('defer_build')}"
    )
    assert eager == []


def test_no_model_field_takes_a_builtin_as_its_default_factory():
    """pydantic tokenizes a builtin factory's text signature (domain/base.empty_list)."""
    found = over_every_model(
        "{f'{m.__module__}.{m.__qualname__}.{name}' for m in models"
        " for name, field in {**m.model_fields, **m.__private_attributes__}.items()"
        " if getattr(field.default_factory, '__module__', None) == 'builtins'}"
    )
    assert found == []


def test_a_deferred_model_still_validates():
    """Deferring builds the same validator later: a bad intake is still refused."""
    from pydantic import ValidationError

    from chalicelib.domain.complaint_input import ComplaintInput

    with pytest.raises(ValidationError) as caught:
        ComplaintInput.model_validate(
            {
                "category": "billing",
                "subject": " ",
                "description": "x",
                "complainant": {"name": "Li", "email": "not-an-address"},
                "surprise": 1,
            }
        )
    fields = {".".join(map(str, error["loc"])) for error in caught.value.errors()}
    assert fields == {"subject", "complainant.email", "surprise"}


def test_no_pydantic_plugin_is_installed_and_the_app_skips_the_scan_for_one():
    """app.py sets PYDANTIC_DISABLE_PLUGINS (cold start): a plugin added to the requirements
    would be switched off without a word, so there must be none."""
    from importlib.metadata import entry_points

    assert list(entry_points(group="pydantic")) == []
    modules = imported_by(
        "import os\n"
        "os.environ.pop('PYDANTIC_DISABLE_PLUGINS', None)\n"
        "import app\n"
        "assert os.environ['PYDANTIC_DISABLE_PLUGINS'] == '__all__'"
    )
    assert "pydantic.plugin._loader" in modules  # a model was built: the switch was read
