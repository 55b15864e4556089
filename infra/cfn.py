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


def topic(display_name: str) -> dict:
    return {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": display_name}}


def private_bucket() -> dict:
    """A bucket's properties for files only the stack's roles touch: no public access, no
    ACLs (the bucket owns every object), encrypted at rest."""
    return {
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "BucketEncryption": {
            "ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
            ]
        },
    }


def lambda_role(policy_name: str, statements: list) -> dict:
    """A role for a function the stack declares itself (not chalice's), with one policy."""
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "Policies": [
                {
                    "PolicyName": policy_name,
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                }
            ],
        },
    }
