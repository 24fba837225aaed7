"""Packing one order scan by scan (domain.packing), on orders built by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.domain.test_orders_and_rules import item, order
from vendor_desk.domain import RefundState
from vendor_desk.domain.carriers import ShipMethod
from vendor_desk.domain.packing import DayCount, PackSession, PackStep

OPENED = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def session(*items: object, **kwargs: object) -> PackSession:
    return PackSession(order(*items), opened_at=OPENED, **kwargs)  # type: ignore[arg-type]


def test_each_scan_counts_one_unit_and_the_last_says_all_packed() -> None:
    packing = session(item(1, "10", qty=2), item(2, "5"))
    assert packing.units_wanted == 3
    assert packing.scan_item(1) is PackStep.COUNTED
    assert packing.packed(1) == 1
    assert packing.missing() == {1: 1, 2: 1}
    assert packing.scan_item(2) is PackStep.COUNTED
    assert not packing.all_packed
    assert packing.scan_item(1) is PackStep.ALL_PACKED
    assert packing.all_packed and packing.missing() == {}


def test_one_unit_too_many_and_an_item_of_no_such_line_are_refused_and_count_nothing() -> None:
    packing = session(item(1, "10"), item(2, "5"))
    packing.scan_item(1)
    assert packing.scan_item(1) is PackStep.TOO_MANY
    assert packing.scan_item(99) is PackStep.NOT_IN_ORDER
    assert packing.packed(1) == 1 and packing.units_packed == 1


def test_virtual_refunded_tracked_and_already_shipped_items_are_not_to_pack() -> None:
    packing = session(
        item(1, "10", shippable=False),
        item(2, "5", refund_state=RefundState.REFUNDED),
        item(3, "5", tracking_code="6A123", tracking_url="https://t.example/6A123"),
        item(4, "5"),
        item(5, "5"),
        already_shipped={5},
    )
    assert packing.wanted == {4: 1}
    assert packing.scan_item(1) is PackStep.NOTHING_TO_PACK
    assert packing.scan_item(2) is PackStep.NOT_IN_ORDER
    assert packing.scan_item(5) is PackStep.NOT_IN_ORDER


def test_an_order_of_virtual_items_only_has_nothing_to_pack_and_counts_as_packed() -> None:
    packing = session(item(1, "10", shippable=False))
    assert packing.nothing_to_pack and packing.all_packed


def test_a_unit_taken_out_again_comes_off_the_latest_parcel() -> None:
    packing = session(item(1, "10", qty=2))
    packing.scan_item(1)
    packing.track("6A1", "colissimo", "https://a")
    packing.track("6A2", "colissimo", "https://b")
    packing.scan_item(1)
    assert packing.unscan_item(1)
    assert packing.parcels_packed[-1].units == {}
    assert packing.unscan_item(1)
    assert not packing.unscan_item(1)


def test_one_label_puts_every_scanned_item_in_one_tracked_parcel() -> None:
    packing = session(item(1, "10", qty=2), item(2, "5"))
    for item_id in (1, 1, 2):
        packing.scan_item(item_id)
    assert packing.track("6A123", "colissimo", "https://t/6A123") == 1
    (parcel,) = packing.parcels()
    assert parcel.item_ids == (1, 2)
    assert parcel.method is ShipMethod.TRACKED
    assert (parcel.carrier, parcel.code) == ("colissimo", "6A123")


def test_a_second_label_starts_a_second_parcel_for_the_items_scanned_after_it() -> None:
    packing = session(item(1, "10"), item(2, "5"), item(3, "5"))
    packing.scan_item(1)
    packing.track("6A1", "colissimo", "https://a")
    packing.scan_item(2)  # still parcel 1: its label was scanned, no second label yet
    assert packing.track("XY2", "ups", "https://b") == 2
    packing.scan_item(3)
    first, second = packing.parcels()
    assert first.item_ids == (1, 2) and first.code == "6A1"
    assert second.item_ids == (3,) and second.code == "XY2"


def test_items_not_scanned_go_with_the_first_parcel_only_when_asked() -> None:
    packing = session(item(1, "10"), item(2, "5"))
    packing.scan_item(1)
    packing.track("6A1", "colissimo", "https://a")
    assert [p.item_ids for p in packing.parcels()] == [(1,)]
    assert [p.item_ids for p in packing.parcels(unpacked_too=True)] == [(1, 2)]


def test_without_a_label_nothing_tracked_is_shipped_but_an_untracked_parcel_can_be() -> None:
    packing = session(item(1, "10"), item(2, "5"))
    packing.scan_item(2)
    assert packing.parcels() == []
    assert packing.untracked(ShipMethod.NO_TRACKING).item_ids == (2,)
    pickup = packing.untracked(ShipMethod.PICKUP, unpacked_too=True)
    assert (pickup.item_ids, pickup.method) == ((1, 2), ShipMethod.PICKUP)


def test_another_carrier_for_the_current_label() -> None:
    packing = session(item(1, "10"))
    packing.track("CA123456789", "dhl", "https://dhl")
    packing.retrack("fedex", "https://fedex")
    assert (packing.current.carrier, packing.current.url) == ("fedex", "https://fedex")


def test_the_day_counts_orders_and_the_median_time_per_order() -> None:
    assert DayCount.of([]) == DayCount(0, None)
    minutes = [3, 1, 2, 10]
    times = [(OPENED, OPENED + timedelta(minutes=m)) for m in minutes]
    day = DayCount.of(times)
    assert day.orders == 4
    assert day.median == timedelta(minutes=2.5)
