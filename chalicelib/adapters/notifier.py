"""Delivers outbox messages: e-mail through SES, staff messages through one SNS topic.

Staff subscribe to the topic with a filter policy on the `department` and `audience`
message attributes, so one topic serves every department.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..domain.notifications import Message
from ..domain.sms import signed
from ..service.ports import DeliveryError, Suppressed
from .aws import client


class AwsNotifier:
    def __init__(
        self,
        sender: str,
        topic_arn: str,
        sms_sender_id: str = "",
        suppressed: Callable[[str], str | None] | None = None,
        sms_signature: str = "",
        reply_to: Callable[[str], str | None] | None = None,
    ):
        self.sender = sender
        self.topic_arn = topic_arn
        self.sms_sender_id = sms_sender_id
        self.sms_signature = sms_signature
        # Why an address must not be mailed (it bounced, or its owner reported spam), or None.
        self.suppressed = suppressed
        # The reply address of a case (reply+<token>@INBOUND_DOMAIN), or None: no inbound mail.
        self.reply_to = reply_to

    def send(self, message: Message) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            if message.channel == "email":
                self._email(message)
            elif message.channel == "sms":
                self._sms(message)
            elif message.channel == "raw_email":
                self._raw_email(message)
            else:
                self._publish(message)
        except (ClientError, BotoCoreError) as error:
            raise DeliveryError(_describe(error)) from error

    def _email(self, message: Message) -> None:
        if self.suppressed and self.suppressed(message.recipient):
            raise Suppressed("suppressed: the address bounced or reported spam")
        extra = {}
        if message.attributes.get("complaint"):
            # Named in SES's bounce and complaint events (service/bounces.py).
            extra["Tags"] = [{"Name": "complaint", "Value": message.attributes["complaint"]}]
        reply_to = self._reply_address(message)
        if reply_to:
            # A reply lands in the case's thread (service/inbound_mail.py).
            extra["ReplyToAddresses"] = [reply_to]
        client("ses").send_email(
            Source=self.sender,
            Destination={"ToAddresses": [message.recipient]},
            Message={
                "Subject": {"Data": message.subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": message.body, "Charset": "UTF-8"}},
            },
            **extra,
        )

    def _reply_address(self, message: Message) -> str | None:
        number = message.attributes.get("complaint")
        if message.audience != "complainant" or not number or self.reply_to is None:
            return None
        return self.reply_to(number)

    def _raw_email(self, message: Message) -> None:
        # A whole MIME message with attachments (the monthly report).
        client("ses").send_raw_email(
            Source=self.sender,
            Destinations=[address for address in message.recipient.split(",") if address],
            RawMessage={"Data": message.body.encode("utf-8")},
        )

    def _publish(self, message: Message) -> None:
        attributes = {
            key: {"DataType": "String", "StringValue": value}
            for key, value in message.attributes.items()
        }
        kwargs = {"TopicArn": self.topic_arn, "Message": message.body}
        # SNS subjects must be printable ASCII under 100 characters.
        if message.subject.isascii() and len(message.subject) < 100:
            kwargs["Subject"] = message.subject
        client("sns").publish(MessageAttributes=attributes, **kwargs)

    def _sms(self, message: Message) -> None:
        """SNS publish to a phone number, signed here so that no text leaves without the
        organisation's registered signature. Transactional: delivered even to numbers on
        do-not-disturb lists where the country allows it, at the higher price."""
        attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if self.sms_sender_id:
            attributes["AWS.SNS.SMS.SenderID"] = {
                "DataType": "String",
                "StringValue": self.sms_sender_id,
            }
        text = signed(self.sms_signature, message.body)
        client("sns").publish(
            PhoneNumber=message.recipient, Message=text, MessageAttributes=attributes
        )


def _describe(error: Exception) -> str:
    """The error's code and message, with any e-mail address in it blanked out."""
    response = getattr(error, "response", None) or {}
    detail = response.get("Error", {})
    if not detail:
        return type(error).__name__
    message = _PHONE.sub("<number>", _ADDRESS.sub("<address>", detail.get("Message", "")))
    return f"{detail.get('Code', 'Error')}: {message}"


_ADDRESS = re.compile(r"[^\s,;:<>]+@[^\s,;:<>]+")
_PHONE = re.compile(r"\+?\d[\d ]{6,}\d")
