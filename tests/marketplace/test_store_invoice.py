"""The marketplace's store invoice (wcfm-api.md §4.7): order meta → public URL → PDF download,
against the simulator over real HTTP, plus the Qt-free helpers the window uses."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.marketplace.conftest import Site
from vendor_desk.cache import queries
from vendor_desk.cache import store as cache_store
from vendor_desk.cache.db import open_cache
from vendor_desk.documents.marketplace_copies import has_store_invoice, save_store_invoice
from vendor_desk.domain import Order
from vendor_desk.marketplace import InvalidResponse, NotFound, RuleRefused
from vendor_desk.marketplace.invoices import (
    store_invoice_path,
    store_invoice_url,
    uploads_relative_path,
)

VENDOR_A = 2
VENDOR_B = 3
SERVER_ROOT = "/var/www/html/"  # the simulator's ABSPATH, like the recorded site
INVOICE_DIR = (
    "wp-content/uploads/wcfm/vendor_invoice/"
    + hashlib.md5(b"2").hexdigest()  # md5(vendor id)
    + "/{year:04d}/{month:02d}/"
    + hashlib.md5(b"18").hexdigest()  # md5(order id)
    + "/invoice-000001.pdf"
)


def expected_relative() -> str:
    now = datetime.now(UTC)
    return INVOICE_DIR.format(year=now.year, month=now.month)


def with_meta(order: Order, value: object) -> Order:
    """The order with its raw JSON's meta replaced by one ``_wcfm_store_invoices`` entry."""
    raw = {**order.raw, "meta_data": [{"id": 1, "key": "_wcfm_store_invoices", "value": value}]}
    return dataclasses.replace(order, raw=raw)


# ================================================================= the simulator, Ultimate
class TestUltimate:
    def test_completing_files_an_invoice_the_client_downloads(
        self, ultimate: Site, tmp_path: Path
    ) -> None:
        client = ultimate.client()
        before = client.get_order(18)
        assert store_invoice_path(before.raw, VENDOR_A) is None
        assert client.download_store_invoice(before) is None

        completed = client.mark_complete(18)  # single-vendor: the customer is mailed
        relative = expected_relative()
        assert store_invoice_path(completed.raw, VENDOR_A) == SERVER_ROOT + relative
        # the list route carries the meta too (the sync caches those orders)
        listed = next(o for o in client.list_orders() if o.id == 18)
        path = store_invoice_path(listed.raw, VENDOR_A)
        assert path == SERVER_ROOT + relative
        assert has_store_invoice(listed, VENDOR_A)
        assert not has_store_invoice(listed, VENDOR_B)

        url = store_invoice_url(client.base_url, path)
        assert url == f"{ultimate.sim.base_url}/{relative}"

        pdf = client.download_store_invoice(listed)
        assert pdf is not None and pdf.startswith(b"%PDF-")
        with ultimate.sim.state.lock:
            assert pdf == ultimate.sim.state.uploads[relative]
        assert b"Invoice Number: 000001" in pdf and b"Order Number: 18" in pdf
        assert ultimate.sent("GET", "/wp-content/uploads/") == 1

        saved = save_store_invoice(pdf, tmp_path / "copies", listed.number)
        assert saved == tmp_path / "copies" / f"store-invoice-{listed.number}.pdf"
        assert saved.read_bytes() == pdf

    def test_cached_order_keeps_the_path(self, ultimate: Site, tmp_path: Path) -> None:
        client = ultimate.client()
        client.mark_complete(18)
        orders = client.list_orders()
        with open_cache(tmp_path) as cache:
            with cache.session(write=True) as session:
                account = queries.add_account(session, client.base_url, "vendor_a", "", 2, "jwt")
                cache_store.store_orders(session, account, orders, seen_at=datetime.now(UTC))
            with cache.session() as session:
                detail = queries.order_detail(session, account, 18)
                without_json = cache_store.load_orders(session, account, [18])[18]
        assert detail is not None
        cached = detail.order
        assert has_store_invoice(cached, VENDOR_A)
        pdf = client.download_store_invoice(cached)
        assert pdf is not None and pdf.startswith(b"%PDF-")

        # An order loaded without its JSON cannot tell; the client reads it again.
        assert not has_store_invoice(without_json, VENDOR_A)
        reads = ultimate.sent("GET", "/wcfmmp/v1/orders/18")
        assert client.download_store_invoice(without_json) == pdf
        assert ultimate.sent("GET", "/wcfmmp/v1/orders/18") == reads + 1

    def test_orders_without_an_invoice_give_none(self, ultimate: Site) -> None:
        client = ultimate.client()
        processing = client.get_order(19)  # never mailed as completed: no store invoice
        assert not has_store_invoice(processing, VENDOR_A)
        assert client.download_store_invoice(processing) is None
        completed = client.mark_complete(18)
        assert client.download_store_invoice(completed, vendor_id=VENDOR_B) is None
        assert ultimate.sent("GET", "/wp-content/uploads/") == 0

    def test_a_path_outside_the_uploads_is_not_fetched(self, ultimate: Site) -> None:
        client = ultimate.client()
        order = client.get_order(18)
        for value in ({"2": "/etc/passwd"}, {"2": "/var/www/html/wp-content/uploads/../x.pdf"}):
            assert not has_store_invoice(with_meta(order, value), VENDOR_A)
            assert client.download_store_invoice(with_meta(order, value)) is None
        assert ultimate.sent("GET", "/wp-content/uploads/") == 0

    def test_another_host_is_refused_without_a_request(self, ultimate: Site) -> None:
        client = ultimate.client()
        port = client.base_url.rsplit(":", 1)[1]
        relative = "wp-content/uploads/wcfm/vendor_invoice/x/invoice-000001.pdf"
        for url in (
            f"http://127.0.0.2:{port}/{relative}",  # another host
            f"http://127.0.0.1:1/{relative}",  # another port
            f"https://127.0.0.1:{port}/{relative}",  # another scheme
            f"{client.base_url}/wp-admin/admin-ajax.php",  # not an upload
        ):
            with pytest.raises(RuleRefused):
                client.fetch_store_invoice(url)
        assert len(ultimate.requests) == 0

    def test_missing_file_and_non_pdf_answers_raise(self, ultimate: Site) -> None:
        client = ultimate.client()
        completed = client.mark_complete(18)
        url = store_invoice_url(client.base_url, store_invoice_path(completed.raw, VENDOR_A) or "")
        assert url is not None
        with pytest.raises(NotFound):
            client.fetch_store_invoice(url.replace("invoice-000001", "invoice-000099"))
        ultimate.sim.inject_fault("critical_error", r"^/wp-content/uploads/", status=200)
        with pytest.raises(InvalidResponse, match="not a PDF"):
            client.download_store_invoice(completed)
        assert client.download_store_invoice(completed) is not None  # the fault fired once


def test_free_edition_files_no_store_invoice(free: Site) -> None:
    client = free.client()
    completed = client.mark_complete(18)
    assert completed.raw  # the order JSON is there, without the meta
    assert not has_store_invoice(completed, VENDOR_A)
    assert client.download_store_invoice(completed) is None
    assert free.sent("GET", "/wp-content/uploads/") == 0


# ======================================================================== pure functions
class TestMapping:
    PATH = "/var/www/html/wp-content/uploads/wcfm/vendor_invoice/ab/2026/11/cd/invoice-7.pdf"

    def test_server_path_maps_to_the_uploads_url(self) -> None:
        assert store_invoice_url("https://shop.example/", self.PATH) == (
            "https://shop.example/wp-content/uploads/wcfm/vendor_invoice/ab/2026/11/cd/"
            "invoice-7.pdf"
        )
        # a site in a sub-folder, another document root
        assert store_invoice_url("https://x.example/shop", "/srv/wp/wp-content/uploads/a.pdf") == (
            "https://x.example/shop/wp-content/uploads/a.pdf"
        )

    def test_segments_are_percent_encoded(self) -> None:
        path = "/var/www/wp-content/uploads/my store/Rechnung #1 ä%.pdf"
        assert store_invoice_url("https://s.example", path) == (
            "https://s.example/wp-content/uploads/my%20store/Rechnung%20%231%20%C3%A4%25.pdf"
        )

    def test_windows_server_paths(self) -> None:
        path = "C:\\inetpub\\wwwroot\\wp-content\\uploads\\wcfm\\invoice-1.pdf"
        assert uploads_relative_path(path) == "wcfm/invoice-1.pdf"

    @pytest.mark.parametrize(
        "path",
        [
            "/var/www/html/wp-content/plugins/wcfm/invoice.pdf",
            "/etc/passwd",
            "/var/www/html/wp-content/uploads/",
            "/var/www/html/wp-content/uploads/wcfm/",
            "/var/www/html/wp-content/uploads/../wp-config.php",
            "/var/www/html/wp-content/uploads/./a.pdf",
            "",
        ],
    )
    def test_paths_outside_the_uploads_give_none(self, path: str) -> None:
        assert store_invoice_url("https://shop.example", path) is None

    def test_path_lookup_in_the_meta(self) -> None:
        entry = {"key": "_wcfm_store_invoices", "value": {"2": self.PATH, "3": "/b.pdf"}}
        others = [{"key": "_wcfm_new_order_notified", "value": "yes"}]
        assert store_invoice_path({"meta_data": [*others, entry]}, 2) == self.PATH
        assert store_invoice_path([*others, entry], 3) == "/b.pdf"
        assert store_invoice_path([entry], 4) is None
        assert store_invoice_path({"meta_data": others}, 2) is None
        assert store_invoice_path({}, 2) is None
        # JSON-encoded value and integer keys are tolerated; junk is not a path
        as_text = {"key": "_wcfm_store_invoices", "value": '{"2": "/x/wp-content/uploads/a.pdf"}'}
        assert store_invoice_path([as_text], 2) == "/x/wp-content/uploads/a.pdf"
        assert store_invoice_path([{"key": "_wcfm_store_invoices", "value": {2: "/p"}}], 2) == "/p"
        for junk in ("", "yes", ["/p"], {"2": ""}, {"2": None}):
            assert store_invoice_path([{"key": "_wcfm_store_invoices", "value": junk}], 2) is None


class TestSave:
    def test_writes_atomically_and_replaces_older_copy(self, tmp_path: Path) -> None:
        first = save_store_invoice(b"%PDF-1.4 old", tmp_path, "1201")
        second = save_store_invoice(b"%PDF-1.4 new", tmp_path, "1201")
        assert first == second == tmp_path / "store-invoice-1201.pdf"
        assert second.read_bytes() == b"%PDF-1.4 new"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["store-invoice-1201.pdf"]

    def test_unsafe_numbers_and_non_pdf(self, tmp_path: Path) -> None:
        saved = save_store_invoice(b"%PDF-1.7", tmp_path, "../A/12 7")
        assert saved.parent == tmp_path and saved.name == "store-invoice-A-12-7.pdf"
        with pytest.raises(ValueError):
            save_store_invoice(b"<html>", tmp_path, "5")
        assert not (tmp_path / "store-invoice-5.pdf").exists()
