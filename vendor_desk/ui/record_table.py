"""A read-only table model over a list of plain records, with named filters.

The Activity panel (outbox entries) and the Refunds view (refund requests) both show a short list
of plain, immutable records, newest first, filtered by a state: this class holds the rows, the
filter and the Qt model plumbing; a subclass says what a filter keeps and what a cell shows::

    class Entries(RecordTableModel):
        def keeps(self, record, wanted):   # wanted = self.filters[self.filter_key]
            return wanted is None or record.state in wanted
        def data(self, index, role=...):
            ...

:func:`record_table_view` is the read-only table both show such a model in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

_Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel):
    """Rows are ``records`` kept by :meth:`keeps` under the current filter.

    Args:
        headers: the column titles (already translated).
        filters: filter key → what the filter wants (passed to :meth:`keeps`); "all" first.
    """

    def __init__(
        self, headers: Sequence[str], filters: Mapping[str, Any], parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self.filters = dict(filters)
        self._filter = next(iter(self.filters))
        self._all: list[Any] = []
        self._rows: list[Any] = []

    # ------------------------------------------------------------------ records
    def keeps(self, record: Any, wanted: Any) -> bool:
        """Whether the filter wanting ``wanted`` shows ``record`` (override)."""
        return True

    def set_records(self, records: Sequence[Any]) -> None:
        """Show ``records`` (in the order given) under the current filter."""
        self._all = list(records)
        self._apply()

    @property
    def records(self) -> list[Any]:
        """Every record, whatever the filter."""
        return list(self._all)

    @property
    def filter_key(self) -> str:
        return self._filter

    def set_filter(self, key: str) -> None:
        if key not in self.filters:
            raise ValueError(f"unknown filter {key!r}")
        self._filter = key
        self._apply()

    def _apply(self) -> None:
        wanted = self.filters[self._filter]
        self.beginResetModel()
        self._rows = [record for record in self._all if self.keeps(record, wanted)]
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, record_id: int) -> int | None:
        """The row showing the record whose ``id`` is ``record_id`` (None: filtered out)."""
        for row, record in enumerate(self._rows):
            if record.id == record_id:
                return row
        return None

    def record_at(self, index: _Index) -> Any | None:
        """The record of a valid index of this model, else None."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    # ---------------------------------------------------------------- Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None


def record_table_view(model: RecordTableModel, name: str) -> QTableView:
    """A read-only list of ``model``'s records: whole rows selected one at a time, alternating
    row colours, no grid, no row numbers; ``name`` is its object name."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setHighlightSections(False)
    return table
