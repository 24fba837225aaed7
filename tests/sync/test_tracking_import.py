"""Importing a carrier's CSV export as Mark Shipped actions, against the simulator over HTTP.

Real files in a temporary folder: BOM, semicolons, tabs, French headers; a dry run changes
nothing; every line gets its own outcome with its line number.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vendor_desk.sync.outbox import Outbox, OutboxState
from vendor_desk.sync.tracking_import import (
    Column,
    LineOutcome,
    LineReason,
    TrackingImportError,
    import_tracking,
    match_columns,
    read_tracking_csv,
)

from .conftest import Env, make_env
from .placed_orders import place_and_cache


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    for built in make_env(tmp_path, orders=20):
        built.syncer().first_sync()
        yield built


def item_meta(env: Env, order_id: int, item_id: int) -> dict[str, str]:
    items = env.sim.order_snapshot(order_id)["items"]
    return dict(next(item["meta"] for item in items if item["id"] == item_id))


def write(tmp_path: Path, name: str, text: str, *, bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Order", "SKU", "Tracking number", "Carrier"], ["order", "sku", "code", "carrier"]),
        (["Order #", "Item", "Tracking", "URL"], ["order", "item", "code", "url"]),
        (["order_number", "tracking_code", "tracking_url"], ["order", "code", "url"]),
        (["N° de commande", "Numéro de suivi", "Transporteur"], ["order", "code", "carrier"]),
        (["Commande", "Référence article", "Lien de suivi"], ["order", "sku", "url"]),
        (["Date", "Order ID", "Order item ID", "Parcel number"], [None, "order", "item", "code"]),
    ],
)
def test_headers_are_matched_loosely(header: list[str], expected: list[str | None]) -> None:
    found = {index: column.value for column, index in match_columns(header).items()}
    assert [found.get(i) for i in range(len(header))] == expected


def test_unusable_files_are_refused_clearly() -> None:
    with pytest.raises(TrackingImportError, match=r"not UTF-8.*line 2"):
        read_tracking_csv("Order;Tracking\n19;caf\xe9\n".encode("latin-1"))
    with pytest.raises(TrackingImportError, match="tracking code"):
        read_tracking_csv(b"Order,Price\n19,3\n")
    with pytest.raises(TrackingImportError, match="empty"):
        read_tracking_csv(b"\n\n")


def test_french_semicolon_export_with_bom_dry_run_then_applied(env: Env, tmp_path: Path) -> None:
    fr = place_and_cache(env, shippable=2, country="FR", postcode="75011")
    nl = place_and_cache(env, shippable=1, country="NL", postcode="1012 AB")
    done = place_and_cache(env, shippable=1)
    unpaid = place_and_cache(env, shippable=1, status="pending")
    first, second = fr.shippable
    sku_second = fr.order.item(second).sku  # type: ignore[union-attr]
    outbox = Outbox(env.cache, env.account_id)
    # "done" is shipped already with the code the file carries.
    with env.client() as market:
        market.add_tracking(done.order.id, list(done.shippable), "DONE1234", "https://t.example/d")
        env.syncer().refresh_order(done.order.id)

    text = "\n".join(
        [
            "N° de commande;Référence article;Numéro de suivi;Transporteur;Lien de suivi",
            f"{fr.order.number};;6A 1111 2222 3;Colissimo;",  # 2: the items not named below
            f"#{fr.order.number};{sku_second};6A33334444;La Poste;",  # 3: by SKU
            f"{nl.order.number};;3SAB1234567;PostNL;",  # 4: postcode carrier
            f"{done.order.number};;DONE1234;;https://t.example/d",  # 5: already shipped
            "999999;;XX12345678;DHL;",  # 6: unknown order
            f"{fr.order.number};NOT-MINE;ZZ12345678;DHL;",  # 7: not one of ours
            f"{nl.order.number};;BAD CODE!;DHL;",  # 8: bad code
            f"{unpaid.order.number};;UP12345678;Pigeon Post;",  # 9: unknown carrier, no URL
            f"{unpaid.order.number};;UP12345678;;https://t.example/u?a=1&b=2",  # 10: unpaid
            f"{nl.order.number};;3SAB1234567;PostNL;",  # 11: same as line 4
            "",
        ]
    )
    path = write(tmp_path, "colissimo.csv", text, bom=True)

    preview = import_tracking(outbox, path, dry_run=True)
    assert preview.delimiter == ";"
    outcomes = {line.line: (line.outcome, line.reason) for line in preview.lines}
    applied, skipped, refused = LineOutcome.APPLIED, LineOutcome.SKIPPED, LineOutcome.REFUSED
    assert outcomes == {
        2: (applied, None),
        3: (applied, None),
        4: (applied, None),
        5: (skipped, LineReason.ALREADY_SHIPPED),
        6: (skipped, LineReason.UNKNOWN_ORDER),
        7: (skipped, LineReason.NOT_YOURS),
        8: (refused, LineReason.BAD_CODE),
        9: (refused, LineReason.UNKNOWN_CARRIER),
        10: (refused, LineReason.NOT_SHIPPABLE),
        11: (skipped, LineReason.ALREADY_SHIPPED),
    }
    by_line = {line.line: line for line in preview.lines}
    assert by_line[2].item_ids == (first,) and by_line[3].item_ids == (second,)
    assert by_line[2].code == "6A111122223"
    assert by_line[2].url == "https://www.laposte.fr/outils/suivre-vos-envois?code=6A111122223"
    assert by_line[4].url.endswith("3SAB1234567-NL-1012AB")
    assert "Pigeon Post" in by_line[9].message
    assert preview.summary() == "3 to apply, 4 skipped, 3 refused (dry run: nothing queued)"
    # A dry run changes nothing, here or on the marketplace.
    assert outbox.entries() == []
    assert "wcfm_tracking_code" not in item_meta(env, fr.order.id, first)

    report = import_tracking(outbox, path)
    assert {line.line: (line.outcome, line.reason) for line in report.lines} == outcomes
    assert len(report.entry_ids) == 3
    with env.client() as market:
        outbox.send_due(market)
    assert all(outbox.get(i).state is OutboxState.SENT for i in report.entry_ids)
    assert item_meta(env, fr.order.id, first)["wcfm_tracking_code"] == "6A111122223"
    assert item_meta(env, fr.order.id, second)["wcfm_tracking_code"] == "6A33334444"
    assert item_meta(env, nl.order.id, nl.shippable[0])["wcfm_tracking_url"] == by_line[4].url

    # Importing the same file again: everything already shipped, nothing queued.
    again = import_tracking(outbox, path)
    assert {line.line for line in again.lines if line.reason is LineReason.ALREADY_SHIPPED} >= {
        2,
        3,
        4,
        5,
        11,
    }
    assert again.entry_ids == []


def test_tab_and_comma_exports_with_item_ids_and_urls(env: Env, tmp_path: Path) -> None:
    placed = place_and_cache(env, shippable=2)
    first, second = placed.shippable
    number = placed.order.number
    url = "https://track.example/p?c=TB1&x=a+b%2F#here"
    tab = write(
        tmp_path,
        "ups.tsv",
        f"Order\tOrder item ID\tTracking number\tURL\n{number}\t{first}\tTB123456\t{url}\n",
    )
    comma = write(
        tmp_path,
        "dhl.csv",
        f'Order #,Item,Tracking,Carrier\n{number},{second},"JD 0123 4567",DHL Express\n'
        f"{number},{second},JD99999999,DHL\n",
    )
    outbox = Outbox(env.cache, env.account_id)
    tabbed = import_tracking(outbox, tab)
    assert tabbed.delimiter == "\t" and tabbed.columns[Column.ITEM] == 1
    commas = import_tracking(outbox, comma)
    assert commas.delimiter == ","
    assert [(line.outcome, line.reason) for line in commas.lines] == [
        (LineOutcome.APPLIED, None),
        (LineOutcome.REFUSED, LineReason.CONFLICT),  # the same item, another code
    ]
    with env.client() as market:
        outbox.send_due(market)
    assert item_meta(env, placed.order.id, first)["wcfm_tracking_url"] == url
    assert item_meta(env, placed.order.id, second)["wcfm_tracking_code"] == "JD01234567"
