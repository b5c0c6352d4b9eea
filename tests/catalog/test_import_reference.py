"""`manage.py import_reference`: JSON and CSV, idempotent, all-or-nothing, errors with their line."""
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Category, CategoryParam
from procurement.demo import REFERENCE_FILE
from procurement.models import Area, Brand, Promise

pytestmark = pytest.mark.django_db
DATA = Path(__file__).with_name("data")


def run(*files):
    out, err = StringIO(), StringIO()
    call_command("import_reference", *map(str, files), stdout=out, stderr=err)
    return out.getvalue()


def test_a_json_file_loads_every_kind():
    output = run(DATA / "reference.json")

    laser = Category.objects.get(code="A0201060102")
    assert (laser.parent.code, laser.level, laser.is_leaf, laser.version) == ("A02", 2, True, 1)
    assert Category.objects.get(code="A02").is_leaf is False
    assert list(laser.params.values_list("attribute_id", "required", "allowed_values")) == [
        ("1001", True, ["联想", "奔图"]), ("2102", False, []),
    ]
    assert Area.objects.get(code="120101").parent.code == "120100"
    assert set(Brand.objects.values_list("name", flat=True)) == {"联想", "奔图"}
    promise = Promise.objects.get(code="C003")
    assert (promise.kind, list(promise.areas.values_list("code", flat=True))) == ("commitment", ["120000"])
    assert "categories: 新增 2" in output


def test_importing_twice_changes_nothing():
    run(DATA / "reference.json")
    before = list(Category.objects.values_list("code", "version", "updated_at"))

    output = run(DATA / "reference.json")

    assert list(Category.objects.values_list("code", "version", "updated_at")) == before
    assert "新增 0，更新 0" in output


def test_a_changed_parameter_bumps_the_version_of_its_category_only(tmp_path):
    run(DATA / "reference.json")
    document = json.loads((DATA / "reference.json").read_text())
    document["categories"][1]["params"][0]["values"].append("惠普")
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(document, ensure_ascii=False))

    run(changed)

    assert Category.objects.get(code="A0201060102").version == 2
    assert Category.objects.get(code="A02").version == 1


def test_a_parameter_left_out_of_the_file_is_removed(tmp_path):
    run(DATA / "reference.json")
    document = json.loads((DATA / "reference.json").read_text())
    del document["categories"][1]["params"][1]
    changed = tmp_path / "fewer.json"
    changed.write_text(json.dumps(document, ensure_ascii=False))

    run(changed)

    assert list(CategoryParam.objects.values_list("attribute_id", flat=True)) == ["1001"]
    assert Category.objects.get(code="A0201060102").version == 2


def test_csv_files_of_each_kind_are_recognised_by_their_header(tmp_path):
    (tmp_path / "areas.csv").write_text("code,name,level,parentCode\n120000,天津市,1,\n120100,市辖区,2,120000\n")
    (tmp_path / "brands.csv").write_text("code,name,englishName\nhaier,海尔,Haier\n")
    (tmp_path / "promises.csv").write_text("code,kind,name,description\nS001,seven_day_return,支持七天无理由退货,说明\n")
    (tmp_path / "categories.csv").write_text("code,interfaceCode,name,parentCode\nA06,FURN,家具,\nA060301,CHAIR,办公椅,A06\n")
    (tmp_path / "params.csv").write_text(
        "categoryCode,attributeId,name,required,valueType,values,unit,order\n"
        "A060301,2911,材质,是,单选,网布|皮质|布艺,,1\n"
    )

    run(*sorted(tmp_path.iterdir()))

    param = CategoryParam.objects.get()
    assert (param.category.code, param.required, param.value_type, param.allowed_values) == (
        "A060301", True, "enum", ["网布", "皮质", "布艺"])
    assert Area.objects.get(code="120100").level == 2
    assert Promise.objects.get().kind == "seven_day_return"
    assert Brand.objects.get().english_name == "Haier"


def test_bad_rows_are_reported_with_their_line_and_nothing_is_imported(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"brands": [\n'
        '  {"code": "ok", "name": "好品牌"},\n'
        '  {"code": "bad code!", "name": "坏品牌"}\n'
        '],\n'
        '"categories": [\n'
        '  {"code": "A99", "interfaceCode": "X", "name": "孤儿", "parentCode": "NOPE"},\n'
        '  {"code": "A98", "interfaceCode": "Y", "name": "选项缺失",\n'
        '   "params": [{"attributeId": "1", "name": "颜色", "valueType": "enum"}]}\n'
        ']}\n'
    )
    err = StringIO()

    with pytest.raises(CommandError, match="3 处错误"):
        call_command("import_reference", str(bad), stdout=StringIO(), stderr=err)

    messages = err.getvalue().splitlines()
    assert messages == [
        "bad.json 第 3 行: code「bad code!」只能包含字母、数字、下划线、连字符和点",
        "bad.json 第 8 行: 单选/多选参数必须列出可选值",
        "bad.json 第 6 行: parentCode「NOPE」不存在",
    ]
    assert not Brand.objects.exists()
    assert not Category.objects.exists()


def test_a_csv_error_names_its_line(tmp_path):
    areas = tmp_path / "areas.csv"
    areas.write_text("code,name,level,parentCode\n120000,天津市,1,\n120100,市辖区,5,120000\n")

    with pytest.raises(CommandError):
        call_command("import_reference", str(areas), stdout=StringIO(), stderr=(err := StringIO()))

    assert "areas.csv 第 3 行: level「5」应在 1–3 之间" in err.getvalue()
    assert not Area.objects.exists()


def test_a_parent_cycle_is_refused(tmp_path):
    run(DATA / "reference.json")
    loop = tmp_path / "loop.json"
    loop.write_text(json.dumps({"categories": [
        {"code": "A02", "interfaceCode": "EQUIP", "name": "设备", "parentCode": "A0201060102"}]}))

    with pytest.raises(CommandError):
        call_command("import_reference", str(loop), stdout=StringIO(), stderr=(err := StringIO()))

    assert "循环" in err.getvalue()
    assert Category.objects.get(code="A02").parent is None


def test_malformed_json_names_the_line(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"brands": [\n {"code": "a", "name": "b"},\n]}')

    with pytest.raises(CommandError):
        call_command("import_reference", str(broken), stdout=StringIO(), stderr=(err := StringIO()))

    assert "broken.json 第 3 行: JSON 格式错误" in err.getvalue()


def test_the_shipped_demo_slice_imports_cleanly():
    run(REFERENCE_FILE)

    assert Category.objects.filter(is_leaf=True, params__isnull=False).distinct().count() >= 30
    assert Area.objects.filter(parent__code="120100").count() == 16
    assert Brand.objects.count() == 20
    assert set(Promise.objects.values_list("kind", flat=True)) == {"commitment", "certification", "seven_day_return"}


def test_two_categories_of_one_file_sharing_an_interface_code_are_reported(tmp_path):
    twins = tmp_path / "twins.json"
    twins.write_text(json.dumps({"categories": [
        {"code": "A01", "interfaceCode": "SAME", "name": "甲"},
        {"code": "A02", "interfaceCode": "SAME", "name": "乙"}]}, ensure_ascii=False))

    with pytest.raises(CommandError):
        call_command("import_reference", str(twins), stdout=StringIO(), stderr=(err := StringIO()))

    assert "interfaceCode「SAME」已被品目 A01 使用" in err.getvalue()
    assert not Category.objects.exists()
