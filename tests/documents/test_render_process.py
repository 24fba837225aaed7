"""Documents rendered in the child process (vendor_desk.documents.render_process): a real spawned
process reading the real cache file, its PDFs read back; cancelling, a killed child, a cache
it must not touch."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.documents.conftest import barcodes, page_sizes, pdf_text, render_page
from tests.sync.conftest import Env
from vendor_desk import documents as docs
from vendor_desk.cache.db import CacheError, attach_cache
from vendor_desk.cache.queries import order_ids
from vendor_desk.documents import DocumentKind, Paper
from vendor_desk.documents.render_process import (
    RenderCancelled,
    Renderer,
    RendererStopped,
    RenderRequest,
)

LABEL_4X6 = (101.6 * 72 / 25.4, 152.4 * 72 / 25.4)


@pytest.fixture(scope="module")
def renderer() -> Iterator[Renderer]:
    renderer = Renderer()
    try:
        yield renderer
    finally:
        renderer.shutdown()


def _ids(env: Env, count: int) -> tuple[int, ...]:
    with env.cache.session() as session:
        return tuple(sorted(order_ids(session, env.account_id))[:count])


def _request(env: Env, ids: tuple[int, ...], **changes: object) -> RenderRequest:
    fields: dict[str, object] = {
        "cache_path": env.cache.path,
        "account_id": env.account_id,
        "order_ids": ids,
        "kind": DocumentKind.SLIP,
        "paper": Paper.A4,
        "locale": "en_US",
        "language": "en",
    }
    fields.update(changes)
    return RenderRequest(**fields)  # type: ignore[arg-type]


def _children() -> set[int]:
    return {child.pid for child in multiprocessing.active_children() if child.pid is not None}


def test_slips_rendered_in_a_child_process_match_those_rendered_here(
    synced: Env, renderer: Renderer
) -> None:
    ids = _ids(synced, 5)
    request = _request(synced, ids, paper=Paper.LABEL_4X6)

    pdf = renderer.render(request)

    children = _children()
    assert children and os.getpid() not in children  # rendered by another process
    with synced.cache.session() as session:
        settings = docs.load_settings(session, synced.account_id).with_locale("en_US")
    here = docs.render(
        DocumentKind.SLIP,
        docs.load_document_orders(synced.cache, synced.account_id, list(ids)),
        settings,
        Paper.LABEL_4X6,
    )
    assert pdf_text(pdf) == pdf_text(here)
    assert len(page_sizes(pdf)) >= len(ids)
    assert all(size == pytest.approx(LABEL_4X6, abs=0.1) for size in page_sizes(pdf))
    first = docs.load_document_orders(synced.cache, synced.account_id, [ids[0]])[0]
    assert first.order.number in pdf_text(pdf)[0]
    assert barcodes(render_page(pdf, 0)).get("Code128")  # the order's barcode scans
    # the same child serves the next job
    assert renderer.render(request) and _children() == children


def test_the_child_prints_in_the_language_asked_whatever_its_own(
    synced: Env, renderer: Renderer
) -> None:
    ids = _ids(synced, 2)
    french = pdf_text(renderer.render(_request(synced, ids, locale="fr_FR", language="fr")))
    english = pdf_text(renderer.render(_request(synced, ids)))
    assert "BON DE LIVRAISON" in french[0]
    assert "PACKING SLIP" in english[0]


def test_orders_missing_from_the_cache_come_back_named(synced: Env, renderer: Renderer) -> None:
    known = _ids(synced, 1)
    with pytest.raises(docs.UnknownOrders) as raised:
        renderer.render(_request(synced, (*known, 987_654_321)))
    assert raised.value.order_ids == (987_654_321,)
    assert str(raised.value) == "#987654321"


def test_cancel_returns_at_once_and_the_next_job_still_renders(
    synced: Env, renderer: Renderer
) -> None:
    ids = _ids(synced, 60)
    renderer.render(_request(synced, ids[:1]))  # the child is up
    cancel = threading.Event()
    timer = threading.Timer(0.05, cancel.set)
    timer.start()
    start = time.perf_counter()
    with pytest.raises(RenderCancelled):
        renderer.render(_request(synced, ids * 4), cancel)
    assert time.perf_counter() - start < 0.5  # did not wait for 240 slips
    assert pdf_text(renderer.render(_request(synced, ids[:1])))


def test_a_killed_child_is_reported_and_the_next_job_starts_a_new_one(synced: Env) -> None:
    before = _children()
    renderer = Renderer()
    try:
        ids = _ids(synced, 40)
        renderer.render(_request(synced, ids[:1]))
        first = _children() - before
        assert len(first) == 1

        def kill() -> None:
            for pid in first:
                os.kill(pid, signal.SIGKILL)

        threading.Timer(0.05, kill).start()
        with pytest.raises(RendererStopped) as stopped:
            renderer.render(_request(synced, ids * 5))
        assert "stopped unexpectedly" in str(stopped.value)

        again = renderer.render(_request(synced, ids[:2]))
        assert len(pdf_text(again)) >= 2
        assert not (_children() & first)  # a new child
    finally:
        renderer.shutdown()


def test_a_child_does_not_touch_a_cache_at_another_revision(tmp_path: Path) -> None:
    with pytest.raises(CacheError):
        attach_cache(tmp_path / "missing.sqlite3")
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    with pytest.raises(CacheError):
        attach_cache(empty)
    assert empty.read_bytes() == b""


PARENT = """
import multiprocessing, sys, time
from vendor_desk.documents.render_process import Renderer

if __name__ == "__main__":
    renderer = Renderer()
    renderer.warm_up()
    while not multiprocessing.active_children():
        time.sleep(0.05)
    print(multiprocessing.active_children()[0].pid, flush=True)
    time.sleep(600)
"""


def test_the_child_ends_when_the_apps_process_is_killed(tmp_path: Path) -> None:
    """The app killed (a crash, the session ending): its renderer does not stay behind."""
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    parent = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert _alive(child)
        parent.kill()
        parent.wait(10)
        deadline = time.monotonic() + 10
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child)
    finally:
        parent.kill()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a child that ended but was not reaped yet (its parent was killed) is a zombie
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True
