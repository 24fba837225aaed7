"""One sender per account, across processes. No Qt.

The window and the command line may run at the same time on one data folder (the window open,
a ``vendor-desk ship`` typed in a terminal). Both queue changes in the same outbox; only one of
them may *send* for an account at a time, or the second could take an entry the first is still
sending for an interrupted one and check it too early — a note landed twice.

:class:`SenderLock` is an operating-system file lock (the ``filelock`` library: ``flock`` on
Linux and macOS, ``LockFileEx`` on Windows) on ``outbox-<account>.lock`` in the data folder,
held for one send pass. The system releases it when its process ends, however it ends, so an
entry still marked ``sending`` while nobody holds the lock was abandoned by a process that is
gone — only then is it treated as interrupted. Beside the lock, a small JSON file says who holds
it (process id, program, since when), to tell the vendor who is sending; it is information only,
never the lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from vendor_desk.domain.text import N_, Sentence

#: How the window names itself to the other processes (stored in English, translated where
#: another process shows it).
WINDOW = N_("Vendor Desk's window")


@dataclass(frozen=True)
class SenderInfo:
    """Who holds an account's sender lock (as it wrote it when it took the lock)."""

    pid: int
    program: str
    since: datetime | None

    def describe(self) -> str:
        """ "Vendor Desk's window (process 4242)" / "vendor-desk ship (process 4242)"."""
        program: str = self.program
        if not program or program == WINDOW:
            program = Sentence(program or N_("another Vendor Desk"))
        return Sentence(N_("{program} (process {pid})"), program=program, pid=self.pid)


def default_program() -> str:
    """What this process is, for other processes' messages: the command's name and verb."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "vendor-desk"
    if name in ("__main__.py", "-c", "-m", "") or name.startswith("python"):
        name = "vendor-desk"
    verb = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), "")
    return f"{name} {verb}".strip()


class SenderLock:
    """The sender lock of one account in one data folder (re-entrant within one object).

    Args:
        data_dir: the folder holding the cache.
        account_id: the account.
        program: how other processes name this one ("Vendor Desk's window", "vendor-desk ship").
    """

    def __init__(self, data_dir: Path, account_id: int, program: str = "") -> None:
        self.path = Path(data_dir) / f"outbox-{account_id}.lock"
        self.info_path = self.path.with_suffix(".json")
        self.program = program or default_program()
        # thread_local=False: the window takes it on its worker thread, a test on another
        self._lock = FileLock(self.path, thread_local=False)

    @property
    def held(self) -> bool:
        """This object holds the lock now."""
        return self._lock.is_locked

    def acquire(self, timeout: float = 0.0) -> bool:
        """Take the lock, waiting at most ``timeout`` seconds; False when another process (or
        another :class:`SenderLock` object) holds it."""
        try:
            self._lock.acquire(timeout=timeout)
        except Timeout:
            return False
        if self._lock.lock_counter == 1:
            self._write_info()
        return True

    def release(self) -> None:
        if self._lock.lock_counter == 1:
            with contextlib.suppress(OSError):
                self.info_path.unlink()
        self._lock.release()

    def holder(self) -> SenderInfo | None:
        """Who holds the lock, as the holder wrote it (None when nobody said)."""
        try:
            data = json.loads(self.info_path.read_text(encoding="utf-8"))
            since = data.get("since")
            return SenderInfo(
                int(data["pid"]),
                str(data.get("program", "")),
                datetime.fromisoformat(since) if since else None,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write_info(self) -> None:
        info = {
            "pid": os.getpid(),
            "program": self.program,
            "since": datetime.now(UTC).isoformat(),
        }
        with contextlib.suppress(OSError):
            self.info_path.write_text(json.dumps(info), encoding="utf-8")

    def __enter__(self) -> SenderLock:
        self.acquire(timeout=-1)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()


__all__ = ["SenderInfo", "SenderLock", "default_program"]
