"""Store-invoice numbers (unique, gap-free, stable across restarts), migration 0007, and the
``vendor-desk print`` command writing PDFs from the cache."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect

from tests.documents.conftest import pdf_text
from tests.sync.conftest import Env
from vendor_desk import documents as docs
from vendor_desk.app import main
from vendor_desk.cache import DB_FILENAME, open_cache
from vendor_desk.cache.db import _alembic_config
from vendor_desk.cache.queries import order_ids


def _ids(env: Env) -> list[int]:
    with env.cache.session() as session:
        return sorted(order_ids(session, env.account_id))


def test_invoice_numbers_unique_gap_free_and_stable_across_restarts(synced: Env) -> None:
    settings = docs.DocumentSettings(invoice_prefix="INV-", invoice_suffix="/26", invoice_padding=4)
    ids = _ids(synced)
    first = docs.load_document_orders(
        synced.cache, synced.account_id, ids[:5], invoice_settings=settings
    )
    local = [d for d in first if not d.marketplace_invoice_number]
    numbers = [d.invoice_number for d in local]
    assert numbers == [f"INV-{n:04d}/26" for n in range(1, len(local) + 1)]
    # a restart: a new Cache on the same file; reprinting gives the same numbers, new orders
    # continue the sequence without a gap
    synced.cache.close()
    reopened = open_cache(synced.data_dir)
    synced.cache = reopened
    again = docs.load_document_orders(
        reopened, synced.account_id, ids[:5], invoice_settings=settings
    )
    assert [d.invoice_number for d in again if not d.marketplace_invoice_number] == numbers
    more = docs.load_document_orders(
        reopened, synced.account_id, ids[3:9], invoice_settings=settings
    )
    fresh = [d.invoice_number for d in more if d.order.id not in set(ids[:5])]
    assert fresh == [f"INV-{n:04d}/26" for n in range(len(local) + 1, len(local) + 1 + len(fresh))]
    pdf = docs.render_store_invoices(more, settings)
    pages = pdf_text(pdf)
    for doc in more:
        assert any(doc.invoice_number in page for page in pages)


def test_marketplace_invoice_number_wins(synced: Env) -> None:
    doc = docs.load_document_orders(synced.cache, synced.account_id, _ids(synced)[-1:])[0]
    raw = dict(doc.order.raw)
    raw["meta_data"] = [{"key": "_wcfm_store_invoice_ids", "value": {"2": "000042"}}]
    order = dataclasses.replace(doc.order, raw=raw)
    rebuilt = docs.document_order(order, {}, vendor_id=2)
    assert rebuilt.marketplace_invoice_number == "000042"


def test_refunds_are_deducted_on_the_store_invoice(synced: Env) -> None:
    from decimal import Decimal

    from vendor_desk.domain import Money

    doc = docs.load_document_orders(
        synced.cache, synced.account_id, _ids(synced)[:1], invoice_settings=docs.DocumentSettings()
    )[0]
    item = dataclasses.replace(doc.items[0], refunded_amount=Money(Decimal("5"), doc.currency))
    order = dataclasses.replace(doc.order, items=(item, *doc.items[1:]))
    page = "\n".join(
        pdf_text(
            docs.render_store_invoices(
                [dataclasses.replace(doc, order=order)], docs.DocumentSettings()
            )
        )
    )
    assert "Refunded" in page and "Total after refunds" in page


def test_migration_0007_upgrades_a_0006_cache(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    engine.dispose()
    cache = open_cache(tmp_path)
    try:
        assert "invoice_numbers" in inspect(cache.engine).get_table_names()
    finally:
        cache.close()


def test_cli_print_writes_pdfs(synced: Env, tmp_path: Path) -> None:
    ids = _ids(synced)[:3]
    data = ["--data-dir", str(synced.data_dir)]
    for kind, paper in (
        ("slip", "label4x6"),
        ("invoice", "letter"),
        ("commission", "a4"),
        ("picklist", "a4"),
    ):
        out = tmp_path / f"{kind}.pdf"
        code = main(["print", kind, *map(str, ids), "--out", str(out), "--paper", paper, *data])
        assert code == 0
        assert out.read_bytes().startswith(b"%PDF")
        assert f"#{ids[0]}" in "".join(pdf_text(out.read_bytes()))
    assert main(["print", "slip", "999999", "--out", str(tmp_path / "x.pdf"), *data]) == 2
    assert (
        main(
            [
                "print",
                "invoice",
                str(ids[0]),
                "--out",
                str(tmp_path / "y.pdf"),
                "--paper",
                "label4x6",
                *data,
            ]
        )
        == 2
    )
