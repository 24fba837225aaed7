"""Packing one order at the table: which units are in the box, and in which parcel. Pure Python.

A :class:`PackSession` follows the packer scan by scan (the Pack view feeds it; it knows nothing
of barcodes or windows): each scan of one of the order's items counts one unit; a unit too many
or an item that is not in the order is refused; items that need no parcel (virtual or
downloadable) are not to be packed. Scanning a carrier's label gives the current parcel its
tracking; a second label starts a second parcel, and the units scanned after it go in it.

    session = PackSession(order, opened_at=now)
    session.scan_item(3)           # PackStep.COUNTED
    session.scan_item(3)           # PackStep.TOO_MANY when only one was bought
    session.track("6A…", "colissimo", "https://…")
    session.all_packed             # True once every unit to pack is counted
    session.parcels()              # the Parcels to queue (vendor_desk.sync.shipping)
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from vendor_desk.domain.carriers import Parcel, ShipMethod
from vendor_desk.domain.orders import LineItem, Order
from vendor_desk.domain.statuses import RefundState


class PackStep(StrEnum):
    """What one scan or tick did."""

    COUNTED = "counted"  # one more unit of the item is in the box
    ALL_PACKED = "all_packed"  # ... and it was the last unit to pack
    TOO_MANY = "too_many"  # every unit of that item is packed already
    NOT_IN_ORDER = "not_in_order"  # the item is not one of this order's items to pack
    NOTHING_TO_PACK = "nothing_to_pack"  # a virtual or downloadable item: not in the box


@dataclass
class PackedParcel:
    """One parcel being packed: its tracking (empty until a label is scanned) and the units put
    in it, by item id."""

    carrier: str = ""
    code: str = ""
    url: str = ""
    units: dict[int, int] = field(default_factory=dict)

    @property
    def tracked(self) -> bool:
        return bool(self.code)


def to_pack(item: LineItem) -> bool:
    """The item goes in a parcel: it needs shipping (or the marketplace did not say), has no
    tracking yet and was not refunded."""
    return (
        item.shippable is not False
        and not item.has_tracking
        and item.refund_state != RefundState.REFUNDED
    )


class PackSession:
    """The packing of one order (see the module docs)."""

    def __init__(
        self,
        order: Order,
        *,
        opened_at: datetime,
        already_shipped: Collection[int] = (),
    ) -> None:
        self.order = order
        self.opened_at = opened_at
        #: Units to pack per item id (the vendor's items that go in a parcel; not those
        #: ``already_shipped`` without tracking or collected).
        self.wanted: dict[int, int] = {
            item.item_id: item.quantity
            for item in order.items
            if to_pack(item) and item.item_id not in already_shipped
        }
        self.parcels_packed: list[PackedParcel] = [PackedParcel()]

    # ------------------------------------------------------------------------ state
    @property
    def current(self) -> PackedParcel:
        return self.parcels_packed[-1]

    def packed(self, item_id: int) -> int:
        """Units of ``item_id`` in the box (all parcels)."""
        return sum(parcel.units.get(item_id, 0) for parcel in self.parcels_packed)

    @property
    def units_wanted(self) -> int:
        return sum(self.wanted.values())

    @property
    def units_packed(self) -> int:
        return sum(self.packed(item_id) for item_id in self.wanted)

    @property
    def all_packed(self) -> bool:
        """Every unit to pack is in the box (True for an order with nothing to pack)."""
        return all(self.packed(item_id) >= count for item_id, count in self.wanted.items())

    @property
    def nothing_to_pack(self) -> bool:
        return not self.wanted

    def missing(self) -> dict[int, int]:
        """Units still to pack, by item id."""
        return {
            item_id: count - self.packed(item_id)
            for item_id, count in self.wanted.items()
            if self.packed(item_id) < count
        }

    # ------------------------------------------------------------------------ scans
    def scan_item(self, item_id: int) -> PackStep:
        """One unit of ``item_id`` was scanned (or ticked)."""
        item = self.order.item(item_id)
        if item is None:
            return PackStep.NOT_IN_ORDER
        if item_id not in self.wanted:
            return PackStep.NOTHING_TO_PACK if item.shippable is False else PackStep.NOT_IN_ORDER
        if self.packed(item_id) >= self.wanted[item_id]:
            return PackStep.TOO_MANY
        units = self.current.units
        units[item_id] = units.get(item_id, 0) + 1
        return PackStep.ALL_PACKED if self.all_packed else PackStep.COUNTED

    def unscan_item(self, item_id: int) -> bool:
        """Take one unit of ``item_id`` out again (the latest parcel holding one); False when
        none was packed."""
        for parcel in reversed(self.parcels_packed):
            if parcel.units.get(item_id, 0) > 0:
                parcel.units[item_id] -= 1
                if not parcel.units[item_id]:
                    del parcel.units[item_id]
                return True
        return False

    def track(self, code: str, carrier: str, url: str) -> int:
        """A carrier's label was scanned: the current parcel gets this tracking, or — when it
        has one already — a new parcel starts with it. Returns the parcel's number (1, 2 …)."""
        if self.current.tracked:
            self.parcels_packed.append(PackedParcel())
        parcel = self.current
        parcel.carrier, parcel.code, parcel.url = carrier, code, url
        return len(self.parcels_packed)

    def retrack(self, carrier: str, url: str) -> None:
        """Another carrier for the current parcel's code (the packer picked the next guess)."""
        self.current.carrier, self.current.url = carrier, url

    # ------------------------------------------------------------------------ shipping
    def parcels(self, *, unpacked_too: bool = False) -> list[Parcel]:
        """The tracked parcels to queue: each item goes with the parcel holding most of its
        units (the marketplace keeps one tracking per item), the items scanned before the first
        label with the first parcel. Items not scanned at all go with the first parcel only
        with ``unpacked_too``. Parcels without tracking are left out (see :meth:`untracked`)."""
        chosen: dict[int, int] = {}
        for item_id in self.wanted:
            counts = [parcel.units.get(item_id, 0) for parcel in self.parcels_packed]
            if max(counts) == 0:
                if unpacked_too:
                    chosen[item_id] = 0
                continue
            chosen[item_id] = counts.index(max(counts))
        result = []
        for index, packed in enumerate(self.parcels_packed):
            ids = tuple(item_id for item_id, where in chosen.items() if where == index)
            if ids and packed.tracked:
                result.append(
                    Parcel(ids, ShipMethod.TRACKED, packed.carrier, packed.code, packed.url)
                )
        return result

    def untracked(self, method: ShipMethod, *, unpacked_too: bool = False) -> Parcel:
        """Every item to pack (packed ones, or all with ``unpacked_too``) in one parcel without
        tracking or collected by the customer."""
        ids = tuple(item_id for item_id in self.wanted if unpacked_too or self.packed(item_id) > 0)
        return Parcel(ids, method)


@dataclass(frozen=True)
class DayCount:
    """The packer's day: orders shipped from the Pack view and the median time per order (from
    opening it in the Pack view to shipping it; None before the first)."""

    orders: int = 0
    median: timedelta | None = None

    @classmethod
    def of(cls, times: Iterable[tuple[datetime, datetime]]) -> DayCount:
        """From (opened, shipped) pairs."""
        spans = [max(shipped - opened, timedelta(0)) for opened, shipped in times]
        if not spans:
            return cls()
        seconds = statistics.median(span.total_seconds() for span in spans)
        return cls(len(spans), timedelta(seconds=seconds))


__all__ = ["DayCount", "PackSession", "PackStep", "PackedParcel", "to_pack"]
