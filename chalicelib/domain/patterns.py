"""Regular expressions the OpenAPI document gives as JSON Schema `pattern`s.

JSON Schema patterns are ECMA-262: its \\s does not take \\x1c-\\x1f and \\x85, which
Python's str.strip and re do, so those are spelt out.
"""

SPACE = r"\s\x1c-\x1f\x85"
NON_BLANK = f"[^{SPACE}]"  # at least one character that stripping keeps

# A report month, YYYY-MM (2000-2099).
MONTH_PATTERN = r"^(20[0-9]{2})-(0[1-9]|1[0-2])$"
