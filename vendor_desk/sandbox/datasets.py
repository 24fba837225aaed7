"""Seed data for the simulator.

* :func:`load_recorded` — the real recordings' seeded site, value for value: users, store
  profiles, products 13–17, orders 18–24 with the recorded order item ids, meta ids, order
  keys, totals, dates, commission rows, notes and WCFM messages, and every id sequence set so
  that new rows get the ids the real site gave them next.
* :func:`load_generated` — a rich, deterministic demo marketplace of any size (see
  :mod:`vendor_desk.sandbox.generated`).
* :func:`load_shop` — one vendor's real-sized shop (statuses, old open orders, hidden cancelled
  orders and split orders as on the real shop of issue 14), for benchmarks.

Both expect an empty :class:`~vendor_desk.sandbox.model.MarketplaceState`; HTML stored in
messages links to ``state.settings.site_url``, so set that before loading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from vendor_desk.sandbox.checkout import (
    admin_new_order_message,
    php_amount,
    status_change_note,
    stock_reduced_note,
    vendor_new_order_message,
)
from vendor_desk.sandbox.generated import app_password_for, generate, generate_shop
from vendor_desk.sandbox.model import (
    SEQ_COMMENT,
    SEQ_COMMISSION,
    SEQ_ITEM_META,
    SEQ_MESSAGE,
    SEQ_ORDER_ITEM,
    SEQ_POST,
    SEQ_POST_META,
    SEQ_REFUND_REQUEST,
    SEQ_USER,
    Address,
    CommissionRow,
    MarketplaceState,
    MetaEntry,
    Note,
    Order,
    OrderItem,
    Product,
    ShippingLine,
    StoreProfile,
    User,
)

__all__ = ["app_password_for", "load_generated", "load_recorded", "load_shop"]


def _utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


# ----------------------------------------------------------------------------- recorded
#: When the recorded site was seeded (every seeded order's ``date_modified``, notes, messages).
RECORDED_SEED_TIME = _utc("2026-11-27 16:05:53")

_CAROL = Address(
    first_name="Carol",
    last_name="Customer",
    address_1="3 Buyer Rd",
    city="Localhost",
    state="California",
    postcode="94002",
    country="US",
    email="customer_c@example.test",
    phone="555-0199",
)


@dataclass(frozen=True)
class _RecItem:
    item_id: int
    product_id: int
    quantity: int
    meta_ids: tuple[int, int, int]  # _vendor_id, _reduced_stock, _wcfmmp_order_item_processed
    commission_id: int
    message_id: int  # the vendor's "You have received an Order" message


@dataclass(frozen=True)
class _RecOrder:
    order_id: int
    status: str
    created: str
    modified: str  # also when its notes and messages were written
    order_key: str
    total: str
    customer_note: str
    meta_ids: tuple[int, int, int]  # _wcfm_new_order_notified, _email_triggered, _order_processed
    items: tuple[_RecItem, ...]
    shipping_item_id: int
    note_ids: tuple[int, int]  # stock note, status note
    admin_message_id: int


#: Orders 18–24 exactly as recorded (files 02, 10, 11, 14, 18, 22, 24, 26, 36, 86, 94, 95, 101).
_RECORDED_ORDERS: tuple[_RecOrder, ...] = (
    _RecOrder(
        18,
        "processing",
        "2026-11-17 16:05:52",
        "2026-11-27 16:05:52",
        "wc_order_Ej118Uwd1mMOv",
        "17.50",
        "",
        (143, 144, 402),
        (_RecItem(1, 13, 1, (10, 17, 189), 33, 2),),
        2,
        (2, 3),
        1,
    ),
    _RecOrder(
        19,
        "processing",
        "2026-11-21 16:05:52",
        "2026-11-27 16:05:52",
        "wc_order_D1OyfNBojgJR1",
        "64.99",
        "Please gift wrap",
        (183, 184, 401),
        (
            _RecItem(3, 13, 2, (45, 56, 186), 30, 4),
            _RecItem(4, 14, 1, (47, 57, 187), 31, 5),
            _RecItem(5, 15, 1, (49, 58, 188), 32, 6),
        ),
        6,
        (4, 5),
        3,
    ),
    _RecOrder(
        20,
        "on-hold",
        "2026-11-23 16:05:53",
        "2026-11-27 16:05:53",
        "wc_order_lT9DYIOmcXUC4",
        "30.00",
        "",
        (223, 224, 400),
        (_RecItem(7, 14, 1, (68, 75, 185), 29, 8),),
        8,
        (6, 7),
        7,
    ),
    _RecOrder(
        21,
        "processing",
        "2026-11-24 16:05:53",
        "2026-11-27 16:05:53",
        "wc_order_dEYC0jqcJpirW",
        "57.50",
        "Split order",
        (263, 264, 399),
        (_RecItem(9, 13, 1, (94, 103, 183), 27, 10), _RecItem(10, 16, 1, (96, 104, 184), 28, 11)),
        11,
        (8, 9),
        9,
    ),
    _RecOrder(
        22,
        "completed",
        "2026-11-25 16:05:53",
        "2026-11-27 16:05:53",
        "wc_order_bnBweuaeimPWD",
        "34.97",
        "",
        (307, 308, 398),
        (_RecItem(12, 15, 3, (114, 121, 182), 26, 13),),
        13,
        (10, 11),
        12,
    ),
    _RecOrder(
        23,
        "processing",
        "2026-11-26 16:05:53",
        "2026-11-27 16:05:53",
        "wc_order_nALyEGLJcHhsD",
        "41.00",
        "",
        (347, 348, 397),
        (_RecItem(14, 17, 2, (131, 138, 181), 25, 15),),
        15,
        (12, 13),
        14,
    ),
    _RecOrder(
        24,
        "on-hold",
        "2026-11-27 16:05:53",
        "2026-11-27 16:05:53",
        "wc_order_WeLXN4xHMqzFX",
        "73.00",
        "",
        (387, 388, 396),
        (
            _RecItem(16, 14, 2, (157, 166, 179), 23, 17),
            _RecItem(17, 17, 1, (159, 167, 180), 24, 18),
        ),
        18,
        (14, 15),
        16,
    ),
)

#: The last id each sequence had handed out when the recordings started. Checked against what
#: the real site assigned next: comment 16 (REC 105), message 19 (REC 20/112), order item meta
#: 190 (REC 112), post meta 403 (REC 144; on the free stack 411 in REC 73 after eight hidden
#: date metas of REC 20/71), refund request #1 (REC 73).
_RECORDED_SEQUENCES: dict[str, int] = {
    SEQ_USER: 4,
    SEQ_POST: 24,
    SEQ_POST_META: 402,
    SEQ_ORDER_ITEM: 18,
    SEQ_ITEM_META: 189,
    SEQ_COMMENT: 15,
    SEQ_COMMISSION: 33,
    SEQ_MESSAGE: 18,
    SEQ_REFUND_REQUEST: 0,
}


def _recorded_users(state: MarketplaceState) -> None:
    registered = _utc("2026-11-27 16:05:52")
    admin = User(
        id=1,
        login="storeadmin",
        email="storeadmin@example.test",
        display_name="storeadmin",
        first_name="",
        last_name="",
        role="administrator",
        password="admin-pass-123",
        app_password=app_password_for("storeadmin"),
        nicename="storeadmin",
        registered=registered,
    )
    vendor_a = User(
        id=2,
        login="vendor_a",
        email="vendor_a@example.test",
        display_name="Alice Alpha",
        first_name="Alice",
        last_name="Alpha",
        role="wcfm_vendor",
        password="vendor_a-pass-123",
        app_password=app_password_for("vendor_a"),
        nicename="alpha-goods",
        store=StoreProfile(
            store_name="Alpha Goods",
            store_slug="alpha-goods",
            store_email="vendor_a@example.test",
            phone="555-0100",
            street_1="2 Vendor St",
            city="Localhost",
            zip="94001",
            country="US",
            state="CA",
            payment_method="bank_transfer",
            shop_description="Alpha Goods test store",
        ),
        store_setup_pending=True,
        registered=registered,
    )
    # vendor_b's profile is not readable by vendor_a (REC 42); the public store list (REC 45)
    # shows the same phone and address as vendor_a's, so the seed gave both the same values.
    vendor_b = User(
        id=3,
        login="vendor_b",
        email="vendor_b@example.test",
        display_name="Bob Beta",
        first_name="Bob",
        last_name="Beta",
        role="wcfm_vendor",
        password="vendor_b-pass-123",
        app_password=app_password_for("vendor_b"),
        nicename="beta-wares",
        store=StoreProfile(
            store_name="Beta Wares",
            store_slug="beta-wares",
            store_email="vendor_b@example.test",
            phone="555-0100",
            street_1="2 Vendor St",
            city="Localhost",
            zip="94001",
            country="US",
            state="CA",
            payment_method="bank_transfer",
            shop_description="Beta Wares test store",
        ),
        store_setup_pending=True,
        registered=registered,
    )
    shipping = Address(**{**_CAROL.__dict__, "email": "", "phone": ""})
    customer = User(
        id=4,
        login="customer_c",
        email="customer_c@example.test",
        display_name="Carol Customer",
        first_name="Carol",
        last_name="Customer",
        role="customer",
        password="customer_c-pass-123",
        app_password=app_password_for("customer_c"),
        nicename="customer_c",
        billing=Address(**_CAROL.__dict__),
        shipping=shipping,
        registered=registered,
    )
    for user in (admin, vendor_a, vendor_b, customer):
        state.users[user.id] = user


def _recorded_products(state: MarketplaceState) -> None:
    created, modified = _utc("2026-11-27 16:05:52"), _utc("2026-11-27 16:05:53")
    # (id, name, slug, sku, price, vendor, virtual, stock after the seed orders, total sales)
    rows = (
        (13, "Alpha Mug", "alpha-mug", "ALPHA-MUG", "12.50", 2, False, 96, 4),
        (14, "Alpha T-Shirt", "alpha-t-shirt", "ALPHA-TEE", "25.00", 2, False, 96, 4),
        (15, "Alpha E-Book", "alpha-e-book", "ALPHA-EBOOK", "9.99", 2, True, 96, 4),
        (16, "Beta Lamp", "beta-lamp", "BETA-LAMP", "40.00", 3, False, 99, 1),
        (17, "Beta Pillow", "beta-pillow", "BETA-PILLOW", "18.00", 3, False, 97, 3),
    )
    for index, (pid, name, slug, sku, price, vendor, virtual, stock, sales) in enumerate(rows):
        state.products[pid] = Product(
            id=pid,
            name=name,
            sku=sku,
            price=Decimal(price),
            vendor_id=vendor,
            virtual=virtual,
            stock=stock,
            slug=slug,
            weight="1",
            total_sales=sales,
            date_created=created,
            date_modified=modified,
            # REC 44: meta ids 24, 44, 64 for products 13–15 (20 meta rows per product).
            meta=[MetaEntry(24 + 20 * index, "_wcfm_product_author", str(vendor))],
        )


def _recorded_orders(state: MarketplaceState) -> None:
    customer = state.users[4]
    percent = state.settings.commission_percent
    # Stock as the seed found it, to write the "Stock levels reduced" notes (REC 14, 18, 90).
    stock = {pid: 100 for pid in state.products}
    for rec in _RECORDED_ORDERS:
        created, modified = _utc(rec.created), _utc(rec.modified)
        order = Order(
            id=rec.order_id,
            status=rec.status,
            customer_id=customer.id,
            billing=Address(**customer.billing.__dict__),
            shipping=Address(**customer.shipping.__dict__),
            date_created=created,
            date_modified=modified,
            currency="USD",
            order_key=rec.order_key,
            payment_method="cod",
            payment_method_title="Cash on delivery",
            customer_note=rec.customer_note,
            created_via="checkout",
            shipping_total=Decimal("5"),
            total=Decimal(rec.total),
            download_permissions_granted=rec.status in ("processing", "completed"),
        )
        if rec.status == "completed":
            order.date_paid = order.date_completed = modified
        changes: list[tuple[Product, int, int]] = []
        for item in rec.items:
            product = state.products[item.product_id]
            line_total = php_amount(product.price * item.quantity)
            vendor_meta, stock_meta, processed_meta = item.meta_ids
            order.items.append(
                OrderItem(
                    id=item.item_id,
                    order_id=rec.order_id,
                    product_id=product.id,
                    name=product.name,
                    sku=product.sku,
                    quantity=item.quantity,
                    subtotal=line_total,
                    total=line_total,
                    vendor_id=product.vendor_id,
                    virtual=product.virtual,
                    meta=[
                        MetaEntry(vendor_meta, "_vendor_id", str(product.vendor_id)),
                        MetaEntry(stock_meta, "_reduced_stock", str(item.quantity)),
                        MetaEntry(
                            processed_meta, "_wcfmmp_order_item_processed", str(item.commission_id)
                        ),
                    ],
                )
            )
            before = stock[product.id]
            stock[product.id] = before - item.quantity
            changes.append((product, before, stock[product.id]))
            commission = php_amount(line_total * percent / 100)
            state.add_commission(
                CommissionRow(
                    ID=item.commission_id,
                    vendor_id=product.vendor_id,
                    order_id=rec.order_id,
                    customer_id=customer.id,
                    payment_method="cod",
                    product_id=product.id,
                    variation_id=0,
                    quantity=item.quantity,
                    product_price=product.price,
                    purchase_price=product.price,
                    item_id=item.item_id,
                    item_sub_total=line_total,
                    item_total=line_total,
                    commission_amount=commission,
                    total_commission=commission,
                    order_status=rec.status,
                    commission_status=rec.status,
                    created=created,
                )
            )
        order.shipping_lines.append(
            ShippingLine(
                id=rec.shipping_item_id,
                method_title="Flat rate",
                method_id="flat_rate",
                total=Decimal("5"),
            )
        )
        order.meta = [
            MetaEntry(rec.meta_ids[0], "_wcfm_new_order_notified", "yes"),
            MetaEntry(rec.meta_ids[1], "_wcfmmp_order_email_triggered", "yes"),
            MetaEntry(rec.meta_ids[2], "_wcfmmp_order_processed", "yes"),
        ]
        state.add_order(order)
        stock_note_id, status_note_id = rec.note_ids
        state.add_note(
            Note(
                stock_note_id, rec.order_id, stock_reduced_note(changes), False, "system", modified
            )
        )
        state.add_note(
            Note(
                status_note_id,
                rec.order_id,
                status_change_note("pending", rec.status, "Seeded order."),
                False,
                "system",
                modified,
            )
        )
        state.add_message(admin_new_order_message(state, rec.admin_message_id, order, modified))
        for item in rec.items:
            product = state.products[item.product_id]
            state.add_message(
                vendor_new_order_message(
                    state, item.message_id, order, product, product.vendor_id, modified
                )
            )
    state.messages.sort(key=lambda message: message.ID)


def load_recorded(state: MarketplaceState) -> None:
    """The real recordings' seeded site: users storeadmin(1) vendor_a(2) vendor_b(3)
    customer_c(4), products 13–17, orders 18–24 with the recorded item ids, statuses,
    commission rows, notes and notifications."""
    with state.lock:
        state.settings.currency = "USD"
        # The recorded site's COOKIEHASH (md5 of its URL), so cookie names match the recordings.
        state.settings.cookie_hash = "3c996285f27cc10c0c0ab9ce033fac76"
        _recorded_users(state)
        _recorded_products(state)
        _recorded_orders(state)
        for sequence, last in _RECORDED_SEQUENCES.items():
            state.bump_id(sequence, last)


def load_generated(
    state: MarketplaceState,
    *,
    seed: int,
    orders: int,
    now: datetime | None = None,
    currency: str | None = None,
    locale: str = "en",
) -> None:
    """A rich generated marketplace (see :mod:`vendor_desk.sandbox.generated`): several
    vendors, many scripts, every status, split orders … The first vendor is the demo vendor
    (login ``demo_vendor``, password ``demo_vendor-pass-123``). ``now`` anchors the dates (the
    newest order is placed shortly before it); same ``seed``, ``orders`` and ``now`` → same data.
    ``locale`` "fr": the French shop (an upcycling workshop selling in euros to French,
    Belgian, Swiss and German customers, Colissimo / Mondial Relay / Chronopost, notes in
    French). ``currency`` is the site currency (one per site; default: the locale's)."""
    generate(state, seed=seed, orders=orders, now=now, currency=currency, locale=locale)


def load_shop(
    state: MarketplaceState,
    *,
    seed: int,
    orders: int,
    now: datetime | None = None,
    currency: str | None = None,
    locale: str = "en",
) -> None:
    """One vendor's shop shaped like a real one (see
    :func:`vendor_desk.sandbox.generated.generate_shop`): ``orders`` orders of ``demo_vendor``
    (password ``demo_vendor-pass-123``) over two years. Same ``seed``, ``orders`` and ``now``
    → same data. ``locale`` "fr": the French shop's people and carriers."""
    generate_shop(state, seed=seed, orders=orders, now=now, currency=currency, locale=locale)
