"""The mall standard's area tree (mapped by name, staff map the rest), stock by our area code, and the optional
interfaces (ratings, accessories, warranty, offers, tiers) stored and shown on the SKU page."""
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from catalog.extras import extras_refresh
from catalog.models import Accessory, AccessoryLink, Offer, Sku, SkuRating, TierDiscount, WarrantyService
from catalog.stock import StockUnavailable, stock_check
from catalog.sync.passes import sync_pass
from procurement.models import Area, SupplierArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def docked(mall_platform):
    sandbox, _, supplier = mall_platform(60, broken=False)
    sync_pass(supplier.pk)
    return sandbox, supplier


def test_the_suppliers_areas_are_mapped_onto_ours_by_name(docked):
    sandbox, supplier = docked

    report = extras_refresh(supplier.pk)

    assert report.failed == {} and report.stored["areas"] == Area.objects.count()
    heping = SupplierArea.objects.get(supplier=supplier, remote_id=sandbox.area_id("120101"))
    assert (heping.area.code, heping.mapped_by) == ("120101", "auto")
    assert not SupplierArea.objects.filter(supplier=supplier, area__isnull=True).exists()


def test_names_that_do_not_match_wait_for_staff_and_their_mapping_is_kept(docked, client):
    sandbox, supplier = docked
    sandbox.faults.update(unmatched_areas=1)
    extras_refresh(supplier.pk)
    renamed = SupplierArea.objects.get(supplier=supplier, name="蓟县")
    assert renamed.area is None and renamed.mapped_by == ""
    assert SupplierArea.objects.get(supplier=supplier, name="和平").area.code == "120101"  # 区 left off, still found
    client.force_login(User.objects.create_superuser("boss", "boss@example.cn", "pw-Boss-2026"))

    client.post(reverse("admin:procurement_supplierarea_change", args=[renamed.pk]),
                {"area": Area.objects.get(code="120119").pk})
    extras_refresh(supplier.pk)

    renamed.refresh_from_db()
    assert (renamed.area.code, renamed.mapped_by) == ("120119", "staff")


def test_stock_is_asked_by_our_area_code_through_the_mapping(docked):
    sandbox, supplier = docked
    extras_refresh(supplier.pk)
    row = Sku.objects.get(sku_code="MS000003")

    assert stock_check(supplier, [row], "120101") == {"MS000003": sandbox.products["MS000003"].stock["120101"]}
    assert row.stock_levels.get(area_code="120101").quantity == sandbox.products["MS000003"].stock["120101"]


def test_stock_for_an_area_the_supplier_has_not_mapped_says_so(docked):
    _, supplier = docked
    row = Sku.objects.get(sku_code="MS000003")

    with pytest.raises(StockUnavailable, match="电商地址对应"):
        stock_check(supplier, [row], "120101")


def test_every_optional_interface_is_stored(docked):
    sandbox, supplier = docked

    report = extras_refresh(supplier.pk)

    assert report.failed == {}
    assert SkuRating.objects.count() == 60
    assert Accessory.objects.count() == len(sandbox.accessories) and AccessoryLink.objects.exists()
    assert WarrantyService.objects.exists() and TierDiscount.objects.exists()
    assert Offer.objects.filter(kind="group_buy").count() == len(sandbox.group_buys)
    assert Offer.objects.filter(kind="special").count() == len(sandbox.specials)


def test_an_interface_the_supplier_lacks_is_never_called(docked):
    sandbox, supplier = docked
    supplier.interfaces_off = ["ratings", "tiers"]
    supplier.save(update_fields=["interfaces_off"])
    sandbox.faults.update(optional_missing="ratings,tiers")

    report = extras_refresh(supplier.pk)

    assert report.failed == {} and "ratings" not in report.stored
    assert sandbox.calls["/api/product/ratings"] == 0 and sandbox.calls["/api/promotion/tiers"] == 0


def test_the_sku_page_shows_the_offers_current_or_not_and_flags_one_above_the_agreement_price(docked, client):
    sandbox, supplier = docked
    extras_refresh(supplier.pk)
    client.force_login(User.objects.create_superuser("boss", "boss@example.cn", "pw-Boss-2026"))
    above = next(o for o in Offer.objects.all()
                 if o.price is not None and o.price > Sku.objects.get(sku_code=o.sku_code).price)
    stale = next(o for o in Offer.objects.all() if not o.is_current())

    pages = {code: client.get(reverse("admin:catalog_sku_change", args=[Sku.objects.get(sku_code=code).pk]))
             .content.decode() for code in {above.sku_code, stale.sku_code}}

    assert "优惠价高于协议价" in pages[above.sku_code]
    assert "不在有效期" in pages[stale.sku_code]
    rating = SkuRating.objects.get(sku_code=above.sku_code)
    assert f"评分 {rating.score} / 5" in pages[above.sku_code]
