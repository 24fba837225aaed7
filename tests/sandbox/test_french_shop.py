"""The French generated shop (``locale="fr"``): an upcycling workshop selling in euros to
customers in France (and a few in Belgium, Switzerland, Germany), shipping by Colissimo,
Mondial Relay (relay points) and Chronopost, paid by card, cash on delivery or bank transfer,
its WordPress writing the notes in French — and the vendor's REST view of its shipping lines
shaped like the real marketplace's."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import RECORDED, REPO_ROOT
from vendor_desk.sandbox import names_fr
from vendor_desk.sandbox.checkout import php_amount
from vendor_desk.sandbox.datasets import load_generated
from vendor_desk.sandbox.model import MarketplaceState, Order
from vendor_desk.sandbox.server import Simulator

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
#: Postcodes as each country writes them.
POSTCODES = {"FR": r"\d{5}", "BE": r"\d{4}", "CH": r"\d{4}", "DE": r"\d{5}"}
#: The French carriers' shipping methods: method id -> (carrier, titles, instances, costs).
METHODS = {method.method_id: method.carrier for method in names_fr.SHIPPING.values()}


def recorded_shipping_line() -> dict[str, Any]:
    """The real marketplace's "Flat rate" shipping line (recording 124)."""
    (path,) = RECORDED.glob("124-*.json")
    body = json.loads(Path(path).read_text(encoding="utf-8"))["response"]["body"]
    line: dict[str, Any] = body["shipping_lines"][0]
    return line


@pytest.fixture(scope="module")
def french() -> MarketplaceState:
    state = MarketplaceState()
    load_generated(state, seed=7, orders=600, now=NOW, locale="fr")
    return state


def _demo_orders(state: MarketplaceState) -> list[Order]:
    demo = state.vendors()[0]
    return [state.orders[i] for i in state.vendor_order_ids(demo.id)]


def test_the_french_shop_is_an_upcycling_workshop_selling_in_euros(
    french: MarketplaceState,
) -> None:
    settings = french.settings
    assert (settings.currency, settings.language) == ("EUR", "fr")
    assert settings.site_name == "Le Marché des Créateurs"
    demo = french.vendors()[0]
    assert demo.login == "demo_vendor" and demo.password == "demo_vendor-pass-123"
    assert demo.store is not None and demo.store.store_name.startswith("Atelier ")
    assert (demo.store.city, demo.store.country) == ("Lyon", "FR")
    products = [p for p in french.products.values() if p.vendor_id == demo.id]
    assert any("recyclé" in p.name for p in products)
    assert all(p.sku.startswith("ASV-") for p in products)
    assert {order.currency for order in french.orders.values()} == {"EUR"}


def test_french_customers_mostly_in_france_a_few_in_belgium_switzerland_germany(
    french: MarketplaceState,
) -> None:
    countries: Counter[str] = Counter()
    for order in french.orders.values():
        address = order.shipping
        countries[address.country] += 1
        assert re.fullmatch(POSTCODES[address.country], address.postcode), address
        assert address.city and address.address_1
    assert set(countries) == {"FR", "BE", "CH", "DE"}
    assert countries["FR"] > sum(countries.values()) / 2
    assert {o.billing.city for o in french.orders.values() if o.billing.country == "FR"} >= {
        "Paris",
        "Lyon",
        "Marseille",
    }


def test_french_orders_ship_by_colissimo_mondial_relay_and_chronopost(
    french: MarketplaceState,
) -> None:
    """Every vendor's package has its carrier's line: the plugin's method id, French title,
    zone instance and cost (France or abroad), the tax of the customer's country; Mondial
    Relay lines carry the relay point the customer chose, near them."""
    by_id = {m.method_id: m for m in names_fr.SHIPPING.values()}
    carriers: Counter[str] = Counter()
    for order in french.orders.values():
        shipping_vendors = {item.vendor_id for item in order.items if not item.virtual}
        assert sorted(line.vendor_id or 0 for line in order.shipping_lines) == sorted(
            shipping_vendors
        )
        percent = order.tax_lines[0].rate_percent if order.tax_lines else Decimal(0)
        domestic = order.shipping.country == "FR"
        for line in order.shipping_lines:
            method = names_fr.SHIPPING[(by_id[line.method_id].carrier, domestic)]
            assert (line.method_id, line.method_title, line.instance_id) == (
                method.method_id,
                method.title,
                method.instance_id,
            )
            assert line.total == Decimal(method.cost)
            assert line.total_tax == php_amount(line.total * percent / 100)
            meta = {entry.key: entry.value for entry in line.meta}
            assert meta["vendor_id"] == str(line.vendor_id)
            if method.carrier == "mondial_relay":
                relay = names_fr.RELAY_POINTS[order.shipping.postcode]
                assert meta["Point relais"] == relay.name
                assert meta["Adresse du point relais"] == (
                    f"{relay.address}, {relay.postcode} {relay.city}"
                )
                assert relay.country == order.shipping.country
            else:
                assert "Point relais" not in meta
            carriers[method.carrier] += 1
    assert set(carriers) == {"colissimo", "mondial_relay", "chronopost"}
    assert carriers["colissimo"] > carriers["mondial_relay"] > carriers["chronopost"] > 0
    titles = {line.method_title for o in french.orders.values() for line in o.shipping_lines}
    assert "Colissimo sans signature" in titles
    assert "Mondial Relay – Livraison en Point Relais" in titles


def test_french_orders_are_paid_by_card_on_delivery_or_by_bank_transfer(
    french: MarketplaceState,
) -> None:
    """Cash on delivery is processed unpaid; a bank transfer waits on hold until paid; the
    gateways and WooCommerce's notes speak French."""
    orders = list(french.orders.values())
    titles = {(o.payment_method, o.payment_method_title) for o in orders}
    assert ("cod", "Paiement à la livraison") in titles
    assert ("bacs", "Virement bancaire") in titles
    assert ("stripe", "Carte bancaire (Stripe)") in titles
    waiting = [o for o in orders if o.payment_method == "bacs" and o.status == "on-hold"]
    assert waiting and all(o.date_paid is None for o in waiting)
    paid_later = [o for o in orders if o.payment_method == "bacs" and o.status == "completed"]
    assert paid_later and all(o.date_paid is not None for o in paid_later)
    assert any(
        o.payment_method == "cod" and o.status == "processing" and o.date_paid is None
        for o in orders
    )
    newest_hold = max(waiting, key=lambda o: o.id)
    notes = [note.content for note in french.notes[newest_hold.id]]
    assert (
        "En attente du paiement par virement. Le statut de la commande est passé de "
        "En attente de paiement à En attente."
    ) in notes


def test_french_notes_customer_notes_and_tracking(french: MarketplaceState) -> None:
    demo_orders = _demo_orders(french)
    notes = " ".join(o.customer_note for o in demo_orders)
    assert "Sonnez deux fois" in notes
    written = [note.content for o in demo_orders for note in french.notes.get(o.id, [])]
    assert any(text.startswith("Le statut de la commande est passé de") for text in written)
    assert any("a ajouté la note suivante" in text for text in written)
    assert not any("Order status changed" in text for text in written)
    shipped = [text for text in written if "a expédié" in text]
    assert shipped
    hosts = {re.search(r'href="https://www\.([a-z]+)\.fr/', text).group(1) for text in shipped}  # type: ignore[union-attr]
    assert hosts == {"laposte", "mondialrelay", "chronopost"}


def test_the_vendor_sees_french_shipping_lines_shaped_like_the_real_ones() -> None:
    """Over real HTTP, the vendor's order shows each carrier's line with the keys of the real
    marketplace's "Flat rate" line (plus WCFM's ``store_name``); Mondial Relay's carries the
    relay point in its meta."""
    real = recorded_shipping_line()
    with Simulator(dataset="generated", orders=150, seed=7, locale="fr") as sim:
        user = next(u for u in sim.users if u["login"] == sim.demo_vendor)
        with sim.state.lock:
            demo = sim.state.vendors()[0]
            wanted: dict[str, int] = {}
            for order_id in sim.state.vendor_order_ids(demo.id):
                order = sim.state.orders[order_id]
                own = [line for line in order.shipping_lines if line.vendor_id == demo.id]
                if own:
                    wanted.setdefault(METHODS[own[0].method_id], order_id)
        assert set(wanted) == {"colissimo", "mondial_relay", "chronopost"}
        for carrier, order_id in wanted.items():
            response = requests.get(
                f"{sim.base_url}/wp-json/wcfmmp/v1/orders/{order_id}",
                auth=(user["login"], user["app_password"]),
                timeout=10,
            )
            assert response.status_code == 200
            data = response.json()
            assert data["currency"] == "EUR"
            (line,) = data["shipping_lines"]
            assert set(line) == set(real) | {"store_name"}, carrier
            assert METHODS[line["method_id"]] == carrier
            assert line["store_name"] == demo.store.store_name  # type: ignore[union-attr]
            keys = {entry["key"] for entry in line["meta_data"]}
            if carrier == "mondial_relay":
                assert {"Point relais", "Adresse du point relais"} <= keys
            else:
                assert keys == {"Items", "vendor_id", "package_qty"}


def test_new_orders_of_the_french_shop_are_french() -> None:
    """Orders placed while the shop runs (the demo's new order every minute) use the French
    gateways' titles and notes."""
    with Simulator(dataset="generated", orders=20, seed=3, locale="fr") as sim:
        response = requests.post(f"{sim.base_url}/_sandbox/orders", json={"count": 5}, timeout=10)
        assert response.status_code == 200
        with sim.state.lock:
            newest = sorted(sim.state.orders)[-5:]
            titles = {sim.state.orders[i].payment_method_title for i in newest}
            notes = [n.content for i in newest for n in sim.state.notes.get(i, [])]
    assert titles <= set(names_fr.PAYMENT_TITLES.values())
    assert any("Le statut de la commande est passé de" in note for note in notes)


def test_locales_are_checked() -> None:
    with pytest.raises(ValueError, match="locale"):
        Simulator(dataset="generated", locale="xx")
    with pytest.raises(ValueError, match="English"):
        Simulator(dataset="recorded", locale="fr")


def test_sandbox_command_serves_the_french_shop() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vendor_desk",
            "sandbox",
            "--dataset",
            "generated",
            "--locale",
            "fr",
            "--orders",
            "30",
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        summary = json.loads(process.stdout.readline())
        assert (summary["dataset"], summary["locale"]) == ("generated", "fr")
        vendor = next(u for u in summary["users"] if u["login"] == summary["demo_vendor"])
        response = requests.get(
            f"{summary['base_url']}/wp-json/wcfmmp/v1/settings/id/{vendor['id']}",
            auth=(vendor["login"], vendor["app_password"]),
            timeout=10,
        )
        assert response.status_code == 200
        assert response.json()["store_name"] == "Atelier Seconde Vie"
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    refused = subprocess.run(
        [sys.executable, "-m", "vendor_desk", "sandbox", "--locale", "fr"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert refused.returncode == 2 and "--locale" in refused.stderr
