"""The marketplace's errors and the outbox's stored failures in the vendor's language: the
messages are sentences marked for the catalogue, translated where they are shown; what the
cache stores stays English (translated when shown, not when stored)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from vendor_desk import i18n
from vendor_desk.cache.db import open_cache
from vendor_desk.cache.models import OutboxRecord
from vendor_desk.domain import OrderStatus
from vendor_desk.sandbox.server import Simulator

from .conftest import run

TOKEN = r"^/wp-json/jwt-auth/v1/token"


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(dataset="generated", orders=30, seed=13) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def _clean(sim: Simulator) -> Iterator[None]:
    try:
        yield
    finally:
        sim.clear_faults()
        i18n.set_language("en")


def test_a_rate_limited_sign_in_in_french(sim: Simulator, data: str, capsys: Any) -> None:
    sim.inject_fault("rate_limit", TOKEN, times=None, retry_after=120)
    code, out, err = run(data, capsys, "--lang", "fr", "sync")
    assert code == 3 and out == ""
    assert err == (
        "vendor-desk: La place de marché limite les requêtes (trop en peu de temps) : la "
        "connexion doit attendre. Réessayez dans 2 minutes. Votre mot de passe n'a pas été "
        "refusé.\n"
    )


def test_an_outbox_failure_in_french_stored_in_english(
    sim: Simulator, data: str, capsys: Any
) -> None:
    code, out, _err = run(data, capsys, "orders", "--json")
    order_id = next(
        row["order_id"]
        for row in json.loads(out)
        if row["display_status"] == OrderStatus.PROCESSING.slug
    )
    sim.inject_fault("rate_limit", r"/wcfmmp/v1/orders/note/", method="POST", retry_after=90)
    code, _out, err = run(data, capsys, "--lang", "fr", "note", str(order_id), "Emballée")
    assert code == 3
    assert (
        "La place de marché limite les requêtes (trop en peu de temps) : l'ajout d'une note à "
        f"la commande #{order_id} doit attendre. Réessayez dans 2 minutes" in err
    ), err
    assert "limiting requests" not in err
    # the outbox, in French: the entry's summary and its stored error
    code, out, err = run(data, capsys, "--lang", "fr", "outbox")
    assert code == 0, err
    line = next(line for line in out.splitlines() if f"#{order_id}" in line)
    assert (
        "La place de marché limite les requêtes (trop en peu de temps) : l'ajout d'une note à "
        f"la commande #{order_id} doit attendre. Réessayez dans 2 minutes." in line
    ), line
    code, out, _err = run(data, capsys, "--lang", "fr", "outbox", "--json")
    entry = next(entry for entry in json.loads(out) if entry["order"] == order_id)
    assert entry["last_error"].startswith("La place de marché limite les requêtes")
    assert entry["summary"] == f"Note privée sur la commande #{order_id}"
    assert entry["kind"] == "note" and entry["state"] == "pending"  # for programs
    # stored in English: the same entry in English, and the cache's column
    code, out, _err = run(data, capsys, "--lang", "en", "outbox")
    line = next(line for line in out.splitlines() if f"#{order_id}" in line)
    english = (
        "The marketplace is limiting requests (too many in a short time): adding a note to "
        f"order #{order_id} has to wait. Try again in 2 minutes."
    )
    assert english in line
    cache = open_cache(Path(data))
    try:
        with cache.session() as session:
            stored = session.scalars(
                select(OutboxRecord).where(OutboxRecord.order_id == order_id)
            ).one()
            assert stored.last_error == english
    finally:
        cache.close()
