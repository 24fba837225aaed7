"""Running modal dialogs through a hook that tests can replace (a modal ``exec()`` would wait for
a person). The window's action classes keep a ``run_dialog`` attribute set to :func:`run_modal`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Runs a dialog or message box; True when the vendor accepted it.
DialogRunner = Callable[[Any], bool]


def run_modal(dialog: Any) -> bool:
    return bool(dialog.exec())
