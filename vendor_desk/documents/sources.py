"""Building :class:`DocumentOrder` values from the cache — offline, nothing is fetched.

Besides the domain :class:`Order`, a document prints a few things only the marketplace's raw
JSON holds (kept in ``orders.raw_json``): the shipping method titles, the variation attributes
of each item, the marketplace's store-invoice number and the commission row's fees. Local
shipments (posted without tracking, collected, tracking kept locally) come from the order's
app-owned state ``orders.local["shipments"]``, written by ``vendor_desk.sync.shipping``; it is
read here as data (documents and sync are sibling layers and do not import each other).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from vendor_desk.cache import Cache
from vendor_desk.cache.models import AccountRow
from vendor_desk.cache.queries import order_detail
from vendor_desk.cache.refunds import list_refund_requests
from vendor_desk.documents.model import DocumentOrder, DocumentSettings, Tracking
from vendor_desk.documents.numbering import issue_in_session, issued_number
from vendor_desk.domain import Order, RefundRequestStatus, StoreSettings

#: Item meta keys that are not variation details.
_NOT_ATTRIBUTES = frozenset({"wcfm_tracking_code", "wcfm_tracking_url", "wcfm_mark_as_recived"})
#: Commission-row fields a commission invoice prints (``vendor_order_details``).
_COMMISSION_FIELDS = (
    "shipping",
    "tax",
    "shipping_tax_amount",
    "discount_amount",
    "other_amount",
    "withdraw_charges",
    "refunded_amount",
    "commission_amount",
    "total_commission",
)


class UnknownOrders(LookupError):
    """Some requested orders are not in the cache."""

    def __init__(self, order_ids: Sequence[int]) -> None:
        super().__init__(", ".join(f"#{i}" for i in order_ids))
        self.order_ids = tuple(order_ids)

    def __reduce__(self) -> tuple[type[UnknownOrders], tuple[tuple[int, ...]]]:
        # rebuilt from the ids (a child process's renderer raises it in the window's process)
        return (UnknownOrders, (self.order_ids,))


# ------------------------------------------------------------------------ raw JSON readers
def _meta(entries: Any) -> list[Mapping[str, Any]]:
    return [entry for entry in entries or () if isinstance(entry, Mapping)]


def shipping_methods(raw: Mapping[str, Any]) -> tuple[str, ...]:
    titles = []
    for line in raw.get("shipping_lines") or ():
        if isinstance(line, Mapping):
            title = str(line.get("method_title") or line.get("method_id") or "").strip()
            if title and title not in titles:
                titles.append(title)
    return tuple(titles)


def tax_rates(raw: Mapping[str, Any]) -> tuple[Decimal, ...]:
    """The order's tax rates in percent (``tax_lines[].rate_percent``), lowest first."""
    rates: set[Decimal] = set()
    for line in raw.get("tax_lines") or ():
        if not isinstance(line, Mapping):
            continue
        try:
            rate = Decimal(str(line.get("rate_percent", "")))
        except ArithmeticError:
            continue
        if rate.is_finite() and rate > 0:
            rates.add(rate)
    return tuple(sorted(rates))


def _label(key: str) -> str:
    key = key.removeprefix("pa_").replace("_", " ").replace("-", " ").strip()
    return key[:1].upper() + key[1:]


def variations(raw: Mapping[str, Any]) -> dict[int, tuple[tuple[str, str], ...]]:
    """Visible item meta (size, colour …) per item id."""
    found: dict[int, tuple[tuple[str, str], ...]] = {}
    for line in raw.get("line_items") or ():
        if not isinstance(line, Mapping) or not isinstance(line.get("id"), int):
            continue
        pairs: list[tuple[str, str]] = []
        for entry in _meta(line.get("meta_data")):
            key = str(entry.get("key", ""))
            value = entry.get("display_value", entry.get("value"))
            if not key or key.startswith("_") or key in _NOT_ATTRIBUTES:
                continue
            if not isinstance(value, str | int) or isinstance(value, bool) or value == "":
                continue
            label = str(entry.get("display_key") or _label(key))
            pairs.append((label, str(value)))
        if pairs:
            found[int(line["id"])] = tuple(pairs)
    return found


def raw_item_vendors(raw: Mapping[str, Any]) -> dict[int, int]:
    """The vendor id of each raw line item (``_vendor_id`` meta), where present."""
    vendors: dict[int, int] = {}
    for line in raw.get("line_items") or ():
        if not isinstance(line, Mapping) or not isinstance(line.get("id"), int):
            continue
        for entry in _meta(line.get("meta_data")):
            if entry.get("key") == "_vendor_id" and str(entry.get("value", "")).isdigit():
                vendors[int(line["id"])] = int(str(entry["value"]))
    return vendors


def marketplace_invoice_number(raw: Mapping[str, Any], vendor_id: int) -> str:
    """The store-invoice number WCFM Ultimate gave this vendor's part ("" when none)."""
    for entry in _meta(raw.get("meta_data")):
        if entry.get("key") == "_wcfm_store_invoice_ids" and isinstance(
            entry.get("value"), Mapping
        ):
            return str(entry["value"].get(str(vendor_id), "") or "")
    return ""


def commission_details(raw: Mapping[str, Any]) -> dict[str, str]:
    details = raw.get("vendor_order_details")
    if not isinstance(details, Mapping):
        return {}
    return {
        key: str(details[key]) for key in _COMMISSION_FIELDS if details.get(key) not in (None, "")
    }


def tracking_of(order: Order, local: Mapping[str, Any]) -> tuple[Tracking, ...]:
    """The order's parcels: tracking stored on the items (one per code), then the shipments
    recorded on this computer only."""
    parcels: dict[tuple[str, str], list[int]] = {}
    for item in order.items:
        if item.has_tracking:
            parcels.setdefault((item.tracking_code, item.tracking_url), []).append(item.item_id)
    result = [Tracking(code, url, tuple(ids)) for (code, url), ids in parcels.items()]
    known_codes = {code for code, _ in parcels}
    for raw in local.get("shipments") or ():
        if not isinstance(raw, Mapping):
            continue
        code = str(raw.get("code", ""))
        if code and code in known_codes:
            continue
        try:
            item_ids = tuple(int(i) for i in raw.get("item_ids", ()))
        except (TypeError, ValueError):
            continue
        result.append(
            Tracking(
                code=code,
                url=str(raw.get("url", "")),
                item_ids=item_ids,
                method=str(raw.get("method", "no_tracking")),
                carrier=str(raw.get("carrier", "")),
                local_only=True,
            )
        )
    return tuple(result)


# ------------------------------------------------------------------------------- loading
def load_settings(session: Session, account_id: int) -> DocumentSettings:
    """The account's document settings (``accounts.settings_json["documents"]``); the store
    name defaults to the account's."""
    account = session.get(AccountRow, account_id)
    if account is None:
        return DocumentSettings()
    try:
        data = json.loads(account.settings_json or "{}")
    except ValueError:
        data = {}
    stored = data.get("documents") if isinstance(data, dict) else None
    settings = DocumentSettings.from_json(stored if isinstance(stored, Mapping) else {})
    if not settings.store_name and account.store_name:
        settings = DocumentSettings.from_json(
            {**settings.to_json(), "store_name": account.store_name}
        )
    return settings


def save_settings(session: Session, account_id: int, settings: DocumentSettings) -> None:
    """Store the account's document settings (other keys of ``settings_json`` are kept)."""
    account = session.get(AccountRow, account_id)
    if account is None:
        raise LookupError(f"no account {account_id}")
    try:
        data = json.loads(account.settings_json or "{}")
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    data["documents"] = settings.to_json()
    account.settings_json = json.dumps(data, ensure_ascii=False)


def document_order(
    order: Order,
    local: Mapping[str, Any] | None,
    *,
    vendor_id: int,
    approved_refunds: Iterable[Any] = (),
) -> DocumentOrder:
    """A :class:`DocumentOrder` from a cached order (raw JSON included) and its local state."""
    raw = order.raw
    vendors = raw_item_vendors(raw)
    foreign = [i.item_id for i in order.items if vendors.get(i.item_id, vendor_id) != vendor_id]
    assert not foreign, f"order #{order.number}: items {foreign} belong to another vendor"
    return DocumentOrder(
        order=order,
        shipping_methods=shipping_methods(raw),
        variations=variations(raw),
        tracking=tracking_of(order, local or {}),
        approved_refunds=tuple(approved_refunds),
        marketplace_invoice_number=marketplace_invoice_number(raw, vendor_id) if vendor_id else "",
        commission_details=commission_details(raw),
        tax_rates=tax_rates(raw),
    )


def load_document_orders(
    cache: Cache,
    account_id: int,
    order_ids: Sequence[int],
    *,
    invoice_settings: DocumentSettings | None = None,
    issue_invoices: bool = False,
    now: datetime | None = None,
) -> list[DocumentOrder]:
    """The cached orders ``order_ids`` (in that order) ready for documents.

    With ``invoice_settings``, each order also gets its store-invoice number when it has one:
    the marketplace's, or the local number of an invoice issued before. Orders without one keep
    an empty number — a preview shows a placeholder — unless ``issue_invoices``: then they are
    issued the next local numbers, dated ``now`` (one write transaction for the whole batch).
    Issue only when the invoices are printed or saved, never for a preview.

    Raises:
        UnknownOrders: some orders are not in the cache.
    """
    documents: list[DocumentOrder] = []
    missing: list[int] = []
    issuing = invoice_settings is not None and issue_invoices
    with cache.session(write=issuing) as session:
        account = session.get(AccountRow, account_id)
        vendor_id = account.vendor_id if account is not None else 0
        for order_id in order_ids:
            detail = order_detail(session, account_id, order_id)
            if detail is None:
                missing.append(order_id)
                continue
            refunds = list_refund_requests(
                session, account_id, order_id=order_id, status=RefundRequestStatus.APPROVED
            )
            document = document_order(
                detail.order, detail.local, vendor_id=vendor_id, approved_refunds=refunds
            )
            if invoice_settings is not None and not missing:
                document = with_invoice_number(
                    session, account_id, document, invoice_settings if issuing else None, now=now
                )
            documents.append(document)
        if missing:
            raise UnknownOrders(missing)  # rolls the numbers back: nothing printed
    return documents


def issue_store_invoices(
    cache: Cache,
    account_id: int,
    documents: Sequence[DocumentOrder],
    settings: DocumentSettings,
    *,
    now: datetime | None = None,
) -> list[DocumentOrder]:
    """``documents`` with every store invoice issued: those without a number (neither the
    marketplace's nor a local one) get the next local numbers, dated ``now``, in the order
    given and in one write transaction. Call right before the invoices are printed or saved."""
    with cache.session(write=True) as session:
        return [
            document
            if document.invoice_number
            else with_invoice_number(session, account_id, document, settings, now=now)
            for document in documents
        ]


def with_invoice_number(
    session: Session,
    account_id: int,
    document: DocumentOrder,
    issue_with: DocumentSettings | None,
    *,
    now: datetime | None = None,
) -> DocumentOrder:
    """``document`` with its store-invoice number and date (see :mod:`.numbering`): the
    marketplace's, else the local one — issued now with ``issue_with``'s format if the order
    has none yet; without ``issue_with`` an order never issued keeps an empty number."""
    if document.marketplace_invoice_number:
        order = document.order
        date = order.date_completed or order.date_paid or order.date_created
        return dataclasses.replace(
            document, invoice_number=document.marketplace_invoice_number, invoice_date=date
        )
    if issue_with is not None:
        issued: tuple[str, datetime] | None = issue_in_session(
            session, account_id, document.order.id, issue_with, now=now
        )
    else:
        issued = issued_number(session, account_id, document.order.id)
    if issued is None:
        return dataclasses.replace(document, invoice_number="", invoice_date=None)
    number, moment = issued
    # the calendar date of issue on this computer (stored in UTC)
    return dataclasses.replace(document, invoice_number=number, invoice_date=moment.astimezone())


def fill_from_store(session: Session, account_id: int, store: StoreSettings) -> bool:
    """Fill the account's empty document fields (store name, address, e-mail, phone) from the
    marketplace's store profile; fields the vendor set are kept. True when something changed."""
    current = load_settings(session, account_id)
    merged = current.with_store(store)
    if merged == current:
        return False
    save_settings(session, account_id, merged)
    return True
