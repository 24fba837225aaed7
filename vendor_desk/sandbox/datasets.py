"""Seed data for the simulator. OWNER: datasets helper. Agreed interface below."""

from __future__ import annotations

from vendor_desk.sandbox.model import MarketplaceState


def load_recorded(state: MarketplaceState) -> None:
    """The real recordings' seeded site: users storeadmin(1) vendor_a(2) vendor_b(3)
    customer_c(4), products 13–17, orders 18–24 with the recorded item ids, statuses,
    commission rows, notes and notifications."""
    raise NotImplementedError


def load_generated(state: MarketplaceState, *, seed: int, orders: int) -> None:
    """A rich generated marketplace (see the issue): several vendors, many scripts, every
    status, split orders … The first vendor is the demo vendor."""
    raise NotImplementedError
