"""`vendor-desk --demo`: the window opens on the in-process simulator, already connected, syncs
by itself and lists the demo shop's orders — with its own temporary data folder; in French the
shop is the French one (euros, French carriers on its slips), in English the usual one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.documents.conftest import pdf_text
from vendor_desk import documents as docs
from vendor_desk import i18n
from vendor_desk.cache.queries import order_ids
from vendor_desk.marketplace import WcfmMarketplace
from vendor_desk.sync import Syncer
from vendor_desk.ui import translator
from vendor_desk.ui.application import _demo_window, start_demo
from vendor_desk.ui.order_model import COL_DATE, COL_TOTAL

SLIP = docs.DocumentSettings(store_name="Atelier Seconde Vie")
#: A French date as the order list shows it: "05/12/2026 14:05" or "5 déc. 2026" …
FRENCH_DATE = (
    r"\b\d{2}/\d{2}/\d{4}\b|\b\d{1,2} (janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)"
    r"|\b(hier|aujourd’hui|aujourd'hui|lun|mar|mer|jeu|ven|sam|dim)"
)


def test_demo_window_connects_syncs_and_cleans_up(qtbot: QtBot) -> None:
    cleanup: list[Callable[[], None]] = []
    window = _demo_window(cleanup)
    try:
        qtbot.addWidget(window)
        data_dir = Path(window._cache.path).parent
        assert data_dir.name.startswith("vendor-desk-demo-")
        window.show()
        with qtbot.waitSignal(window.sync_succeeded, timeout=60_000):
            pass
        qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10_000)
        assert "(demo)" in window.windowTitle()
        counts = window.model.group_counts()
        assert counts["all"] > 100
    finally:
        for step in reversed(cleanup):
            step()
    assert not data_dir.exists()


@pytest.fixture
def french(qapp: QApplication) -> Iterator[None]:
    """The app in French for one test (the window's words and formats too), English after."""
    i18n.set_language("fr")
    translator.install(qapp, "fr")
    try:
        yield
    finally:
        i18n.set_language("en")
        translator.install(qapp, "en")


def _demo(tmp_path: Path) -> tuple[Any, Any, Any, list[Callable[[], None]]]:
    cleanup: list[Callable[[], None]] = []
    simulator, cache, connection = start_demo(
        tmp_path / "data", cleanup, orders=60, new_order_every=None
    )
    return simulator, cache, connection, cleanup


def test_the_demo_opens_the_french_shop_in_french(french: None, tmp_path: Path) -> None:
    """In French the demo is the French upcycling workshop: euros, French customers, French
    carriers — and its packing slips print the order's French shipping method."""
    simulator, cache, connection, cleanup = _demo(tmp_path)
    try:
        assert connection.store_name == "Atelier Seconde Vie"
        assert simulator.state.settings.currency == "EUR"
        client = WcfmMarketplace(connection.base_url, connection.login, connection.password)
        with client:
            Syncer(cache, connection.account_id, client).sync()
        with cache.session() as session:
            ids = sorted(order_ids(session, connection.account_id))
        documents = docs.load_document_orders(cache, connection.account_id, ids)
        assert {d.order.total.currency for d in documents} == {"EUR"}
        relay = next(
            d for d in documents if any(m.startswith("Mondial Relay") for m in d.shipping_methods)
        )
        assert relay.order.shipping.country in ("FR", "BE")
        page = " ".join(pdf_text(docs.render_packing_slips([relay], SLIP))[0].split())
        assert "Mondial Relay – Livraison en Point Relais" in page
        for carrier in ("Colissimo", "Chronopost"):
            slip = next(
                d for d in documents if any(m.startswith(carrier) for m in d.shipping_methods)
            )
            method = ", ".join(slip.shipping_methods)
            label = docs.render_packing_slips([slip], SLIP, docs.Paper.LABEL_4X6)
            assert method in " ".join(pdf_text(label)[0].split()), carrier
    finally:
        for step in reversed(cleanup):
            step()


def test_the_demo_keeps_the_usual_shop_in_english(tmp_path: Path) -> None:
    assert i18n.language() == "en"
    simulator, _cache, connection, cleanup = _demo(tmp_path)
    try:
        assert connection.store_name == "Harbor & Pine Goods"
        assert simulator.state.settings.currency == "USD"
        assert simulator.locale == "en"
    finally:
        for step in reversed(cleanup):
            step()


def test_the_french_demo_window_shows_the_shop_in_french(french: None, qtbot: QtBot) -> None:
    """The window of ``--demo --lang fr``: the French shop's name in the title, amounts in
    euros written the French way, French dates."""
    cleanup: list[Callable[[], None]] = []
    window = _demo_window(cleanup)
    try:
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.sync_succeeded, timeout=60_000):
            pass
        qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10_000)
        assert "Atelier Seconde Vie" in window.windowTitle()
        model = window.model
        total = str(model.data(model.index(0, COL_TOTAL)))
        assert re.fullmatch(r"\d[\d\u202f\u00a0 ]*,\d\d\s€", total), total
        date = str(model.data(model.index(0, COL_DATE)))
        assert re.search(FRENCH_DATE, date), date
    finally:
        for step in reversed(cleanup):
            step()
