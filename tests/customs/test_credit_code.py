"""统一社会信用代码 (GB 32100-2015): real codes pass; a wrong length, alphabet, division code or check character is named."""
import pytest
from django.core.exceptions import ValidationError

from procurement.kernel.credit_code import (
    ALPHABET,
    credit_code_check_character,
    credit_code_problem,
    validate_credit_code,
)

# Codes as companies publish them (the first is a widely cited example of a valid code).
REAL = ["91350100M000100Y43", "9144030071526726XG", "914403001922038216", "91330100799655058B"]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_well_formed(code):
    assert credit_code_problem(code) == ""
    validate_credit_code(code)


def test_exactly_one_check_character_fits_the_first_17():
    fitting = [c for c in ALPHABET if credit_code_problem("91350100M000100Y4" + c) == ""]

    assert fitting == ["3"] == [credit_code_check_character("91350100M000100Y4")]


def test_a_sum_divisible_by_31_has_the_check_character_0():
    first_17 = next(f"9111010{n:010d}" for n in range(100_000) if credit_code_check_character(f"9111010{n:010d}") == "0")

    assert credit_code_problem(first_17 + "0") == ""


@pytest.mark.parametrize(("code", "words"), [
    ("1105910159", "应为 18 位，实为 10 位"),
    ("91350100M000100Y4", "实为 17 位"),
    ("91350100m000100Y43", "m"),
    ("91350100I000100Y43", "I"),
    ("91350100O000100Y43", "O"),
    ("91350100M000100S43", "S"),
    ("913501０0M000100Y43", "０"),  # a full-width digit
    ("91ABCDEFM000100Y43", "第 3–8 位"),
    ("91350100M000100Y44", "第 18 位应为 3，实为 4"),
    ("91350100M000100Y34", "校验位错误"),  # two characters swapped
])
def test_a_malformed_code_says_what_is_wrong(code, words):
    assert words in credit_code_problem(code)
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        validate_credit_code(code)
