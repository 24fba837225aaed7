"""The sync's JSON fast path computes exactly the rows of the domain path.

For every order every vendor sees on the recorded and a generated simulator dataset, on both
editions, under JWT and application-password auth, before and after shipping and refund
actions: ``fastpath.prepare_json_order`` must give the same ``orders`` values (same key order),
item rows, stored form, fingerprint and raw JSON as ``store.prepare(parsing.parse_order(…))``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from decimal import Decimal

import pytest

from vendor_desk.cache import store
from vendor_desk.domain import AuthMethod, Money, RefundLine, RefundMode
from vendor_desk.marketplace import HttpSettings, MarketplaceError, WcfmMarketplace, parsing
from vendor_desk.marketplace.errors import InvalidResponse
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync import fastpath

FAST = HttpSettings(connect_timeout=2.0, read_timeout=5.0, read_retries=0)


def _clients(sim: Simulator) -> Iterator[WcfmMarketplace]:
    for user in sim.users:
        if user["role"] != "wcfm_vendor":
            continue
        yield WcfmMarketplace(
            sim.base_url, user["login"], user["password"], auth=AuthMethod.JWT, settings=FAST
        )
        if user.get("app_password"):
            yield WcfmMarketplace(
                sim.base_url,
                user["login"],
                user["app_password"],
                auth=AuthMethod.APP_PASSWORD,
                settings=FAST,
            )


def _check_all(sim: Simulator) -> int:
    """Compare both paths on every listed order of every vendor view; returns orders checked."""
    checked = 0
    for market in _clients(sim):
        with market:
            page = 1
            while True:
                entries = market.list_order_entries(page, 100)
                for data, text in entries:
                    fast = fastpath.prepare_json_order(data, text, market.site_timezone)
                    slow = store.prepare(
                        parsing.parse_order(data, market.site_timezone, json_text=text)
                    )
                    assert fast is not None, f"fast path refused order {data.get('id')}"
                    assert list(fast.values.items()) == list(slow.values.items())
                    assert fast.items == slow.items
                    assert (fast.row, fast.item_rows) == (slow.row, slow.item_rows)
                    assert fast.fingerprint == slow.fingerprint
                    assert fast.raw_json == slow.raw_json
                    assert fast.to_order() == slow.to_order()
                    checked += 1
                if len(entries) < 100:
                    break
                page += 1
    return checked


def _act(sim: Simulator) -> int:
    """Ship (with tracking) and ask refunds for a few orders of every vendor; an action the
    edition does not offer is skipped. Returns how many actions the marketplace took."""
    done = 0
    for user in sim.users:
        if user["role"] != "wcfm_vendor":
            continue
        with WcfmMarketplace(sim.base_url, user["login"], user["password"], settings=FAST) as m:
            orders = m.list_orders(1, 100)
            shippable = [o for o in orders if o.vendor_status.slug == "processing"][:2]
            for order in shippable:
                with_items = [item.item_id for item in order.items]
                try:
                    m.add_tracking(order.id, with_items[:1], "TRK-1", "https://t.example/1")
                except MarketplaceError:
                    continue
                done += 1
            for order in [o for o in orders if o.vendor_status.slug == "completed"][:2]:
                item = order.items[0]
                line = RefundLine(item.item_id, 1, Money(Decimal("1.00"), order.currency))
                try:
                    m.request_refund(order.id, RefundMode.PARTIAL, [line], "broken")
                except MarketplaceError:
                    continue
                done += 1
    return done


@pytest.mark.parametrize("edition", ["ultimate", "free"])
@pytest.mark.parametrize("dataset", ["recorded", "generated"])
def test_fast_path_matches_domain_path(edition: str, dataset: str) -> None:
    with Simulator(edition=edition, dataset=dataset, orders=120, seed=3) as sim:  # type: ignore[arg-type]
        before = _check_all(sim)
        actions = _act(sim)
        after = _check_all(sim)
    assert before > 0 and after == before
    assert actions > 0


def test_unexpected_shapes_fall_back_to_the_domain_path() -> None:
    with Simulator(dataset="recorded") as sim:
        user = next(u for u in sim.users if u["role"] == "wcfm_vendor")
        with WcfmMarketplace(sim.base_url, user["login"], user["password"], settings=FAST) as m:
            data, text = m.list_order_entries(1, 100)[0]
            tz = m.site_timezone
    # an item that is not an object, a missing required field: the fast path declines …
    odd = copy.deepcopy(data)
    odd["line_items"] = ["not an item"]
    assert fastpath.prepare_json_order(odd, text, tz) is None
    missing = {key: value for key, value in data.items() if key != "status"}
    assert fastpath.prepare_json_order(missing, text, tz) is None
    # … and a page with such an order raises the parser's own error
    with pytest.raises(InvalidResponse):
        fastpath.prepare_page([(data, text), (missing, text)], tz)
    # an entry without its text (tolerant decoder) takes the domain path with the same rows
    (rows,) = fastpath.prepare_page([(data, None)], tz)
    expected = store.prepare(parsing.parse_order(data, tz))
    assert (rows.values, rows.items, rows.fingerprint) == (
        expected.values,
        expected.items,
        expected.fingerprint,
    )
