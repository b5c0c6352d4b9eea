"""Read-only answers of the §7.1 interfaces, built straight from `.values()` rows (they are hot paths)."""
from django.db import DatabaseError
from django.db.models import Q

from catalog.api.cache import catalog_replies
from catalog.models import Category, CategoryParam
from procurement.models import Area, Brand, Promise
from procurement.suppliers.emall.wire import ErrorCode, WireError


def catalogs(caller, *, platform_code, parent_code, page_no, page_size):
    if not caller.in_platform(platform_code):
        raise WireError(ErrorCode.UNKNOWN_PLATFORM, f"platformCode无效：{platform_code}")
    key = ("catalogs", platform_code, parent_code, page_no, page_size)
    return catalog_replies.get_or_render(key, lambda: _catalogs(platform_code, parent_code, page_no, page_size))


def _catalogs(platform_code, parent_code, page_no, page_size):
    categories = Category.objects.filter(is_active=True)
    if parent_code:
        if not categories.filter(code=parent_code).exists():
            raise WireError(ErrorCode.UNKNOWN_CATEGORY, f"品目信息不存在：{parent_code}")
        categories = categories.filter(parent__code=parent_code)
    total = categories.count()
    start = (page_no - 1) * page_size
    rows = categories.order_by("code").values_list(
        "id", "code", "interface_code", "name", "parent__code", "level", "is_leaf", "version"
    )[start:start + page_size]
    return {
        "platformCode": platform_code,
        "total": total,
        "pageNo": page_no,
        "pageSize": page_size,
        "catalogs": [
            {"id": pk, "code": code, "interfaceCode": interface_code, "name": name, "parentCode": parent,
             "level": level, "isLeaf": is_leaf, "version": version}
            for pk, code, interface_code, name, parent, level, is_leaf, version in rows
        ],
    }


def catalog_params(*, catalog_id, interface_code, version):
    key = ("params", catalog_id or None, None if catalog_id else interface_code)
    reply = catalog_replies.get_or_render(key, lambda: _catalog_params(catalog_id, interface_code))
    if version is not None and version != reply.version:
        raise WireError(
            ErrorCode.CATEGORY_CHANGED, f"品目数据已更新，请重新获取品目！当前版本 {reply.version}，请求版本 {version}"
        )
    return reply


def _catalog_params(catalog_id, interface_code):
    category = _category(catalog_id, interface_code)
    try:
        params = list(CategoryParam.objects.filter(category_id=category.pk).order_by("order", "attribute_id"))
    except DatabaseError:
        raise WireError(ErrorCode.CATEGORY_PARAMS_UNREADABLE) from None
    if not params:
        raise WireError(ErrorCode.NO_CATEGORY_PARAMS, f"未查询到品目参数：{category.code}")
    broken = next((p for p in params if p.definition_problem()), None)
    if broken is not None:
        raise WireError(ErrorCode.CATEGORY_PARAMS_UNREADABLE, f"获取品目参数项数据失败：{broken.attribute_id}")
    return {
        "catalogId": category.pk,
        "code": category.code,
        "interfaceCode": category.interface_code,
        "name": category.name,
        "version": category.version,
        "params": [
            {"attributeID": p.attribute_id, "attributeName": p.name, "required": p.required,
             "valueType": p.value_type, "values": p.allowed_values, "unit": p.unit, "order": p.order}
            for p in params
        ],
    }


def _category(catalog_id, interface_code):
    if not catalog_id and not interface_code:
        raise WireError(ErrorCode.CATEGORY_NOT_GIVEN)
    if catalog_id and not str(catalog_id).isdigit():
        raise WireError(ErrorCode.UNKNOWN_CATEGORY, f"品目信息不存在：{catalog_id}")
    lookup = {"pk": int(catalog_id)} if catalog_id else {"interface_code": interface_code}
    category = Category.objects.filter(is_active=True, **lookup).only(
        "id", "code", "interface_code", "name", "version"
    ).first()
    if category is None:
        raise WireError(ErrorCode.UNKNOWN_CATEGORY, f"品目信息不存在：{catalog_id or interface_code}")
    return category


def promises(*, kind, area_code):
    chosen = Promise.objects.filter(is_active=True)
    if kind:
        chosen = chosen.filter(kind=kind)
    if area_code:
        # Three levels at most: the ancestors come with the area.
        area = Area.objects.select_related("parent__parent").filter(code=area_code).first()
        if area is None:
            raise WireError(ErrorCode.OTHER, f"地区编码不存在：{area_code}")
        chosen = chosen.filter(Q(areas__isnull=True) | Q(areas__in=_area_and_ancestors(area)))
    return {
        "promises": [
            {"code": p.code, "kind": p.kind, "kindName": p.get_kind_display(), "name": p.name,
             "description": p.description, "areaCodes": [a.code for a in p.areas.all()]}
            for p in chosen.distinct().order_by("kind", "code").prefetch_related("areas")
        ]
    }


def _area_and_ancestors(area):
    chain = []
    while area is not None:
        chain.append(area.pk)
        area = area.parent
    return chain


def areas(*, parent_code):
    if parent_code:
        parent = Area.objects.filter(code=parent_code).first()
        if parent is None:
            raise WireError(ErrorCode.OTHER, f"地区编码不存在：{parent_code}")
        chosen = Area.objects.filter(parent=parent)
    else:
        chosen = Area.objects.filter(level=Area.Level.PROVINCE)
    return {
        "areas": [
            {"code": code, "name": name, "level": level, "parentCode": parent}
            for code, name, level, parent in chosen.order_by("code").values_list("code", "name", "level", "parent__code")
        ]
    }


def brands(*, name, page_no, page_size):
    chosen = Brand.objects.filter(is_active=True)
    if name:
        chosen = chosen.filter(Q(name__icontains=name) | Q(english_name__icontains=name))
    start = (page_no - 1) * page_size
    rows = chosen.order_by("code").values_list("code", "name", "english_name")[start:start + page_size]
    return {
        "total": chosen.count(),
        "pageNo": page_no,
        "pageSize": page_size,
        "brands": [{"code": code, "name": n, "englishName": english} for code, n, english in rows],
    }
