"""How the mall sandbox reads a call and writes its reply, as docs/mall-supplier-contract.md §1 and §20 publish.

Built from the published contract only (not from the connector's wire module), so the sandbox checks the
connector against the text a real supplier reads.
"""
from dataclasses import dataclass

from procurement.kernel.wire import parse_wire_time

BATCH_MAX = 100
PAGE_SIZE_MAX = 1000
TOKEN_EXPIRED_DESC = "token 无效或已过期(token_expired)"


class Code:
    """Contract §20: the optional `code` of a failure."""

    PARAMETER = "1001"
    LIMIT = "1002"
    CREDENTIALS = "1003"
    TOKEN_EXPIRED = "1004"
    PRODUCT = "2001"
    AREA = "2002"
    STOCK = "2003"
    PRICE = "2004"
    ORDER_NOT_FOUND = "2005"
    ORDER_CONFIRMED = "3001"
    AFTER_SALE = "3002"
    OTHER = "9999"


class Refusal(Exception):
    """A call the sandbox answers with success false: the code and a desc naming the parameter and why."""

    def __init__(self, code, desc):
        super().__init__(f"{code} {desc}")
        self.code, self.desc = code, desc


def ok(result):
    return {"success": True, "desc": "成功", "result": result}


def fail(code, desc):
    return {"success": False, "desc": desc, "code": code}


def split_list(value):
    """`sku=A,B` (or a JSON array) → ["A", "B"]: blanks dropped, each SKU once, in the order asked."""
    items = value if isinstance(value, list) else str(value or "").split(",")
    return list(dict.fromkeys(str(item).strip() for item in items if str(item).strip()))


@dataclass
class Call:
    """One protocol call: its parameters and the address the sandbox's own URLs are rendered with."""

    params: dict
    base_url: str
    batch_max: int = BATCH_MAX  # the batch_limit switch moves it

    def text(self, name, required=True):
        value = str(self.params.get(name) or "").strip()
        if required and not value:
            raise Refusal(Code.PARAMETER, f"缺少参数 {name}")
        return value

    def skus(self):
        skus = split_list(self.params.get("sku"))
        if not skus:
            raise Refusal(Code.PARAMETER, "缺少参数 sku")
        if len(skus) > self.batch_max:
            raise Refusal(Code.LIMIT, f"sku 一次最多 {self.batch_max} 个，本次 {len(skus)} 个")
        return skus

    def page(self):
        """(pageNo, pageSize): pageNo from 1, pageSize 1–1000, 1000 unless given."""
        number = self._positive("pageNo", 1)
        size = self._positive("pageSize", PAGE_SIZE_MAX)
        if size > PAGE_SIZE_MAX:
            raise Refusal(Code.LIMIT, f"pageSize 最大 {PAGE_SIZE_MAX}")
        return number, size

    def time(self, name, default=None):
        value = self.text(name, required=default is None)
        if not value:
            return default
        try:
            return parse_wire_time(value)
        except ValueError:
            raise Refusal(Code.PARAMETER, f"{name} 格式应为 yyyy-MM-dd HH:mm:ss") from None

    def _positive(self, name, default):
        value = self.text(name, required=False)
        if not value:
            return default
        if not value.isdigit() or int(value) < 1:
            raise Refusal(Code.PARAMETER, f"{name} 应为正整数")
        return int(value)


def paged(rows, page, key="items", **head):
    """One page of `rows` under `key`, with the §1 totals (`total`, `pageCount`) and `head` fields first."""
    number, size = page
    start = (number - 1) * size
    return {**head, "pageNo": number, "pageSize": size, "total": len(rows), "pageCount": -(-len(rows) // size),
            key: rows[start:start + size]}
