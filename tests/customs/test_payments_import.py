"""import_payments: JSON files of payment documents, amounts read exactly, all or nothing."""
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from customs.models import CrossBorderOrder, PaymentRecord
from tests.customs.test_payments_api import DOCUMENT

pytestmark = pytest.mark.django_db


def write(tmp_path, name, payments, amount="2988.50"):
    text = json.dumps(payments, ensure_ascii=False).replace('"@AMOUNT@"', amount)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_payments_are_imported_and_a_second_run_updates_them(tmp_path, capsys):
    path = write(tmp_path, "payments.json", [{**DOCUMENT, "totalAmount": "@AMOUNT@"}], amount="2988.50")

    call_command("import_payments", path)
    call_command("import_payments", path)

    assert "新增 1 条" in capsys.readouterr().out
    payment = PaymentRecord.objects.get()
    assert payment.total_amount == Decimal("2988.50")
    assert CrossBorderOrder.objects.count() == 2


def test_a_payments_key_is_accepted_and_ebpcode_defaults_from_settings(tmp_path, settings):
    settings.CUSTOMS_EBP_CODE = "12019600AA"
    document = {key: value for key, value in DOCUMENT.items() if key != "ebpCode"}
    path = write(tmp_path, "wrapped.json", {"payments": [{**document, "totalAmount": "@AMOUNT@"}]}, amount="1.5")

    call_command("import_payments", path)

    assert PaymentRecord.objects.get().ebp_code == "12019600AA"


def test_one_bad_record_stops_the_whole_import_and_says_where(tmp_path, capsys):
    good = {**DOCUMENT, "totalAmount": "1"}
    bad = {**DOCUMENT, "payTransactionId": "OTHER-1", "totalAmount": "1", "verDept": "7",
           "orders": [{**DOCUMENT["orders"][0], "orderNo": "ord-new", "recpName": "名" * 101}]}
    path = write(tmp_path, "mixed.json", [good, bad])

    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_payments", path)

    errors = capsys.readouterr().err
    assert "mixed.json 第 2 条：verDept" in errors
    assert not PaymentRecord.objects.exists()


def test_a_rule_broken_in_a_later_record_rolls_back_the_earlier_ones(tmp_path, capsys):
    good = {**DOCUMENT, "totalAmount": "1"}
    too_long = {**DOCUMENT, "payTransactionId": "OTHER-2", "totalAmount": "1", "currency": "50200",
                "orders": [{**DOCUMENT["orders"][0], "orderNo": "ord-new"}]}
    path = write(tmp_path, "rules.json", [good, too_long])

    with pytest.raises(CommandError):
        call_command("import_payments", path)

    assert "第 2 条：currency" in capsys.readouterr().err
    assert not PaymentRecord.objects.exists()


@pytest.mark.parametrize(("content", "words"), [("{not json", "无法读取"), ('{"a": 1}', "数组"), ("[1, 2]", "数组")])
def test_an_unreadable_file_is_reported(tmp_path, capsys, content, words):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("import_payments", str(path))

    assert words in capsys.readouterr().err


def test_a_malformed_credit_code_is_refused_naming_the_field(tmp_path, capsys):
    order = {**DOCUMENT["orders"][0], "recpCode": "91350100M000100Y44"}
    path = write(tmp_path, "codes.json", [{**DOCUMENT, "totalAmount": "1", "orders": [order]}])

    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_payments", path)

    errors = capsys.readouterr().err
    assert "第 1 条：orders[0].recpCode" in errors and "校验位错误" in errors
    assert not PaymentRecord.objects.exists()


@pytest.mark.parametrize(("content", "words"), [
    ("[" * 5000 + "]" * 5000, "嵌套过深"),
    ('[{"totalAmount": ' + "9" * 5000 + "}]", "数字过长"),
])
def test_a_file_nested_too_deep_or_with_an_endless_number_is_reported_not_a_crash(tmp_path, capsys, content, words):
    path = tmp_path / "hostile.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_payments", str(path))

    errors = capsys.readouterr().err
    assert "hostile.json：无法读取" in errors and words in errors


def test_a_trading_time_in_year_1_is_refused_naming_the_field(tmp_path, capsys):
    path = write(tmp_path, "year1.json", [{**DOCUMENT, "totalAmount": "1", "tradingTime": "00010101000000"}])

    with pytest.raises(CommandError):
        call_command("import_payments", path)

    assert "第 1 条：tradingTime: 交易成功时间应在 2000-01-01" in capsys.readouterr().err
