"""Background work: one worker thread and job queue per marketplace account.

Jobs are plain callables run on the worker thread; they take and return plain data (ids,
dataclasses, domain objects) — never widgets or live ORM objects. Results come back to the UI
thread through Qt signals (queued across threads). Because each account has its own queue, a
sync and an action of the same account never overlap, while two accounts work in parallel.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from vendor_desk.marketplace import (
    AuthenticationRefused,
    CapabilityMissing,
    InsecureConnection,
    InvalidResponse,
    MarketplaceError,
    NotAllowed,
    RateLimited,
    ServerError,
    SignInFailed,
    Unavailable,
    Unreachable,
)
from vendor_desk.ui.labels import rule_reason

log = logging.getLogger("vendor_desk.ui.workers")

#: A job: ``fn(progress, cancel)`` where ``progress(data)`` reports plain data to the UI and
#: ``cancel`` is a ``threading.Event`` set when the user cancels.
Job = Callable[[Callable[[Any], None], threading.Event], Any]


@dataclass(frozen=True)
class JobError:
    """Why a job failed, as plain data: ``kind`` for the UI's logic, ``message`` for people."""

    #: unreachable | auth | sign_in | rate_limited | unavailable | insecure | capability |
    #: not_allowed | invalid | server | other
    kind: str
    message: str
    #: Seconds the marketplace asked to wait before trying again (429/503), if it said.
    retry_after: float | None = None


def classify_error(error: BaseException) -> JobError:
    """Map an exception from a job to a :class:`JobError`."""
    kinds: list[tuple[type[BaseException], str]] = [
        (Unreachable, "unreachable"),
        (AuthenticationRefused, "auth"),
        (SignInFailed, "sign_in"),
        (RateLimited, "rate_limited"),
        (Unavailable, "unavailable"),
        (InsecureConnection, "insecure"),
        (CapabilityMissing, "capability"),
        (NotAllowed, "not_allowed"),
        (InvalidResponse, "invalid"),
        (ServerError, "server"),
    ]
    for error_type, kind in kinds:
        if isinstance(error, error_type):
            assert isinstance(error, MarketplaceError)
            return JobError(kind, rule_reason(str(error)), error.retry_after)
    if isinstance(error, MarketplaceError):
        return JobError("other", rule_reason(str(error)))
    return JobError(
        "other",
        QCoreApplication.translate("Worker", "Unexpected error: {error}").format(
            error=str(error) or type(error).__name__
        ),
    )


class AccountWorker(QObject):
    """A background thread running one account's jobs one at a time, in order.

    Signals:
        started(name): a job began.
        progress(name, data): a job reported progress (plain data).
        finished(name, result): a job returned ``result``.
        failed(name, error): a job raised; ``error`` is a :class:`JobError`.
    """

    started = Signal(str)
    progress = Signal(str, object)
    finished = Signal(str, object)
    failed = Signal(str, object)

    def __init__(self, name: str = "account", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue[tuple[str, Job] | None] = queue.Queue()
        self._cancel = threading.Event()
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._running: str | None = None
        self._thread = threading.Thread(target=self._run, name=f"worker-{name}", daemon=True)
        self._thread.start()

    def submit(self, name: str, job: Job, *, unique: bool = True) -> bool:
        """Queue ``job``; with ``unique``, refuse it while a job of that name is queued/running."""
        with self._lock:
            if unique and name in self._pending:
                return False
            self._pending.add(name)
        self._queue.put((name, job))
        return True

    def is_busy(self, name: str | None = None) -> bool:
        with self._lock:
            return bool(self._pending) if name is None else name in self._pending

    def cancel(self) -> None:
        """Ask the running job to stop at its next check."""
        self._cancel.set()

    def shutdown(self, timeout: float = 10.0) -> None:
        """Cancel, stop the thread and wait for it (call before the app quits)."""
        self._cancel.set()
        self._queue.put(None)
        self._thread.join(timeout)

    def _reporter(self, name: str) -> Callable[[Any], None]:
        def report(data: Any) -> None:
            self.progress.emit(name, data)

        return report

    def _run(self) -> None:
        while True:
            entry = self._queue.get()
            if entry is None:
                return
            name, job = entry
            self._cancel.clear()
            self.started.emit(name)
            try:
                result = job(self._reporter(name), self._cancel)
            except Exception as error:  # every failure goes back to the UI as plain data
                log.warning(
                    "job %s failed: %s",
                    name,
                    error,
                    exc_info=not isinstance(error, MarketplaceError),
                )
                with self._lock:
                    self._pending.discard(name)
                self.failed.emit(name, classify_error(error))
            else:
                with self._lock:
                    self._pending.discard(name)
                self.finished.emit(name, result)
