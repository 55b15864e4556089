"""Print the SMS templates as they are registered for mainland China: signature first.

    python -m scripts.sms_templates 【某市投诉中心】 [--language zh-CN]

Each line is a template exactly as the service sends it, with the variables written the
way registration forms ask for them (${number}, ${link}, ${reply_by}), so what is
registered is what goes out (chalicelib/domain/sms.py; docs/deploy.md).
"""

from __future__ import annotations

import argparse
import re
import sys

from chalicelib.domain import sms
from chalicelib.domain.vocabulary import Language


def registration_text(signature: str, template: str, language: Language) -> str:
    text = sms.signed(signature, sms.TEMPLATES[template][language])
    return re.sub(r"\{(\w+)\}", r"${\1}", text)


def lines(signature: str, languages: list[Language]) -> list[str]:
    sms.check_signature(signature)
    return [
        f"{template}\t{language.value}\t{registration_text(signature, template, language)}"
        for language in languages
        for template in sms.TEMPLATES
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("signature", help="the registered signature, e.g. 【某市投诉中心】")
    parser.add_argument("--language", action="append", choices=[lang.value for lang in Language])
    args = parser.parse_args(argv)
    languages = [Language(value) for value in args.language or [lang.value for lang in Language]]
    try:
        print("\n".join(lines(args.signature, languages)))
    except ValueError as error:
        print(f"sms_templates: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
