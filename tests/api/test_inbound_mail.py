"""E-mail replies (issue 17 items 4-5): Reply-To on complainant e-mail, a reply through the
same handler SES's S3 event runs, exactly once, held when it cannot be trusted."""

from dataclasses import replace
from email.message import EmailMessage

import pytest

from chalicelib.adapters.clock import FixedClock
from chalicelib.domain.reply_address import reply_address
from tests.api.test_conversation import MONDAY, REQUEST, at, in_progress, public_get  # noqa: F401
from tests.api.test_conversation import services as services  # noqa: F401 - fixture
from tests.api.test_conversation import staff as staff  # noqa: F401 - fixture

DOMAIN = "reply.example.org"
QUOTED = (
    "\n\n在 2026年3月2日 星期一 10:00，投诉服务 <complaints@example.org> 写道：\n"
    "> 请补充以下材料：\n> 1. 购物小票照片\n"
)


@pytest.fixture
def inbound(services):
    services.settings = replace(services.settings, inbound_domain=DOMAIN)
    return services


def mail(
    number,
    services,
    text,
    sender="zhang@example.com",
    message_id="<m1@example.com>",
    headers=None,
    files=(),
):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = reply_address(number, DOMAIN, services.settings.limit_hash_key)
    message["Subject"] = "Re: 请补充材料"
    message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    for name, kind, data in files:
        maintype, subtype = kind.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def deliver(raw, services):
    from chalicelib.inbound.handler import handle_raw

    return handle_raw(raw, services)


def test_a_reply_by_mail_lands_once_with_its_file_and_ends_the_wait(client, staff, inbound):
    number, token = in_progress(client, staff)
    handler = staff("handler", user="han-1")
    handler.post(f"/staff/complaints/{number}/messages", REQUEST)
    inbound.clock = FixedClock(at(2026, 3, 3, 10))
    raw = mail(
        number,
        inbound,
        "小票照片见附件。" + QUOTED,
        files=[
            ("小票.pdf", "application/pdf", b"%PDF-1.4 x"),
            ("run.exe", "application/octet-stream", b"MZ"),
        ],
    )
    assert deliver(raw, inbound).result == "added"
    assert deliver(raw, inbound).result == "duplicate"  # SES redelivered, or a retry
    case = inbound.complaints.load(number)
    assert case.status.value == "in_progress" and case.info_request.status == "answered"
    thread = handler.get(f"/staff/complaints/{number}/messages").json_body["items"]
    replies = [item for item in thread if item["type"] == "reply"]
    assert len(replies) == 1
    assert replies[0]["text"] == "小票照片见附件。" and replies[0]["channel"] == "email"
    assert [f["filename"] for f in replies[0]["attachments"]] == ["小票.pdf"]
    public = public_get(client, number, token).json_body["items"]
    assert public[-1]["text"] == "小票照片见附件。"


@pytest.mark.parametrize(
    ("sender", "headers", "reason"),
    [
        ("someone.else@example.com", {}, "sender"),
        ("zhang@example.com", {"X-SES-Spam-Verdict": "FAIL"}, "spam"),
        ("zhang@example.com", {"X-SES-Virus-Verdict": "FAIL"}, "virus"),
        (
            "zhang@example.com",
            {"Authentication-Results": "amazonses.com; spf=fail; dkim=pass"},
            "spf",
        ),
        (
            "zhang@example.com",
            {"Authentication-Results": "amazonses.com; spf=pass; dkim=fail"},
            "dkim",
        ),
    ],
)
def test_an_untrusted_mail_is_kept_aside(client, staff, inbound, sender, headers, reason):
    number, _ = in_progress(client, staff)
    handler = staff("handler", user="han-1")
    handler.post(f"/staff/complaints/{number}/messages", REQUEST)
    assert (
        deliver(mail(number, inbound, "here", sender=sender, headers=headers), inbound).result
        == "held"
    )
    case = inbound.complaints.load(number)
    assert case.status.value == "waiting_for_complainant" and case.reply_count == 0
    (held,) = [
        i
        for i in handler.get(f"/staff/complaints/{number}/messages").json_body["items"]
        if i["type"] == "held"
    ]
    assert reason in held["reasons"]


def test_staff_accept_or_discard_what_was_kept_aside(client, staff, inbound):
    number, _ = in_progress(client, staff)
    handler = staff("handler", user="han-1")
    handler.post(f"/staff/complaints/{number}/messages", REQUEST)
    deliver(mail(number, inbound, "from my work address", sender="zhang@work.example.com"), inbound)
    mail_id = next(
        i["id"]
        for i in handler.get(f"/staff/complaints/{number}/messages").json_body["items"]
        if i["type"] == "held"
    )
    path = f"/staff/complaints/{number}/held-mail/{mail_id}"
    accepted = handler.post(path, {"decision": "accept"})
    assert accepted.status_code == 200, accepted.json_body
    assert accepted.json_body["status"] == "in_progress"
    assert handler.post(path, {"decision": "discard"}).status_code == 409
    assert (
        deliver(mail(number, inbound, "again", sender="zhang@work.example.com"), inbound).result
        == "duplicate"
    )
    history = [
        i["action"] for i in handler.get(f"/staff/complaints/{number}/history").json_body["items"]
    ]
    assert history[-2:] == ["mail_held", "complainant_replied"]


def test_a_held_sender_is_masked_for_who_may_not_see_the_identity(client, staff, inbound):
    person = {"name": "李四", "email": "li.si@example.com", "confidential": True}
    number, _ = in_progress(client, staff, complainant=person)
    handler = staff("handler", user="han-1")
    deliver(
        mail(number, inbound, "我是李四 li.si@example.com", sender="li.si@other.example.com"),
        inbound,
    )
    deliver(mail(number, inbound, "ok", sender="li.si@example.com", message_id="<m2@x>"), inbound)
    seen = str(handler.get(f"/staff/complaints/{number}/messages").json_body)
    assert "li.si@" not in seen and "李四" not in seen


def test_mail_to_an_unknown_or_forged_address_is_ignored(client, staff, inbound):
    number, _ = in_progress(client, staff)
    raw = mail(number, inbound, "hi").replace(b"reply+ts-", b"reply+xx-")
    assert deliver(raw, inbound).result == "ignored"


def test_every_complainant_email_carries_the_reply_address(monkeypatch):
    from chalicelib.adapters import notifier as module
    from chalicelib.domain.message import Message

    calls = []

    class Recorder:
        def send_email(self, **kwargs):
            calls.append(kwargs)

    monkeypatch.setattr(module, "client", lambda service: Recorder())
    sender = module.AwsNotifier(
        "complaints@example.org", "arn", reply_to=lambda n: f"reply+{n.lower()}.x@{DOMAIN}"
    )
    sender.send(
        Message(
            "email", "complainant", "a@example.com", "s", "b", {"complaint": "TS-20260302-0001"}
        )
    )
    sender.send(Message("email", "management", "m@example.org", "s", "b", {}))
    assert calls[0]["ReplyToAddresses"] == [f"reply+ts-20260302-0001.x@{DOMAIN}"]
    assert "ReplyToAddresses" not in calls[1]


def test_the_audit_trail_hides_the_identity_in_replies_too(client, staff, inbound):
    person = {"name": "李四", "email": "li.si@example.com", "confidential": True}
    number, _ = in_progress(client, staff, complainant=person)
    handler = staff("handler", user="han-1")
    deliver(mail(number, inbound, "我是李四", sender="li.si@other.example.com"), inbound)
    deliver(
        mail(number, inbound, "李四 again", sender="li.si@example.com", message_id="<m2@x>"),
        inbound,
    )
    seen = str(handler.get(f"/staff/complaints/{number}/history").json_body)
    assert "li.si@" not in seen and "李四" not in seen
    supervisor = str(staff("supervisor").get(f"/staff/complaints/{number}/history").json_body)
    assert "li.si@other.example.com" in supervisor
