"""The field rules of seed 004 §1.6.3, as data, checked on an upload before it is signed (and by the sandbox).

Lengths count characters (C..n: at most n characters). recpCode, when given, must be a well-formed
统一社会信用代码 (procurement.kernel.credit_code), which is what §1.6.3 asks of a domestic company. A problem
names the field by its path in payExInfoStr (e.g. `payExchangeInfoLists[1].goodsInfo[0].gname`) and says why, in Chinese.
"""
import re
from dataclasses import dataclass
from decimal import Decimal

from customs.wire import TRADING_TIME_RE
from procurement.kernel.credit_code import credit_code_problem

_GUID_RE = re.compile(r"[0-9A-Z]{8}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{12}")


@dataclass(frozen=True)
class Rule:
    name: str
    label: str
    required: bool
    max_length: int = 0
    choices: tuple = ()
    pattern: re.Pattern = None
    pattern_text: str = ""
    check: object = None  # value → why it is wrong ("" when right), after the rules above


HEAD_RULES = (
    Rule("guid", "系统唯一序号", True, 36, pattern=_GUID_RE, pattern_text="36 位，英文字母大写（如 UUID 的大写形式）"),
    Rule("initalRequest", "原始请求", True, 8000),
    Rule("initalResponse", "原始响应", True, 8000),
    Rule("ebpCode", "电商平台代码", True, 18),
    Rule("payCode", "支付企业代码", True, 18),
    Rule("payTransactionId", "交易流水号", True, 60),
    Rule("currency", "币制", True, 4),
    Rule("verDept", "验核机构", True, 1, choices=("1", "2", "3")),
    Rule("payType", "支付类型", False, 1, choices=("1", "2", "3", "4")),
    Rule("tradingTime", "交易成功时间", True, 14, pattern=TRADING_TIME_RE, pattern_text="14 位数字 yyyyMMddHHmmss"),
    Rule("note", "备注", False, 1000),
)
ORDER_RULES = (
    Rule("orderNo", "订单编号", True, 60),
    Rule("recpAccount", "收款账号", True, 60),
    Rule("recpCode", "收款企业代码", False, 18, check=credit_code_problem),
    Rule("recpName", "收款企业名称", True, 100),
)
GOODS_RULES = (
    Rule("gname", "商品名称", True, 250),
    Rule("itemLink", "商品展示链接地址", True, 3000),
)
AMOUNT_INTEGER_DIGITS, AMOUNT_DECIMAL_PLACES = 14, 5  # N19,5


@dataclass(frozen=True)
class Problem:
    field: str
    reason: str

    def __str__(self):
        return f"{self.field}：{self.reason}"


def check_upload(head, lists):
    """Every §1.6.3 problem of a head and its lists ([] when they may be sent)."""
    problems = _check_fields(head, HEAD_RULES, "payExchangeInfoHead.")
    problems += _check_amount(head.get("totalAmount"), "payExchangeInfoHead.totalAmount")
    if not isinstance(lists, list) or not lists:
        return problems + [Problem("payExchangeInfoLists", "必填：至少一个订单")]
    for i, order in enumerate(lists):
        where = f"payExchangeInfoLists[{i}]."
        problems += _check_fields(order, ORDER_RULES, where)
        problems += _check_goods(order.get("goodsInfo"), f"{where}goodsInfo")
    return problems


def _check_goods(goods, where):
    if not isinstance(goods, list) or not goods:
        return [Problem(where, "必填：至少一件商品（商品名称及展示链接）")]
    problems = []
    for j, item in enumerate(goods):
        problems += _check_fields(item, GOODS_RULES, f"{where}[{j}].")
    return problems


def _check_fields(record, rules, where):
    if not isinstance(record, dict):
        return [Problem(where.rstrip("."), "应为 JSON 对象")]
    problems = []
    for rule in rules:
        problem = _check_value(rule, record.get(rule.name))
        if problem:
            problems.append(Problem(where + rule.name, f"{rule.label}{problem}"))
    return problems


def _check_value(rule, value):
    if value is None or value == "":
        return "为必填项，不能为空" if rule.required else ""
    if not isinstance(value, str):
        return "应为字符串"
    if rule.max_length and len(value) > rule.max_length:
        return f"超长：至多 {rule.max_length} 个字符，实为 {len(value)} 个"
    if rule.choices and value not in rule.choices:
        return f"取值应为 {'/'.join(rule.choices)} 之一，实为 {value!r}"
    if rule.pattern and not rule.pattern.fullmatch(value):
        return f"格式错误：应为{rule.pattern_text}，实为 {value!r}"
    problem = rule.check(value) if rule.check else ""
    return f" {value!r} 不是有效的统一社会信用代码（GB 32100）：{problem}" if problem else ""


def _check_amount(value, where):
    if value is None or value == "":
        return [Problem(where, "交易金额为必填项，不能为空")]
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return [Problem(where, "交易金额应为数字")]
    amount = Decimal(value)
    if not amount.is_finite() or amount <= 0:
        return [Problem(where, f"交易金额应大于 0，实为 {value}")]
    _, digits, exponent = amount.normalize().as_tuple()
    decimals, integer_digits = max(0, -exponent), len(digits) + exponent
    if decimals > AMOUNT_DECIMAL_PLACES:
        return [Problem(where, f"交易金额至多 {AMOUNT_DECIMAL_PLACES} 位小数（N19,5），实为 {value}")]
    if integer_digits > AMOUNT_INTEGER_DIGITS:
        return [Problem(where, f"交易金额整数部分至多 {AMOUNT_INTEGER_DIGITS} 位（N19,5），实为 {value}")]
    return []
