"""The "confirm" barcode of an order: printed on its packing slip and on the pick list, scanned
at the packing table once the parcel is packed to mark the order shipped (the Pack view; the
resolver is :mod:`vendor_desk.sync.scan`).

    confirm_code("538")      # "SHIP538"
    confirm_code("WC-538")   # "SHIPWC538"

Letters and digits only: a USB scanner types what it reads through the computer's keyboard
layout, and "#", "-" or "*" land on different keys from one layout to the next.
"""

from __future__ import annotations

import re

CONFIRM_PREFIX = "SHIP"


def confirm_code(order_number: str) -> str:
    """The content of the confirm barcode for the order numbered ``order_number``: the prefix
    and the number's letters and digits, upper-case ("SHIP538")."""
    return CONFIRM_PREFIX + re.sub(r"[^0-9A-Z]", "", order_number.upper())
