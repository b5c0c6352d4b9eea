"""Benchmark of the served e-mall interfaces: catalogs and catalogsParam beside a trivial JSON view.

gunicorn with 2 workers on PostgreSQL with 5,000 categories; wrk with 32 connections.
Run: .venv/bin/python bench/served_api.py [--seconds 10]
"""
import argparse
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import fresh_database, gunicorn_server, load, machine_note, report, setup_django

ROOTS, LEAVES_PER_ROOT, PARAMS_PER_LEAF = 50, 99, 12


def populate():
    """5,000 categories (50 roots × 99 leaves), 12 standard parameters on each leaf; a supplier and a token."""
    from catalog.models import Category, CategoryParam
    from procurement.models import Platform, Supplier
    from procurement.services.accounts import account_create, token_issue

    roots = Category.objects.bulk_create(
        Category(code=f"B{r:02d}", interface_code=f"ROOT_{r}", name=f"大类{r}", level=1, is_leaf=False)
        for r in range(ROOTS)
    )
    leaves = Category.objects.bulk_create(
        Category(code=f"B{r:02d}{n:03d}", interface_code=f"LEAF_{r}_{n}", name=f"品目{r}-{n}", level=2,
                 parent=root)
        for r, root in enumerate(roots) for n in range(LEAVES_PER_ROOT)
    )
    CategoryParam.objects.bulk_create(
        CategoryParam(category=leaf, attribute_id=str(1000 + p), name=f"参数{p}", required=p < 6,
                      value_type="enum", allowed_values=[f"取值{v}" for v in range(8)], order=p)
        for leaf in leaves for p in range(PARAMS_PER_LEAF)
    )
    platform = Platform.objects.create(code="TJ-DZMC", name="天津市政府采购电子卖场")
    supplier = Supplier.objects.create(name="压测电商", code="BENCH", protocol="emall", base_url="http://127.0.0.1:9")
    supplier.platforms.add(platform)
    account = account_create(supplier=supplier, username="bench", clear_password="bench-password-1")
    raw, _ = token_issue(account)
    return raw, [leaf.interface_code for leaf in leaves], Category.objects.count()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--database", default="procurement_bench")
    args = parser.parse_args()

    database_url = fresh_database(args.database)
    setup_django(database_url)
    token, leaf_codes, total = populate()
    rng = random.Random(1)
    pages = total // 100
    catalog_bodies = [urlencode({"token": token, "platformCode": "TJ-DZMC", "pageNo": rng.randint(1, pages)})
                      for _ in range(200)]
    param_bodies = [urlencode({"token": token, "interfaceCode": rng.choice(leaf_codes)}) for _ in range(500)]

    with gunicorn_server(database_url, workers=2) as base:
        # Steady state: every body once through both workers (their reply caches fill), then measure.
        load(base + "/gyssc/platform/catalogs", bodies=catalog_bodies, seconds=2)
        load(base + "/catalogsParam", bodies=param_bodies, seconds=2)
        rows = {
            "GET /healthz (trivial JSON view)": load(base + "/healthz", method="GET", seconds=args.seconds),
            "POST /gyssc/platform/catalogs": load(base + "/gyssc/platform/catalogs", bodies=catalog_bodies,
                                                  seconds=args.seconds),
            "POST /catalogsParam": load(base + "/catalogsParam", bodies=param_bodies, seconds=args.seconds),
        }
    print(f"{total} categories, {total - ROOTS} leaves × {PARAMS_PER_LEAF} params; gunicorn 2 sync workers; "
          f"wrk 32 connections, {args.seconds}s each after a 2s warm-up; catalogs pageSize 100")
    print(machine_note())
    report("served e-mall interfaces", rows, baseline="GET /healthz (trivial JSON view)")
    trivial, catalogs, params = rows.values()
    print(f"\ntargets: throughput ≥ 0.5× trivial → catalogs {catalogs.rps / trivial.rps:.2f}×, "
          f"catalogsParam {params.rps / trivial.rps:.2f}×; catalogsParam p99 < 50 ms → {params.p99_ms:.1f} ms")


if __name__ == "__main__":
    main()
