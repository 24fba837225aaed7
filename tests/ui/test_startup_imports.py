"""Cold start: the window paints its list from the cache before anything talks to the
marketplace, so starting the app must not import the HTTP client (requests, urllib3 …) — it
loads when a connection is first opened (docs/performance.md, cold start) — nor Qt Charts, which
loads with the Earnings page."""

from __future__ import annotations

import subprocess
import sys

STARTUP = ("vendor_desk.ui.application", "vendor_desk.ui.main_window")


def loaded_after(imports: tuple[str, ...], watched: tuple[str, ...]) -> list[str]:
    """Which of ``watched`` a fresh interpreter has loaded after importing ``imports``."""
    code = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in imports)
        + f"print(','.join(m for m in {watched!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return [name for name in result.stdout.strip().split(",") if name]


def test_starting_the_app_does_not_import_the_http_client() -> None:
    watched = ("requests", "urllib3", "vendor_desk.marketplace.client")
    assert loaded_after(STARTUP, watched) == []
    assert loaded_after(("vendor_desk.marketplace.client",), watched) == list(watched)


def test_starting_the_app_does_not_load_qt_charts() -> None:
    assert loaded_after(STARTUP, ("PySide6.QtCharts",)) == []


def test_the_earnings_figures_do_not_load_the_http_client() -> None:
    """The view reads the cache; the marketplace's client (requests …) loads on the worker
    when the marketplace's figures are fetched, not when the page opens."""
    imports = ("vendor_desk.ui.earnings_view", "vendor_desk.ui.earnings_chart")
    assert loaded_after((*imports, "vendor_desk.sync.earnings"), ("requests",)) == []


def test_the_client_still_loads_by_name() -> None:
    from vendor_desk import marketplace

    assert marketplace.WcfmMarketplace.__name__ == "WcfmMarketplace"
    assert marketplace.MAX_PER_PAGE == 100
