"""The Earnings view over a real cache synced from the simulator over HTTP: the figures of a
period, the chart's bars, switching periods, the orders behind a figure, a bar and a product,
opening one in the order list, and the marketplace's own figures — read on the window's worker,
"not available" offline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from vendor_desk.domain.earnings import Period
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync.earnings import compare, load_summary
from vendor_desk.ui.earnings_view import FIGURES, EarningsView
from vendor_desk.ui.formatting import format_money
from vendor_desk.ui.main_window import MainWindow

from .conftest import vendor


def _today(sim: Simulator) -> date:
    """The day of the simulator's newest order (its orders span the two years before it)."""
    with sim.state.lock:
        newest = max(order.date_created for order in sim.state.orders.values())
    return newest.astimezone().date()


@pytest.fixture
def view(synced: Any, sim: Simulator, qtbot: Any) -> EarningsView:
    cache, connection = synced
    today = _today(sim)
    widget = EarningsView(cache, connection.account_id, today=lambda: today)
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    widget.set_period("this_year")
    return widget


def _payout_states(sim: Simulator) -> dict[int, set[str]]:
    """The demo vendor's commission rows' payout states, per order (the simulator's side)."""
    vendor_id = vendor(sim)["id"]
    states: dict[int, set[str]] = {}
    with sim.state.lock:
        for row in sim.state.commissions.values():
            if row.vendor_id == vendor_id:
                states.setdefault(row.order_id, set()).add(row.withdraw_status)
    return states


def test_the_figures_are_the_periods_summary(view: EarningsView, synced: Any, sim: Any) -> None:
    cache, connection = synced
    summary = load_summary(cache, connection.account_id, Period.this_year(_today(sim)))
    assert view.summary == summary
    assert summary.order_count > 0, "the year holds orders"
    for key in FIGURES:
        amount = getattr(summary, key)
        assert view.figures[key].amount.text() == format_money(amount.amount, amount.currency)
    # Nothing listed until asked (the orders' lines are read for what is clicked) ...
    assert view.listed_order_ids() == []
    assert "Click a figure" in view.orders_title.text()
    # ... "Your earnings": every order of the period.
    view.list_figure("earnings")
    assert view.listed_order_ids() == list(summary.order_ids("earnings"))
    assert view.best_model.rowCount() == len(summary.best_sellers) > 0


def test_the_charts_bars_are_the_summarys_buckets(view: EarningsView) -> None:
    for key in ("this_week", "this_month", "last_month", "this_year"):
        view.set_period(key)
        summary = view.summary
        assert summary is not None
        chart = view.chart
        assert chart.axis_x.count() == len(summary.buckets) > 0
        assert chart.paid_set.count() == chart.waiting_set.count() == len(summary.buckets)
        for index, bucket in enumerate(summary.buckets):
            assert chart.paid_set.at(index) == float(bucket.paid_out.amount)
            assert chart.waiting_set.at(index) == float(bucket.waiting.amount)
        bars = sum(b.paid_out.amount + b.waiting.amount for b in summary.buckets)
        assert bars == summary.earnings.amount


def test_period_buttons_and_dates(view: EarningsView, sim: Simulator, qtbot: Any) -> None:
    today = _today(sim)
    expected = {
        "this_week": Period.this_week(today),
        "this_month": Period.this_month(today),
        "last_month": Period.last_month(today),
        "this_year": Period.this_year(today),
    }
    for key, period in expected.items():
        qtbot.mouseClick(view.period_buttons[key], Qt.MouseButton.LeftButton)
        assert view.summary is not None and view.summary.period == period
        assert view.start_edit.date().toPython() == period.start
        assert view.end_edit.date().toPython() == period.end
        assert view.period_buttons[key].isChecked()
    # Any range: the two date edits (as the vendor types a date in them).
    start, end = today - timedelta(days=100), today - timedelta(days=10)
    view.start_edit.setDate(start)
    view.end_edit.setDate(end)
    assert view.period_buttons["range"].isChecked()
    assert view.summary is not None and view.summary.period == Period(start, end)
    # Typed the wrong way round: the same days, nothing refused.
    view.set_range(end, start)
    assert view.summary.period == Period(start, end)


def test_a_figure_lists_the_orders_behind_it(view: EarningsView, sim: Any, qtbot: Any) -> None:
    states = _payout_states(sim)
    summary = view.summary
    assert summary is not None
    for key in ("paid_out", "waiting", "refunds", "gross_sales"):
        qtbot.mouseClick(view.figures[key], Qt.MouseButton.LeftButton)
        assert view.figures[key].isChecked()
        assert view.listed_order_ids() == list(summary.order_ids(key))
        assert view.figures[key].amount.text() in view.orders_title.text()
    # The simulator's own payout states: "Paid out" lists the orders paid out there.
    qtbot.mouseClick(view.figures["paid_out"], Qt.MouseButton.LeftButton)
    listed = set(view.listed_order_ids())
    assert listed
    assert listed == {
        line.order_id
        for line in summary.lines
        if states[line.order_id] == {"completed"} and not line.earning.is_zero
    }


def test_a_bar_lists_its_orders(view: EarningsView, qtbot: Any) -> None:
    summary = view.summary
    assert summary is not None
    index = max(range(len(summary.buckets)), key=lambda i: summary.buckets[i].total.amount)
    x, y = view.chart.bar_centre(index)
    qtbot.mouseClick(view.chart.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert view.listing == ("bar", index)
    assert view.listed_order_ids() == list(summary.buckets[index].order_ids)
    assert not any(button.isChecked() for button in view.figures.values())


def test_a_best_seller_lists_its_orders(view: EarningsView, qtbot: Any) -> None:
    product = view.best_model.product(0)
    rect = view.best_table.visualRect(view.best_model.index(0, 0))
    qtbot.mouseClick(view.best_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert set(view.listed_order_ids()) == set(product.order_ids)
    assert product.name in view.orders_title.text()


def test_the_view_menu_opens_earnings_and_an_order_opens_in_the_list(
    window: MainWindow, qtbot: Any
) -> None:
    assert window.earnings is not None
    assert window.earnings.action in window.menuBar().actions()[2].menu().actions()
    assert window.earnings.action in window.toolbar.actions()
    window.earnings.action.trigger()
    view = window.earnings.view
    assert view is not None and window.earnings.active and view.isVisible()
    view.set_period("this_year")
    qtbot.mouseClick(view.figures["earnings"], Qt.MouseButton.LeftButton)
    order_id = view.listed_order_ids()[0]
    index = view.orders_model.index(0, 0)
    rect = view.orders_table.visualRect(index)
    # Picked with the mouse, opened with Enter (a double-click opens it too; QTest's leaves
    # the application thinking the button is still down, which upsets later tests).
    qtbot.mouseClick(view.orders_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(view.orders_table, Qt.Key.Key_Return)
    assert not window.earnings.active and window.table.isVisible()
    assert window.detail.order_id == order_id
    assert window.selected_order_ids() == [order_id]
    # Back and forth: Esc leaves the page.
    window.earnings.action.trigger()
    assert window.earnings.active
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not window.earnings.active


def test_the_marketplaces_figures_beside_ours(
    window: MainWindow, sim: Simulator, qtbot: Any
) -> None:
    assert window.earnings is not None
    with qtbot.waitSignal(window.worker.finished, timeout=20000):
        window.earnings.show()
    view = window.earnings.view
    assert view is not None
    view.set_period("this_month")  # the marketplace's "month"
    summary = view.summary
    assert summary is not None
    stats = view._stats
    assert stats is not None
    assert format_money(stats.earnings.month.amount, stats.currency) in (view.market_figures.text())
    assert view.market_text.text() == "\n".join(compare(summary, stats, today=date.today()))
    assert view.market_text.text()


def test_offline_the_figures_come_from_the_cache(
    window: MainWindow, sim: Simulator, qtbot: Any
) -> None:
    assert window.earnings is not None
    fault = sim.fault_injector.add("reset", times=None)
    try:
        with qtbot.waitSignal(window.worker.failed, timeout=20000):
            view = window.earnings.show()
        assert "not available offline" in view.market_text.text().lower()
        assert view.summary is not None
        amount = view.summary.earnings
        assert view.figures["earnings"].amount.text() == format_money(
            amount.amount, amount.currency
        )
        view.set_period("this_year")
        view.list_figure("paid_out")
        assert view.listed_order_ids()
    finally:
        sim.fault_injector.remove(fault.id)


@pytest.fixture
def french(app: Any) -> Any:
    from vendor_desk import i18n
    from vendor_desk.ui import translator

    translator.install(app, i18n.set_language("fr"))
    try:
        yield app
    finally:
        translator.install(app, i18n.set_language("en"))


def test_in_french(french: Any, synced: Any, sim: Simulator, qtbot: Any) -> None:
    cache, connection = synced
    today = _today(sim)
    view = EarningsView(cache, connection.account_id, today=lambda: today)
    qtbot.addWidget(view)
    view.set_period("this_year")
    view.list_figure("earnings")
    assert view.period_buttons["this_month"].text() == "Ce mois-ci"
    assert view.figures["earnings"].title.text() == "Vos gains"
    assert view.figures["shipping"].title.text() == "Livraison"
    assert view.back_button.text() == "Commandes"
    assert view.orders_title.text().startswith("Vos gains : ")
    assert "commandes" in view.orders_title.text()
    amount = view.summary.earnings if view.summary else None
    assert amount is not None
    # Amounts in the French way: "6 001,80 $".
    assert view.figures["earnings"].amount.text() == format_money(amount.amount, amount.currency)
    assert "," in view.figures["earnings"].amount.text()


def test_the_page_opens_on_the_period_picked_last_time(
    window: MainWindow, settings: Any, synced: Any, qtbot: Any
) -> None:
    assert window.earnings is not None
    view = window.earnings.show()
    assert view.period_key == "this_month"
    qtbot.mouseClick(view.period_buttons["last_month"], Qt.MouseButton.LeftButton)
    cache, connection = synced
    again = MainWindow(cache, connection, settings, sync_interval_ms=0, auto_sync=False)
    qtbot.addWidget(again)
    try:
        assert again.earnings is not None
        reopened = again.earnings.show()
        assert reopened.period_key == "last_month"
        assert reopened.summary is not None
        assert reopened.summary.period == Period.last_month(date.today())
    finally:
        again.shutdown()
