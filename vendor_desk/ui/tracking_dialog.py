"""The tracking dialog ("Mark Shipped"): which items leave in which parcel, and how.

The vendor picks the items to ship, then either fills in one parcel for all of them or splits
them over several parcels (each with its own carrier, code and URL). A carrier preset builds the
tracking URL from the code (and the ship-to postcode/country where the carrier's page needs them);
the URL stays editable, and once the vendor types it by hand it is no longer overwritten.

Every check comes from :mod:`vendor_desk.domain.carriers` (``Parcel.problems()``); this module
only says the problems next to the fields (see :mod:`vendor_desk.ui.labels`). The dialog returns
plain data — :meth:`TrackingDialog.parcels` — and sends nothing: the window queues the result in
the outbox.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.domain import Capabilities, LineItem, Order, rules
from vendor_desk.domain.carriers import (
    OTHER,
    Carrier,
    Parcel,
    ShipMethod,
    carriers_for,
    normalise_code,
)
from vendor_desk.sync.shipping import ShipmentRefused, plan_shipment
from vendor_desk.ui import labels
from vendor_desk.ui.fitting import on_screen
from vendor_desk.ui.icons import app_icon
from vendor_desk.ui.style import is_dark

#: Columns of the items table.
COL_SHIP, COL_SKU, COL_NAME, COL_QTY, COL_TRACKING = range(5)


def field_error_label() -> QLabel:
    """A red line of text shown under a field while the field holds a mistake."""
    label = QLabel()
    label.setObjectName("fieldError")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {'#ff8787' if is_dark() else '#c92a2a'}; font-size: 11px;")
    label.setVisible(False)
    return label


def hint_label(kind: str, text: str = "") -> QLabel:
    """A boxed hint in the style sheet's colours (``info``, ``ok``, ``warning``, ``error``)."""
    label = QLabel(text)
    label.setObjectName(f"hint_{kind}")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def _item_caption(item: LineItem) -> str:
    parts = [item.sku, item.name] if item.sku else [item.name]
    return f"{' — '.join(parts)}  ×{item.quantity}"


def _tracking_text(item: LineItem) -> str:
    return item.tracking_code or item.tracking_url


class ParcelEditor(QFrame):
    """One parcel: its items (several-parcels mode only), how it travels, carrier, code, URL.

    Signals:
        changed: something the dialog reacts to (items, method) changed.
        remove_requested(ParcelEditor): the vendor clicked "Remove this parcel".
    """

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(
        self,
        items: Sequence[LineItem],
        carriers: Sequence[Carrier],
        country: str,
        postcode: str,
        *,
        notes_work: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("detailSection")
        self._country = country
        self._postcode = postcode
        self._carriers = list(carriers)
        #: The URL last filled in from the carrier preset; the field follows it until edited.
        self._auto_url = ""
        self.url_typed_by_hand = False
        #: Fields whose mistakes are shown: those the vendor left, and all after a submit.
        self._touched: set[str] = set()
        self._show_all = False

        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.remove_button = QPushButton(self.tr("Remove this parcel"))
        self.remove_button.setObjectName("removeParcel")
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.remove_button)

        # Items (several-parcels mode): one check box per item.
        self.items_box = QWidget()
        items_layout = QVBoxLayout(self.items_box)
        items_layout.setContentsMargins(0, 0, 0, 0)
        items_layout.setSpacing(2)
        self.item_boxes: dict[int, QCheckBox] = {}
        for item in items:
            box = QCheckBox(_item_caption(item))
            box.toggled.connect(self._items_toggled)
            self.item_boxes[item.item_id] = box
            items_layout.addWidget(box)
        self.items_error = field_error_label()
        items_layout.addWidget(self.items_error)

        # How the parcel travels.
        self.method_group = QButtonGroup(self)
        self.method_buttons: dict[ShipMethod, QRadioButton] = {}
        methods = QHBoxLayout()
        for index, method in enumerate(ShipMethod):
            button = QRadioButton(labels.ship_method_label(method))
            button.setObjectName(f"method_{method.value}")
            self.method_group.addButton(button, index)
            self.method_buttons[method] = button
            methods.addWidget(button)
        methods.addStretch(1)
        self.method_buttons[ShipMethod.TRACKED].setChecked(True)
        self.method_group.buttonToggled.connect(self._method_toggled)

        self.carrier_combo = QComboBox()
        self.carrier_combo.setObjectName("carrierCombo")
        for carrier in self._carriers:
            self.carrier_combo.addItem(labels.carrier_label(carrier), carrier.key)
        self.carrier_combo.currentIndexChanged.connect(self._carrier_changed)

        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("codeEdit")
        self.code_edit.setPlaceholderText(self.tr("the tracking number on the label"))
        self.code_edit.textChanged.connect(self._code_changed)
        self.code_edit.editingFinished.connect(self._code_finished)
        self.code_error = field_error_label()

        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("urlEdit")
        self.url_edit.textEdited.connect(self._url_edited)
        self.url_edit.textChanged.connect(lambda _text: self._refresh_errors())
        self.url_edit.editingFinished.connect(self._url_finished)
        self.url_note = QLabel()
        self.url_note.setObjectName("muted")
        self.url_note.setTextFormat(Qt.TextFormat.PlainText)
        self.url_note.setWordWrap(True)
        self.url_error = field_error_label()

        self.carrier_label = QLabel(self.tr("Carrier"))
        self.code_label = QLabel(self.tr("Tracking code"))
        self.url_label = QLabel(self.tr("Tracking URL"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(3)
        rows: list[tuple[QLabel | None, QWidget]] = [
            (self.carrier_label, self.carrier_combo),
            (self.code_label, self.code_edit),
            (None, self.code_error),
            (self.url_label, self.url_edit),
            (None, self.url_error),
            (None, self.url_note),
        ]
        for row, (name, field) in enumerate(rows):
            if name is not None:
                grid.addWidget(name, row, 0)
            grid.addWidget(field, row, 1)
        grid.setColumnStretch(1, 1)
        self.carrier_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.no_tracking_warning = hint_label("warning", labels.no_tracking_warning())
        self.no_tracking_warning.setProperty("role", "noTrackingWarning")
        recorded = (
            self.tr(
                "The app records this shipment and adds a private note to the order on the "
                "marketplace, so the store admin can see it. Then mark the order complete."
            )
            if notes_work
            else self.tr(
                "This marketplace cannot store such a shipment: the app records it on this "
                "computer only. Then mark the order complete."
            )
        )
        self.no_tracking_info = hint_label("info", recorded)
        self.pickup_info = hint_label(
            "info",
            self.tr("The customer collects the order at your store: no parcel, no tracking.")
            + "\n"
            + recorded,
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.items_box)
        layout.addLayout(methods)
        layout.addLayout(grid)
        layout.addWidget(self.no_tracking_warning)
        layout.addWidget(self.no_tracking_info)
        layout.addWidget(self.pickup_info)
        self.set_index(1)
        self.set_items_visible(False)
        self._method_toggled()
        self._carrier_changed()

    # ----------------------------------------------------------------- state
    def set_index(self, number: int) -> None:
        self.title.setText(self.tr("Parcel {number}").format(number=number))
        self._number = number

    @property
    def number(self) -> int:
        return self._number

    def set_items_visible(self, visible: bool) -> None:
        """Item check boxes and "Remove" show in several-parcels mode only."""
        self.items_box.setVisible(visible)
        self.remove_button.setVisible(visible)
        self.title.setVisible(visible)

    def item_ids(self) -> list[int]:
        return [item_id for item_id, box in self.item_boxes.items() if box.isChecked()]

    def method(self) -> ShipMethod:
        for method, button in self.method_buttons.items():
            if button.isChecked():
                return method
        return ShipMethod.TRACKED

    def set_method(self, method: ShipMethod) -> None:
        self.method_buttons[method].setChecked(True)

    def carrier(self) -> Carrier:
        index = max(0, self.carrier_combo.currentIndex())
        return self._carriers[index] if self._carriers else OTHER

    def set_carrier(self, key: str) -> None:
        index = self.carrier_combo.findData(key)
        if index >= 0:
            self.carrier_combo.setCurrentIndex(index)

    def parcel(self, item_ids: Sequence[int] | None = None) -> Parcel:
        """This parcel as plain data (``item_ids`` overrides the check boxes: one-parcel mode)."""
        ids = tuple(self.item_ids() if item_ids is None else item_ids)
        method = self.method()
        if method is ShipMethod.PICKUP:
            return Parcel(ids, method)
        carrier = self.carrier().key
        if method is ShipMethod.NO_TRACKING:
            return Parcel(ids, method, carrier)
        code = normalise_code(self.code_edit.text())
        return Parcel(ids, method, carrier, code, self.url_edit.text().strip())

    # ------------------------------------------------------------ validation
    def show_all_errors(self) -> None:
        self._show_all = True
        self._refresh_errors()

    def first_invalid_widget(self) -> QWidget | None:
        if not self.code_error.isHidden():
            return self.code_edit
        if not self.url_error.isHidden():
            return self.url_edit
        return None

    def _refresh_errors(self) -> None:
        problems = self.parcel(item_ids=()).problems()
        for name, label in (("code", self.code_error), ("url", self.url_error)):
            problem = problems.get(name)
            shown = problem is not None and (self._show_all or name in self._touched)
            _show_error(label, labels.problem_text(problem) if shown and problem else "")

    def set_items_error(self, text: str) -> None:
        _show_error(self.items_error, text)

    # ----------------------------------------------------------------- slots
    @Slot()
    def _items_toggled(self) -> None:
        self.changed.emit()

    @Slot()
    def _method_toggled(self, *_args: Any) -> None:
        method = self.method()
        tracked = method is ShipMethod.TRACKED
        tracked_widgets: tuple[QWidget, ...] = (
            self.code_label,
            self.code_edit,
            self.url_label,
            self.url_edit,
            self.url_note,
        )
        for widget in tracked_widgets:
            widget.setVisible(tracked)
        self.carrier_label.setVisible(method is not ShipMethod.PICKUP)
        self.carrier_combo.setVisible(method is not ShipMethod.PICKUP)
        self.no_tracking_warning.setVisible(method is ShipMethod.NO_TRACKING)
        self.no_tracking_info.setVisible(method is ShipMethod.NO_TRACKING)
        self.pickup_info.setVisible(method is ShipMethod.PICKUP)
        self._refresh_errors()
        self.changed.emit()

    @Slot()
    def _carrier_changed(self, *_args: Any) -> None:
        carrier = self.carrier()
        self.url_edit.setPlaceholderText(
            self.tr("filled in from the code")
            if carrier.builds_url
            else self.tr("https://… the carrier's page for this parcel")
        )
        self._rebuild_url()

    @Slot(str)
    def _code_changed(self, _text: str) -> None:
        self._rebuild_url()
        self._refresh_errors()

    @Slot()
    def _code_finished(self) -> None:
        normalised = normalise_code(self.code_edit.text())
        if normalised != self.code_edit.text():
            self.code_edit.setText(normalised)
        if normalised:
            self._touched.add("code")
        self._refresh_errors()

    @Slot(str)
    def _url_edited(self, text: str) -> None:
        # Typed by the vendor (textEdited is not emitted for setText): stop following the
        # preset — unless the field was emptied, which hands it back to the preset.
        self.url_typed_by_hand = bool(text.strip()) and text != self._auto_url
        self._update_url_note()

    @Slot()
    def _url_finished(self) -> None:
        stripped = self.url_edit.text().strip()
        if stripped != self.url_edit.text():
            self.url_edit.setText(stripped)
        if stripped:
            self._touched.add("url")
        elif not self.url_typed_by_hand:
            self._rebuild_url()
        self._refresh_errors()

    def _rebuild_url(self) -> None:
        if self.url_typed_by_hand:
            self._update_url_note()
            return
        code = normalise_code(self.code_edit.text())
        carrier = self.carrier()
        url = carrier.url_for(code, self._postcode, self._country) if code else ""
        self._auto_url = url
        if self.url_edit.text() != url:
            self.url_edit.setText(url)
        self._update_url_note()

    def _update_url_note(self) -> None:
        carrier = self.carrier()
        if self.url_typed_by_hand:
            text = self.tr(
                "Typed by you: it no longer follows the code. Empty it to fill it in again."
            )
        elif carrier.builds_url:
            text = self.tr("Filled in from the carrier and the code; you can change it.")
            if carrier.needs_postcode and not self._postcode:
                text += " " + self.tr(
                    "This carrier's page also needs the ship-to postcode, which the order lacks."
                )
        else:
            text = self.tr("Paste the address where the customer can follow the parcel.")
        self.url_note.setText(text)


class _FollowingScrollArea(QScrollArea):
    """A resizable scroll area that notices when its content grows or shrinks.

    WORKAROUND: QScrollArea recomputes its scroll bars on its own LayoutRequest only; a layout
    change inside the content (a parcel added, a row shown) reaches the content widget, not the
    area, so the content would be squeezed into the viewport instead of scrolling.
    """

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        widget.installEventFilter(self)
        self.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        watching = watched is self.widget() or watched is self.viewport()
        if watching and event.type() == QEvent.Type.LayoutRequest:
            QCoreApplication.postEvent(self, QEvent(QEvent.Type.LayoutRequest))
        return super().eventFilter(watched, event)


class TrackingDialog(QDialog):
    """Mark the vendor's items of ``order`` shipped, in one or several parcels.

    Args:
        order: the order (the vendor's items); virtual items are not offered.
        ship_to_country: ISO country code of the ship-to address (orders the carrier presets and
            fills URLs that need it).
        ship_to_postcode: the ship-to postcode (for carriers whose page needs it).
        capabilities: what the marketplace offers; when it is known to lack WCFM Ultimate the
            dialog says tracking cannot be stored there and what happens instead.

    After ``exec()`` returns ``Accepted``, :meth:`parcels` holds the valid parcels.
    """

    def __init__(
        self,
        order: Order,
        ship_to_country: str = "",
        ship_to_postcode: str = "",
        parent: QWidget | None = None,
        *,
        capabilities: Capabilities | None = None,
        local: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.order = order
        self._capabilities = capabilities
        self._local = dict(local or {})
        self.setWindowTitle(self.tr("Mark order #{number} shipped").format(number=order.number))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(640)
        self._country = (ship_to_country or "").strip().upper()
        self._postcode = (ship_to_postcode or "").strip()
        self._carriers = carriers_for(self._country)
        self._can_track = capabilities is None or capabilities.can_add_tracking
        self._notes_work = capabilities is None or capabilities.can_add_notes
        self.items: list[LineItem] = [item for item in order.items if item.shippable is not False]
        virtual = [item for item in order.items if item.shippable is False]

        intro = QLabel(
            self.tr(
                "Choose the items you have sent and how. With a tracking number, the customer "
                "receives it by e-mail from the marketplace."
            )
        )
        intro.setWordWrap(True)
        self.capability_label = hint_label("warning")
        self.capability_label.setProperty("role", "capability")
        if not self._can_track:
            self.capability_label.setText(
                self.tr(
                    "This marketplace cannot store tracking numbers (WCFM Ultimate is not "
                    "installed), so the customer will not get them from the marketplace. The app "
                    "keeps the tracking on this computer (it shows on your packing slip) and "
                    "offers to ask the store admin to add it to the order. Shipping without "
                    "tracking and local pickup are recorded on this computer only."
                )
            )
        self.capability_label.setVisible(not self._can_track)
        payment = [labels.rule_reason(text) for text in rules.payment_warnings(order)]
        self.payment_label = hint_label("warning", "\n".join(payment))
        self.payment_label.setVisible(bool(payment))

        # Items table: in one-parcel mode its check boxes choose the items; in several-parcels
        # mode its first column says which parcel holds each item.
        self.items_table = QTreeWidget()
        self.items_table.setObjectName("shipItemsTable")
        self.items_table.setRootIsDecorated(False)
        self.items_table.setHeaderLabels(
            [
                self.tr("Ship"),
                self.tr("SKU"),
                self.tr("Product"),
                self.tr("Qty"),
                self.tr("Tracking already on file"),
            ]
        )
        self._rows: dict[int, QTreeWidgetItem] = {}
        for item in self.items:
            row = QTreeWidgetItem(
                ["", item.sku, item.name, str(item.quantity), _tracking_text(item) or "—"]
            )
            row.setTextAlignment(
                COL_QTY, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
            row.setToolTip(COL_NAME, item.name)
            row.setToolTip(COL_TRACKING, item.tracking_url or item.tracking_code)
            row.setData(COL_SHIP, Qt.ItemDataRole.UserRole, item.item_id)
            self._rows[item.item_id] = row
            self.items_table.addTopLevelItem(row)
        header = self.items_table.header()
        header.setStretchLastSection(False)
        for column in (COL_SHIP, COL_SKU, COL_QTY):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_TRACKING, QHeaderView.ResizeMode.ResizeToContents)
        row_height = self.items_table.sizeHintForRow(0)
        if row_height <= 0:
            row_height = self.items_table.fontMetrics().height() + 6
        visible_rows = max(1, min(len(self.items), 6))
        self.items_table.setFixedHeight(
            header.sizeHint().height()
            + visible_rows * row_height
            + 2 * self.items_table.frameWidth()
            + 2
        )
        self.items_table.itemChanged.connect(self._table_changed)
        self.virtual_label = QLabel(
            self.tr("Not listed (nothing to ship): {names}").format(
                names=", ".join(item.name for item in virtual)
            )
        )
        self.virtual_label.setObjectName("muted")
        self.virtual_label.setTextFormat(Qt.TextFormat.PlainText)
        self.virtual_label.setWordWrap(True)
        self.virtual_label.setVisible(bool(virtual))

        self.mode_one = QRadioButton(self.tr("One parcel for all items"))
        self.mode_several = QRadioButton(self.tr("Several parcels"))
        self.mode_one.setChecked(True)
        self.mode_several.setEnabled(len(self.items) > 1)
        if len(self.items) <= 1:
            self.mode_several.setToolTip(self.tr("This order has only one item to ship."))
        self._mode_group = QButtonGroup(self)
        self._mode_group.addButton(self.mode_one)
        self._mode_group.addButton(self.mode_several)
        self.mode_several.toggled.connect(self._mode_changed)
        modes = QHBoxLayout()
        modes.addWidget(self.mode_one)
        modes.addWidget(self.mode_several)
        modes.addStretch(1)

        self.parcel_editors: list[ParcelEditor] = []
        self._parcels_layout = QVBoxLayout()
        self._parcels_layout.setSpacing(8)
        parcels_widget = QWidget()
        parcels_outer = QVBoxLayout(parcels_widget)
        parcels_outer.setContentsMargins(0, 0, 0, 0)
        parcels_outer.addLayout(self._parcels_layout)
        self.add_parcel_button = QPushButton(self.tr("Add a parcel"))
        self.add_parcel_button.setObjectName("addParcel")
        self.add_parcel_button.clicked.connect(lambda: self.add_parcel())
        parcels_outer.addWidget(self.add_parcel_button, 0, Qt.AlignmentFlag.AlignLeft)
        parcels_outer.addStretch(1)
        self.parcels_scroll = _FollowingScrollArea()
        self.parcels_scroll.setWidgetResizable(True)
        self.parcels_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.parcels_scroll.setWidget(parcels_widget)
        self.parcels_scroll.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding
        )

        self.general_error = field_error_label()
        self.general_error.setObjectName("generalError")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Mark shipped"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(self.capability_label)
        layout.addWidget(self.payment_label)
        layout.addWidget(self.items_table)
        layout.addWidget(self.virtual_label)
        layout.addLayout(modes)
        layout.addWidget(self.parcels_scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        first = self.add_parcel()
        # Items without tracking are ticked; those already tracked are shown but left out.
        self._set_table_checkable(True)
        for item in self.items:
            self._rows[item.item_id].setCheckState(
                COL_SHIP,
                Qt.CheckState.Unchecked if item.has_tracking else Qt.CheckState.Checked,
            )
        first.code_edit.setFocus()
        self._sync_mode_widgets()
        self.resize(on_screen(self, QSize(720, 640)))

    # ================================================================= public
    def is_several(self) -> bool:
        return self.mode_several.isChecked()

    def parcels(self) -> list[Parcel]:
        """The parcels as chosen (in one-parcel mode: one parcel with the ticked items)."""
        if not self.is_several():
            return [self.parcel_editors[0].parcel(self.checked_item_ids())]
        return [editor.parcel() for editor in self.parcel_editors if editor.item_ids()]

    def checked_item_ids(self) -> list[int]:
        """The items ticked in the table (one-parcel mode)."""
        return [
            item_id
            for item_id, row in self._rows.items()
            if row.checkState(COL_SHIP) == Qt.CheckState.Checked
        ]

    def add_parcel(self) -> ParcelEditor:
        """Add an empty parcel (carrier and method copied from the last one)."""
        editor = ParcelEditor(
            self.items, self._carriers, self._country, self._postcode, notes_work=self._notes_work
        )
        if self.parcel_editors:
            previous = self.parcel_editors[-1]
            editor.set_method(previous.method())
            editor.set_carrier(previous.carrier().key)
        editor.changed.connect(self._parcels_changed)
        editor.remove_requested.connect(self.remove_parcel)
        self.parcel_editors.append(editor)
        self._parcels_layout.addWidget(editor)
        self._renumber()
        editor.set_items_visible(self.is_several())
        self._parcels_changed()
        return editor

    @Slot(object)
    def remove_parcel(self, editor: ParcelEditor) -> None:
        if len(self.parcel_editors) <= 1 or editor not in self.parcel_editors:
            return
        self.parcel_editors.remove(editor)
        self._parcels_layout.removeWidget(editor)
        editor.deleteLater()
        self._renumber()
        self._parcels_changed()

    def replaces_tracking(self) -> bool:
        """Whether a ticked item already has tracking (the vendor is correcting it): pass it as
        ``replace_tracking`` when queueing."""
        chosen = {i for parcel in self.parcels() for i in parcel.item_ids}
        return any(item.has_tracking for item in self.items if item.item_id in chosen)

    def validate(self, *, show: bool = True) -> bool:
        """Whether the dialog holds parcels that can be queued; with ``show``, every mistake is
        shown next to its field (and a summary above the buttons).

        The fields are checked as typed (``Parcel.problems()``); the shipment as a whole by
        :func:`vendor_desk.sync.shipping.plan_shipment` — the same check the outbox applies.
        """
        fields_ok = True
        for editor in self.parcel_editors:
            if show:
                editor.show_all_errors()
                editor.set_items_error("")
            items = editor.item_ids() if self.is_several() else self.checked_item_ids()
            if editor.parcel(items).problems():
                fields_ok = False
        general: list[str] = []
        try:
            plan_shipment(
                self.order,
                self.parcels() if self.is_several() else self._one_parcel_or_none(),
                capabilities=self._capabilities,
                local=self._local,
                replace_tracking=self.replaces_tracking(),
            )
            refused: tuple[Any, ...] = ()
        except ShipmentRefused as error:
            refused = error.problems
        for problem in refused:
            if problem.field in ("code", "url") and problem.detail is not None:
                continue  # already shown under the field
            text = labels.ship_problem_text(problem)
            if self.is_several() and problem.parcel is not None and problem.field == "items":
                if show and problem.parcel < len(self._editors_with_items()):
                    self._editors_with_items()[problem.parcel].set_items_error(text)
                continue
            if text not in general:
                general.append(text)
        if self.is_several():
            for editor in self.parcel_editors:
                if not editor.item_ids():
                    fields_ok = False
                    if show:
                        editor.set_items_error(self.tr("Tick the items that go in this parcel."))
        ok = fields_ok and not refused
        if show:
            if not general and not ok:
                general.append(self.tr("Some fields need your attention (marked in red)."))
            _show_error(self.general_error, "\n".join(general))
        return ok

    def _one_parcel_or_none(self) -> list[Parcel]:
        ids = self.checked_item_ids()
        return [self.parcel_editors[0].parcel(ids)] if ids else []

    def _editors_with_items(self) -> list[ParcelEditor]:
        return [editor for editor in self.parcel_editors if editor.item_ids()]

    def accept(self) -> None:
        """Refuse (and point at the mistakes) until every parcel is valid."""
        if not self.validate(show=True):
            for editor in self.parcel_editors:
                widget = editor.first_invalid_widget()
                if widget is not None:
                    self.parcels_scroll.ensureWidgetVisible(widget)
                    widget.setFocus()
                    break
            return
        super().accept()

    # ================================================================ private
    def _renumber(self) -> None:
        for number, editor in enumerate(self.parcel_editors, start=1):
            editor.set_index(number)
            editor.remove_button.setEnabled(len(self.parcel_editors) > 1)

    def _set_table_checkable(self, checkable: bool) -> None:
        self.items_table.blockSignals(True)
        for row in self._rows.values():
            flags = row.flags()
            if checkable:
                row.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable)
                row.setText(COL_SHIP, "")
            else:
                row.setFlags(flags & ~Qt.ItemFlag.ItemIsUserCheckable)
                row.setData(COL_SHIP, Qt.ItemDataRole.CheckStateRole, None)
        self.items_table.blockSignals(False)

    @Slot(bool)
    def _mode_changed(self, several: bool) -> None:
        first = self.parcel_editors[0]
        if several:
            # One parcel per ticked item to start with (the usual reason to split); the first
            # parcel keeps what was typed.
            chosen = self.checked_item_ids() or [item.item_id for item in self.items[:2]]
            self._set_table_checkable(False)
            while len(self.parcel_editors) < max(2, len(chosen)):
                self.add_parcel()
            for index, editor in enumerate(self.parcel_editors):
                for item_id, box in editor.item_boxes.items():
                    box.setChecked(index < len(chosen) and chosen[index] == item_id)
        else:
            chosen = [i for editor in self.parcel_editors for i in editor.item_ids()]
            for editor in self.parcel_editors[1:]:
                self.remove_parcel(editor)
            self._set_table_checkable(True)
            for item_id, row in self._rows.items():
                row.setCheckState(
                    COL_SHIP,
                    Qt.CheckState.Checked if item_id in chosen else Qt.CheckState.Unchecked,
                )
            for box in first.item_boxes.values():
                box.setChecked(False)
        self._sync_mode_widgets()

    def _sync_mode_widgets(self) -> None:
        several = self.is_several()
        for editor in self.parcel_editors:
            editor.set_items_visible(several)
        self.add_parcel_button.setVisible(several)
        self._parcels_changed()

    @Slot()
    def _table_changed(self, *_args: Any) -> None:
        if not self.general_error.isHidden():
            self.validate(show=True)

    @Slot()
    def _parcels_changed(self) -> None:
        """Keep every item in at most one parcel, and the table's first column in step."""
        if not self.is_several():
            return
        owner: dict[int, ParcelEditor] = {}
        for editor in self.parcel_editors:
            for item_id in editor.item_ids():
                owner.setdefault(item_id, editor)
        for editor in self.parcel_editors:
            for item_id, box in editor.item_boxes.items():
                holder = owner.get(item_id)
                taken = holder is not None and holder is not editor
                box.setEnabled(not taken)
                box.setToolTip(
                    self.tr("Already in parcel {number}").format(number=holder.number)
                    if taken and holder is not None
                    else ""
                )
            if editor.item_ids():
                editor.set_items_error("")
        for item_id, row in self._rows.items():
            holder = owner.get(item_id)
            row.setText(
                COL_SHIP,
                self.tr("Parcel {number}").format(number=holder.number) if holder else "—",
            )
        self.items_table.resizeColumnToContents(COL_SHIP)
