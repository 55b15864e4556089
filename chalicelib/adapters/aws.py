"""boto3 clients, created on first use so that importing the app stays cheap."""

from functools import cache


@cache
def client(service: str):
    import boto3

    return boto3.client(service)
