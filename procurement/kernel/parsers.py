"""Body parsers that refuse what they cannot read exactly: malformed JSON, non-UTF-8 bytes, non-object JSON.

Whatever a body does to a parser (nesting 10,000 deep, more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS) is a
ParseError naming why: the caller's mistake, answered as such, never an internal fault.
"""
import json
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, MultiPartParser

TOO_MANY_FIELDS = "字段过多（至多 {limit} 个）"


def _text(stream):
    try:
        return stream.read().decode("utf-8")
    except UnicodeDecodeError:
        raise ParseError("请求体不是 UTF-8 编码") from None


class ReadableJSONDecoder(json.JSONDecoder):
    """A decoder whose every failure is a JSONDecodeError (a ValueError with a message and a line): also JSON
    nested deeper than Python follows (a RecursionError otherwise) and integers too long to read."""

    def decode(self, s, *args, **kwargs):
        try:
            return super().decode(s, *args, **kwargs)
        except json.JSONDecodeError:
            raise
        except RecursionError:
            raise json.JSONDecodeError("嵌套过深", s, 0) from None
        except ValueError:  # int() refuses more than sys.get_int_max_str_digits() digits
            raise json.JSONDecodeError("数字过长", s, 0) from None


class StrictJSONParser(BaseParser):
    media_type = "application/json"
    # json.loads options: subclasses read numbers as Decimal, or keep them as the text that was signed.
    loads_options = {}

    def parse(self, stream, media_type=None, parser_context=None):
        text = _text(stream)
        if not text.strip():
            return {}
        try:
            document = json.loads(text, **{"cls": ReadableJSONDecoder, **self.loads_options})
        except ValueError as exc:
            raise ParseError(f"不是合法的 JSON（{exc.msg}，第 {exc.lineno} 行）") from None
        if not isinstance(document, dict):
            raise ParseError("JSON 请求体应为对象")
        return document


class StrictFormParser(BaseParser):
    media_type = "application/x-www-form-urlencoded"

    def parse(self, stream, media_type=None, parser_context=None):
        text = _text(stream)
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        if limit is not None and text.count("&") + 1 > limit:  # counted before parsing, as Django does
            raise ParseError(TOO_MANY_FIELDS.format(limit=limit))
        try:
            pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise ParseError("表单内容不是 UTF-8 编码") from None
        return dict(pairs)


class StrictMultiPartParser(MultiPartParser):
    """multipart/form-data, which some suppliers' HTTP clients send for plain forms."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            parsed = super().parse(stream, media_type, parser_context)
        except (TooManyFieldsSent, TooManyFilesSent):
            raise ParseError(TOO_MANY_FIELDS.format(limit=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)) from None
        except RequestDataTooBig:
            raise ParseError("请求体过大") from None
        return {key: parsed.data.get(key) for key in parsed.data}
