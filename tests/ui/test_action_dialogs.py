"""The action dialogs (tracking, note, complete, message) over real orders cached from the
simulator: presets build URLs, hand-typed URLs stick, parcels, mistakes shown next to fields."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from vendor_desk.cache.queries import OrderDetail, order_detail, order_ids
from vendor_desk.domain import Capabilities, NoteKind, Order
from vendor_desk.domain.carriers import ShipMethod, carrier_by_key
from vendor_desk.sandbox.server import Simulator
from vendor_desk.ui.complete_dialog import CompleteDialog
from vendor_desk.ui.message_dialog import MessageDialog
from vendor_desk.ui.note_dialog import NoteDialog
from vendor_desk.ui.tracking_dialog import TrackingDialog

FREE = Capabilities(jwt_available=True, ultimate=False)


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    """A generated shop (another seed than the other UI tests') holding every case below."""
    simulator = Simulator(dataset="generated", orders=60, seed=4).start()
    yield simulator
    simulator.stop()


def _details(synced: Any) -> list[OrderDetail]:
    cache, connection = synced
    with cache.session() as session:
        found = [
            order_detail(session, connection.account_id, order_id)
            for order_id in sorted(order_ids(session, connection.account_id))
        ]
    return [detail for detail in found if detail is not None]


@pytest.fixture
def find_order(synced: Any) -> Callable[[Callable[[Order], bool]], Order]:
    details = _details(synced)

    def find(predicate: Callable[[Order], bool]) -> Order:
        for detail in details:
            if predicate(detail.order):
                return detail.order
        pytest.fail("the generated shop has no such order")

    return find


def _untracked(order: Order) -> list[Any]:
    return [i for i in order.items if i.shippable is True and not i.has_tracking]


def _shippable(order: Order) -> bool:
    return order.vendor_status.slug == "processing" and bool(_untracked(order))


def _dialog(qtbot: Any, order: Order, **kwargs: Any) -> TrackingDialog:
    dialog = TrackingDialog(order, order.shipping.country, order.shipping.postcode, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_carrier_preset_builds_url_and_hand_typed_url_sticks(qtbot: Any, find_order: Any) -> None:
    order = find_order(lambda o: o.vendor_status.slug == "processing" and len(_untracked(o)) >= 1)
    dialog = _dialog(qtbot, order)
    editor = dialog.parcel_editors[0]
    editor.set_carrier("ups")
    qtbot.keyClicks(editor.code_edit, " 1z 999aa1 0123456784 ")
    assert editor.url_edit.text() == "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    editor.code_edit.editingFinished.emit()
    assert editor.code_edit.text() == "1Z999AA10123456784"  # trimmed and normalised
    # Another preset rebuilds the URL while the vendor has not touched it.
    editor.set_carrier("dhl")
    assert editor.url_edit.text().startswith("https://www.dhl.com/")
    assert editor.url_edit.text().endswith("tracking-id=1Z999AA10123456784")
    # A hand-typed URL sticks, whatever the code or carrier does next.
    editor.url_edit.selectAll()
    qtbot.keyClicks(editor.url_edit, "https://track.example/p?id=1&x=%20#frag")
    assert editor.url_typed_by_hand
    qtbot.keyClicks(editor.code_edit, "9")
    editor.set_carrier("ups")
    assert editor.url_edit.text() == "https://track.example/p?id=1&x=%20#frag"
    # Emptying it hands it back to the preset.
    editor.url_edit.selectAll()
    qtbot.keyClick(editor.url_edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor.code_edit, "8")
    assert editor.url_edit.text() == "https://www.ups.com/track?tracknum=1Z999AA1012345678498"
    parcels = dialog.parcels()
    assert len(parcels) == 1 and parcels[0].carrier == "ups"
    assert parcels[0].item_ids == tuple(i.item_id for i in _untracked(order))
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.ok_button.click()


def test_presets_for_the_ship_to_country_come_first(qtbot: Any, find_order: Any) -> None:
    order = find_order(_shippable)
    dialog = TrackingDialog(order, "GB", "LL61 5UJ")
    qtbot.addWidget(dialog)
    combo = dialog.parcel_editors[0].carrier_combo
    assert combo.itemData(0) == "royal-mail"
    assert combo.itemData(combo.count() - 1) == "other"
    # A carrier whose page needs the postcode and country gets them from the address.
    nl = TrackingDialog(order, "NL", "1012 ab")
    qtbot.addWidget(nl)
    editor = nl.parcel_editors[0]
    assert editor.carrier_combo.itemData(0) == "mondial-relay"
    editor.set_carrier("postnl")
    editor.code_edit.setText("3SABCD1234567")
    assert editor.url_edit.text() == carrier_by_key("postnl").url_for(
        "3SABCD1234567", "1012AB", "NL"
    )
    assert editor.url_edit.text().endswith("3SABCD1234567-NL-1012AB")


def test_several_parcels_give_one_parcel_each(qtbot: Any, find_order: Any) -> None:
    order = find_order(lambda o: _shippable(o) and len(_untracked(o)) >= 2)
    first, second = _untracked(order)[:2]
    dialog = _dialog(qtbot, order)
    dialog.mode_several.setChecked(True)
    assert len(dialog.parcel_editors) >= 2
    one, two = dialog.parcel_editors[:2]
    assert one.item_ids() == [first.item_id] and two.item_ids() == [second.item_id]
    # An item is in at most one parcel: ticked in parcel 1, it is greyed out in parcel 2.
    assert not two.item_boxes[first.item_id].isEnabled()
    assert "parcel 1" in two.item_boxes[first.item_id].toolTip().lower()
    for extra in dialog.parcel_editors[2:]:
        dialog.remove_parcel(extra)
    one.set_carrier("colissimo")
    one.code_edit.setText("6A12345678901")
    two.set_carrier("other")
    two.code_edit.setText("JD0146396334818")
    assert two.url_edit.text() == ""  # "Other" has no preset
    two.url_edit.setText("https://carrier.example/t?c=JD0146396334818&lang=fr")
    parcels = dialog.parcels()
    assert [p.item_ids for p in parcels] == [(first.item_id,), (second.item_id,)]
    assert parcels[0].url == "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"
    assert parcels[1].url == "https://carrier.example/t?c=JD0146396334818&lang=fr"
    assert all(p.method is ShipMethod.TRACKED and not p.problems() for p in parcels)
    assert dialog.items_table.topLevelItem(0).text(0) == "Parcel 1"
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.ok_button.click()


def test_mistakes_are_shown_next_to_the_fields_and_ok_refuses(qtbot: Any, find_order: Any) -> None:
    order = find_order(lambda o: _shippable(o) and len(_untracked(o)) >= 2)
    dialog = _dialog(qtbot, order)
    editor = dialog.parcel_editors[0]
    editor.set_carrier("other")
    qtbot.keyClicks(editor.code_edit, "AB!")
    editor.code_edit.editingFinished.emit()
    assert not editor.code_error.isHidden()
    assert "letters, digits and dashes" in editor.code_error.text()
    editor.url_edit.setText("ftp://files.example/x")
    dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert "https://" in editor.url_error.text() and not editor.url_error.isHidden()
    assert not dialog.general_error.isHidden()
    # Fixing the fields clears the messages as the vendor types.
    editor.code_edit.setText("AB1234")
    assert editor.code_error.isHidden()
    editor.url_edit.setText("https://files.example/x")
    assert editor.url_error.isHidden()
    # Several parcels: a parcel without items is refused next to its items.
    dialog.mode_several.setChecked(True)
    for box in dialog.parcel_editors[1].item_boxes.values():
        box.setChecked(False)
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert "Tick the items" in dialog.parcel_editors[1].items_error.text()


def test_no_tracking_and_pickup_show_the_warning(qtbot: Any, find_order: Any) -> None:
    order = find_order(_shippable)
    dialog = _dialog(qtbot, order)
    editor = dialog.parcel_editors[0]
    assert editor.no_tracking_warning.isHidden()
    editor.set_method(ShipMethod.NO_TRACKING)
    assert not editor.no_tracking_warning.isHidden()
    assert "risk" in editor.no_tracking_warning.text()
    assert "responsible" in editor.no_tracking_warning.text()
    assert editor.code_edit.isHidden() and editor.url_edit.isHidden()
    editor.set_carrier("dpd")
    assert dialog.validate(show=True)
    (parcel,) = dialog.parcels()
    assert parcel.method is ShipMethod.NO_TRACKING and parcel.carrier == "dpd"
    assert parcel.code == parcel.url == ""
    editor.set_method(ShipMethod.PICKUP)
    assert editor.carrier_combo.isHidden() and not editor.pickup_info.isHidden()
    assert dialog.parcels()[0].method is ShipMethod.PICKUP


def test_free_edition_says_tracking_cannot_be_stored(qtbot: Any, find_order: Any) -> None:
    order = find_order(_shippable)
    dialog = _dialog(qtbot, order, capabilities=FREE)
    assert not dialog.capability_label.isHidden()
    assert "cannot store tracking numbers" in dialog.capability_label.text()
    dialog.parcel_editors[0].set_method(ShipMethod.NO_TRACKING)
    assert "this computer only" in dialog.parcel_editors[0].no_tracking_info.text()
    ultimate = _dialog(qtbot, order, capabilities=Capabilities(True, True))
    assert ultimate.capability_label.isHidden()


def test_already_tracked_items_are_shown_unticked(qtbot: Any, find_order: Any) -> None:
    order = find_order(lambda o: any(i.has_tracking for i in o.items if i.shippable is not False))
    dialog = _dialog(qtbot, order)
    tracked = next(i for i in order.items if i.has_tracking and i.shippable is not False)
    rows = [
        dialog.items_table.topLevelItem(r) for r in range(dialog.items_table.topLevelItemCount())
    ]
    row = next(r for r in rows if r.text(1) == tracked.sku and r.text(2) == tracked.name)
    assert row.checkState(0) == Qt.CheckState.Unchecked
    assert tracked.tracking_code in row.text(4)
    assert tracked.item_id not in dialog.checked_item_ids()


def test_note_dialog_to_customer_and_non_ascii(qtbot: Any) -> None:
    dialog = NoteDialog("1234")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.private_button.isChecked()  # private by default
    assert dialog.customer_hint.isHidden()
    assert not dialog.ok_button.isEnabled()  # nothing typed yet
    text = "Colis déposé — ça part demain 📦 <b>merci</b>"
    dialog.text_edit.setPlainText(f"  {text}\n")
    dialog.customer_button.setChecked(True)
    assert not dialog.customer_hint.isHidden()
    assert "will receive this note by e-mail" in dialog.customer_hint.text()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.ok_button.click()
    assert dialog.note() == (text, NoteKind.CUSTOMER)


def test_note_dialog_free_edition(qtbot: Any) -> None:
    dialog = NoteDialog("1234", capabilities=FREE)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.text_edit.setPlainText("Packed")
    assert not dialog.capability_label.isHidden()
    assert "can't be added from outside the marketplace's dashboard" in (
        dialog.capability_label.text()
    )
    assert not dialog.ok_button.isEnabled()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_complete_dialog_explains_split_orders(qtbot: Any, find_order: Any) -> None:
    split = find_order(lambda o: o.split and o.vendor_status.slug == "processing")
    dialog = CompleteDialog(split)
    qtbot.addWidget(dialog)
    assert dialog.waits_for_others
    text = dialog.explanation_label.text()
    assert "every vendor has completed their part" in text and "invoices" in text
    single = find_order(lambda o: not o.split and o.main_status.slug != "completed")
    plain = CompleteDialog(single)
    qtbot.addWidget(plain)
    assert not plain.waits_for_others
    assert "every vendor" not in plain.explanation_label.text()
    done = find_order(lambda o: o.vendor_status.slug == "completed")
    refused = CompleteDialog(done)
    qtbot.addWidget(refused)
    assert not refused.ok_button.isEnabled() and not refused.refusal_label.isHidden()


def test_message_dialog_prefilled(qtbot: Any) -> None:
    dialog = MessageDialog("1234", "The order is on hold: wait until the payment is confirmed.")
    qtbot.addWidget(dialog)
    text = dialog.text_edit.toPlainText()
    assert "#1234" in text and "on hold" in text
    dialog.text_edit.setPlainText(text + "Pouvez-vous vérifier ? <script>")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.ok_button.click()
    assert dialog.message().endswith("Pouvez-vous vérifier ? <script>")
    empty = MessageDialog()
    qtbot.addWidget(empty)
    assert not empty.ok_button.isEnabled()
