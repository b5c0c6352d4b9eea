"""JSON bodies of guarantee notices read so that every value keeps the exact text sent (the sign covers it)."""
from rest_framework.exceptions import ParseError

from procurement.kernel.parsers import StrictJSONParser


def _no_constants(name):
    raise ParseError(f"不是合法的 JSON（不支持 {name}）")


class ExactJSONParser(StrictJSONParser):
    """Numbers stay strings as written (`20000.00` is signed as `20000.00`, never `20000.0`)."""

    loads_options = {"parse_float": str, "parse_int": str, "parse_constant": _no_constants}
