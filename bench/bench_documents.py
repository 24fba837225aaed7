"""Benchmark: 500 packing slips (Code 128 + tracking QR) into one PDF, side by side with
reportlab's stock QR recipe (``QrCodeWidget`` in a ``Drawing``, one rect per module, best-mask
search). Orders are real ones from the generated simulator, synced into a temporary cache, each
given a distinct tracking URL so every slip encodes a new QR code.

    python3 bench/bench_documents.py
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

from tests.sync.conftest import make_env
from vendor_desk import documents as docs
from vendor_desk.cache.queries import order_ids
from vendor_desk.documents import barcodes, renderers

SLIPS = 500
SETTINGS = docs.DocumentSettings(store_name="Harbor & Pine Goods", address_lines=("2 Quay St",))


def stock_qr(canvas: Any, x: float, y: float, size: float, data: str) -> None:
    """reportlab's documented recipe: a QrCodeWidget scaled into a Drawing."""
    widget = QrCodeWidget(data, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def load_orders() -> list[docs.DocumentOrder]:
    with tempfile.TemporaryDirectory() as folder:
        gen = make_env(Path(folder), orders=700, seed=3)
        env = next(gen)
        try:
            env.syncer().sync()
            with env.cache.session() as session:
                ids = sorted(order_ids(session, env.account_id))
            loaded = docs.load_document_orders(env.cache, env.account_id, ids)
        finally:
            gen.close()
    result = []
    for index in range(SLIPS):
        doc = loaded[index % len(loaded)]
        url = f"https://tracking.example/track?code=6A{index:010d}&zip=75001"
        parcel = docs.Tracking(f"6A{index:010d}", url, tuple(i.item_id for i in doc.items))
        result.append(dataclasses.replace(doc, tracking=(parcel,)))
    return result


def timed(orders: list[docs.DocumentOrder]) -> tuple[float, int]:
    start = time.perf_counter()
    pdf = docs.render_packing_slips(orders, SETTINGS, docs.Paper.A4)
    return time.perf_counter() - start, len(pdf)


def main() -> None:
    orders = load_orders()
    docs.render_packing_slips(orders[:3], SETTINGS)  # fonts registered, caches warm
    ours, size = min(timed(orders) for _ in range(3))
    original = renderers.draw_qr
    renderers.draw_qr = stock_qr  # type: ignore[assignment]
    try:
        stock, stock_size = min(timed(orders) for _ in range(2))
    finally:
        renderers.draw_qr = original
    encode = time.perf_counter()
    for index in range(200):
        barcodes.qr_matrix(f"https://tracking.example/track?code=6A{index:010d}&zip=75001")
    per_qr = (time.perf_counter() - encode) / 200 * 1000
    print(f"{SLIPS} slips, ours:  {ours:.2f} s ({size / 1e6:.1f} MB)")
    print(f"{SLIPS} slips, stock QrCodeWidget: {stock:.2f} s ({stock_size / 1e6:.1f} MB)")
    print(f"speed-up {stock / ours:.1f}x; QR encode {per_qr:.2f} ms each")


if __name__ == "__main__":
    main()
