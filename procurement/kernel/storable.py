"""Text any database can store: PostgreSQL refuses NUL characters and lone surrogates (SQLite keeps them).

The rule, published in the contracts: NUL characters are removed, lone surrogates (valid in JSON text as
\\ud800…, not text) replaced by U+FFFD.
"""
import re

_LONE_SURROGATE = re.compile("[\\ud800-\\udfff]")


def storable(value):
    """`value` (text, or JSON-like lists and dicts of it, keys included) cleaned by the rule above."""
    if isinstance(value, str):
        return value if value.isprintable() else _LONE_SURROGATE.sub("\ufffd", value.replace("\x00", ""))
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable(item) for item in value]
    return value
