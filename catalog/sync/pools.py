"""The pools a supplier says it has (seed 001 §2.3: pool ids are our category codes) checked against our categories.

A pool that is not one of our leaf categories is a docking problem staff see on the supplier's sync state;
its SKUs are still read (each product's own category is validated like any other).
"""
from catalog.models import SupplierSync


def pools_check(supplier, pools, rules):
    """Record the pools (id, name) that are not leaf categories of ours; returns those problems."""
    problems = pool_problems(pools, rules)
    SupplierSync.objects.filter(supplier=supplier).update(pool_problems=problems)
    return problems


def pool_problems(pools, rules):
    """Why each pool (id, name) that is not an active leaf category of ours is a docking problem."""
    problems = []
    for pool_id, name in pools:
        category = rules.category(pool_id)
        if category is None:
            problems.append(f"品目池「{pool_id} {name}」不是卖场的品目")
        elif not category.is_leaf:
            problems.append(f"品目池「{pool_id} {name}」不是末级品目（{category.name}）")
        elif not category.is_active:
            problems.append(f"品目池「{pool_id} {name}」对应的品目已停用")
    return problems
