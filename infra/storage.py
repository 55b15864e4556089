"""The attachments bucket (evidence files) and its policy."""

from __future__ import annotations

from infra.cfn import get_att, kept_in, private_bucket, ref, sub

# Where chalicelib/service/attachments.py keys evidence files; the API role may touch no other.
ATTACHMENTS_PREFIX = "attachments/"


# Long enough for any upload to finish; presigned POSTs expire after 15 minutes.
INCOMPLETE_UPLOAD_DAYS = 1


# Default retention of replaced attachment versions (parameter AttachmentsRetentionDays).
NONCURRENT_RETENTION_DAYS = 1095


def attachments(protected: bool) -> dict:
    """Evidence files (chalicelib/adapters/attachments.py): private, encrypted, TLS only.
    Browsers POST them straight to the bucket and fetch them by presigned links, so its CORS
    admits the pages' origins. The API role's grants are in .chalice/policy-api-handler.json."""
    bucket = {
        "Type": "AWS::S3::Bucket",
        # Evidence is part of the case record: in prod it outlives the stack, like the table.
        **kept_in(protected),
        "Properties": {
            **private_bucket(),
            # A confirmed file is served by its version: writing the key again (the upload
            # link stays valid a while) cannot replace the evidence staff download.
            "VersioningConfiguration": {"Status": "Enabled"},
            # The same rule as the local stack's (scripts/bootstrap.py).
            "CorsConfiguration": {
                "CorsRules": [
                    {
                        "AllowedOrigins": page_origins(),
                        "AllowedMethods": ["POST", "GET"],
                        "AllowedHeaders": ["*"],
                        "MaxAge": 600,
                    }
                ]
            },
            "LifecycleConfiguration": {
                "Rules": [
                    {
                        "Id": "abort-incomplete-multipart-uploads",
                        "Status": "Enabled",
                        "AbortIncompleteMultipartUpload": {
                            "DaysAfterInitiation": INCOMPLETE_UPLOAD_DAYS
                        },
                    },
                    # A version replaced by a later upload or a delete is kept for the
                    # retention period, then expires; so do delete markers left alone.
                    {
                        "Id": "expire-replaced-versions",
                        "Status": "Enabled",
                        "NoncurrentVersionExpiration": {
                            "NoncurrentDays": ref("AttachmentsRetentionDays")
                        },
                        "ExpiredObjectDeleteMarker": True,
                    },
                ]
            },
        },
    }
    deny_plain_http = {
        "Sid": "DenyPlainHttp",
        "Effect": "Deny",
        "Principal": "*",
        # A deny: the wildcard widens what is refused, it grants nothing.
        "Action": "s3:*",
        "Resource": [
            get_att("AttachmentsBucket", "Arn"),
            sub("${AttachmentsBucket.Arn}/*"),
        ],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    policy = {
        "Type": "AWS::S3::BucketPolicy",
        # Stays on a kept bucket, so that it keeps refusing plain HTTP.
        **kept_in(protected),
        "Properties": {
            "Bucket": ref("AttachmentsBucket"),
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [deny_plain_http]},
        },
    }
    return {"AttachmentsBucket": bucket, "AttachmentsBucketPolicy": policy}


def site_origin() -> dict:
    """scheme://host[:port] of PublicBaseUrl, which the parameter pins to https://..."""
    host = {"Fn::Select": [2, {"Fn::Split": ["/", ref("PublicBaseUrl")]}]}
    return {"Fn::Join": ["", ["https://", host]]}


def page_origins() -> dict:
    with_others = {"Fn::Split": [",", {"Fn::Join": [",", [site_origin(), ref("CorsOrigins")]]}]}
    return {"Fn::If": ["HasCorsOrigins", with_others, [site_origin()]]}
