"""Placing orders the way a WooCommerce checkout + WCFM do (order, commission rows, notes,
notifications, mails). OWNER: datasets helper. Agreed interface below."""

from __future__ import annotations

import random

from vendor_desk.sandbox.model import MarketplaceState, Order


def place_random_order(state: MarketplaceState, rng: random.Random) -> Order:
    """A new, plausible order from an existing customer for one or more vendors, placed now
    (used by ``--new-order-every`` and the control surface)."""
    raise NotImplementedError
