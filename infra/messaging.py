"""Notifications and mail: the staff and ops topics, and SES's sender identity and
configuration set. Bounces and complaints of that set are wired in infra/abuse.py."""

from __future__ import annotations

from infra.cfn import ref, topic


def messaging() -> dict:
    return {
        # Staff subscribe with filter policies on the `department` and `audience` attributes.
        "NotificationsTopic": topic("Complaints"),
        "OpsTopic": topic("Complaints ops"),
        "OpsEmailSubscription": {
            "Type": "AWS::SNS::Subscription",
            "Condition": "HasOpsEmail",
            "Properties": {
                "TopicArn": ref("OpsTopic"),
                "Protocol": "email",
                "Endpoint": ref("OpsEmail"),
            },
        },
        "EmailConfigurationSet": {
            "Type": "AWS::SES::ConfigurationSet",
            "Properties": {
                "ReputationOptions": {"ReputationMetricsEnabled": True},
                "SendingOptions": {"SendingEnabled": True},
            },
        },
        # Applies the configuration set to all mail from the sender; the app need not name it.
        "SenderIdentity": {
            "Type": "AWS::SES::EmailIdentity",
            "Properties": {
                "EmailIdentity": ref("SenderEmail"),
                "ConfigurationSetAttributes": {
                    "ConfigurationSetName": ref("EmailConfigurationSet")
                },
            },
        },
    }
