"""JSON bodies of guarantee notices read so that every value keeps the exact text sent (the sign covers it)."""
import json

from rest_framework.exceptions import ParseError

from procurement.api.parsers import StrictJSONParser, _text


def _no_constants(name):
    raise ParseError(f"不是合法的 JSON（不支持 {name}）")


class ExactJSONParser(StrictJSONParser):
    """Numbers stay strings as written (`20000.00` is signed as `20000.00`, never `20000.0`)."""

    def parse(self, stream, media_type=None, parser_context=None):
        text = _text(stream)
        if not text.strip():
            return {}
        try:
            document = json.loads(text, parse_float=str, parse_int=str, parse_constant=_no_constants)
        except ValueError as exc:
            raise ParseError(f"不是合法的 JSON（{exc.msg}，第 {exc.lineno} 行）") from None
        if not isinstance(document, dict):
            raise ParseError("JSON 请求体应为对象")
        return document
