"""The Pack view: one order at a time at the packing table, driven by a barcode scanner.

The packer scans the packing slip (the order opens), scans each item (a unit is counted; a wrong
item or one too many is refused with a red message and the error sound), scans the carrier's
label (the tracking; a second label starts a second parcel), then Ctrl+Enter or the slip's
"confirm" barcode marks the order shipped through the outbox — and the view waits for the next
slip. Everything is done from the keyboard; large type, to be read at arm's length.

What a scan is comes from :func:`vendor_desk.sync.scan.resolve` (the same resolver as the
command line); the packing itself is :class:`vendor_desk.sync.pack_station.PackStation` and
:class:`vendor_desk.domain.packing.PackSession`. The view only shows them and routes keys.

Keys (the scan field keeps the focus throughout):

* Enter — the code typed or scanned in the field;
* Up / Down — the item cursor; ``+`` (or Space in an empty field) ticks one unit of it (items
  without a barcode), ``-`` takes one out;
* Ctrl+Enter — ship; F8 — ship without tracking; F9 — collected by the customer (each with the
  existing warnings: a second press confirms); F4 — the next carrier guessed for the label;
* Esc — back to the order list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.documents.sources import shipping_methods, variations
from vendor_desk.domain import Capabilities
from vendor_desk.domain.carriers import ShipMethod, carrier_by_key
from vendor_desk.domain.packing import PackStep
from vendor_desk.domain.statuses import RefundState
from vendor_desk.i18n import ngettext
from vendor_desk.sync.pack_station import Packing, PackStation
from vendor_desk.sync.scan import ScanKind, ScanResult, last_carriers, resolve
from vendor_desk.sync.shipping import ShipmentRefused
from vendor_desk.ui import labels
from vendor_desk.ui.fitting import ElidedLabel
from vendor_desk.ui.formatting import format_count
from vendor_desk.ui.sounds import PackSounds, Sound

#: Settings key: print the packing slip when an order opens in the Pack view (not yet printed).
PRINT_ON_OPEN_KEY = "pack/printSlipOnOpen"

#: Type sizes (points): read from arm's length at the packing table.
TITLE_PT = 22
MESSAGE_PT = 17
BODY_PT = 15
SCAN_PT = 17

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
#: The item's name in the items table (the cell's text adds the cursor mark).
_NAME_ROLE = Qt.ItemDataRole.UserRole + 1


def _font(widget: QWidget, points: int, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setPointSize(points)
    font.setBold(bold)
    widget.setFont(font)


def _label(points: int = BODY_PT, *, bold: bool = False, name: str = "") -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    _font(label, points, bold)
    return label


@dataclass(frozen=True)
class Message:
    """What the message bar says: ``kind`` is info, ok, warning or error."""

    kind: str
    text: str


class PackView(QWidget):
    """The packing station's screen for one account (see the module docs)."""

    #: Changes were queued in the outbox (entry ids): the window shows and sends them.
    queued = Signal(list)
    #: Esc: back to the order list.
    leave_requested = Signal()
    #: An order number not in the cache: the window reads it from the marketplace, then calls
    #: :meth:`fetched`.
    fetch_requested = Signal(int)
    #: Print this order's packing slip (the option "print when an order opens").
    print_slip_requested = Signal(int)
    #: A code that is not for the Pack view (an item or a tracking code with no order open):
    #: the window searches the order list for it.
    search_requested = Signal(str)
    #: The order open changed (another order, or none after shipping).
    order_changed = Signal()

    def __init__(
        self,
        cache: Any,
        account_id: int,
        settings: QSettings,
        *,
        sounds: PackSounds | None = None,
        capabilities: Callable[[], Capabilities | None] = lambda: None,
        printed: Callable[[int], bool] = lambda _order_id: False,
        station: PackStation | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("packView")
        self._cache = cache
        self._account_id = account_id
        self._settings = settings
        self.station = station or PackStation(cache, account_id)
        self.sounds = sounds or PackSounds(settings, self)
        self._capabilities = capabilities
        self._printed = printed
        #: Orders opened and not shipped yet, by id: switching back keeps what was packed.
        self._packings: dict[int, Packing] = {}
        self.current: Packing | None = None
        #: Carrier keys guessed for the current parcel's label (F4 cycles them).
        self._carriers: tuple[str, ...] = ()
        #: The items table's row under the item cursor (↑ ↓, ticked with + / -).
        self.item_row = 0
        #: A key pressed once after a warning; pressed again, it goes ahead.
        self._armed: ShipMethod | None = None
        self._waiting_for: int | None = None
        self._preferred: dict[str, str] | None = None
        self.message = Message("info", "")
        self._build()
        self._build_keys()
        self.show_idle()

    # ================================================================= building
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(10)

        header = QHBoxLayout()
        self.title = _label(TITLE_PT, bold=True, name="packTitle")
        self.title.setWordWrap(False)
        header.addWidget(self.title, 1)
        # The day's count gives way (elided, whole in its tooltip) before the title or the way
        # back are pushed out of a small window.
        self.counter = ElidedLabel()
        self.counter.setObjectName("muted")
        _font(self.counter, BODY_PT - 2)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.counter)
        self.leave_button = QPushButton(self.tr("Back to the orders (Esc)"))
        self.leave_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.leave_button.clicked.connect(self.leave_requested.emit)
        header.addWidget(self.leave_button)
        outer.addLayout(header)

        self.message_label = _label(MESSAGE_PT, bold=True, name="hint_info")
        self.message_label.setMinimumHeight(48)
        outer.addWidget(self.message_label)

        self.pages = QStackedWidget()
        self.idle_page = _label(TITLE_PT, name="packIdle")
        self.idle_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.idle_page)
        self.pages.addWidget(self._build_order_page())
        outer.addWidget(self.pages, 1)

        self.scan_edit = QLineEdit()
        self.scan_edit.setObjectName("packScan")
        _font(self.scan_edit, SCAN_PT)
        self.scan_edit.setPlaceholderText(self.tr("Scan a barcode or type a code, then Enter"))
        self.scan_edit.setClearButtonEnabled(False)
        self.scan_edit.installEventFilter(self)
        outer.addWidget(self.scan_edit)

        footer = QHBoxLayout()
        self.keys_label = _label(BODY_PT - 4, name="muted")
        self.keys_label.setText(
            self.tr(
                "Ctrl+Enter: ship · F8: ship without tracking · F9: collected by the customer · "
                "F4: other carrier · ↑ ↓ and + −: tick items by hand · Esc: back to the orders"
            )
        )
        footer.addWidget(self.keys_label, 1)
        self.sound_box = QCheckBox(self.tr("Sounds"))
        self.sound_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sound_box.setChecked(not self.sounds.muted)
        self.sound_box.toggled.connect(lambda on: self.sounds.set_muted(not on))
        footer.addWidget(self.sound_box)
        self.print_box = QCheckBox(self.tr("Print the packing slip when an order opens"))
        self.print_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.print_box.setChecked(bool(self._settings.value(PRINT_ON_OPEN_KEY, False, type=bool)))
        self.print_box.toggled.connect(lambda on: self._settings.setValue(PRINT_ON_OPEN_KEY, on))
        footer.addWidget(self.print_box)
        outer.addLayout(footer)

    def _build_order_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        # What must not be missed, across the top: the customer's note, the payment warning.
        alerts = QHBoxLayout()
        alerts.setSpacing(14)
        self.customer_note = _label(BODY_PT, name="customerNote")
        alerts.addWidget(self.customer_note, 1)
        self.payment_label = _label(BODY_PT, bold=True, name="hint_error")
        alerts.addWidget(self.payment_label, 1)
        column.addLayout(alerts)
        row = QHBoxLayout()
        row.setSpacing(14)
        column.addLayout(row, 1)

        card = QFrame()
        card.setObjectName("detailSection")
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        left = QVBoxLayout(card)
        left.setContentsMargins(14, 12, 14, 12)
        left.setSpacing(8)
        ship_title = _label(BODY_PT - 4, bold=True, name="sectionTitle")
        ship_title.setText(self.tr("Ship to"))
        left.addWidget(ship_title)
        self.ship_name = _label(TITLE_PT - 2, bold=True)
        left.addWidget(self.ship_name)
        self.ship_address = _label(BODY_PT)
        self.ship_address.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        left.addWidget(self.ship_address)
        self.ship_method = _label(BODY_PT, bold=True)
        left.addWidget(self.ship_method)
        left.addStretch(1)
        # A long note or address scrolls rather than being cut at the smallest window.
        scroll = QScrollArea()
        scroll.setObjectName("packShipTo")
        scroll.setWidget(card)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        row.addWidget(scroll, 2)

        right = QVBoxLayout()
        right.setSpacing(8)
        self.items = QTableWidget(0, 3)
        self.items.setObjectName("packItems")
        self.items.setHorizontalHeaderLabels([self.tr("Item"), self.tr("SKU"), self.tr("Packed")])
        self.items.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.items.verticalHeader().setVisible(False)
        self.items.setWordWrap(True)
        _font(self.items, BODY_PT)
        header = self.items.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        right.addWidget(self.items, 1)
        self.parcels_label = _label(BODY_PT)
        right.addWidget(self.parcels_label)
        row.addLayout(right, 3)
        return page

    def _build_keys(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            ("Ctrl+Return", lambda: self.ship(ShipMethod.TRACKED)),
            ("Ctrl+Enter", lambda: self.ship(ShipMethod.TRACKED)),
            ("F8", lambda: self.ship(ShipMethod.NO_TRACKING)),
            ("F9", lambda: self.ship(ShipMethod.PICKUP)),
            ("F4", self.next_carrier),
            ("Esc", self.leave_requested.emit),
        ):
            QShortcut(QKeySequence(keys), self, slot, context=context)

    # ================================================================= keys in the field
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scan_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._field_key(event)
        return super().eventFilter(watched, event)

    def _field_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in _ENTER and mods & Qt.KeyboardModifier.ControlModifier:
            self.ship(ShipMethod.TRACKED)
            return True
        if key in _ENTER:
            code = self.scan_edit.text().strip()
            self.scan_edit.clear()
            if code:
                self.handle_scan(code)
            return True
        empty = not self.scan_edit.text()
        if key == Qt.Key.Key_Up:
            self.move_cursor(-1)
            return True
        if key == Qt.Key.Key_Down:
            self.move_cursor(1)
            return True
        if empty and (key == Qt.Key.Key_Plus or key == Qt.Key.Key_Space):
            self.tick(+1)
            return True
        if empty and key == Qt.Key.Key_Minus:
            self.tick(-1)
            return True
        return False

    def focus_scan(self) -> None:
        self.scan_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # ================================================================= opening
    def show_idle(self, message: Message | None = None) -> None:
        """No order open: wait for the next packing slip."""
        self.current = None
        self._carriers = ()
        self._armed = None
        self.title.setText(self.tr("Pack"))
        self.idle_page.setText(
            self.tr("Scan a packing slip's barcode\nor type an order number, then Enter")
        )
        self.pages.setCurrentIndex(0)
        self.refresh_counter()
        self.say(message or Message("info", self.tr("Ready: scan the next packing slip.")))
        self.order_changed.emit()

    def open_order(self, order_id: int) -> bool:
        """Show ``order_id`` to pack (from the cache; what was packed of it before is kept).
        False when the cache does not hold it."""
        packing = self._packings.get(order_id) or self.station.open(order_id)
        if packing is None:
            return False
        self._packings[order_id] = packing
        if self.current is None or self.current.order.id != order_id:
            self.item_row = 0
        self.current = packing
        self._armed = None
        self._carriers = ()
        self._waiting_for = None
        self.pages.setCurrentIndex(1)
        self._show_order()
        self.order_changed.emit()
        self.sounds.play(Sound.SCAN)
        session = packing.session
        if not packing.may_ship.allowed:
            reasons = " ".join(labels.rule_reason(r) for r in packing.may_ship.reasons)
            self.say(Message("error", self.tr("Do not ship: {reasons}").format(reasons=reasons)))
        elif session.nothing_to_pack:
            self.say(Message("warning", self.tr("Nothing to pack in this order.")))
        elif session.units_packed:
            self.say(Message("info", self._progress_text()))
        else:
            self.say(
                Message(
                    "info",
                    self.tr("Order #{number} — scan each item, then the carrier's label.").format(
                        number=packing.order.number
                    ),
                )
            )
        if self.print_box.isChecked() and not self._printed(order_id):
            self.print_slip_requested.emit(order_id)
        self.focus_scan()
        return True

    def fetched(self, order_id: int, found: bool) -> None:
        """The window read ``order_id`` from the marketplace (:attr:`fetch_requested`)."""
        if self._waiting_for != order_id:
            return
        self._waiting_for = None
        if found and self.open_order(order_id):
            return
        self._error(
            self.tr(
                "Order #{number} is not one of your orders on the marketplace. Check the number."
            ).format(number=order_id)
        )

    def fetch_failed(self, order_id: int, why: str) -> None:
        """Reading ``order_id`` from the marketplace failed (offline …)."""
        if self._waiting_for != order_id:
            return
        self._waiting_for = None
        self._error(
            self.tr(
                "Order #{number} is not on this computer yet and the marketplace could not be "
                "reached ({why}). Sync when back online, then scan it again."
            ).format(number=order_id, why=why)
        )

    # ================================================================= scans
    def resolve(self, code: str) -> ScanResult:
        order = self.current.order if self.current is not None else None
        if self._preferred is None:
            self._preferred = last_carriers(self._cache, self._account_id)
        return resolve(
            self._cache,
            self._account_id,
            code,
            open_order=order,
            preferred_carriers=self._preferred,
        )

    @Slot(str)
    def handle_scan(self, code: str) -> None:
        """A code scanned or typed in (see the module docs for what each kind does)."""
        code = code.strip()
        if not code:
            return
        result = self.resolve(code)
        if result.kind is not ScanKind.CONFIRM:
            self._armed = None
        self.handle_result(result)

    def handle_result(self, result: ScanResult) -> None:
        kind = result.kind
        if kind is ScanKind.ORDER:
            self._scan_order(result)
        elif kind is ScanKind.CONFIRM:
            self._scan_confirm(result)
        elif kind is ScanKind.ITEM:
            self._scan_item(result)
        elif kind is ScanKind.TRACKING:
            self._scan_tracking(result)
        elif kind is ScanKind.MISSCAN:
            self._error(
                self.tr(
                    "{code} looks like a tracking code but its check digit is wrong: a mis-scan. "
                    "Scan it again."
                ).format(code=result.code)
            )
        else:
            self._error(
                self.tr("Unknown code {code}: not an order, an item or a tracking code.").format(
                    code=result.code
                )
            )

    def _scan_order(self, result: ScanResult) -> None:
        assert result.order_id is not None
        if self.current is not None and self.current.order.id == result.order_id:
            self.sounds.play(Sound.SCAN)
            self.say(Message("info", self._progress_text()))
            return
        if result.in_cache and self.open_order(result.order_id):
            return
        self._waiting_for = result.order_id
        self.current = None
        self.order_changed.emit()
        self.pages.setCurrentIndex(0)
        self.title.setText(self.tr("Pack"))
        self.idle_page.setText(self.tr("Order #{number}…").format(number=result.order_id))
        self.say(
            Message(
                "info",
                self.tr("Order #{number} is new here: reading it from the marketplace…").format(
                    number=result.order_id
                ),
            )
        )
        self.fetch_requested.emit(result.order_id)

    def _scan_confirm(self, result: ScanResult) -> None:
        if self.current is not None and self.current.order.id == result.order_id:
            self.ship(ShipMethod.TRACKED)
            return
        if self.current is None and result.order_id is not None:
            self._scan_order(result)
            return
        other = self._number_of(result.order_id)
        self._error(
            self.tr(
                "This confirm barcode is for order #{other}, but order #{number} is open. "
                "Scan order #{other}'s slip first."
            ).format(other=other, number=self.current.order.number if self.current else "")
        )

    def _number_of(self, order_id: int | None) -> str:
        packing = self._packings.get(order_id or 0)
        return packing.order.number if packing is not None else str(order_id or "")

    def _scan_item(self, result: ScanResult) -> None:
        packing = self.current
        if packing is None:
            self.search_requested.emit(result.code)
            return
        if not result.item_ids:
            self._error(
                self.tr("{code} is not in order #{number}: put it back.").format(
                    code=result.code, number=packing.order.number
                )
            )
            return
        session = packing.session
        # Several lines can share a code (the same product twice): the first with room left.
        item_id = next(
            (i for i in result.item_ids if session.packed(i) < session.wanted.get(i, 0)),
            result.item_ids[0],
        )
        self._count(item_id)

    def _count(self, item_id: int) -> None:
        packing = self.current
        assert packing is not None
        step = packing.session.scan_item(item_id)
        item = packing.order.item(item_id)
        name = item.name if item is not None else str(item_id)
        self._select_item(item_id)
        if step is PackStep.TOO_MANY:
            self._error(
                self.tr("One too many: every {name} of this order is packed already.").format(
                    name=name
                )
            )
        elif step is PackStep.NOTHING_TO_PACK:
            self._error(self.tr("{name} needs no parcel: nothing to pack.").format(name=name))
        elif step is PackStep.NOT_IN_ORDER:
            self._error(
                self.tr("{name} is not to pack in this order (shipped or refunded).").format(
                    name=name
                )
            )
        elif step is PackStep.ALL_PACKED:
            self._show_order()
            self.sounds.play(Sound.PACKED)
            tracked = any(p.tracked for p in packing.session.parcels_packed)
            self.say(
                Message(
                    "ok",
                    self.tr("All packed. Press Ctrl+Enter to ship.")
                    if tracked
                    else self.tr("All packed. Scan the carrier's label, then Ctrl+Enter."),
                )
            )
        else:
            self._show_order()
            self.sounds.play(Sound.SCAN)
            self.say(Message("info", self._progress_text(name)))

    def _scan_tracking(self, result: ScanResult) -> None:
        packing = self.current
        if packing is None:
            self.search_requested.emit(result.code)
            return
        for number, parcel in enumerate(packing.session.parcels_packed, start=1):
            if parcel.code == result.code:
                self.sounds.play(Sound.SCAN)
                self.say(
                    Message(
                        "info",
                        self.tr("This label is parcel {n}'s already.").format(n=number),
                    )
                )
                return
        carriers = result.carriers or ((result.carrier,) if result.carrier else ("other",))
        number = self.station.track(packing, result.code, carriers[0])
        self._carriers = tuple(carriers)
        self._show_order()
        self.sounds.play(Sound.SCAN)
        carrier = carrier_by_key(carriers[0])
        if result.recognised:
            text = self.tr("Parcel {n}: {carrier} {code}.").format(
                n=number, carrier=labels.carrier_label(carrier), code=result.code
            )
        else:
            text = self.tr(
                "Parcel {n}: {code} — the carrier is not recognised from the code, "
                "{carrier} assumed."
            ).format(n=number, carrier=labels.carrier_label(carrier), code=result.code)
        if len(carriers) > 1:
            text += " " + self.tr("F4: another carrier.")
        if packing.session.all_packed:
            text += " " + self.tr("Ctrl+Enter to ship.")
        kind = "ok" if packing.session.all_packed else "info"
        self.say(Message(kind if result.recognised else "warning", text))

    # ================================================================= keys
    def move_cursor(self, step: int) -> None:
        """↑ / ↓: the item cursor (the row marked ▶) moves."""
        rows = self.items.rowCount()
        if not rows:
            return
        self._set_cursor(max(0, min(rows - 1, self.item_row + step)))

    def tick(self, step: int) -> None:
        """``+`` / ``-``: one unit of the item under the cursor in or out (no barcode)."""
        packing = self.current
        if packing is None:
            return
        item_id = self._item_at(self.item_row)
        if item_id is None:
            return
        self._armed = None
        if step > 0:
            self._count(item_id)
            return
        if packing.session.unscan_item(item_id):
            self._show_order()
            self._select_item(item_id)
            self.say(Message("info", self._progress_text()))

    def next_carrier(self) -> None:
        """F4: the current label belongs to the next carrier guessed."""
        packing = self.current
        if packing is None or not packing.session.current.tracked or len(self._carriers) < 2:
            return
        carriers = self._carriers
        now = packing.session.current.carrier
        index = carriers.index(now) if now in carriers else -1
        chosen = carriers[(index + 1) % len(carriers)]
        self.station.retrack(packing, chosen)
        self._show_order()
        self.say(
            Message(
                "info",
                self.tr("Carrier: {carrier}.").format(
                    carrier=labels.carrier_label(carrier_by_key(chosen))
                ),
            )
        )

    # ================================================================= shipping
    def ship(self, method: ShipMethod = ShipMethod.TRACKED) -> bool:
        """Ctrl+Enter (tracked), F8 (no tracking), F9 (collected): queue the shipment of what
        was packed. A warning first asks for the same key once more."""
        packing = self.current
        if packing is None:
            self._error(self.tr("No order open: scan a packing slip first."))
            return False
        session = packing.session
        if not packing.may_ship.allowed:
            reasons = " ".join(labels.rule_reason(r) for r in packing.may_ship.reasons)
            self._error(self.tr("Not shipped: {reasons}").format(reasons=reasons))
            return False
        if session.nothing_to_pack:
            self._error(self.tr("Nothing to pack in this order: nothing to ship."))
            return False
        tracked = any(p.tracked for p in session.parcels_packed)
        if method is ShipMethod.TRACKED and not tracked:
            self._error(
                self.tr(
                    "No tracking yet: scan the carrier's label. F8: ship without tracking · "
                    "F9: collected by the customer."
                )
            )
            return False
        key = {
            ShipMethod.TRACKED: self.tr("Ctrl+Enter"),
            ShipMethod.NO_TRACKING: "F8",
            ShipMethod.PICKUP: "F9",
        }[method]
        warnings: list[str] = []
        if method is ShipMethod.NO_TRACKING:
            warnings.append(labels.no_tracking_warning())
        elif method is ShipMethod.PICKUP:
            warnings.append(self.tr("The customer collects the order?"))
        unpacked_too = session.units_packed == 0
        missing = session.missing()
        if missing and not unpacked_too:
            warnings.append(
                self.tr("Not packed: {items}. They stay to ship.").format(
                    items=self._names(missing)
                )
            )
        elif missing and method is ShipMethod.TRACKED:
            warnings.append(self.tr("No item was scanned: every item goes in this parcel."))
        if warnings and self._armed is not method:
            self._armed = method
            self.sounds.play(Sound.ERROR)
            self.say(
                Message(
                    "warning",
                    " ".join(warnings)
                    + " "
                    + self.tr("Press {key} again to ship.").format(key=key),
                )
            )
            return False
        self._armed = None
        try:
            result = self.station.ship(
                packing, method, capabilities=self._capabilities(), unpacked_too=unpacked_too
            )
        except ShipmentRefused as refused:
            self._error(
                self.tr("Nothing was shipped: {why}").format(
                    why=" ".join(labels.ship_problem_text(p) for p in refused.problems)
                )
            )
            return False
        self._packings.pop(packing.order.id, None)
        self._preferred = None
        self.sounds.play(Sound.SHIPPED)
        self.queued.emit(list(result.entry_ids))
        self.show_idle(
            Message(
                "ok",
                self.tr("Order #{number} shipped — scan the next packing slip.").format(
                    number=packing.order.number
                ),
            )
        )
        return True

    # ================================================================= showing
    def say(self, message: Message) -> None:
        self.message = message
        self.message_label.setObjectName(f"hint_{message.kind}")
        self.message_label.setText(message.text)
        self.message_label.style().unpolish(self.message_label)
        self.message_label.style().polish(self.message_label)

    def _error(self, text: str) -> None:
        self.sounds.play(Sound.ERROR)
        self.say(Message("error", text))

    def refresh_counter(self) -> None:
        day = self.station.today()
        if not day.orders:
            self.counter.setText(self.tr("Today: no order packed yet"))
            return
        text = ngettext("Today: {count} packed", "Today: {count} packed", day.orders).format(
            count=format_count(day.orders)
        )
        if day.median is not None:
            text += " · " + self.tr("{time} per order (median)").format(
                time=self._duration(day.median)
            )
        self.counter.setText(text)

    def _duration(self, span: timedelta) -> str:
        minutes, seconds = divmod(round(span.total_seconds()), 60)
        if not minutes:
            return self.tr("{s} s").format(s=seconds)
        return self.tr("{m} min {s:02d} s").format(m=minutes, s=seconds)

    def _progress_text(self, name: str = "") -> str:
        assert self.current is not None
        session = self.current.session
        packed = ngettext(
            "{packed} of {wanted} unit packed.",
            "{packed} of {wanted} units packed.",
            session.units_wanted,
        ).format(packed=session.units_packed, wanted=session.units_wanted)
        return f"{name} ✓ {packed}" if name else packed

    def _names(self, units: dict[int, int]) -> str:
        assert self.current is not None
        order = self.current.order
        parts = []
        for item_id, count in units.items():
            item = order.item(item_id)
            name = item.name if item is not None else str(item_id)
            parts.append(f"{name} ×{count}" if count > 1 else name)
        return ", ".join(parts)

    def _item_at(self, row: int) -> int | None:
        cell = self.items.item(row, 0)
        return int(cell.data(Qt.ItemDataRole.UserRole)) if cell is not None else None

    def _select_item(self, item_id: int) -> None:
        for row in range(self.items.rowCount()):
            if self._item_at(row) == item_id:
                self._set_cursor(row)
                return

    def _set_cursor(self, row: int) -> None:
        """Mark ``row`` as the item cursor's (a ▶ before its name; no selection colour, so a
        packed row stays green)."""
        self.item_row = row
        for each in range(self.items.rowCount()):
            cell = self.items.item(each, 0)
            if cell is None:
                continue
            name = str(cell.data(_NAME_ROLE))
            cell.setText(("▶ " if each == row else "    ") + name)
            font = QFont(self.items.font())
            font.setBold(each == row)
            cell.setFont(font)

    def _show_order(self) -> None:
        packing = self.current
        assert packing is not None
        order = packing.order
        status = labels.status_label(order.vendor_status.or_else(order.main_status).slug)
        self.title.setText(
            self.tr("Order #{number} · {status}").format(number=order.number, status=status)
        )
        address = order.shipping if not order.shipping.is_empty else order.billing
        self.ship_name.setText(address.name or order.customer_name)
        lines = address.lines()
        self.ship_address.setText(
            "\n".join(lines[1:] if lines and lines[0] == address.name else lines)
        )
        methods = shipping_methods(order.raw)
        self.ship_method.setText(" · ".join(methods))
        self.ship_method.setVisible(bool(methods))
        note = order.customer_note.strip()
        self.customer_note.setText(
            self.tr("Customer's note: {note}").format(note=note) if note else ""
        )
        self.customer_note.setVisible(bool(note))
        warnings = [labels.rule_reason(w) for w in packing.payment_warnings]
        self.payment_label.setText("\n".join(warnings))
        self.payment_label.setVisible(bool(warnings))
        self._fill_items()
        self._fill_parcels()

    def _fill_items(self) -> None:
        packing = self.current
        assert packing is not None
        order, session = packing.order, packing.session
        meta = variations(order.raw)
        self.items.setRowCount(len(order.items))
        muted = self.palette().placeholderText().color()
        for row, item in enumerate(order.items):
            name = item.name
            if item.item_id in meta:
                name += "\n" + ", ".join(f"{k}: {v}" for k, v in meta[item.item_id])
            wanted = session.wanted.get(item.item_id)
            if wanted is not None:
                packed = session.packed(item.item_id)
                state = f"{packed} / {wanted}"
                done = packed >= wanted
            elif item.shippable is False:
                state, done = self.tr("nothing to pack"), None
            elif item.refund_state == RefundState.REFUNDED:
                state, done = self.tr("refunded"), None
            else:
                state, done = self.tr("shipped"), None
            cells = [name, item.sku or "—", state]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.item_id)
                cell.setData(_NAME_ROLE, text)
                if column == 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    font = QFont(self.items.font())
                    font.setBold(True)
                    cell.setFont(font)
                if done is None:
                    cell.setForeground(muted)
                elif done:
                    cell.setBackground(QColor("#d3f9d8"))
                    cell.setForeground(QColor("#1b5e20"))
                self.items.setItem(row, column, cell)
        self._set_cursor(min(self.item_row, max(0, len(order.items) - 1)))
        self.items.resizeRowsToContents()

    def _fill_parcels(self) -> None:
        packing = self.current
        assert packing is not None
        lines = []
        parcels = packing.session.parcels_packed
        for number, parcel in enumerate(parcels, start=1):
            units = sum(parcel.units.values())
            what = ngettext("{n} unit", "{n} units", units).format(n=units)
            if parcel.tracked:
                carrier = labels.carrier_label(carrier_by_key(parcel.carrier))
                lines.append(
                    self.tr("Parcel {n}: {carrier} {code} · {what}").format(
                        n=number, carrier=carrier, code=parcel.code, what=what
                    )
                )
            elif units or len(parcels) == 1:
                lines.append(
                    self.tr("Parcel {n}: no label scanned yet · {what}").format(n=number, what=what)
                )
        self.parcels_label.setText("\n".join(lines))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh_counter()
        self.focus_scan()


__all__ = ["PRINT_ON_OPEN_KEY", "Message", "PackView"]
