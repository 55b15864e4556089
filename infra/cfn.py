"""CloudFormation's intrinsic functions and the few shapes every part of the stack repeats."""

from __future__ import annotations


def camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def ref(name: str) -> dict:
    return {"Ref": name}


def get_att(name: str, attribute: str) -> dict:
    return {"Fn::GetAtt": [name, attribute]}


def sub(text: str) -> dict:
    return {"Fn::Sub": text}


def not_empty(parameter: str) -> dict:
    return {"Fn::Not": [{"Fn::Equals": [ref(parameter), ""]}]}


def kept_in(protected: bool) -> dict:
    policy = "Retain" if protected else "Delete"
    return {"DeletionPolicy": policy, "UpdateReplacePolicy": policy}


def deleted_with_stack() -> dict:
    return kept_in(False)
