"""A carrier's CSV export turned into Mark Shipped actions (``vendor-desk import-tracking``). No Qt.

The file holds one parcel per line: the order number, optionally an item (order item id) or a
SKU, the tracking code, and a carrier name or the tracking URL. Carriers and shop tools name
their columns in many ways and languages, so headers are matched loosely ("Order", "Order #",
"order_number", "Commande", "N° de commande" …); the delimiter (``,`` ``;`` tab) is sniffed and
UTF-8 is read with or without BOM::

    report = import_tracking(outbox, Path("colissimo.csv"), dry_run=True)
    for line in report.lines:
        print(line.line, line.outcome, line.message)

Each line goes through :func:`vendor_desk.sync.shipping.plan_shipment` like a shipment typed in
the window, and ends **applied** (queued; "would apply" in a dry run), **skipped** (already
shipped, unknown order, not one of the vendor's items) or **refused** (bad code, no URL and an
unknown carrier, the order cannot be shipped …), with its line number. A dry run writes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select

from vendor_desk.cache import store as cache_store
from vendor_desk.cache.models import OrderRecord
from vendor_desk.domain import Capabilities, Order
from vendor_desk.domain.carriers import (
    CodeProblem,
    Parcel,
    ShipMethod,
    check_code,
    find_carrier,
    normalise_code,
)
from vendor_desk.domain.text import N_, Sentence, join_sentences
from vendor_desk.sync.outbox import Outbox, OutboxKind
from vendor_desk.sync.shipping import (
    ShipmentRefused,
    ShipProblemCode,
    load_local,
    plan_shipment,
    preset_url,
    shippable_item_ids,
)


class TrackingImportError(ValueError):
    """The file as a whole cannot be read (not UTF-8, no header, required columns missing).
    ``message`` is the sentence (marked for the catalogue, translated where shown)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Column(StrEnum):
    ORDER = "order"
    ITEM = "item"
    SKU = "sku"
    CODE = "code"
    CARRIER = "carrier"
    URL = "url"


#: Normalised header names (lower case, accents and punctuation removed) per column.
_HEADERS: Mapping[Column, frozenset[str]] = {
    Column.ORDER: frozenset(
        {
            "order",
            "orderno",
            "ordernumber",
            "ordernr",
            "orderid",
            "orderref",
            "orderreference",
            "commande",
            "ndecommande",
            "nodecommande",
            "numerodecommande",
            "numcommande",
            "refcommande",
            "referencecommande",
            "bestellung",
            "bestellnummer",
            "reference",
            "ref",
        }
    ),
    Column.ITEM: frozenset(
        {"item", "itemid", "orderitem", "orderitemid", "lineitem", "lineitemid"}
    ),
    Column.SKU: frozenset({"sku", "productsku", "referencearticle", "refarticle", "artikelnummer"}),
    Column.CODE: frozenset(
        {
            "tracking",
            "trackingnumber",
            "trackingno",
            "trackingcode",
            "trackingid",
            "numerodesuivi",
            "nodesuivi",
            "ndesuivi",
            "suivi",
            "codedesuivi",
            "numerodecolis",
            "colis",
            "parcelnumber",
            "sendungsnummer",
            "awb",
            "waybill",
            "consignmentnumber",
        }
    ),
    Column.CARRIER: frozenset(
        {"carrier", "carriername", "transporteur", "courier", "shipper", "versanddienstleister"}
    ),
    Column.URL: frozenset({"url", "trackingurl", "trackinglink", "link", "lien", "liendesuivi"}),
}
#: When no exact name matches: words a header contains, tried in this order.
_KEYWORDS: tuple[tuple[Column, tuple[str, ...]], ...] = (
    (Column.URL, ("url", "lien", "link")),
    (Column.CODE, ("track", "suivi", "colis", "parcel", "sendung")),
    (Column.CARRIER, ("carrier", "transporteur", "courier")),
    (Column.SKU, ("sku",)),
    (Column.ITEM, ("item", "article")),
    (Column.ORDER, ("order", "commande", "bestell")),
)


def _normalise_header(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return re.sub(r"[^a-z0-9]+", "", decomposed.encode("ascii", "ignore").decode())


def match_columns(header: list[str]) -> dict[Column, int]:
    """Which column of ``header`` holds what (first match wins; unknown headers are ignored)."""
    found: dict[Column, int] = {}
    for index, name in enumerate(header):
        key = _normalise_header(name)
        if not key:
            continue
        column = next((c for c, names in _HEADERS.items() if key in names), None)
        if column is None:
            column = next((c for c, words in _KEYWORDS if any(w in key for w in words)), None)
        if column is not None and column not in found:
            found[column] = index
    return found


@dataclass(frozen=True)
class CsvRow:
    line: int  # 1-based line number in the file (the header is line 1)
    values: Mapping[Column, str]


@dataclass(frozen=True)
class TrackingCsv:
    """A read file: the delimiter found, the column mapping and the data rows."""

    delimiter: str
    columns: Mapping[Column, int]
    rows: tuple[CsvRow, ...]


def read_tracking_csv(data: bytes) -> TrackingCsv:
    """Decode (UTF-8, BOM or not), sniff the delimiter, match the header, read the rows.

    Raises :class:`TrackingImportError` for a file that cannot be used at all.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TrackingImportError(
            Sentence(
                N_(
                    "The file is not UTF-8 text (line {line}); save it as “CSV UTF-8” and try "
                    "again."
                ),
                line=line,
            )
        ) from None
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise TrackingImportError(N_("The file is empty."))
    try:
        delimiter = csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[CsvRow] = []
    columns: dict[Column, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = record
            columns = match_columns(header)
            missing = [c.value for c in (Column.ORDER, Column.CODE) if c not in columns]
            if missing:
                found = ", ".join(repr(h) for h in header)
                if len(missing) == 2:
                    template = N_(
                        "No column for the order number and the tracking code in the header "
                        "({header})."
                    )
                elif missing == [Column.ORDER.value]:
                    template = N_("No column for the order number in the header ({header}).")
                else:
                    template = N_("No column for the tracking code in the header ({header}).")
                raise TrackingImportError(Sentence(template, header=found))
            continue
        values = {
            column: record[index].strip() if index < len(record) else ""
            for column, index in columns.items()
        }
        rows.append(CsvRow(line, values))
    return TrackingCsv(delimiter, columns, tuple(rows))


# ========================================================================= the report
class LineOutcome(StrEnum):
    APPLIED = "applied"  # queued (in a dry run: would be queued)
    SKIPPED = "skipped"  # nothing to do for this line (already shipped, not ours …)
    REFUSED = "refused"  # something is wrong with the line


class LineReason(StrEnum):
    ALREADY_SHIPPED = "already_shipped"
    UNKNOWN_ORDER = "unknown_order"
    NOT_YOURS = "not_yours"  # an item / SKU that is not one of the vendor's items of the order
    NO_ORDER = "no_order"  # the line has no order number
    BAD_CODE = "bad_code"
    BAD_URL = "bad_url"
    UNKNOWN_CARRIER = "unknown_carrier"  # no URL, and no carrier preset to build one
    CONFLICT = "conflict"  # the item gets another code on an earlier line
    NOT_SHIPPABLE = "not_shippable"  # the order or item cannot be shipped (status, virtual …)


@dataclass(frozen=True)
class ImportLine:
    line: int
    order: str
    code: str
    outcome: LineOutcome
    message: str
    reason: LineReason | None = None
    order_id: int | None = None
    item_ids: tuple[int, ...] = ()
    url: str = ""
    carrier: str = ""
    entry_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    dry_run: bool
    delimiter: str
    columns: Mapping[Column, int]
    lines: tuple[ImportLine, ...] = field(default=())

    def count(self, outcome: LineOutcome) -> int:
        return sum(line.outcome is outcome for line in self.lines)

    @property
    def entry_ids(self) -> list[int]:
        return [i for line in self.lines for i in line.entry_ids]

    def summary(self) -> str:
        """ "3 applied, 1 skipped, 0 refused", marked for the catalogue."""
        counts = {
            "applied": self.count(LineOutcome.APPLIED),
            "skipped": self.count(LineOutcome.SKIPPED),
            "refused": self.count(LineOutcome.REFUSED),
        }
        if self.dry_run:
            return Sentence(
                N_(
                    "{applied} to apply, {skipped} skipped, {refused} refused (dry run: nothing "
                    "queued)"
                ),
                **counts,
            )
        return Sentence(N_("{applied} applied, {skipped} skipped, {refused} refused"), **counts)


#: A tracking code's problem as the import's line says it.
_CODE_PROBLEMS = {
    CodeProblem.EMPTY: N_("empty"),
    CodeProblem.TOO_SHORT: N_("too short"),
    CodeProblem.TOO_LONG: N_("too long"),
    CodeProblem.BAD_CHARACTERS: N_("bad characters"),
}

_REASON_OF = {
    ShipProblemCode.NOTHING_TO_DO: (LineOutcome.SKIPPED, LineReason.ALREADY_SHIPPED),
    ShipProblemCode.NOT_OWN_ITEM: (LineOutcome.SKIPPED, LineReason.NOT_YOURS),
    ShipProblemCode.BAD_CODE: (LineOutcome.REFUSED, LineReason.BAD_CODE),
    ShipProblemCode.BAD_URL: (LineOutcome.REFUSED, LineReason.BAD_URL),
    ShipProblemCode.HAS_OTHER_TRACKING: (LineOutcome.REFUSED, LineReason.CONFLICT),
}


# ========================================================================= the import
def _orders_by_number(outbox: Outbox) -> dict[str, int]:
    with outbox.cache.session() as session:
        rows = session.execute(
            select(OrderRecord.number, OrderRecord.order_id).where(
                OrderRecord.account_id == outbox.account_id
            )
        ).all()
    by_number = {str(number).strip().lower(): order_id for number, order_id in rows}
    for _number, order_id in rows:
        by_number.setdefault(str(order_id), order_id)
    return by_number


def _order_key(text: str) -> str:
    return text.strip().lstrip("#").strip().lower()


def import_tracking(
    outbox: Outbox,
    source: Path | bytes,
    *,
    dry_run: bool = False,
    capabilities: Capabilities | None = None,
) -> ImportReport:
    """Read a carrier's CSV export and queue one Mark Shipped (tracking) entry per usable line.

    ``dry_run`` checks every line the same way and queues nothing. Raises
    :class:`TrackingImportError` when the file as a whole cannot be used.
    """
    data = source.read_bytes() if isinstance(source, Path) else source
    parsed = read_tracking_csv(data)
    numbers = _orders_by_number(outbox)
    wanted = sorted(
        {numbers[k] for r in parsed.rows if (k := _order_key(r.values[Column.ORDER])) in numbers}
    )
    with outbox.cache.session() as session:
        orders = cache_store.load_orders(session, outbox.account_id, wanted)
    #: (order id, item id) → code, for items given a code by an earlier line of the file.
    claimed: dict[tuple[int, int], str] = {}
    named: dict[int, set[int]] = {}
    for row in parsed.rows:  # items named explicitly, so "whole order" lines leave them out
        order_id = numbers.get(_order_key(row.values[Column.ORDER]))
        order = orders.get(order_id) if order_id is not None else None
        if order is not None:
            named.setdefault(order.id, set()).update(_explicit_items(order, row) or ())
    lines: list[ImportLine] = []
    for row in parsed.rows:
        lines.append(
            _import_line(outbox, row, numbers, orders, claimed, named, dry_run, capabilities)
        )
    return ImportReport(dry_run, parsed.delimiter, parsed.columns, tuple(lines))


def _explicit_items(order: Order, row: CsvRow) -> list[int] | None:
    """Items the line names by item id or SKU ([] when it names one that is not ours); None
    when it names none (the whole order)."""
    item = row.values.get(Column.ITEM, "")
    sku = row.values.get(Column.SKU, "")
    if item:
        try:
            item_id = int(item.lstrip("#"))
        except ValueError:
            return []
        return [item_id] if order.item(item_id) is not None else []
    if sku:
        return [i.item_id for i in order.items if i.sku and i.sku.lower() == sku.lower()]
    return None


def _import_line(
    outbox: Outbox,
    row: CsvRow,
    numbers: Mapping[str, int],
    orders: Mapping[int, Order],
    claimed: dict[tuple[int, int], str],
    named: Mapping[int, set[int]],
    dry_run: bool,
    capabilities: Capabilities | None,
) -> ImportLine:
    values = row.values
    number = values.get(Column.ORDER, "")
    code = normalise_code(values.get(Column.CODE, ""))
    url = values.get(Column.URL, "")
    carrier_text = values.get(Column.CARRIER, "")
    if carrier_text.lower().startswith(("http://", "https://")) and not url:
        url, carrier_text = carrier_text, ""

    order_id: int | None = None
    item_ids: list[int] = []
    carrier_key = ""

    def result(
        outcome: LineOutcome,
        reason: LineReason | None,
        message: str,
        entry_ids: tuple[int, ...] = (),
    ) -> ImportLine:
        return ImportLine(
            row.line,
            number,
            code,
            outcome,
            message,
            reason,
            order_id,
            tuple(item_ids),
            url,
            carrier_key,
            entry_ids,
        )

    if not _order_key(number):
        return result(LineOutcome.REFUSED, LineReason.NO_ORDER, N_("No order number on this line."))
    known = numbers.get(_order_key(number))
    order = orders.get(known) if known is not None else None
    if order is None:
        return result(
            LineOutcome.SKIPPED,
            LineReason.UNKNOWN_ORDER,
            Sentence(
                N_("Order #{order} is not among your orders (sync first if it is new)."),
                order=_order_key(number),
            ),
        )
    order_id = order.id
    if (code_problem := check_code(code)) is not None:
        return result(
            LineOutcome.REFUSED,
            LineReason.BAD_CODE,
            Sentence(
                N_("Tracking code “{code}”: {problem}."),
                code=values.get(Column.CODE, ""),
                problem=Sentence(_CODE_PROBLEMS[code_problem]),
            ),
        )
    explicit = _explicit_items(order, row)
    if explicit == []:
        what = values.get(Column.ITEM) or values.get(Column.SKU)
        return result(
            LineOutcome.SKIPPED,
            LineReason.NOT_YOURS,
            Sentence(
                N_("Order #{order} has no item {item} of yours."), order=order.number, item=what
            ),
        )
    if explicit is None:
        others = named.get(order.id, set())
        item_ids = [i for i in shippable_item_ids(order) if i not in others]
    else:
        item_ids = explicit
    carrier = find_carrier(carrier_text) if carrier_text else None
    if not url and code:
        if carrier is None:
            return result(
                LineOutcome.REFUSED,
                LineReason.UNKNOWN_CARRIER,
                Sentence(
                    N_(
                        "No tracking URL, and carrier “{carrier}” is unknown: add a URL column or "
                        "a known carrier."
                    ),
                    carrier=carrier_text,
                )
                if carrier_text
                else N_(
                    "No tracking URL, and no carrier is given: add a URL column or a known carrier."
                ),
            )
        url = preset_url(order, carrier.key, code)
    carrier_key = carrier.key if carrier is not None else ""
    conflicts = [i for i in item_ids if claimed.get((order.id, i), code) != code]
    if conflicts:
        lines = ", ".join(str(i) for i in conflicts)
        return result(
            LineOutcome.REFUSED,
            LineReason.CONFLICT,
            Sentence(
                N_("Item {items} of order #{order} gets another code on an earlier line."),
                items=lines,
                order=order.number,
            ),
        )
    fresh = [i for i in item_ids if (order.id, i) not in claimed]
    if item_ids and not fresh:
        return result(
            LineOutcome.SKIPPED,
            LineReason.ALREADY_SHIPPED,
            N_("Same tracking as an earlier line."),
        )
    parcel = Parcel(tuple(fresh), ShipMethod.TRACKED, carrier_key, code, url)
    try:
        plan = plan_shipment(
            order, [parcel], capabilities=capabilities, local=load_local(outbox, order.id)
        )
    except ShipmentRefused as refused:
        first = refused.problems[0]
        outcome, reason = _REASON_OF.get(
            first.code, (LineOutcome.REFUSED, LineReason.NOT_SHIPPABLE)
        )
        if first.code is ShipProblemCode.NOTHING_TO_DO:
            message: str = Sentence(
                N_("Order #{order} already has this tracking."), order=order.number
            )
        else:
            message = join_sentences((problem.reason for problem in refused.problems), "; ")
        return result(outcome, reason, message)
    for item_id in fresh:
        claimed[(order.id, item_id)] = code
    entry_ids: tuple[int, ...] = ()
    if not dry_run:
        entry_ids = tuple(
            outbox.enqueue(OutboxKind.TRACKING, order.id, planned.payload)
            for planned in plan.parcels
        )
    item_ids = [i for p in plan.parcels for i in p.parcel.item_ids]
    return result(
        LineOutcome.APPLIED,
        None,
        Sentence(
            N_("Would ship order #{order} ({count} item(s)) with tracking {code}.")
            if dry_run
            else N_("Queued order #{order} ({count} item(s)) with tracking {code}."),
            order=order.number,
            count=len(item_ids),
            code=code,
        ),
        entry_ids,
    )


__all__ = [
    "Column",
    "CsvRow",
    "ImportLine",
    "ImportReport",
    "LineOutcome",
    "LineReason",
    "TrackingCsv",
    "TrackingImportError",
    "import_tracking",
    "match_columns",
    "read_tracking_csv",
]
