"""How the admin shows values to staff: local times to the second, epoch milliseconds as times, JSON as tables
or formatted blocks, long names cut short with the whole text on hover, error class names in words."""
import json
import re
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.html import format_html, format_html_join

EMPTY = "—"
# Exception class names that reach stored error texts ("ServerError: HTTP 502 …"), as staff read them.
ERROR_WORDS = {
    "CallTimeout": "调用超时",
    "CallConnectionError": "连接失败",
    "ServerError": "对方服务器出错",
    "BadReply": "对方回复无法解析",
    "ClientError": "请求被对方拒收",
    "Refused": "对方拒绝",
    "PermanentError": "不可重试的错误",
    "TransientError": "暂时性错误",
    "OutboundError": "调用失败",
    "OperationalError": "数据库暂时不可用",
    "LeaseLost": "同步被其他任务接管",
}
_ERROR_PREFIX = re.compile(r"\b([A-Z][A-Za-z0-9]*(?:Error|Exception|Timeout|Refused|Reply|Lost)):\s*")


def local_time(moment):
    """An aware datetime as a local date-time to the second ("2026-11-01 09:30:05"), or — ."""
    if moment is None:
        return EMPTY
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def epoch_ms_time(milliseconds):
    """Epoch milliseconds (customs' serviceTime) as a local date-time, the number kept on hover."""
    if milliseconds in (None, ""):
        return EMPTY
    moment = datetime.fromtimestamp(int(milliseconds) / 1000, tz=UTC)
    shown = f"{local_time(moment)}.{int(milliseconds) % 1000:03d}"
    return format_html('<span title="{}">{}</span>', milliseconds, shown)


def error_in_words(text):
    """A stored error with its exception class names in words: 'ServerError: HTTP 502' → '对方服务器出错：HTTP 502'."""
    if not text:
        return ""
    return _ERROR_PREFIX.sub(lambda match: ERROR_WORDS.get(match[1], f"内部错误（{match[1]}）") + "：", text)


def truncated(text, title=None, short=False):
    """One line, cut with an ellipsis by the stylesheet (`short`: a narrower column), the whole text on hover."""
    if not text:
        return EMPTY
    return format_html('<span class="{}" title="{}">{}</span>', "cut short" if short else "cut", title or text, text)


def json_block(value):
    """A JSON value (or JSON text) formatted over several lines; other text as it is."""
    if value in (None, "", {}, []):
        return EMPTY
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return format_html('<pre class="body">{}</pre>', value)
    return format_html('<pre class="body">{}</pre>', json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))


def json_table(mapping, headers=("项", "值"), labels=None):
    """A flat dict as a two-column table (nested values as formatted JSON); `labels` names the keys."""
    if not mapping:
        return EMPTY
    if not isinstance(mapping, dict):
        return json_block(mapping)
    labels = labels or {}
    rows = ((_key(key, labels), _cell(value)) for key, value in sorted(mapping.items(), key=lambda item: str(item[0])))
    return format_html('<table class="facts"><tr><th>{}</th><th>{}</th></tr>{}</table>', headers[0], headers[1],
                       format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows))


def _key(key, labels):
    label = labels.get(key)
    return format_html("{} <code>{}</code>", label, key) if label else format_html("<code>{}</code>", key)


def _cell(value):
    if isinstance(value, dict | list):
        return json_block(value)
    return EMPTY if value in (None, "") else str(value)


def labelled(code, labels):
    """A code shown by its label, the code beside it ("电商 supplier") when it has one, else the code."""
    label = labels.get(code)
    if not code:
        return EMPTY
    return format_html('{} <span class="code">{}</span>', label, code) if label else code
