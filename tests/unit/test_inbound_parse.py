"""E-mail replies read at the edge (issue 17 item 4): only the new text, on real-world
shapes of replies from Chinese and English mail clients; HTML to text; SES verdicts."""

from email.message import EmailMessage

import pytest

from chalicelib.domain.reply_address import number_from, reply_address
from chalicelib.inbound.parse import parse

KEY = "test-key"
DOMAIN = "reply.example.org"

FOXMAIL = """好的，购物小票照片见附件，身份证复印件明天补上。

张三

在 2026年3月2日 星期一 10:00，投诉服务中心 <complaints@example.org> 写道：
> 您好，为处理您的投诉 TS-20260302-0001，请一次性补充以下材料：
> 1. 购物小票照片
> 2. 身份证复印件
"""
OUTLOOK_CN = """材料已补充，请查收。

发自我的iPhone

-----原始邮件-----
发件人: 投诉服务中心 <complaints@example.org>
发送时间: 2026年3月2日 10:00
收件人: zhang@example.com
主题: 请补充材料：TS-20260302-0001

您好，请补充以下材料：
1. 购物小票照片
"""
QQ_MAIL = """收到，已补充。

------------------&nbsp;原始邮件&nbsp;------------------
发件人: "投诉服务中心"<complaints@example.org>;
发送时间:&nbsp;2026年3月2日(星期一) 上午10:00
收件人:&nbsp;"张三"<zhang@example.com>;
主题:&nbsp;请补充材料
""".replace("&nbsp;", " ")
GMAIL_EN = """Here is the receipt, and the ID copy follows tomorrow.

Best regards,
John

On Mon, Mar 2, 2026 at 10:00 AM Complaints <complaints@example.org> wrote:
> Hello, to handle your complaint we need all of the following:
> 1. A photo of the receipt
"""
OUTLOOK_EN = """The receipt is attached.

Sent from my iPhone

-----Original Message-----
From: Complaints <complaints@example.org>
Sent: Monday, March 2, 2026 10:00 AM
To: john@example.com
Subject: Information needed: TS-20260302-0001
"""


def raw(text=None, html=None, sender="zhang@example.com", headers=None, files=()):
    message = EmailMessage()
    message["From"] = f"张三 <{sender}>"
    message["To"] = reply_address("TS-20260302-0001", DOMAIN, KEY)
    message["Subject"] = "Re: 请补充材料"
    message["Message-ID"] = "<abc@example.com>"
    for name, value in (headers or {}).items():
        message[name] = value
    if text is not None:
        message.set_content(text)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    for name, kind, data in files:
        maintype, subtype = kind.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (FOXMAIL, "好的，购物小票照片见附件，身份证复印件明天补上。\n\n张三"),
        (OUTLOOK_CN, "材料已补充，请查收。"),
        (QQ_MAIL, "收到，已补充。"),
        (GMAIL_EN, "Here is the receipt, and the ID copy follows tomorrow."),
        (OUTLOOK_EN, "The receipt is attached."),
    ],
    ids=["foxmail-写道", "outlook-原始邮件", "qq-原始邮件", "gmail-wrote", "outlook-original"],
)
def test_only_the_new_text_is_kept(body, expected):
    assert parse(raw(body)).text == expected


def test_html_only_mail_becomes_text_without_the_quote_or_scripts():
    html = (
        "<div>See the <b>photo</b>.<script>alert(1)</script></div><div>Line 2<br>Line 3</div>"
        '<div class="gmail_quote">On Mon ... wrote:<blockquote>old text</blockquote></div>'
    )
    mail = parse(raw(html=html))
    assert mail.text == "See the photo.\nLine 2\nLine 3"


def test_sender_recipients_files_and_a_stable_id():
    mail = parse(raw("hi", files=[("小票.pdf", "application/pdf", b"%PDF-1.4 x")]))
    assert mail.sender == "zhang@example.com"
    assert number_from(mail.recipients[0], DOMAIN, KEY) == "TS-20260302-0001"
    assert [(f.filename, f.content_type, f.data) for f in mail.files] == [
        ("小票.pdf", "application/pdf", b"%PDF-1.4 x")
    ]
    assert parse(raw("hi")).mail_id == parse(raw("hello again")).mail_id  # same Message-ID


@pytest.mark.parametrize(
    ("headers", "flag"),
    [
        ({"X-SES-Spam-Verdict": "FAIL"}, "spam"),
        ({"X-SES-Virus-Verdict": "FAIL"}, "virus"),
        (
            {"Authentication-Results": "amazonses.com; spf=fail smtp.mailfrom=x; dkim=pass"},
            "spf_failed",
        ),
        (
            {"Authentication-Results": "amazonses.com; spf=pass; dkim=fail header.i=@x"},
            "dkim_failed",
        ),
        ({"Received-SPF": "fail (domain does not designate)"}, "spf_failed"),
    ],
)
def test_ses_verdicts(headers, flag):
    mail = parse(raw("hi", headers=headers))
    flags = {name for name in ("spam", "virus", "spf_failed", "dkim_failed") if getattr(mail, name)}
    assert flags == {flag}


def test_a_forged_or_foreign_reply_address_names_no_case():
    good = reply_address("TS-20260302-0001", DOMAIN, KEY)
    assert number_from(good.upper(), DOMAIN, KEY) == "TS-20260302-0001"  # case folded
    forged = good.replace("ts-20260302-0001", "ts-20260302-0002")
    assert number_from(forged, DOMAIN, KEY) is None
    assert number_from(good, "other.example.org", KEY) is None
    assert number_from(good, DOMAIN, "another-key") is None
