"""Documents rendered in a child process, so that the window never waits for them.

Why a process and not a thread (docs/printing.md, "Why a child process"): the renderer
(reportlab, and the loading of the orders before it) is pure Python. On a worker thread of the
window's process it holds Python's GIL in long stretches, and the window's thread waits for it:
while 50 packing slips rendered on a thread, the window could not answer for 20–80 ms at a time,
several times a job (measured with bench/bench_print.py). A child process has its own
interpreter: the window's process only waits on a pipe, which releases the GIL.

One child, started on first use (or :meth:`Renderer.warm_up`) with the ``spawn`` method — the
same on Windows, macOS and Linux, and safe beside Qt's threads — and kept for the next jobs; it
is :class:`concurrent.futures.ProcessPoolExecutor` with one worker, which also brings the
child's exceptions back with their traceback. The child reads the cache file itself (SQLite lets
several processes read; the cache is in WAL mode), renders and returns the PDF's bytes. It
imports no Qt.

    renderer = shared_renderer()
    pdf = renderer.render(RenderRequest(cache.path, account_id, (531, 532),
                                        DocumentKind.SLIP, Paper.LABEL_4X6, "fr_FR", "fr"))

A frozen build must call :func:`multiprocessing.freeze_support` first thing (``app.main`` does).
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from vendor_desk import i18n
from vendor_desk.cache.db import Cache, attach_cache
from vendor_desk.documents.model import DocumentKind, Paper
from vendor_desk.i18n import _

log = logging.getLogger(__name__)

#: How often a waiting :meth:`Renderer.render` looks at its cancel event (s).
_POLL = 0.05


class RenderCancelled(Exception):
    """The job was cancelled before its PDF came back."""


class RendererStopped(Exception):
    """The child process ended before answering (killed, out of memory); ``str()`` says so to
    the vendor. The next job starts a new child."""


@dataclass(frozen=True)
class RenderRequest:
    """One document to render from the cache, as plain (picklable) data."""

    #: The cache's SQLite file (``Cache.path``).
    cache_path: Path
    account_id: int
    #: The orders, in the order they print.
    order_ids: tuple[int, ...]
    kind: DocumentKind
    paper: Paper
    #: The app's locale ("fr_FR"), for the documents' formats (DocumentSettings.with_locale).
    locale: str
    #: The app's language ("fr"), for documents whose settings say "the app's language".
    language: str
    #: Store invoices not issued yet show a placeholder instead of a number.
    preview: bool = True


#: The child's open caches, by file (a child serves one app; opened once).
_caches: dict[Path, Cache] = {}


def _cache(path: Path) -> Cache:
    cache = _caches.get(path)
    if cache is None:
        cache = _caches[path] = attach_cache(path)
    return cache


def render_from_cache(request: RenderRequest) -> bytes:
    """Load the orders and the account's document settings from the cache and render the PDF
    (runs in the child; works in any process).

    Raises:
        vendor_desk.documents.UnknownOrders: some orders are not in the cache.
        vendor_desk.cache.CacheError: the cache file cannot be read.
    """
    from vendor_desk import documents as docs

    i18n.set_language(request.language)
    cache = _cache(request.cache_path)
    with cache.session() as session:
        settings = docs.load_settings(session, request.account_id).with_locale(request.locale)
    loaded = docs.load_document_orders(cache, request.account_id, list(request.order_ids))
    return docs.render(request.kind, loaded, settings, request.paper, preview=request.preview)


def _watch_parent() -> None:
    """The child's initializer: it ends as soon as the app's process is gone (killed, crashed),
    instead of waiting for jobs forever."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _warm() -> None:
    """Import the renderer and load its fonts, so the first job does not wait for them."""
    import vendor_desk.documents.renderers  # noqa: F401  (reportlab and the layout modules)
    from vendor_desk.documents import text

    text.fonts()


class Renderer:
    """The child process documents are rendered in (thread-safe; one job at a time, in order)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_watch_parent,
                )
            return self._executor

    def _submit(self, request: RenderRequest | None) -> Future[object]:
        try:
            if request is None:
                return self._pool().submit(_warm)
            return self._pool().submit(render_from_cache, request)
        except BrokenProcessPool:
            self._forget()
            raise RendererStopped(_stopped()) from None

    def warm_up(self) -> None:
        """Start the child now (in the background: this returns at once)."""
        try:
            self._submit(None)
        except RendererStopped as error:
            log.warning("document renderer not started: %s", error)

    def render(self, request: RenderRequest, cancel: threading.Event | None = None) -> bytes:
        """The PDF of ``request``, rendered in the child (waits for it, the GIL released).

        Raises:
            RenderCancelled: ``cancel`` was set first (the child's work is dropped).
            RendererStopped: the child ended without answering.
            Whatever :func:`render_from_cache` raised in the child.
        """
        future = self._submit(request)
        while True:
            try:
                pdf = future.result(timeout=_POLL)
            except FutureTimeout:
                if cancel is not None and cancel.is_set():
                    future.cancel()
                    raise RenderCancelled() from None
                continue
            except BrokenProcessPool:
                self._forget()
                raise RendererStopped(_stopped()) from None
            if not isinstance(pdf, bytes):
                raise TypeError(f"the renderer answered {type(pdf).__name__}, not PDF bytes")
            return pdf

    def _forget(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """Stop the child (a job it is rendering is finished first, in the background)."""
        self._forget()


def _stopped() -> str:
    return _("The document renderer stopped unexpectedly; try again.")


_shared: Renderer | None = None
_shared_lock = threading.Lock()


def shared_renderer() -> Renderer:
    """The app's renderer (one child process for every window and job)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Renderer()
        return _shared
