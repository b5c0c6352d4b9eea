"""The reference import reads what the database holds once per model, not once per row."""
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Category, CategoryParam
from catalog.reference.importer import reference_import
from procurement.models import Area, Brand, Promise

pytestmark = pytest.mark.django_db


def reference_file(tmp_path, n, prefix="T", params_spread=False):
    """n cities with a county each under one province, n brands, n promises, n categories, n params
    (all on one leaf category, or with `params_spread` one on each of the n categories)."""
    areas = [{"code": f"{prefix}0", "name": "省", "level": 1}]
    for i in range(1, n + 1):
        areas.append({"code": f"{prefix}{i}", "name": f"市{i}", "level": 2, "parentCode": f"{prefix}0"})
        areas.append({"code": f"{prefix}{i}-1", "name": f"区{i}", "level": 3, "parentCode": f"{prefix}{i}"})
    leaf = {
        "code": f"{prefix}R-L", "interfaceCode": f"{prefix}IF-L", "name": "叶", "parentCode": f"{prefix}R",
        "params": [{"attributeId": f"{i}", "name": f"参数{i}", "valueType": "enum", "values": ["甲", "乙"]}
                   for i in range(n)],
    }
    document = {
        "areas": areas,
        "brands": [{"code": f"{prefix}B{i}", "name": f"品牌{i}"} for i in range(n)],
        "promises": [{"code": f"{prefix}P{i}", "kind": "commitment", "name": f"承诺{i}",
                      "areaCodes": [f"{prefix}{i + 1}", f"{prefix}{i + 1}-1"]} for i in range(n)],
        "categories": [{"code": f"{prefix}R", "interfaceCode": f"{prefix}IF-R", "name": "根"}, leaf]
        + [{"code": f"{prefix}R-{i}", "interfaceCode": f"{prefix}IF-{i}", "name": f"品目{i}", "parentCode": f"{prefix}R"}
           for i in range(n)],
    }
    if params_spread:
        leaf_params = leaf.pop("params")
        for category, param in zip(document["categories"][2:], leaf_params, strict=False):
            category["params"] = [param]
    path = tmp_path / f"{prefix}{n}.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def queries_of(path, reports=None):
    with CaptureQueriesContext(connection) as captured:
        report = reference_import([path])
    if reports is not None:
        reports.append(report)
    return [q["sql"] for q in captured.captured_queries]


def reads(queries):
    return [sql for sql in queries if sql.lstrip().upper().startswith("SELECT")]


def test_a_first_import_reads_as_often_for_many_rows_as_for_few(tmp_path):
    few = reads(queries_of(reference_file(tmp_path, 2, prefix="F")))
    many = reads(queries_of(reference_file(tmp_path, 12, prefix="M")))

    assert len(many) == len(few)
    promise = Promise.objects.get(code="MP3")
    assert sorted(promise.areas.values_list("code", flat=True)) == ["M4", "M4-1"]
    assert Area.objects.get(code="M12-1").parent.parent.code == "M0"
    assert Category.objects.get(code="MR-11").parent.code == "MR"
    assert CategoryParam.objects.filter(category__code="MR-L").count() == 12


def test_importing_again_costs_the_same_for_many_rows_as_for_few_and_changes_nothing(tmp_path):
    few, many = reference_file(tmp_path, 2), reference_file(tmp_path, 12)
    reference_import([few])
    again_few = queries_of(few)
    reference_import([many])
    before = (
        list(Category.objects.order_by("code").values_list("code", "version", "updated_at")),
        list(Area.objects.order_by("code").values_list("code", "parent__code")),
        list(Brand.objects.order_by("code").values_list("code", "name")),
        sorted(Promise.areas.through.objects.values_list("promise__code", "area__code")),
    )

    reports = []
    again_many = queries_of(many, reports)

    assert len(again_many) == len(again_few)
    assert {kind: (c["created"], c["updated"], c["deleted"]) for kind, c in reports[0].counts.items()} == dict.fromkeys(
        ("areas", "brands", "promises", "categories", "params"), (0, 0, 0))
    assert before == (
        list(Category.objects.order_by("code").values_list("code", "version", "updated_at")),
        list(Area.objects.order_by("code").values_list("code", "parent__code")),
        list(Brand.objects.order_by("code").values_list("code", "name")),
        sorted(Promise.areas.through.objects.values_list("promise__code", "area__code")),
    )



def test_params_on_many_categories_are_read_once_on_a_first_import(tmp_path):
    few = reads(queries_of(reference_file(tmp_path, 2, prefix="F", params_spread=True)))
    many = reads(queries_of(reference_file(tmp_path, 12, prefix="M", params_spread=True)))

    assert len(many) == len(few)
    assert CategoryParam.objects.filter(category__code__startswith="MR-").count() == 12


def test_importing_params_on_many_categories_again_costs_the_same_as_on_few(tmp_path):
    few, many = (reference_file(tmp_path, n, params_spread=True) for n in (2, 12))
    reference_import([few])
    again_few = queries_of(few)
    reference_import([many])

    assert len(queries_of(many)) == len(again_few)
