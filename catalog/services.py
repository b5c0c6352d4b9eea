"""Category tree services: the only code that changes categories, their tree flags and their version."""
from django.db import transaction
from django.db.models import Exists, F, OuterRef

from catalog.models import CatalogRevision, Category


def catalog_revision_bump():
    """Tell every server that category data changed (their cached replies are dropped)."""
    updated = CatalogRevision.objects.filter(pk=1).update(number=F("number") + 1)
    if not updated:
        CatalogRevision.objects.get_or_create(pk=1, defaults={"number": 2})


def catalog_revision_current():
    return CatalogRevision.objects.filter(pk=1).values_list("number", flat=True).first() or 1


def category_bump_versions(category_ids):
    """Mark categories as changed: suppliers holding an older version get 5010."""
    if category_ids:
        Category.objects.filter(pk__in=list(category_ids)).update(version=F("version") + 1)
        catalog_revision_bump()


def category_tree_refresh():
    """Recompute `level` and `is_leaf` from the parent links (after an import or a move)."""
    with transaction.atomic():
        Category.objects.update(
            is_leaf=~Exists(Category.objects.filter(parent=OuterRef("pk")))
        )
        level, frontier = 1, list(Category.objects.filter(parent__isnull=True).values_list("pk", flat=True))
        while frontier:
            Category.objects.filter(pk__in=frontier).exclude(level=level).update(level=level)
            frontier = list(Category.objects.filter(parent__in=frontier).values_list("pk", flat=True))
            level += 1
        catalog_revision_bump()


def category_would_cycle(category, new_parent):
    """True when `new_parent` is the category itself or one of its descendants."""
    node = new_parent
    while node is not None:
        if category.pk is not None and node.pk == category.pk:
            return True
        node = node.parent
    return False
