"""Fixtures for document tests: a cache synced from the generated simulator (real HTTP on
loopback), shared by the module's tests, plus PDF helpers (pypdf text, pypdfium2 pages,
zxing-cpp barcode decoding)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from tests.sync.conftest import Env, make_env


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    """A cache holding the demo vendor's orders (about 60), synced once per module."""
    gen = make_env(tmp_path_factory.mktemp("documents"), orders=80, seed=11)
    env = next(gen)
    env.syncer().sync()
    try:
        yield env
    finally:
        gen.close()


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def render_page(pdf: bytes, index: int = 0, scale: float = 3.0) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[index].render(scale=scale).to_pil().convert("L")
    finally:
        document.close()


def barcodes(image: Image.Image) -> dict[str, set[str]]:
    """Decoded codes by format name ("Code128", "QRCode")."""
    found: dict[str, set[str]] = {}
    for result in zxingcpp.read_barcodes(image):
        found.setdefault(result.format.name, set()).add(result.text)
    return found


def write(tmp: Path, name: str, pdf: bytes) -> Path:
    path = tmp / name
    path.write_bytes(pdf)
    return path
