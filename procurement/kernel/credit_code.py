"""统一社会信用代码 (GB 32100-2015): its form and check character, checked in one place.

Importing nothing of the apps, so any of them may use it (the guarantees' bidder and tenderer codes
too). 18 characters from the 31 of ALPHABET (digits and upper-case letters without I, O, S, V, Z);
characters 3–8 are the registering authority's administrative division code (digits); the 18th is
the check character: 31 − (Σ value(cᵢ) × 3ⁱ mod 31) mod 31 over the first 17, written in ALPHABET.
"""
from django.core.exceptions import ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {character: value for value, character in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18


def credit_code_check_character(first_17):
    """The check character (the 18th) of the 17 characters before it (all from ALPHABET)."""
    total = sum(_VALUES[character] * weight for character, weight in zip(first_17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code):
    """Why `code` is not a well-formed unified social credit code (in Chinese), or "" when it is one."""
    if not isinstance(code, str):
        return "应为字符串"
    if len(code) != LENGTH:
        return f"应为 {LENGTH} 位，实为 {len(code)} 位"
    wrong = "".join(dict.fromkeys(character for character in code if character not in _VALUES))
    if wrong:
        return f"含不允许的字符 {wrong}（只能是数字和大写英文字母，不含 I、O、S、V、Z）"
    if not code[2:8].isdecimal():
        return "第 3–8 位（登记管理机关行政区划码）应为数字"
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        return f"校验位错误：按前 17 位第 18 位应为 {expected}，实为 {code[17]}"
    return ""


def validate_credit_code(value):
    """Django validator: a ValidationError naming what is wrong with the code."""
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(f"统一社会信用代码{problem}", code="invalid_credit_code")
