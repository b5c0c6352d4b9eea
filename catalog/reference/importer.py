"""Import of reference data: all rows are checked first, then applied in one transaction, or nothing is."""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from catalog.models import Category, CategoryParam
from catalog.reference.read import KINDS, ReadError, read_reference
from catalog.reference.rows import RowChecker
from catalog.services import category_bump_versions, category_tree_refresh
from procurement.models import Area, Brand, Promise


class ImportFailed(Exception):
    def __init__(self, errors):
        super().__init__(f"{len(errors)} 处错误")
        self.errors = errors


@dataclass
class ImportReport:
    counts: dict = field(default_factory=lambda: defaultdict(Counter))

    def count(self, kind, outcome):
        self.counts[kind][outcome] += 1

    def lines(self):
        return [
            f"{kind}: 新增 {c['created']}，更新 {c['updated']}，未变 {c['unchanged']}，删除 {c['deleted']}"
            for kind, c in self.counts.items()
        ]


def reference_import(paths):
    """Load or update areas, brands, promises, categories and their params from files."""
    return reference_import_rows(reference_read(paths))


def reference_read(paths):
    """The rows of the files, by kind, each with the name of its file; ImportFailed if a file cannot be read."""
    rows = {kind: [] for kind in KINDS}
    errors = []
    for path in paths:
        try:
            for kind, items in read_reference(path).items():
                rows[kind].extend((Path(path).name, row) for row in items)
        except (ReadError, OSError) as exc:
            errors.append(str(exc))
    if errors:
        raise ImportFailed(errors)
    return rows


def reference_import_rows(rows):
    """Check `rows` (reference_read's) against each other and the database, then load or update them."""
    plan = _Plan(rows)
    if plan.errors:
        raise ImportFailed(plan.errors)
    report = ImportReport()
    with transaction.atomic():
        plan.apply(report)
    return report


class _Plan:
    """Checked rows, ready to apply."""

    def __init__(self, rows):
        self.errors = []
        self.areas = self._check(rows["areas"], self._area, key="code")
        self.brands = self._check(rows["brands"], self._brand, key="code")
        self.promises = self._check(rows["promises"], self._promise, key="code")
        self.categories = self._check(rows["categories"], self._category, key="code")
        self.params = self._check(rows["params"], self._param, key=("category_code", "attribute_id"))
        self._check_links()

    def _check(self, sourced_rows, reader, key):
        checked, seen = [], {}
        for source, row in sourced_rows:
            checker = RowChecker(row, source, self.errors)
            values = reader(checker)
            if not checker.ok:
                continue
            identity = tuple(values[k] for k in key) if isinstance(key, tuple) else values[key]
            if identity in seen:
                checker.problem(f"与 {seen[identity]} 重复")
                continue
            seen[identity] = checker.where
            checked.append((checker, values))
        return checked

    # --- one reader per kind -----------------------------------------------------------------

    @staticmethod
    def _area(c):
        return {
            "code": c.text("code", required=True, max_length=12, code=True),
            "name": c.text("name", required=True, max_length=100),
            "level": c.integer("level", low=1, high=3),
            "parent_code": c.text("parentCode", max_length=12),
        }

    @staticmethod
    def _brand(c):
        return {
            "code": c.text("code", required=True, max_length=50, code=True),
            "name": c.text("name", required=True, max_length=100),
            "english_name": c.text("englishName", max_length=100),
            "is_active": c.boolean("isActive", default=True),
        }

    @staticmethod
    def _promise(c):
        return {
            "code": c.text("code", required=True, max_length=50, code=True),
            "kind": c.choice("kind", Promise.Kind),
            "name": c.text("name", required=True, max_length=200),
            "description": c.text("description", max_length=2000),
            "area_codes": c.text_list("areaCodes"),
            "is_active": c.boolean("isActive", default=True),
        }

    @staticmethod
    def _category(c):
        return {
            "code": c.text("code", required=True, max_length=30, code=True),
            "interface_code": c.text("interfaceCode", required=True, max_length=50, code=True),
            "name": c.text("name", required=True, max_length=200),
            "parent_code": c.text("parentCode", max_length=30),
            "is_active": c.boolean("isActive", default=True),
        }

    @staticmethod
    def _param(c):
        values = {
            "category_code": c.text("categoryCode", required=True, max_length=30),
            "attribute_id": c.text("attributeId", required=True, max_length=50, code=True),
            "name": c.text("name", required=True, max_length=200),
            "required": c.boolean("required", default=False),
            "value_type": c.choice("valueType", CategoryParam.ValueType),
            "allowed_values": c.text_list("values"),
            "unit": c.text("unit", max_length=20),
            "order": c.integer("order", default=0, low=0, high=100000),
        }
        if c.ok:
            problem = CategoryParam(value_type=values["value_type"], allowed_values=values["allowed_values"]).definition_problem()
            if problem:
                c.problem(problem)
        return values

    # --- links between rows, and to what the database already holds --------------------------

    def _check_links(self):
        area_levels = dict(Area.objects.values_list("code", "level"))
        area_levels.update({v["code"]: v["level"] for _, v in self.areas})
        for checker, values in self.areas:
            parent_level = area_levels.get(values["parent_code"])
            if values["level"] == 1 and values["parent_code"]:
                checker.problem("省级地区不能有 parentCode")
            elif values["level"] > 1 and parent_level != values["level"] - 1:
                checker.problem(f"parentCode「{values['parent_code']}」不是已知的 {values['level'] - 1} 级地区")
        for checker, values in self.promises:
            unknown = [code for code in values["area_codes"] if code not in area_levels]
            if unknown:
                checker.problem(f"areaCodes 中的地区不存在：{'、'.join(unknown)}")
        self._check_category_links()

    def _check_category_links(self):
        known = set(Category.objects.values_list("code", flat=True)) | {v["code"] for _, v in self.categories}
        interface_owner = dict(Category.objects.values_list("interface_code", "code"))
        in_file = {}
        parents = dict(Category.objects.values_list("code", "parent__code"))
        parents.update({v["code"]: v["parent_code"] for _, v in self.categories})
        for checker, values in self.categories:
            if values["parent_code"] and values["parent_code"] not in known:
                checker.problem(f"parentCode「{values['parent_code']}」不存在")
            elif _cycles(values["code"], parents):
                checker.problem("上级品目形成了循环")
            owner = in_file.setdefault(values["interface_code"], values["code"])
            if owner == values["code"]:
                owner = interface_owner.get(values["interface_code"])
            if owner and owner != values["code"]:
                checker.problem(f"interfaceCode「{values['interface_code']}」已被品目 {owner} 使用")
        for checker, values in self.params:
            if values["category_code"] not in known:
                checker.problem(f"categoryCode「{values['category_code']}」不存在")

    # --- applying ---------------------------------------------------------------------------

    def apply(self, report):
        # What the database holds is read once per model; rows are written parent first, and each
        # written row joins the code → row map its children look their parent up in.
        areas = _Existing(Area.objects.all())
        for _, values in sorted(self.areas, key=lambda item: item[1]["level"]):
            parent_code = values.pop("parent_code")
            parent_id = areas.rows[parent_code].pk if values["level"] > 1 else None
            areas.upsert(report, "areas", values["code"], {**values, "parent_id": parent_id})
        brands = _Existing(Brand.objects.all())
        for _, values in self.brands:
            brands.upsert(report, "brands", values["code"], values)
        promises = _Existing(Promise.objects.all())
        linked = defaultdict(set)
        for promise_id, area_id in Promise.areas.through.objects.values_list("promise_id", "area_id"):
            linked[promise_id].add(area_id)
        for _, values in self.promises:
            area_ids = {areas.rows[code].pk for code in values.pop("area_codes")}
            promise = promises.upsert(report, "promises", values["code"], values)
            stored = linked[promise.pk]  # read above: neither call re-reads the links, and each is a no-op if empty
            promise.areas.remove(*(stored - area_ids))
            promise.areas.add(*(area_ids - stored))
        self.created_categories = set()
        categories = _Existing(Category.objects.all())
        changed = self._apply_categories(report, categories) | self._apply_params(report, categories)
        category_tree_refresh()
        category_bump_versions(changed - self.created_categories)

    def _apply_categories(self, report, categories):
        changed = set()
        depth = _depths({v["code"]: v["parent_code"] for _, v in self.categories})
        for _, values in sorted(self.categories, key=lambda item: depth[item[1]["code"]]):
            parent_code = values.pop("parent_code")
            parent_id = categories.rows[parent_code].pk if parent_code else None
            category = categories.upsert(
                report, "categories", values["code"], {**values, "parent_id": parent_id}
            )
            if category._import_created:
                self.created_categories.add(category.pk)
            elif category._import_changed:
                changed.add(category.pk)
        return changed

    def _apply_params(self, report, categories):
        by_category = defaultdict(list)
        for _, values in self.params:
            by_category[categories.rows[values.pop("category_code")].pk].append(values)
        stored = defaultdict(list)  # the file's categories' params as stored, read in one query
        for row in CategoryParam.objects.filter(category_id__in=list(by_category)).order_by():
            stored[row.category_id].append(row)
        gone = []  # a category listed in the file keeps exactly the params the file gives it
        for category_id, params in by_category.items():
            keep = {p["attribute_id"] for p in params}
            gone += [row for row in stored[category_id] if row.attribute_id not in keep]
        CategoryParam.objects.filter(pk__in=[row.pk for row in gone]).delete()
        report.counts["params"]["deleted"] += len(gone)
        changed = {row.category_id for row in gone}
        for category_id, params in by_category.items():
            existing = _Existing(stored[category_id], key="attribute_id", model=CategoryParam)
            touched = [existing.upsert(report, "params", p["attribute_id"], {**p, "category_id": category_id})
                       for p in params]
            if any(p._import_changed for p in touched):
                changed.add(category_id)
        return changed


class _Existing:
    """The rows of one model (or of one category's params) by their code, read once and kept up to date:
    `rows` holds every code already stored or written since."""

    def __init__(self, rows, key="code", model=None):
        self.model = model or rows.model
        self.rows = {getattr(row, key): row for row in rows}

    def upsert(self, report, kind, identity, values):
        instance = self.rows.get(identity)
        if instance is None:
            instance = self.rows[identity] = self.model.objects.create(**values)
            instance._import_created = instance._import_changed = True
            report.count(kind, "created")
        else:
            differs = {name: value for name, value in values.items() if getattr(instance, name) != value}
            for name, value in differs.items():
                setattr(instance, name, value)
            if differs:
                instance.save()
            instance._import_created, instance._import_changed = False, bool(differs)
            report.count(kind, "updated" if differs else "unchanged")
        return instance


def _cycles(code, parents):
    seen = {code}
    node = parents.get(code)
    while node:
        if node in seen:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


def _depths(parents):
    def depth(code):
        parent = parents.get(code)
        return 0 if not parent or parent not in parents else 1 + depth(parent)

    return {code: depth(code) for code in parents}
