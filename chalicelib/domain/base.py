"""The one base of the service's pydantic models.

`defer_build`: a model's validator (its core schema) is built the first time the model is
used, not when its module is imported. A cold start then builds only the models its first
request touches; what each model checks is unchanged.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)
