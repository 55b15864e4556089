"""What the stack adds to chalice's REST API: API Gateway's own answers in the service's
error shape (infra/gateway.py) and the stage's throttling (infra/abuse.py)."""

from __future__ import annotations

from infra import abuse
from infra.gateway import swagger_extension


def rest_api(config: dict, stage: str) -> dict:
    """Merged into chalice's RestAPI resource."""
    extension = {"x-amazon-apigateway-gateway-responses": swagger_extension()}
    throttling = abuse.method_settings(abuse.stage_limits(config, stage))
    properties = {"DefinitionBody": extension, "MethodSettings": throttling}
    return {"RestAPI": {"Properties": properties}}
