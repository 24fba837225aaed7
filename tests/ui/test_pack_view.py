"""The packing station in the main window, driven like a packer drives it: a scripted barcode
scanner types each code at scanner speed then Enter, wherever the focus is, and the packer's
keys do the rest — no mouse event at all. Orders are checked out on the simulator over real
HTTP, cached by a real first sync, and shipped through the real outbox."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from vendor_desk.domain.tracking_codes import s10_check
from vendor_desk.sandbox import checkout
from vendor_desk.sandbox.model import Address
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync.outbox import Outbox, OutboxState
from vendor_desk.ui.main_window import MainWindow
from vendor_desk.ui.pack_mode import PackMode
from vendor_desk.ui.sounds import Sound

from .conftest import vendor

#: Milliseconds between a scanner's characters (USB scanners: 1–15 ms).
SCANNER_MS = 4


def s10(serial: str, country: str = "FR", service: str = "LA") -> str:
    """A UPU S10 code with its check digit (La Poste international for FR)."""
    return f"{service}{serial}{s10_check(serial)}{country}"


@dataclass(frozen=True)
class Line:
    item_id: int
    sku: str
    quantity: int
    virtual: bool


@dataclass(frozen=True)
class Placed:
    order_id: int
    lines: tuple[Line, ...]

    def shippable(self) -> list[Line]:
        return [line for line in self.lines if not line.virtual]


def place(sim: Simulator, quantities: list[int], virtual: int = 0, offset: int = 0) -> Placed:
    """Check out an order of the demo vendor's simple products (``quantities`` units of each
    shippable one, then ``virtual`` virtual ones), shipped to Paris."""
    with sim.state.lock:
        state = sim.state
        login = vendor(sim)["login"]
        owner = state.user_by_login(login)
        assert owner is not None
        products = sorted(state.products.values(), key=lambda p: p.id)

        def pick(is_virtual: bool, count: int) -> list[Any]:
            found = [
                p
                for p in products
                if p.vendor_id == owner.id
                and p.virtual == is_virtual
                and p.type == "simple"
                and p.sku
                and (p.stock is None or p.stock > 3)
            ]
            assert len(found) >= count, "the shop has enough such products"
            return [found[(offset + n) % len(found)] for n in range(count)]

        lines = [
            (p, q, None) for p, q in zip(pick(False, len(quantities)), quantities, strict=True)
        ]
        lines += [(p, 1, None) for p in pick(True, virtual)]
        customer = next(u for u in state.users.values() if u.role == "customer")
        address = Address(
            first_name="Ana",
            last_name="Lopez",
            address_1="12 rue de la Roquette",
            city="Paris",
            postcode="75011",
            country="FR",
            email="ana@example.com",
        )
        order = checkout.place_order(
            state,
            customer,
            lines,
            status="processing",
            billing=address,
            shipping=address,
            shipping_cost=Decimal("5"),
        )
        virtual_ids = {p.id for p, _q, _v in lines if p.virtual}
        found = [
            Line(item.id, item.sku, item.quantity, item.product_id in virtual_ids)
            for item in order.items
        ]
        order_id = order.id
    return Placed(order_id, tuple(found))


@pytest.fixture(scope="module")
def placed(sim: Simulator) -> dict[str, Placed]:
    """Orders placed before the window's cache is synced (so they are cached)."""
    return {
        "single": place(sim, [1, 1]),
        "parcels": place(sim, [1, 1, 1], offset=2),
        "units": place(sim, [2], virtual=1, offset=1),
        "offline": place(sim, [1], offset=3),
        "confirm": place(sim, [1], offset=4),
        "keys": place(sim, [1, 1], offset=5),
    }


@pytest.fixture
def window(
    placed: dict[str, Placed], synced: Any, settings: Any, qtbot: Any
) -> Iterator[MainWindow]:
    cache, connection = synced
    main = MainWindow(cache, connection, settings, sync_interval_ms=0, auto_sync=False)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    main.activateWindow()
    main.table.setFocus()
    clicks = MouseWatch()
    QApplication.instance().installEventFilter(clicks)
    yield main
    QApplication.instance().removeEventFilter(clicks)
    assert clicks.count == 0, "the packing station is driven without the mouse"
    main.shutdown()


class MouseWatch(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self.count += 1
        return False


def pack(window: MainWindow) -> PackMode:
    assert window.pack is not None
    return window.pack


def keys_target(window: MainWindow) -> QWidget:
    """Where the keyboard types: the focused widget of the window."""
    return window.focusWidget() or window


def scan(window: MainWindow, code: str) -> None:
    """A USB scanner: the code's characters a few milliseconds apart, then Enter."""
    for character in code:
        QTest.keyClick(keys_target(window), character, Qt.KeyboardModifier.NoModifier, SCANNER_MS)
    QTest.keyClick(
        keys_target(window), Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, SCANNER_MS
    )


def key(
    window: MainWindow, which: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(keys_target(window), which, mods)


def ctrl_enter(window: MainWindow) -> None:
    key(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def packed_cell(window: MainWindow, item_id: int) -> str:
    items = pack(window).view.items
    for row in range(items.rowCount()):
        if items.item(row, 0).data(Qt.ItemDataRole.UserRole) == item_id:
            return items.item(row, 2).text()
    raise AssertionError(f"item {item_id} not shown")


def tracking_on_marketplace(sim: Simulator, order_id: int) -> dict[int, dict[str, str]]:
    return {
        item["id"]: dict(item["meta"])
        for item in sim.order_snapshot(order_id)["items"]
        if dict(item["meta"]).get("wcfm_tracking_code")
    }


def marketplace_shipped(sim: Simulator, order: Placed, qtbot: Any) -> dict[int, dict[str, str]]:
    ids = {line.item_id for line in order.shippable()}
    qtbot.waitUntil(lambda: set(tracking_on_marketplace(sim, order.order_id)) == ids, timeout=15000)
    return tracking_on_marketplace(sim, order.order_id)


# ================================================================================ the flows
def test_single_parcel_scanned_packed_and_shipped_with_the_keyboard_only(
    window: MainWindow, placed: dict[str, Placed], sim: Simulator, qtbot: Any
) -> None:
    order = placed["single"]
    mode = pack(window)
    view = mode.view
    scan(window, str(order.order_id))
    assert mode.active, "an order number scanned in the list opens the Pack view"
    assert window.focusWidget() is view.scan_edit
    assert f"#{order.order_id}" in view.title.text()
    assert "Ana Lopez" in view.ship_name.text() and "Paris" in view.ship_address.text()
    first, second = order.shippable()
    assert packed_cell(window, first.item_id) == "0 / 1"
    scan(window, first.sku)
    assert packed_cell(window, first.item_id) == "1 / 1"
    assert view.sounds.played[-1] is Sound.SCAN
    scan(window, second.sku.lower())  # a scanner in lower case: still the item
    assert view.message.kind == "ok" and "All packed" in view.message.text
    assert view.sounds.played[-1] is Sound.PACKED
    code = s10("12345678")
    scan(window, code)
    assert "Colissimo" in view.parcels_label.text() and code in view.parcels_label.text()
    ctrl_enter(window)
    assert view.sounds.played[-1] is Sound.SHIPPED
    assert "shipped" in view.message.text and view.current is None
    shipped = marketplace_shipped(sim, order, qtbot)
    for meta in shipped.values():
        assert meta["wcfm_tracking_code"] == code
        assert "laposte.fr" in meta["wcfm_tracking_url"] and code in meta["wcfm_tracking_url"]
    assert "1 packed" in view.counter.text()


def test_two_labels_make_two_parcels(
    window: MainWindow, placed: dict[str, Placed], sim: Simulator, qtbot: Any
) -> None:
    order = placed["parcels"]
    view = pack(window).view
    one, two, three = order.shippable()
    first_code, second_code = s10("20000001"), s10("20000002")
    scan(window, f"#{order.order_id}")
    scan(window, one.sku)
    scan(window, first_code)
    scan(window, two.sku)
    scan(window, second_code)
    assert "Parcel 2" in view.message.text
    scan(window, three.sku)
    ctrl_enter(window)
    shipped = marketplace_shipped(sim, order, qtbot)
    # The items scanned up to the second label are in the first parcel; those after it in the
    # second.
    assert shipped[one.item_id]["wcfm_tracking_code"] == first_code
    assert shipped[two.item_id]["wcfm_tracking_code"] == first_code
    assert shipped[three.item_id]["wcfm_tracking_code"] == second_code


def test_wrong_item_one_too_many_and_a_virtual_item(
    window: MainWindow, placed: dict[str, Placed]
) -> None:
    order = placed["units"]
    other = placed["single"].shippable()[0]
    view = pack(window).view
    (line,) = order.shippable()
    (virtual,) = [item for item in order.lines if item.virtual]
    scan(window, str(order.order_id))
    assert packed_cell(window, virtual.item_id) == "nothing to pack"
    scan(window, other.sku)
    assert view.message.kind == "error" and "not in order" in view.message.text
    assert view.sounds.played[-1] is Sound.ERROR
    scan(window, line.sku)
    assert packed_cell(window, line.item_id) == "1 / 2"
    scan(window, line.sku)
    assert packed_cell(window, line.item_id) == "2 / 2"
    assert "All packed" in view.message.text, "the virtual item is not waited for"
    scan(window, line.sku)
    assert view.message.kind == "error" and "One too many" in view.message.text
    assert packed_cell(window, line.item_id) == "2 / 2"
    assert view.sounds.played[-1] is Sound.ERROR


def test_unknown_code_and_mis_scan(window: MainWindow, placed: dict[str, Placed]) -> None:
    mode = pack(window)
    scan(window, "QQ-NOT-A-CODE-42")
    assert not mode.active
    assert "Unknown code" in window.statusBar().currentMessage()
    assert mode.sounds.played[-1] is Sound.ERROR
    scan(window, str(placed["single"].order_id))
    good = s10("87654321")
    bad = good[:5] + str((int(good[5]) + 1) % 10) + good[6:]
    scan(window, bad)
    assert mode.view.message.kind == "error" and "mis-scan" in mode.view.message.text
    assert mode.view.current is not None and not mode.view.current.session.current.tracked
    scan(window, "NOPE-XYZ")
    assert "Unknown code" in mode.view.message.text
    # A label in no format known here is taken, with the carrier assumed said in orange.
    scan(window, "DESK2-0019-4")
    assert mode.view.message.kind == "warning" and "not recognised" in mode.view.message.text
    assert "DESK2-0019-4" in mode.view.parcels_label.text()


def test_a_new_order_not_in_the_cache_is_read_from_the_marketplace(
    window: MainWindow, sim: Simulator, qtbot: Any
) -> None:
    newer = place(sim, [1], offset=6)
    view = pack(window).view
    assert window.pack is not None and window.pack.view.station.open(newer.order_id) is None
    scan(window, str(newer.order_id))
    assert "reading it from the marketplace" in view.message.text
    qtbot.waitUntil(lambda: view.current is not None, timeout=15000)
    assert view.current is not None and view.current.order.id == newer.order_id
    scan(window, "999999")
    qtbot.waitUntil(lambda: view.message.kind == "error", timeout=15000)
    assert "not one of your orders" in view.message.text


def test_packed_offline_then_sent_when_back_online(
    window: MainWindow, placed: dict[str, Placed], sim: Simulator, qtbot: Any
) -> None:
    order = placed["offline"]
    view = pack(window).view
    fault = sim.fault_injector.add("reset", times=None)
    try:
        scan(window, str(order.order_id))
        scan(window, order.shippable()[0].sku)
        scan(window, s10("30000003"))
        ctrl_enter(window)
        assert "shipped" in view.message.text
        qtbot.waitUntil(lambda: window.offline, timeout=15000)
        assert not tracking_on_marketplace(sim, order.order_id)
    finally:
        sim.fault_injector.remove(fault.id)
    window.send_now()
    marketplace_shipped(sim, order, qtbot)


def test_confirm_barcode_ships_and_no_label_is_refused(
    window: MainWindow, placed: dict[str, Placed], sim: Simulator, qtbot: Any
) -> None:
    from vendor_desk.sync.scan import confirm_code

    order = placed["confirm"]
    view = pack(window).view
    scan(window, str(order.order_id))
    scan(window, order.shippable()[0].sku)
    scan(window, confirm_code(str(order.order_id)))
    assert view.message.kind == "error" and "No tracking" in view.message.text
    assert view.current is not None
    scan(window, s10("40000004"))
    scan(window, confirm_code(str(order.order_id)))
    assert view.current is None and "shipped" in view.message.text
    marketplace_shipped(sim, order, qtbot)


def test_keys_tick_items_ship_without_tracking_and_leave(
    window: MainWindow, placed: dict[str, Placed], sim: Simulator, qtbot: Any
) -> None:
    order = placed["keys"]
    mode = pack(window)
    view = mode.view
    row = window.model.row_of_order(order.order_id)
    if row is None:
        window.open_order(order.order_id)
        row = window.model.row_of_order(order.order_id)
    assert row is not None
    window.select_row(row)
    key(window, Qt.Key.Key_F2)
    assert mode.active and view.current is not None and view.current.order.id == order.order_id
    first, second = order.shippable()
    key(window, Qt.Key.Key_Plus)  # the first item, ticked by hand (no barcode)
    key(window, Qt.Key.Key_Down)
    key(window, Qt.Key.Key_Plus)
    assert packed_cell(window, first.item_id) == "1 / 1"
    assert packed_cell(window, second.item_id) == "1 / 1"
    key(window, Qt.Key.Key_Minus)
    assert packed_cell(window, second.item_id) == "0 / 1"
    key(window, Qt.Key.Key_Plus)
    key(window, Qt.Key.Key_F8)
    assert view.message.kind == "warning" and "F8 again" in view.message.text
    assert view.current is not None, "the first F8 only warns"
    key(window, Qt.Key.Key_F8)
    assert view.current is None
    outbox = Outbox(window.cache, window.pack.view.station.account_id, recover_sending=False)
    entries = outbox.entries(order_id=order.order_id)
    assert [e.kind for e in entries] == ["local_shipment"]
    qtbot.waitUntil(
        lambda: outbox.get(entries[0].id).state in (OutboxState.SENT, OutboxState.LOCAL),
        timeout=15000,
    )
    key(window, Qt.Key.Key_Escape)
    assert not mode.active


def test_item_scanned_with_no_order_open_is_searched(
    window: MainWindow, placed: dict[str, Placed]
) -> None:
    line = placed["single"].shippable()[0]
    mode = pack(window)
    scan(window, line.sku)
    assert not mode.active
    assert window.search_edit.text() == line.sku
    assert window.model.rowCount() >= 1


def test_a_scan_into_the_search_box_opens_the_order(
    window: MainWindow, placed: dict[str, Placed]
) -> None:
    order = placed["units"]
    window.focus_search()
    scan(window, str(order.order_id))
    mode = pack(window)
    assert mode.active and mode.view.current is not None
    assert mode.view.current.order.id == order.order_id
    assert window.search_edit.text() == "", "the scan is taken out of the search box"


def test_the_order_menus_shortcuts_act_on_the_order_in_the_pack_view(
    window: MainWindow, placed: dict[str, Placed]
) -> None:
    """Actions always apply to the order shown: in the Pack view, its order (not the list's
    selection); with no order open there, none."""
    order = placed["units"]
    window.select_row(0)
    assert window.order_actions.note_action.isEnabled()
    seen: list[str] = []

    def answer(dialog: Any) -> bool:
        seen.append(dialog.windowTitle())
        return False

    window.order_actions.run_dialog = answer
    scan(window, str(order.order_id))
    key(
        window,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(seen) == 1 and f"#{order.order_id}" in seen[0]
    pack(window).view.show_idle()
    assert not window.order_actions.note_action.isEnabled()
    key(window, Qt.Key.Key_Escape)
    assert window.order_actions.note_action.isEnabled()
