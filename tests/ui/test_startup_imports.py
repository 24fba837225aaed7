"""Cold start: the window paints its list from the cache before anything talks to the
marketplace, so starting the app must not import the HTTP client (requests, urllib3 …) — it
loads when a connection is first opened (docs/performance.md, cold start)."""

from __future__ import annotations

import subprocess
import sys


def test_starting_the_app_does_not_import_the_http_client() -> None:
    code = (
        "import sys\n"
        "import vendor_desk.ui.application\n"
        "import vendor_desk.ui.main_window\n"
        "loaded = [m for m in ('requests', 'urllib3', 'vendor_desk.marketplace.client') "
        "if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == ""


def test_the_client_still_loads_by_name() -> None:
    from vendor_desk import marketplace

    assert marketplace.WcfmMarketplace.__name__ == "WcfmMarketplace"
    assert marketplace.MAX_PER_PAGE == 100
