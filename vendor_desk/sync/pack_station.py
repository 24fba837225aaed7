"""The packing station's work with the cache and the outbox: open an order to pack, ship what
was packed, count the day. No Qt (the Pack view, ``vendor_desk.ui.pack_view``, drives it).

    station = PackStation(cache, account_id)
    packing = station.open(order_id)              # None: not in the cache
    packing.session.scan_item(item_id)            # domain.packing.PackSession
    station.track(packing, code, "colissimo")     # the URL from the carrier's preset
    result = station.ship(packing, capabilities=caps)   # raises ShipmentRefused
    station.today()                               # DayCount: orders packed, median time

Shipping goes through :func:`vendor_desk.sync.shipping.queue_shipment` like every other front
end (the outbox sends it, offline too). When an order is shipped from the Pack view the times it
was opened and shipped are kept in its app-owned state (``orders.local["pack"]``); the day's
counter reads them back (:func:`vendor_desk.cache.queries.pack_times`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from vendor_desk.cache import Cache, queries
from vendor_desk.cache import store as cache_store
from vendor_desk.domain import Capabilities, Order, rules
from vendor_desk.domain.carriers import ShipMethod
from vendor_desk.domain.packing import DayCount, PackSession
from vendor_desk.sync.outbox import Outbox
from vendor_desk.sync.shipping import (
    ShipmentResult,
    locally_shipped_item_ids,
    preset_url,
    queue_shipment,
)


@dataclass
class Packing:
    """One order open at the packing station: the order as cached, its app-owned state, what
    the rules say about shipping it now, and the packing so far."""

    order: Order
    local: dict[str, Any]
    may_ship: rules.Verdict
    session: PackSession
    #: The payment warnings' words (:func:`rules.payment_warnings`).
    payment_warnings: list[str] = field(default_factory=list)

    @property
    def country(self) -> str:
        address = self.order.shipping if not self.order.shipping.is_empty else self.order.billing
        return address.country


class PackStation:
    """Opening, tracking and shipping orders at the packing table, for one account."""

    def __init__(
        self,
        cache: Cache,
        account_id: int,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.cache = cache
        self.account_id = account_id
        self._clock = clock or (lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self._clock()

    # ------------------------------------------------------------------------ opening
    def open(self, order_id: int) -> Packing | None:
        """The order to pack, from the cache (None when it is not there)."""
        with self.cache.session() as session:
            detail = queries.order_detail(session, self.account_id, order_id)
        if detail is None:
            return None
        order = detail.order
        local = dict(detail.local or {})
        shipped = locally_shipped_item_ids(local)
        return Packing(
            order=order,
            local=local,
            may_ship=rules.may_ship(order),
            session=PackSession(order, opened_at=self.now(), already_shipped=shipped),
            payment_warnings=rules.payment_warnings(order),
        )

    def track(self, packing: Packing, code: str, carrier: str) -> int:
        """A carrier's label was scanned (see :meth:`PackSession.track`); the URL is built by
        the carrier's preset for the order's ship-to address. The parcel's number."""
        url = preset_url(packing.order, carrier, code)
        return packing.session.track(code, carrier, url)

    def retrack(self, packing: Packing, carrier: str) -> None:
        """The current parcel's code belongs to ``carrier`` after all."""
        parcel = packing.session.current
        packing.session.retrack(carrier, preset_url(packing.order, carrier, parcel.code))

    # ------------------------------------------------------------------------ shipping
    def ship(
        self,
        packing: Packing,
        method: ShipMethod = ShipMethod.TRACKED,
        *,
        capabilities: Capabilities | None = None,
        unpacked_too: bool = False,
    ) -> ShipmentResult:
        """Queue the shipment of what was packed: each tracked parcel with its items
        (``method`` TRACKED), or every item to pack without tracking or collected by the
        customer. ``unpacked_too``: items not scanned go too (with the first parcel).

        Raises :class:`~vendor_desk.sync.shipping.ShipmentRefused` (nothing queued)."""
        session = packing.session
        if method is ShipMethod.TRACKED:
            parcels = session.parcels(unpacked_too=unpacked_too)
        else:
            parcels = [session.untracked(method, unpacked_too=unpacked_too)]
        outbox = Outbox(self.cache, self.account_id, recover_sending=False)
        result = queue_shipment(outbox, packing.order, parcels, capabilities=capabilities)
        shipped_at = self.now()
        with self.cache.session(write=True) as db:
            cache_store.set_local(
                db,
                self.account_id,
                packing.order.id,
                pack={
                    "opened": session.opened_at.astimezone(UTC).isoformat(),
                    "shipped": shipped_at.astimezone(UTC).isoformat(),
                },
            )
        return result

    # ------------------------------------------------------------------------ the day
    def today(self) -> DayCount:
        """Orders shipped from the Pack view since midnight (the computer's time zone), and the
        median time from opening each to shipping it."""
        now = self.now().astimezone()
        start = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
        with self.cache.session() as session:
            times = queries.pack_times(session, self.account_id, start, start + timedelta(days=1))
        return DayCount.of(times)


__all__ = ["PackStation", "Packing"]
