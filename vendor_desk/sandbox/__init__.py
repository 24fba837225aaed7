"""A faithful WCFM marketplace simulator on loopback (demo mode, tests, benchmarks). No Qt.

Entry point for Python callers: :class:`vendor_desk.sandbox.server.Simulator`, also available
as ``vendor_desk.sandbox.Simulator`` (imported lazily, so the schema modules stay light).
This package imports nothing else of Vendor Desk's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vendor_desk.sandbox.server import Simulator

__all__ = ["Simulator"]


def __getattr__(name: str) -> Any:
    if name == "Simulator":
        from vendor_desk.sandbox.server import Simulator

        return Simulator
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
