"""A raw e-mail (RFC 5322, as SES's S3 action stores it) read into what the service needs:
who sent it, to which reply address, the new text only, the files, and SES's verdicts.

The quoted earlier message and the signature are cut off by mail-parser-reply (see
docs/architecture.md for why), with the quote headers of Chinese mail clients registered
as one more of its languages: "在 2026年3月2日 …，某某 <a@b> 写道：" (Foxmail, QQ Mail,
NetEase, Apple Mail in Chinese) and Outlook's "-----原始邮件-----" block. HTML-only mail
is turned into text (BeautifulSoup's get_text); nothing is ever kept as HTML.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from mailparser_reply import EmailReplyParser
from mailparser_reply.constants import MAIL_LANGUAGES

CHINESE_CLIENTS = "zh_clients"
MAIL_LANGUAGES.setdefault(
    CHINESE_CLIENTS,
    {
        "wrote_header": [
            r"^((?:> ?)*在.{0,200}?写道[：:]\s*)$",
            r"^((?:> ?)*-{3,}\s*原始邮件\s*-{3,}\s*)$",
            r"^((?:> ?)*-{3,}\s*(?:Original Message|回复的原邮件|转发的邮件)\s*-{3,}\s*)$",
        ],
        "from_header": (
            r"((?:(?:^|\n|\n(?:> ?)*)[* ]*(?:发件人|发送时间|收件人|主题|抄送|日期|时间)"
            r"[:：][ *]*(?:\s{,2}).*){2,}(?:\n.*){,1})"
        ),
        "disclaimers": ["免责声明：", "注意：", "重要信息："],
        "signatures": ["此致", "敬礼", "谢谢，", "祝好，", "顺颂商祺"],
        "sent_from": r"(?:发自我的.*|从我的.*发送|Sent from my .*)",
    },
)
LANGUAGES = [CHINESE_CLIENTS, "zh", "en"]


@dataclass(frozen=True)
class MailFile:
    filename: str
    content_type: str
    data: bytes


@dataclass
class InboundMail:
    mail_id: str  # a hash of the Message-ID (or of the whole message): the same mail twice
    sender: str
    recipients: list[str]
    subject: str
    text: str
    files: list[MailFile] = field(default_factory=list)
    spam: bool = False
    virus: bool = False
    spf_failed: bool = False
    dkim_failed: bool = False


def parse(raw: bytes) -> InboundMail:
    message: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)
    identity = (message.get("Message-ID") or "").strip() or raw
    if isinstance(identity, str):
        identity = identity.encode()
    return InboundMail(
        mail_id=hashlib.sha256(identity).hexdigest()[:32],
        sender=parseaddr(str(message.get("From", "")))[1].lower(),
        recipients=_recipients(message),
        subject=str(message.get("Subject", "")),
        text=new_text(_body_text(message)),
        files=_files(message),
        **_verdicts(message),
    )


def _recipients(message: EmailMessage) -> list[str]:
    headers = []
    for name in ("To", "Cc", "Delivered-To", "X-Original-To"):
        headers += [str(value) for value in message.get_all(name, [])]
    return [address.lower() for _, address in getaddresses(headers) if address]


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        return part.get_content()
    part = message.get_body(preferencelist=("html",))
    if part is not None:
        return html_to_text(part.get_content())
    return ""


BLOCKS = ["p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"]


def html_to_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "head", "blockquote"]):
        hidden.decompose()  # a blockquote is the earlier message the client quoted
    for quote in soup.select("div.gmail_quote, #divRplyFwdMsg, div.moz-cite-prefix"):
        quote.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(BLOCKS):
        block.append("\n")
    return soup.get_text()


def new_text(text: str) -> str:
    """Only what the complainant wrote now: quotes and signature cut off."""
    text = text.replace("\r\n", "\n")
    replies = EmailReplyParser(languages=LANGUAGES).read(text).replies
    body = replies[0].body if replies else text
    return re.sub(r"\n{3,}", "\n\n", body).strip()


def _files(message: EmailMessage) -> list[MailFile]:
    files = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True) or b""
        name = part.get_filename() or "attachment"
        files.append(MailFile(name[:255], part.get_content_type(), data))
    return files


_SES_VERDICT = re.compile(r"^\s*(PASS|FAIL|GRAY|PROCESSING_FAILED)", re.IGNORECASE)


def _verdicts(message: EmailMessage) -> dict:
    """SES marks what it received: X-SES-Spam-Verdict, X-SES-Virus-Verdict, and the
    SPF and DKIM results in Received-SPF / Authentication-Results."""
    spam = str(message.get("X-SES-Spam-Verdict", "PASS")).strip().upper()
    virus = str(message.get("X-SES-Virus-Verdict", "PASS")).strip().upper()
    results = " ".join(str(v) for v in message.get_all("Authentication-Results", [])).lower()
    received_spf = str(message.get("Received-SPF", "")).lower()
    return {
        "spam": spam == "FAIL",
        "virus": virus == "FAIL",
        "spf_failed": "spf=fail" in results or received_spf.startswith("fail"),
        "dkim_failed": "dkim=fail" in results,
    }
