"""The Qt binding must survive a long list: PySide6 6.12.0 under Python 3.11 drops a reference
to None each time a model's data() returns None, until the process aborts while the vendor
scrolls ("Fatal Python error: none_dealloc"). pyproject.toml excludes it; this test proves the
installed binding keeps None's reference count."""

from __future__ import annotations

import subprocess
import sys

PROBE = r"""
import sys
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView

class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 20000
    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 9
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return "x"
        return None

app = QApplication([])
view = QTableView()
model = Model()
view.setModel(model)
view.resize(1200, 800)
view.show()
bar = view.verticalScrollBar()
before = sys.getrefcount(None)
value = 0
while value < bar.maximum():
    value = min(bar.maximum(), value + bar.pageStep())
    bar.setValue(value)
    app.processEvents()
print(sys.getrefcount(None) - before)
"""


def test_scrolling_a_model_keeps_none_alive() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.strip().splitlines()[-1]) >= -50, result.stdout
