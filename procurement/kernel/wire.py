"""Wire formats every protocol shares: Beijing time as text and epoch milliseconds, and money as text.

Each protocol's envelope, codes and field names live in that protocol's own wire module
(procurement/suppliers/<protocol>/wire.py, guarantees/wire.py, customs/wire.py).
"""
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

WIRE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
WIRE_DATE_FORMAT = "%Y-%m-%d"
_WIRE_TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_WIRE_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def format_wire_money(amount):
    """A Decimal amount as the seeds' examples write it: two decimals, no grouping (`20000.00`)."""
    return f"{amount:.2f}"


def format_wire_time(moment):
    return moment.astimezone(SHANGHAI).strftime(WIRE_TIME_FORMAT)


class OutOfRange(ValueError):
    """A time in the right format that no database column could give back (the first hours of year 1)."""


def parse_wire_time(text):
    """`yyyy-MM-dd HH:mm:ss` in Beijing time → aware datetime; ValueError on anything else, and on a time
    that has no UTC equivalent (the first hours of year 1), which no database column could give back."""
    if not isinstance(text, str) or not _WIRE_TIME_RE.fullmatch(text):
        raise ValueError(f"not yyyy-MM-dd HH:mm:ss: {text!r}")
    moment = datetime.strptime(text, WIRE_TIME_FORMAT).replace(tzinfo=SHANGHAI)
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise OutOfRange(f"out of range: {text!r}") from None
    return moment


def clock_skew_seconds(text):
    """How many seconds (either way) a `yyyy-MM-dd HH:mm:ss` Beijing time is from our clock; ValueError if not
    in that format (as parse_wire_time)."""
    return abs((datetime.now(tz=SHANGHAI) - parse_wire_time(text)).total_seconds())


def format_wire_date(day):
    return day.strftime(WIRE_DATE_FORMAT)


def parse_wire_date(text):
    if not isinstance(text, str) or not _WIRE_DATE_RE.fullmatch(text):
        raise ValueError(f"not yyyy-MM-dd: {text!r}")
    return date.fromisoformat(text)


def epoch_ms(moment):
    return int(moment.timestamp() * 1000)


def epoch_ms_now():
    return epoch_ms(datetime.now(tz=SHANGHAI))

