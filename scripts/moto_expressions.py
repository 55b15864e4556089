"""One parse per update expression text in moto (the local AWS and the tests' mock).

moto 5.2 parses an UpdateExpression from its text for every item it updates, twice (once
to check the request, once to apply it). An intake's transaction updates about twenty
statistics and counter cells with a handful of texts, so parsing was a sixth of the local
AWS's time for an intake (profile of scripts/local_aws.py under 100 intakes). The parse
of a text is always the same tree, and moto only reads it: its validator works on a deep
copy (`Validator.__init__`), the request checks only look for names and values. So one
parse per text serves every item; what is checked and applied is unchanged.
"""

from __future__ import annotations

from functools import lru_cache

from moto.dynamodb import models, responses
from moto.dynamodb.parsing.expressions import UpdateExpressionParser


class ParsedOnce:
    """UpdateExpressionParser as moto calls it (`make(text)`), remembering each text's tree."""

    make = staticmethod(lru_cache(maxsize=1024)(UpdateExpressionParser.make))


def install() -> None:
    models.UpdateExpressionParser = ParsedOnce
    responses.UpdateExpressionParser = ParsedOnce
