"""Store-invoice numbers (issued when printed or saved, never by a preview; unique, gap-free,
stable across restarts, dated at issue), migration 0007, and the ``vendor-desk print`` command
writing PDFs from the cache (an invoice written to a file is issued)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import func, inspect, select

from tests.conftest import cache_at_revision
from tests.documents.conftest import pdf_text
from tests.sync.conftest import Env
from vendor_desk import documents as docs
from vendor_desk.app import main
from vendor_desk.cache import open_cache
from vendor_desk.cache.models import InvoiceNumberRecord
from vendor_desk.cache.queries import order_ids
from vendor_desk.documents.numbering import issued_number


def _ids(env: Env) -> list[int]:
    with env.cache.session() as session:
        return sorted(order_ids(session, env.account_id))


def _highest(env: Env) -> int:
    """The highest local invoice number issued so far for the account (0: none)."""
    with env.cache.session() as session:
        return int(
            session.scalar(
                select(func.max(InvoiceNumberRecord.sequence)).where(
                    InvoiceNumberRecord.account_id == env.account_id
                )
            )
            or 0
        )


def _never_issued(env: Env, count: int) -> list[int]:
    """``count`` orders (newest ids) without an invoice number of any kind yet."""
    found = []
    with env.cache.session() as session:
        for order_id in reversed(_ids(env)):
            if issued_number(session, env.account_id, order_id) is None:
                found.append(order_id)
    documents = docs.load_document_orders(env.cache, env.account_id, found)
    return [d.order.id for d in documents if not d.marketplace_invoice_number][:count]


def test_a_preview_uses_up_no_number_and_a_reprint_keeps_number_and_date(synced: Env) -> None:
    settings = docs.DocumentSettings(invoice_prefix="INV-", invoice_padding=4)
    cache, account_id = synced.cache, synced.account_id
    order_id, other_id = _never_issued(synced, 2)
    highest = _highest(synced)

    # preview: a placeholder and a PREVIEW mark, no number used up (twice)
    for _ in range(2):
        (preview,) = docs.load_document_orders(
            cache, account_id, [order_id], invoice_settings=settings
        )
        assert (preview.invoice_number, preview.invoice_date) == ("", None)
        page = " ".join(
            " ".join(
                pdf_text(docs.render_store_invoices([preview], settings, preview=True))
            ).split()
        )
        assert "Given when printed or saved" in page and "PREVIEW" in page
        assert "INV-" not in page
    assert _highest(synced) == highest
    with pytest.raises(ValueError, match="no invoice number"):
        docs.render_store_invoices([preview], settings)  # never printed without a number

    # printed (or saved) on day D: number N, dated D, kept with the number
    day = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    (issued,) = docs.issue_store_invoices(cache, account_id, [preview], settings, now=day)
    number = f"INV-{highest + 1:04d}"
    assert (issued.invoice_number, issued.invoice_date) == (number, day)
    with cache.session() as session:
        assert issued_number(session, account_id, order_id) == (number, day)
    page = "\n".join(pdf_text(docs.render_store_invoices([issued], settings)))
    assert number in page and docs.format_date(day) in page and "PREVIEW" not in page

    # the next day: a preview and a reprint show the same number and date
    next_day = day + timedelta(days=1)
    (again,) = docs.load_document_orders(cache, account_id, [order_id], invoice_settings=settings)
    assert (again.invoice_number, again.invoice_date) == (number, day)
    (reprint,) = docs.load_document_orders(
        cache, account_id, [order_id], invoice_settings=settings, issue_invoices=True, now=next_day
    )
    assert (reprint.invoice_number, reprint.invoice_date) == (number, day)
    page = "\n".join(pdf_text(docs.render_store_invoices([reprint], settings)))
    assert docs.format_date(day) in page and docs.format_date(next_day) not in page

    # another order: the next number, dated when it is issued
    (other,) = docs.load_document_orders(
        cache, account_id, [other_id], invoice_settings=settings, issue_invoices=True, now=next_day
    )
    assert (other.invoice_number, other.invoice_date) == (f"INV-{highest + 2:04d}", next_day)


def test_invoice_numbers_unique_gap_free_and_stable_across_restarts(synced: Env) -> None:
    settings = docs.DocumentSettings(invoice_prefix="INV-", invoice_suffix="/26", invoice_padding=4)
    ids = _ids(synced)
    start = _highest(synced)  # other tests of the module may have issued some
    first = docs.load_document_orders(
        synced.cache, synced.account_id, ids[:5], invoice_settings=settings, issue_invoices=True
    )
    local = [d for d in first if not d.marketplace_invoice_number]
    numbers = [d.invoice_number for d in local]
    assert numbers == [f"INV-{n:04d}/26" for n in range(start + 1, start + len(local) + 1)]
    # a restart: a new Cache on the same file; reprinting gives the same numbers, new orders
    # continue the sequence without a gap
    synced.cache.close()
    reopened = open_cache(synced.data_dir)
    synced.cache = reopened
    again = docs.load_document_orders(
        reopened, synced.account_id, ids[:5], invoice_settings=settings, issue_invoices=True
    )
    assert [d.invoice_number for d in again if not d.marketplace_invoice_number] == numbers
    more = docs.load_document_orders(
        reopened, synced.account_id, ids[3:9], invoice_settings=settings, issue_invoices=True
    )
    fresh = [d.invoice_number for d in more if d.order.id not in set(ids[:5])]
    after = start + len(local)
    assert fresh == [f"INV-{n:04d}/26" for n in range(after + 1, after + 1 + len(fresh))]
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
        synced.cache,
        synced.account_id,
        _ids(synced)[:1],
        invoice_settings=docs.DocumentSettings(),
        issue_invoices=True,
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
    cache_at_revision(tmp_path, "0006").dispose()
    cache = open_cache(tmp_path)
    try:
        assert "invoice_numbers" in inspect(cache.engine).get_table_names()
    finally:
        cache.close()


def test_cli_paper_names_the_label_size(synced: Env, tmp_path: Path) -> None:
    """--paper label4x6 lays the slips out on 4×6 in (288 × 432 pt), label100x150 on
    100 × 150 mm (283.5 × 425.2 pt); each page of the batch is that size."""
    ids = _ids(synced)[:2]
    data = ["--data-dir", str(synced.data_dir)]
    for paper, size in (("label4x6", (288.0, 432.0)), ("label100x150", (283.5, 425.2))):
        out = tmp_path / f"{paper}.pdf"
        assert (
            main(["print", "slip", *map(str, ids), "--out", str(out), "--paper", paper, *data]) == 0
        )
        reader = pypdf.PdfReader(out)
        assert {
            (round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1))
            for p in reader.pages
        } == {size}
        assert len(reader.pages) >= len(ids)


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
    # writing an invoice to a file issues it: a number the preview had not used up
    (fresh,) = _never_issued(synced, 1)
    out = tmp_path / "issued.pdf"
    assert main(["print", "invoice", str(fresh), "--out", str(out), *data]) == 0
    with synced.cache.session() as session:
        issued = issued_number(session, synced.account_id, fresh)
    assert issued is not None and issued[0] in "".join(pdf_text(out.read_bytes()))
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
