"""Test helper: place an order of a chosen shape on the simulator and cache it.

The generated shop has few orders of every shape a shipping test needs (two shippable items, a
virtual one, another vendor's item, a ship-to address for postcode-based carriers), so tests
check one out through the simulator's own checkout, then read it into the cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from vendor_desk.cache.store import load_orders
from vendor_desk.domain import Order
from vendor_desk.sandbox import checkout
from vendor_desk.sandbox.model import Address
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync import Syncer

from .conftest import Env


@dataclass(frozen=True)
class Placed:
    """A placed and cached order: the vendor's shippable and virtual item ids, and the other
    vendor's item ids (not the vendor's, present on the marketplace's order)."""

    order: Order
    shippable: tuple[int, ...]
    virtual: tuple[int, ...]
    foreign: tuple[int, ...]


def place(
    sim: Simulator,
    vendor_login: str,
    *,
    shippable: int = 2,
    virtual: int = 0,
    foreign: int = 0,
    status: str = "processing",
    country: str = "FR",
    postcode: str = "75011",
) -> int:
    """Check out an order with the given numbers of the vendor's shippable and virtual
    products and of another vendor's products; its id."""
    with sim.state.lock:
        state = sim.state
        vendor = state.user_by_login(vendor_login)
        assert vendor is not None
        other = next(v for v in sorted(state.vendors(), key=lambda v: v.id) if v.id != vendor.id)
        products = sorted(state.products.values(), key=lambda p: p.id)

        def pick(owner: int, is_virtual: bool, count: int) -> list[checkout.Line]:
            found = [
                p
                for p in products
                if p.vendor_id == owner
                and p.virtual == is_virtual
                and p.type == "simple"
                and (p.stock is None or p.stock > 5)
            ][:count]
            assert len(found) == count, f"the shop lacks {count} such products of {owner}"
            return [(p, 1, None) for p in found]

        lines = pick(vendor.id, False, shippable) + pick(vendor.id, True, virtual)
        lines += pick(other.id, False, foreign)
        customer = next(u for u in state.users.values() if u.role == "customer")
        address = Address(
            first_name="Ana",
            last_name="Lopez",
            address_1="12 rue de la Roquette",
            city="Paris",
            postcode=postcode,
            country=country,
            email="ana@example.com",
        )
        order = checkout.place_order(
            state,
            customer,
            lines,
            status=status,
            billing=address,
            shipping=address,
            shipping_cost=Decimal("5"),
        )
        return order.id


def place_and_cache(env: Env, **shape: object) -> Placed:
    order_id = place(env.sim, env.login, **shape)  # type: ignore[arg-type]
    with env.client() as market:
        Syncer(env.cache, env.account_id, market).refresh_order(order_id)
    with env.cache.session() as session:
        order = load_orders(session, env.account_id, [order_id])[order_id]
    snapshot = env.sim.order_snapshot(order_id)
    own = order.own_item_ids
    return Placed(
        order=order,
        shippable=tuple(i.item_id for i in order.items if i.shippable),
        virtual=tuple(i.item_id for i in order.items if i.shippable is False),
        foreign=tuple(item["id"] for item in snapshot["items"] if item["id"] not in own),
    )
