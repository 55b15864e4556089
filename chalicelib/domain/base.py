"""The one base of the service's pydantic models.

`defer_build`: a model's validator (its core schema) is built the first time the model is
used, not when its module is imported. A cold start then builds only the models its first
request touches; what each model checks is unchanged.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)


# Default factories of model fields. pydantic asks `inspect.signature` of each whether it
# takes the validated data; for a builtin (`list`, `dict`) that tokenizes its text
# signature: ~2 ms the first time (compiling tokenize's patterns), ~0.1 ms after, ~3 ms of
# a cold start's first intake. A Python function answers at once, with the same value.
# tests/unit/test_lazy_imports.py fails on a builtin default factory.
def empty_list() -> list:
    return []


def empty_dict() -> dict:
    return {}
