"""The ``generated`` dataset: a rich, deterministic demo marketplace of any size.

What it holds (``generate(state, seed=…, orders=N)``):

* ``storeadmin`` (id 1) and the vendors of :data:`~vendor_desk.sandbox.names.VENDORS` (ids
  2…; the first, ``demo_vendor`` / ``demo_vendor-pass-123``, is the demo vendor and gets the
  largest share of the orders), each with a full store profile and an application password;
* many customers with Latin-extended, Greek, Cyrillic, Chinese, Japanese, Korean and Arabic
  names and addresses, very long companies and street lines, phones present or absent;
* simple, variable (variation items with attribute meta such as ``size: L``) and virtual
  products (e-books, gift cards);
* ``orders`` orders spread over the two years before ``now``, ids ascending with their dates:
  every main status, vendor statuses including ``shipped`` (tracking meta on the items), unpaid
  cash-on-delivery and bank-transfer orders, paid card/PayPal orders with transaction ids, split
  orders of 2–3 vendors, multi-item and multi-quantity orders, customer notes (some with markup
  and ``&``), vendor notes, refund requests (requested, approved — partial or full — and
  rejected, reflected in the commission rows), payouts requested and paid, tax lines,
  coupons and fees;
* shipping as on a marketplace with WCFM's shipping by vendor: every vendor's package of an
  order with something to ship is its own shipping line, tagged with the vendor — "Flat rate"
  (5.00 to the US, 12.50 elsewhere), "Free shipping" from a 75.00 package, now and then
  "Local pickup"; orders of virtual items only have none.

Orders go through :func:`~vendor_desk.sandbox.checkout.place_order`, then their later history
(payment, shipping, completion, refunds, payouts) is applied to the rows directly. Notes and
WCFM messages are only written for the last :data:`DETAIL_DAYS` days and for the scripted
showcase orders, which keeps 100 000 orders loadable in a few seconds.

The newest orders follow a fixed script (:data:`_RECENT_SCRIPT`, :data:`_AGED_SCRIPT`) so that
every feature is present even in a small site; the rest are drawn at random from ``seed``.

:func:`generate_shop` builds the ``shop`` dataset with the same people, products and order
machinery: one vendor's shop with a real shop's status mix, for benchmarks.
"""

from __future__ import annotations

import gc
import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from vendor_desk.sandbox import names, names_fr
from vendor_desk.sandbox.checkout import (
    FREE_SHIPPING,
    FRENCH_ORDER_STATUSES,
    LOCAL_PICKUP,
    ZERO,
    Line,
    ShippingRate,
    TaxRate,
    flat_rate,
    php_amount,
    place_order,
    status_change_note,
    store_link,
)
from vendor_desk.sandbox.model import (
    SEQ_COMMENT,
    SEQ_ITEM_META,
    SEQ_POST,
    SEQ_POST_META,
    SEQ_REFUND_REQUEST,
    SEQ_USER,
    WC_ORDER_STATUSES,
    Address,
    CommissionRow,
    MarketplaceState,
    MetaEntry,
    Note,
    Order,
    OrderItem,
    Product,
    Refund,
    RefundLine,
    RefundRequest,
    StoreProfile,
    User,
    utcnow,
)

__all__ = [
    "DEMO_VENDOR_LOGIN",
    "DETAIL_DAYS",
    "LOCALES",
    "app_password_for",
    "generate",
    "generate_shop",
]

DEMO_VENDOR_LOGIN = "demo_vendor"
#: Orders younger than this get their notes and WCFM messages; older ones only their rows.
DETAIL_DAYS = 60
#: How far back the generated history reaches.
HISTORY_DAYS = 730
#: WCFM notifications older than this are marked read by their recipient.
READ_AFTER = timedelta(days=3)
#: Shipping: every vendor ships its own package (WCFM's marketplace shipping by vendor, so each
#: vendor sees its shipping line): flat rate, free from this package subtotal on …
FREE_SHIPPING_OVER = Decimal("75")
#: … and now and then the customer collects (local pickup).
LOCAL_PICKUP_SHARE = 0.06
#: The ``shop`` dataset: the status mix of the real shop of issue 14 (5,000 orders of one vendor
#: over two years: 4,651 completed, 156 processing, 63 on-hold, 71 cancelled, 66 refunded); the
#: rest completed.
SHOP_STATUS_SHARES = (
    ("processing", 156 / 5000),
    ("on-hold", 63 / 5000),
    ("cancelled", 71 / 5000),
    ("refunded", 66 / 5000),
)
#: … and the share of its orders split with another vendor.
SHOP_SPLIT_SHARE = 0.15


@dataclass
class _Scenario:
    """What happens to one order. ``None`` fields are drawn at random."""

    vendors: int | None = None  # number of vendors (1–3); the demo vendor is always one
    demo: bool = True  # include the demo vendor
    outcome: str | None = None  # final main status (or "processing" with vendor parts moving)
    method: str | None = None
    vendor_states: tuple[str, ...] | None = None  # per vendor part while main is processing
    refund: str | None = None  # requested / rejected / partial / full
    payout: str | None = None  # requested / completed
    variation: bool = False
    virtual_only: bool = False
    customer_script: str | None = None
    note: str | None = None
    coupon: bool = False
    fee: bool = False
    #: The shipping method ("flat_rate", "free_shipping", "local_pickup"); None: drawn —
    #: mostly the vendor's flat rate, free shipping from :data:`FREE_SHIPPING_OVER`, now and
    #: then a local pickup.
    shipping: str | None = None
    vendor_note: bool = False
    detailed: bool = True


#: The newest orders, newest first: every status and feature once, all with the demo vendor.
_RECENT_SCRIPT: tuple[_Scenario, ...] = (
    _Scenario(
        vendors=1,
        outcome="processing",
        method="stripe",
        variation=True,
        customer_script="latin-ext",
        note="Leave at the <b>back door</b> & ring twice",
    ),
    _Scenario(
        vendors=2,
        outcome="processing",
        method="cod",
        shipping="flat_rate",
        customer_script="greek",
    ),
    _Scenario(
        vendors=3,
        outcome="processing",
        method="paypal",
        vendor_states=("shipped", "processing", "processing"),
        customer_script="cjk-ja",
    ),
    _Scenario(vendors=1, outcome="on-hold", method="bacs", customer_script="cyrillic"),
    _Scenario(vendors=1, outcome="pending", method="stripe", customer_script="arabic"),
    _Scenario(vendors=1, outcome="failed", method="stripe", customer_script="cjk-ko"),
    _Scenario(
        vendors=1, outcome="completed", method="paypal", virtual_only=True, customer_script="cjk-zh"
    ),
    _Scenario(
        vendors=1,
        outcome="processing",
        method="cod",
        refund="requested",
        customer_script="latin",
        vendor_note=True,
    ),
    _Scenario(
        vendors=2,
        outcome="processing",
        method="stripe",
        vendor_states=("completed", "processing"),
        customer_script="latin-ext",
        note="Gift for my mum — no invoice in the box, please!",
    ),
    _Scenario(
        vendors=1,
        outcome="processing",
        method="stripe",
        vendor_states=("shipped",),
        coupon=True,
        fee=True,
        customer_script="long",
    ),
    _Scenario(
        vendors=1,
        outcome="processing",
        method="cod",
        vendor_states=("shipped",),
        variation=True,
        shipping="free_shipping",
        customer_script="greek",
    ),
)

#: Older showcase orders (placed around the middle of the history).
_AGED_SCRIPT: tuple[_Scenario, ...] = (
    _Scenario(
        vendors=1, outcome="completed", method="cod", payout="completed", customer_script="cyrillic"
    ),
    _Scenario(
        vendors=1,
        outcome="completed",
        method="stripe",
        payout="requested",
        customer_script="cjk-zh",
    ),
    _Scenario(
        vendors=1, outcome="completed", method="paypal", refund="rejected", customer_script="arabic"
    ),
    _Scenario(
        vendors=1,
        outcome="completed",
        method="stripe",
        refund="partial",
        customer_script="latin-ext",
    ),
    _Scenario(
        vendors=1, outcome="completed", method="stripe", refund="full", customer_script="cjk-ko"
    ),
    _Scenario(vendors=1, outcome="cancelled", method="bacs", customer_script="greek"),
    _Scenario(
        vendors=2,
        outcome="completed",
        method="paypal",
        shipping="flat_rate",
        payout="completed",
        customer_script="cjk-ja",
        vendor_note=True,
    ),
)


#: The French shop's newest orders (``locale="fr"``), newest first: every status, carrier and
#: payment once, with customers from France, Belgium, Switzerland and Germany.
_FR_RECENT_SCRIPT: tuple[_Scenario, ...] = (
    _Scenario(
        vendors=1,
        outcome="processing",
        method="stripe",
        variation=True,
        shipping="mondial_relay",
        customer_script="fr",
        note="Sonnez deux fois, l'interphone est <b>capricieux</b> & le code est le 4B12.",
    ),
    _Scenario(
        vendors=2, outcome="processing", method="cod", shipping="colissimo", customer_script="be"
    ),
    _Scenario(
        vendors=3,
        outcome="processing",
        method="paypal",
        vendor_states=("shipped", "processing", "processing"),
        shipping="chronopost",
        customer_script="ch",
    ),
    _Scenario(
        vendors=1, outcome="on-hold", method="bacs", shipping="colissimo", customer_script="fr"
    ),
    _Scenario(vendors=1, outcome="pending", method="stripe", customer_script="de"),
    _Scenario(vendors=1, outcome="failed", method="stripe", customer_script="fr"),
    _Scenario(
        vendors=1, outcome="completed", method="paypal", virtual_only=True, customer_script="fr"
    ),
    _Scenario(
        vendors=1,
        outcome="processing",
        method="cod",
        refund="requested",
        shipping="mondial_relay",
        customer_script="fr",
        vendor_note=True,
    ),
    _Scenario(
        vendors=2,
        outcome="processing",
        method="bacs",
        vendor_states=("completed", "processing"),
        shipping="colissimo",
        customer_script="fr",
        note="Pas de facture dans le colis, c'est un cadeau.",
    ),
    _Scenario(
        vendors=1,
        outcome="processing",
        method="stripe",
        vendor_states=("shipped",),
        coupon=True,
        fee=True,
        shipping="chronopost",
        customer_script="long",
    ),
    _Scenario(
        vendors=1,
        outcome="processing",
        method="cod",
        vendor_states=("shipped",),
        variation=True,
        shipping="mondial_relay",
        customer_script="be",
    ),
)

#: The French shop's older showcase orders.
_FR_AGED_SCRIPT: tuple[_Scenario, ...] = (
    _Scenario(
        vendors=1, outcome="completed", method="cod", payout="completed", customer_script="fr"
    ),
    _Scenario(
        vendors=1, outcome="completed", method="stripe", payout="requested", customer_script="de"
    ),
    _Scenario(
        vendors=1, outcome="completed", method="paypal", refund="rejected", customer_script="ch"
    ),
    _Scenario(
        vendors=1, outcome="completed", method="stripe", refund="partial", customer_script="fr"
    ),
    _Scenario(vendors=1, outcome="completed", method="bacs", refund="full", customer_script="be"),
    _Scenario(vendors=1, outcome="cancelled", method="bacs", customer_script="fr"),
    _Scenario(
        vendors=2,
        outcome="completed",
        method="bacs",
        shipping="mondial_relay",
        payout="completed",
        customer_script="fr",
        vendor_note=True,
    ),
)


@dataclass(frozen=True)
class _Locale:
    """What differs between the generated sites of each language: the people, the shops, the
    texts shoppers and vendors write, the showcase orders and the WordPress site's language
    (which names the gateways and writes the notes)."""

    language: str
    site_name: str | None  # None: the settings' default
    people: tuple[names.PersonSeed, ...]
    vendors: tuple[names.VendorSeed, ...]
    tax_rates: dict[str, tuple[str, str, str]]
    customer_notes: tuple[str, ...]
    vendor_notes_private: tuple[str, ...]
    vendor_notes_customer: tuple[str, ...]
    refund_reasons: tuple[str, ...]
    recent_script: tuple[_Scenario, ...]
    aged_script: tuple[_Scenario, ...]
    coupons: tuple[tuple[str, Decimal], ...]
    gift_wrapping: str


_ENGLISH = _Locale(
    language="en",
    site_name=None,
    people=names.PEOPLE,
    vendors=names.VENDORS,
    tax_rates=names.TAX_RATES,
    customer_notes=names.CUSTOMER_NOTES,
    vendor_notes_private=names.VENDOR_NOTES_PRIVATE,
    vendor_notes_customer=names.VENDOR_NOTES_CUSTOMER,
    refund_reasons=names.REFUND_REASONS,
    recent_script=_RECENT_SCRIPT,
    aged_script=_AGED_SCRIPT,
    coupons=(("SPRING10", Decimal("10")), ("WELCOME15", Decimal("15"))),
    gift_wrapping="Gift wrapping",
)

#: The French shop: an upcycling workshop in Lyon and its neighbours on a French marketplace
#: selling in euros, shipping by Colissimo, Mondial Relay (relay points) and Chronopost.
_FRENCH = _Locale(
    language="fr",
    site_name=names_fr.SITE_NAME,
    people=names_fr.PEOPLE,
    vendors=names_fr.VENDORS,
    tax_rates=names_fr.TAX_RATES,
    customer_notes=names_fr.CUSTOMER_NOTES,
    vendor_notes_private=names_fr.VENDOR_NOTES_PRIVATE,
    vendor_notes_customer=names_fr.VENDOR_NOTES_CUSTOMER,
    refund_reasons=names_fr.REFUND_REASONS,
    recent_script=_FR_RECENT_SCRIPT,
    aged_script=_FR_AGED_SCRIPT,
    coupons=(("PRINTEMPS10", Decimal("10")), ("BIENVENUE15", Decimal("15"))),
    gift_wrapping="Emballage cadeau",
)

#: The generated sites by locale: "en" (an international marketplace in US dollars) and "fr".
LOCALES: dict[str, _Locale] = {"en": _ENGLISH, "fr": _FRENCH}
#: Each locale's site currency when none is given.
DEFAULT_CURRENCIES = {"en": "USD", "fr": "EUR"}
#: The French shop's carriers: most parcels go by Colissimo, many to a Mondial Relay point.
FR_CARRIER_SHARES = (("colissimo", 0.5), ("mondial_relay", 0.85), ("chronopost", 1.0))


@dataclass
class _Catalogue:
    """Per-vendor products ready to be ordered (variable parents with their variations)."""

    products: dict[int, list[tuple[Product, list[Product]]]] = field(default_factory=dict)
    shippable: dict[int, list[tuple[Product, list[Product]]]] = field(default_factory=dict)
    virtual: dict[int, list[tuple[Product, list[Product]]]] = field(default_factory=dict)
    variable: dict[int, list[tuple[Product, list[Product]]]] = field(default_factory=dict)


class _Generator:
    def __init__(
        self, state: MarketplaceState, seed: int, now: datetime, locale: _Locale = _ENGLISH
    ) -> None:
        self.state = state
        self.locale = locale
        self.french = locale.language == "fr"
        self.rng = random.Random(seed)
        self.now = now
        self.vendors: list[User] = []
        self.customers: list[User] = []
        self.customers_by_script: dict[str, list[User]] = {}
        self.tax_by_country: dict[str, TaxRate] = {}
        self.catalogue = _Catalogue()
        self.admin: User | None = None
        self.withdrawal_ids: dict[tuple[int, int, int], int] = {}
        self.refund_posts: list[tuple[Order, Refund]] = []
        #: Cancelling an order flags its commission rows ``is_trashed``, which takes it off the
        #: vendors' lists, as a real WCFM site does (``operations.set_main_status``, file 196).
        #: Off for the ``generated`` dataset, whose content stays as it was.
        self.hide_cancelled = False

    # ------------------------------------------------------------------ people
    def people(self, customer_count: int) -> None:
        state = self.state
        joined = self.now - timedelta(days=HISTORY_DAYS + 30)
        self.admin = User(
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
            registered=joined,
        )
        state.users[1] = self.admin
        for index, seed in enumerate(self.locale.vendors):
            user_id = 2 + index
            email = f"{seed.login}@example.test"
            vendor = User(
                id=user_id,
                login=seed.login,
                email=email,
                display_name=f"{seed.first_name} {seed.last_name}",
                first_name=seed.first_name,
                last_name=seed.last_name,
                role="wcfm_vendor",
                password=f"{seed.login}-pass-123",
                app_password=app_password_for(seed.login),
                nicename=seed.store_slug,
                store=StoreProfile(
                    store_name=seed.store_name,
                    store_slug=seed.store_slug,
                    store_email=email,
                    phone=seed.phone,
                    street_1=seed.street_1,
                    city=seed.city,
                    zip=seed.zip,
                    country=seed.country,
                    state=seed.state,
                    payment_method=seed.payment_method,
                    shop_description=seed.description,
                ),
                registered=joined + timedelta(days=index),
            )
            state.users[user_id] = vendor
            self.vendors.append(vendor)
        for code, (rate_code, label, percent) in self.locale.tax_rates.items():
            self.tax_by_country[code] = TaxRate(
                len(self.tax_by_country) + 1, rate_code, label, Decimal(percent)
            )
        first_id = 2 + len(self.locale.vendors)
        pool = self.locale.people
        for index in range(customer_count):
            person = pool[index % len(pool)]
            round_ = index // len(pool)
            local = person.email_local if round_ == 0 else f"{person.email_local}{round_ + 1}"
            email = f"{local}@example.test"
            billing = Address(
                first_name=person.first_name,
                last_name=person.last_name,
                company=person.company,
                address_1=person.address_1,
                address_2=person.address_2,
                city=person.city,
                state=person.state,
                postcode=person.postcode,
                country=person.country,
                email=email,
                phone=person.phone,
            )
            shipping = Address(
                first_name=person.first_name,
                last_name=person.last_name,
                company=person.company,
                address_1=person.address_1,
                address_2=person.address_2,
                city=person.city,
                state=person.state,
                postcode=person.postcode,
                country=person.country,
            )
            user = User(
                id=first_id + index,
                login=local.replace(".", "_"),
                email=email,
                display_name=f"{person.first_name} {person.last_name}",
                first_name=person.first_name,
                last_name=person.last_name,
                role="customer",
                password=f"{local.replace('.', '_')}-pass-123",
                app_password=app_password_for(local),
                nicename=local.replace(".", "-"),
                billing=billing,
                shipping=shipping,
                registered=joined + timedelta(days=index % 700),
            )
            state.users[user.id] = user
            self.customers.append(user)
            script = "long" if len(person.address_1) > 60 else person.script
            self.customers_by_script.setdefault(script, []).append(user)
        state.bump_id(SEQ_USER, first_id + customer_count - 1)

    # --------------------------------------------------------------- products
    def products(self) -> None:
        state = self.state
        created = self.now - timedelta(days=HISTORY_DAYS + 20)
        post_id = 10
        for vendor, seed in zip(self.vendors, self.locale.vendors, strict=True):
            for entry in seed.products:
                slug = _slug(entry.name)
                parent = Product(
                    id=post_id,
                    name=entry.name,
                    sku=entry.sku,
                    price=Decimal(entry.price),
                    vendor_id=vendor.id,
                    virtual=entry.virtual,
                    downloadable=entry.downloadable,
                    stock=(400 if entry.managed_stock and not entry.variations else None),
                    slug=slug,
                    type="variable" if entry.variations else "simple",
                    weight=entry.weight,
                    date_created=created,
                    date_modified=created,
                    meta=[
                        MetaEntry(
                            state.next_id(SEQ_POST_META), "_wcfm_product_author", str(vendor.id)
                        )
                    ],
                )
                state.products[post_id] = parent
                post_id += 1
                children: list[Product] = []
                for attributes in entry.variations:
                    values = [value for _, value in attributes]
                    child = Product(
                        id=post_id,
                        name=f"{entry.name} - {', '.join(values)}",
                        sku=entry.sku + "".join(f"-{_slug(v).upper() or post_id}" for v in values),
                        price=Decimal(entry.price),
                        vendor_id=vendor.id,
                        virtual=entry.virtual,
                        stock=150 if entry.managed_stock else None,
                        slug=f"{slug}-{post_id}",
                        type="variation",
                        parent_id=parent.id,
                        attributes=dict(attributes),
                        weight=entry.weight,
                        date_created=created,
                        date_modified=created,
                    )
                    state.products[post_id] = child
                    children.append(child)
                    post_id += 1
                pair = (parent, children)
                self.catalogue.products.setdefault(vendor.id, []).append(pair)
                kind = self.catalogue.virtual if entry.virtual else self.catalogue.shippable
                kind.setdefault(vendor.id, []).append(pair)
                if children:
                    self.catalogue.variable.setdefault(vendor.id, []).append(pair)
        state.bump_id(SEQ_POST, post_id + 40)  # leave room, as a real site's drafts/pages would

    # ----------------------------------------------------------------- orders
    def orders(self, count: int) -> None:
        stamps = self._stamps(count)
        scripted = self._place_scripts(count)
        base = datetime.fromtimestamp(0, tz=self.now.tzinfo)
        for index, stamp in enumerate(stamps):
            when = base + timedelta(seconds=stamp)
            scenario = scripted.get(index) or self._random_scenario(self.now - when)
            self._order(scenario, when)
        self._refund_posts()

    def _stamps(self, count: int) -> list[int]:
        """``count`` distinct order times (Unix seconds) over the history, ascending."""
        rng = self.rng
        now_ts = self.now.timestamp()
        start = now_ts - HISTORY_DAYS * 86400
        stamps = sorted(int(start + (now_ts - 600 - start) * rng.random()) for _ in range(count))
        for i in range(1, count):
            if stamps[i] <= stamps[i - 1]:
                stamps[i] = stamps[i - 1] + 1
        if stamps and stamps[-1] > now_ts - 60:  # keep the newest order in the past
            shift = int(stamps[-1] - (now_ts - 60))
            stamps = [stamp - shift for stamp in stamps]
        return stamps

    def shop_orders(self, count: int) -> None:
        """The ``shop`` dataset's orders: every one the demo vendor's, statuses in the shares of
        :data:`SHOP_STATUS_SHARES` (see :func:`generate_shop`)."""
        rng = self.rng
        stamps = self._stamps(count)
        plan = self._shop_plan(count)
        base = datetime.fromtimestamp(0, tz=self.now.tzinfo)
        for stamp, target in zip(stamps, plan, strict=True):
            when = base + timedelta(seconds=stamp)
            days = (self.now - when).total_seconds() / 86400
            # A refund leaves the main status "refunded" only when nothing of the order is left:
            # refunded orders are the vendor's alone.
            split = target != "refunded" and rng.random() < SHOP_SPLIT_SHARE
            scenario = _Scenario(vendors=2 if split else 1, demo=True, detailed=days <= DETAIL_DAYS)
            if target == "refunded":
                scenario.outcome, scenario.refund = "completed", "full"
            else:
                scenario.outcome = target
            if target == "processing":
                # The vendor's own part: not shipped yet, or shipped and waiting for the admin
                # (a vendor part "completed" would complete a single-vendor order).
                scenario.vendor_states = ("shipped" if rng.random() < 0.4 else "processing",)
            self._draw_details(scenario, target, days)
            self._order(scenario, when)
        self._refund_posts()

    def _shop_plan(self, count: int) -> list[str]:
        """The target status of each of ``count`` orders (oldest first): exact shares; half the
        processing orders are the newest ones (not shipped yet), the other half and every other
        status anywhere in the two years."""
        plan = ["completed"] * count
        wanted = {status: round(count * share) for status, share in SHOP_STATUS_SHARES}
        newest = min(wanted["processing"] // 2, count)
        for index in range(count - newest, count):
            plan[index] = "processing"
        wanted["processing"] -= newest
        free = list(range(count - newest))
        for status, _share in SHOP_STATUS_SHARES:
            picked = self.rng.sample(free, k=min(wanted[status], len(free)))
            for index in picked:
                plan[index] = status
            taken = set(picked)
            free = [index for index in free if index not in taken]
        return plan

    def _place_scripts(self, count: int) -> dict[int, _Scenario]:
        placed: dict[int, _Scenario] = {}
        for offset, scenario in enumerate(self.locale.recent_script):
            index = count - 1 - offset * 2
            if index >= 0:
                placed[index] = scenario
        middle = count // 2
        for offset, scenario in enumerate(self.locale.aged_script):
            index = middle + offset * 3
            while index in placed and index > 0:
                index -= 1
            if 0 <= index < count and index not in placed:
                placed[index] = scenario
        return placed

    def _random_scenario(self, age: timedelta) -> _Scenario:
        rng = self.rng
        days = age.total_seconds() / 86400
        roll = rng.random()
        if days < 2:
            table = (
                ("processing", 0.5),
                ("on-hold", 0.65),
                ("pending", 0.72),
                ("completed", 0.87),
                ("failed", 0.92),
                ("cancelled", 0.97),
                ("refunded", 1.0),
            )
        elif days < 14:
            table = (
                ("processing", 0.3),
                ("completed", 0.8),
                ("on-hold", 0.85),
                ("cancelled", 0.9),
                ("failed", 0.94),
                ("pending", 0.96),
                ("refunded", 1.0),
            )
        else:
            table = (
                ("completed", 0.84),
                ("cancelled", 0.89),
                ("refunded", 0.93),
                ("failed", 0.97),
                ("processing", 0.985),
                ("on-hold", 0.995),
                ("pending", 1.0),
            )
        outcome = next(status for status, limit in table if roll < limit)
        scenario = _Scenario(demo=rng.random() < 0.45, detailed=days <= DETAIL_DAYS)
        split = rng.random()
        scenario.vendors = 3 if split < 0.04 else 2 if split < 0.22 else 1
        if outcome == "refunded":
            scenario.outcome, scenario.refund = "completed", "full"
        else:
            scenario.outcome = outcome
        self._draw_details(scenario, outcome, days)
        return scenario

    def _draw_details(self, scenario: _Scenario, outcome: str, days: float) -> None:
        """The rest of a random order: refund requests, variations, virtual items, coupons,
        fees, notes."""
        rng = self.rng
        if outcome == "completed" and rng.random() < 0.05:
            scenario.refund = rng.choice(
                ("partial", "rejected", "requested" if days < 30 else "partial")
            )
        elif outcome == "processing" and rng.random() < 0.04:
            scenario.refund = "requested"
        scenario.variation = rng.random() < 0.3
        scenario.virtual_only = rng.random() < 0.08
        scenario.coupon = rng.random() < 0.06
        scenario.fee = rng.random() < 0.03
        scenario.vendor_note = rng.random() < 0.05
        if rng.random() < 0.12:
            scenario.note = rng.choice(self.locale.customer_notes)

    def _pick_vendors(self, scenario: _Scenario) -> list[User]:
        rng = self.rng
        wanted = max(1, min(scenario.vendors or 1, len(self.vendors)))
        demo, others = self.vendors[0], self.vendors[1:]
        if scenario.demo:
            if wanted == 1:
                return [demo]
            return [demo, *rng.sample(others, k=wanted - 1)]
        if wanted == 1:
            return [rng.choice(others)]
        return rng.sample(self.vendors, k=wanted)

    def _lines(self, vendors: list[User], scenario: _Scenario) -> list[Line]:
        rng = self.rng
        cat = self.catalogue
        lines: list[Line] = []
        for position, vendor in enumerate(vendors):
            if scenario.virtual_only and cat.virtual.get(vendor.id):
                pool = cat.virtual[vendor.id]
            elif scenario.virtual_only:
                pool = cat.products[vendor.id]
            else:
                pool = cat.products[vendor.id]
            roll = rng.random()
            count = min(len(pool), 1 if roll < 0.7 else 2 if roll < 0.92 else 3)
            picks = [rng.choice(pool)] if count == 1 else rng.sample(pool, k=count)
            if (
                scenario.variation
                and position == 0
                and cat.variable.get(vendor.id)
                and not scenario.virtual_only
            ):
                variable = rng.choice(cat.variable[vendor.id])
                if variable not in picks:
                    picks[0] = variable
            if not scenario.virtual_only and all(parent.virtual for parent, _ in picks):
                shippable = cat.shippable.get(vendor.id)
                if shippable:
                    picks[0] = rng.choice(shippable)
            for parent, children in picks:
                quantity_roll = rng.random()
                quantity = (
                    1 if quantity_roll < 0.75 else 2 if quantity_roll < 0.9 else rng.randint(3, 5)
                )
                lines.append((parent, quantity, rng.choice(children) if children else None))
        return lines

    def _customer(self, scenario: _Scenario) -> User:
        if scenario.customer_script and self.customers_by_script.get(scenario.customer_script):
            return self.rng.choice(self.customers_by_script[scenario.customer_script])
        return self.rng.choice(self.customers)

    def _method(self, scenario: _Scenario) -> str:
        if scenario.method:
            return scenario.method
        if scenario.outcome == "on-hold":
            return "bacs"
        if scenario.outcome in ("pending", "failed"):
            return self.rng.choice(("stripe", "stripe", "paypal"))
        roll = self.rng.random()
        return (
            "cod"
            if roll < 0.3
            else "bacs"
            if roll < 0.45
            else "stripe"
            if roll < 0.85
            else "paypal"
        )

    def _order(self, scenario: _Scenario, when: datetime) -> None:
        rng = self.rng
        state = self.state
        vendors = self._pick_vendors(scenario)
        lines = self._lines(vendors, scenario)
        customer = self._customer(scenario)
        method = self._method(scenario)
        outcome = scenario.outcome or "processing"
        detailed = scenario.detailed
        if outcome in ("pending", "failed"):
            initial = outcome
        elif method == "bacs":
            initial = "on-hold"
        else:
            initial = "processing"
        country = customer.billing.country
        rate: ShippingRate | None
        if self.french:
            rate = self._french_rate(scenario, customer)
            cost = rate.cost
        else:
            cost = Decimal("5") if country == "US" else Decimal("12.50")
            rates = {"flat_rate": flat_rate(cost), "free_shipping": FREE_SHIPPING}
            rates["local_pickup"] = LOCAL_PICKUP
            shipping = scenario.shipping
            if shipping is None:
                shipping = "local_pickup" if rng.random() < LOCAL_PICKUP_SHARE else ""
            rate = rates.get(shipping)  # None: each vendor's rule (flat rate, free from 75.00)
        messages_before = len(state.messages)
        order = place_order(
            state,
            customer,
            lines,
            status=initial,
            payment_method=method,
            when=when,
            customer_note=scenario.note or "",
            shipping_cost=cost,
            per_vendor_shipping=True,
            shipping_rates=dict.fromkeys((v.id for v in vendors), rate) if rate else None,
            coupon=rng.choice(self.locale.coupons) if scenario.coupon else None,
            fees=((self.locale.gift_wrapping, Decimal("3.50")),) if scenario.fee else (),
            tax=self.tax_by_country.get(country),
            rng=rng,
            write_notes=detailed,
            notify=detailed,
            send_mails=False,
        )
        if detailed and self.now - when >= READ_AFTER:
            # Notifications older than a few days have been read by their recipient.
            read_at = when + timedelta(hours=5)
            for message in state.messages[messages_before:]:
                message.read_by[message.message_to or 1] = read_at
        self._history(order, scenario, outcome, vendors, when)

    # ---------------------------------------------------------------- history
    def _history(
        self, order: Order, scenario: _Scenario, outcome: str, vendors: list[User], when: datetime
    ) -> None:
        rng = self.rng
        now = self.now
        age = now - when
        detailed = scenario.detailed

        def at(low_hours: float, high_hours: float, after: datetime | None = None) -> datetime:
            """A moment after ``after`` (default: the order), never later than now."""
            base = after or when
            room = (now - base).total_seconds()
            wanted = rng.uniform(low_hours, high_hours) * 3600
            return base + timedelta(seconds=int(min(wanted, room * 0.8)))

        if outcome in ("pending", "failed", "on-hold"):
            return
        if (
            outcome == "completed"
            and not detailed
            and order.status == "processing"
            and not scenario.refund
            and not scenario.vendor_note
        ):
            self._bulk_completed(order, scenario, vendors, when)
            return
        if order.status == "on-hold":  # a bank transfer: paid later, or never (cancelled)
            if outcome == "cancelled":
                self._set_main(order, "cancelled", at(72, 200), detailed)
                return
            paid = at(4, 60)
            order.date_paid = paid
            self._set_main(order, "processing", paid, detailed)
        if outcome == "cancelled":
            self._set_main(order, "cancelled", at(1, 30), detailed)
            return
        # processing or completed: each vendor ships (with tracking) and completes its part
        states = scenario.vendor_states
        completion_times: list[datetime] = []
        for position, vendor in enumerate(vendors):
            own = order.items_of(vendor.id)
            rows = self.state.commissions_of_order(order.id, vendor.id)
            target = states[position] if states and position < len(states) else None
            if outcome == "completed":
                target = "completed"
            elif target is None:
                roll = rng.random()
                days = age.total_seconds() / 86400
                target = (
                    "processing"
                    if roll < 0.45 or days < 0.5
                    else "shipped"
                    if roll < 0.9
                    else "completed"
                )
            shipped_at: datetime | None = None
            if target in ("shipped", "completed") and any(not item.virtual for item in own):
                shipped_at = at(6, 72)
                self._ship(order, vendor, own, rows, shipped_at, detailed)
            if target == "completed":
                done = at(24, 200, shipped_at) if shipped_at else at(0.1, 2)
                completion_times.append(done)
                for row in rows:
                    row.commission_status = "completed"
                if detailed and len(vendors) > 1:
                    self._vendor_status_note(order, vendor, own, "completed", done)
            elif target == "shipped":
                for row in rows:
                    row.commission_status = "shipped" if shipped_at else row.commission_status
        if outcome == "completed":
            finished = max(completion_times, default=at(1, 48))
            self._set_main(order, "completed", finished, detailed)
        if scenario.vendor_note:
            self._vendor_note(order, vendors[0], at(1, 20))
        if scenario.refund:
            self._refund(order, vendors[0], scenario.refund, detailed)
        payout = scenario.payout
        if payout is None and order.status == "completed" and order.date_completed is not None:
            since = (now - order.date_completed).days
            roll = rng.random()
            if since > 21:
                payout = "completed" if roll < 0.75 else "requested" if roll < 0.85 else None
            elif since > 7:
                payout = "requested" if roll < 0.3 else None
        if payout and order.status == "completed":
            self._payout(order, payout)

    def _bulk_completed(
        self, order: Order, scenario: _Scenario, vendors: list[User], when: datetime
    ) -> None:
        """The common case of old history, kept lean: shipped (some with tracking), completed,
        often paid out. Same effect as the general path without notes."""
        rng = self.rng
        room = (self.now - when).total_seconds()
        shipped = when + timedelta(seconds=int(min(rng.uniform(6, 72) * 3600, room * 0.4)))
        finished = when + timedelta(seconds=int(min(rng.uniform(48, 260) * 3600, room * 0.8)))
        rows = self.state.commissions_of_order(order.id)
        if rng.random() < 0.35:
            for vendor in vendors:
                own = [
                    item for item in order.items if item.vendor_id == vendor.id and not item.virtual
                ]
                if own:
                    self._ship(
                        order,
                        vendor,
                        own,
                        [row for row in rows if row.vendor_id == vendor.id],
                        shipped,
                        False,
                    )
        order.status = "completed"
        order.date_modified = order.date_completed = finished
        order.date_paid = order.date_paid or finished
        order.download_permissions_granted = True
        for row in rows:
            row.order_status = row.commission_status = "completed"
        since = (self.now - finished).days
        payout = scenario.payout
        if payout is None:
            roll = rng.random()
            if since > 21:
                payout = "completed" if roll < 0.75 else "requested" if roll < 0.85 else None
            elif since > 7 and roll < 0.3:
                payout = "requested"
        if payout:
            self._payout(order, payout, rows)

    def _set_main(self, order: Order, status: str, moment: datetime, detailed: bool) -> None:
        """An admin/gateway main-status change: every commission row follows."""
        old = order.status
        order.status = status
        order.date_modified = max(order.date_modified, moment)
        if status in ("processing", "completed"):
            order.download_permissions_granted = True
        if status == "completed":
            order.date_completed = moment
            order.date_paid = order.date_paid or moment
        for row in self.state.commissions_of_order(order.id):
            row.order_status = status
            if status != "processing" or row.commission_status in ("on-hold", "pending"):
                row.commission_status = status
            if self.hide_cancelled:
                row.is_trashed = status == "cancelled"
        if self.hide_cancelled:
            self.state.update_visibility(order.id)
        if detailed:
            self._note(
                order, status_change_note(old, status, language=self.locale.language), moment
            )

    def _ship(
        self,
        order: Order,
        vendor: User,
        items: list[OrderItem],
        rows: list[CommissionRow],
        moment: datetime,
        detailed: bool,
    ) -> None:
        rng = self.rng
        if self.french:
            code, url = self._french_tracking(order, vendor)
        else:
            _carrier, template, prefix = rng.choice(names.CARRIERS)
            code = f"{prefix}{rng.randrange(10**8, 10**9)}"
            url = template.format(code=code)
        for item in items:
            if item.virtual:
                continue
            item.meta.append(
                MetaEntry(self.state.next_id(SEQ_ITEM_META), "wcfm_tracking_code", code)
            )
            item.meta.append(MetaEntry(self.state.next_id(SEQ_ITEM_META), "wcfm_tracking_url", url))
            if detailed:
                store = store_link(self.state, vendor)
                link = (
                    f'<a class="wcfm_dashboard_item_title" target="_blank" href="{url}">{code}</a>'
                )
                if self.french:
                    content = (
                        f"Le vendeur <b>{store}</b> a expédié <b>{item.name}</b> au client.<br/>"
                        f"Infos de suivi : {link}"
                    )
                else:
                    content = (
                        f"Vendor <b>{store}</b> has shipped <b>{item.name}</b> to customer.<br/>"
                        f"Tracking Info : {link}"
                    )
                self._note(order, content, moment, author=vendor, store_author=True)
        for row in rows:
            shipped_item = order.item(row.item_id)
            if shipped_item is not None and not shipped_item.virtual:
                row.shipping_status = "shipped"
            row.commission_status = "shipped"
        order.date_modified = max(order.date_modified, moment)

    def _vendor_status_note(
        self, order: Order, vendor: User, items: list[OrderItem], status: str, moment: datetime
    ) -> None:
        site = self.state.settings.site_url
        for item in items:
            product = self.state.products.get(item.product_id)
            slug = product.slug if product else str(item.product_id)
            link = (
                f'<a target="_blank" class="wcfm_dashboard_item_title" '
                f'href="{site}/product/{slug}/">{item.name}</a>'
            )
            store = store_link(self.state, vendor)
            if self.french:
                content = (
                    f"Le statut de l'article <b>{link}</b> est passé à "
                    f"<b>{FRENCH_ORDER_STATUSES[status]}</b> par <b>{store}</b>"
                )
            else:
                content = (
                    f"Order item <b>{link}</b> status updated to "
                    f"<b>{WC_ORDER_STATUSES[status]}</b> by <b>{store}</b>"
                )
            self._note(order, content, moment, author=vendor, store_author=True, customer=True)

    def _vendor_note(self, order: Order, vendor: User, moment: datetime) -> None:
        customer = self.rng.random() < 0.5
        locale = self.locale
        text = self.rng.choice(
            locale.vendor_notes_customer if customer else locale.vendor_notes_private
        )
        store = store_link(self.state, vendor)
        if self.french:
            content = f"{store} a ajouté la note suivante : <br />{text}"
        else:
            content = f"{store} has added the following note: <br />{text}"
        self._note(order, content, moment, author=vendor, customer=customer)

    def _refund(self, order: Order, vendor: User, kind: str, detailed: bool) -> None:
        """A WCFM refund request by ``vendor`` for its first item (all its items for "full")."""
        rng = self.rng
        state = self.state
        rows = state.commissions_of_order(order.id, vendor.id)
        if not rows:
            return
        full = kind == "full"
        targets = rows if full else rows[:1]
        reason = rng.choice(self.locale.refund_reasons)
        base = order.date_completed or order.date_paid or order.date_created
        room = max(60.0, (self.now - base).total_seconds())
        requested_at = base + timedelta(seconds=int(room * rng.uniform(0.05, 0.3)))
        decided_at = requested_at + timedelta(seconds=int(room * rng.uniform(0.05, 0.3)))
        status = {"requested": "requested", "rejected": "cancelled"}.get(kind, "completed")
        refund_lines: list[RefundLine] = []
        for row in targets:
            item = order.item(row.item_id)
            if item is None:
                continue
            amount = item.total if full else php_amount(item.total / 2)
            request = RefundRequest(
                ID=state.next_id(SEQ_REFUND_REQUEST),
                vendor_id=vendor.id,
                requested_by=vendor.id,
                order_id=order.id,
                commission_id=row.ID,
                item_id=item.id,
                refunded_amount=amount,
                refund_reason=reason,
                is_partially_refunded=not full,
                created=requested_at,
                refunded_qty=item.quantity if full else 0,
                refunded_tax=item.total_tax if full else ZERO,
                refund_status=status,
            )
            state.refund_requests[request.ID] = request
            row.refund_status = status
            if detailed or status == "requested":
                received = (
                    f"Demande de remboursement #{request.ID} reçue pour la commande "
                    f"#{order.id}, article {item.name}"
                    if self.french
                    else f"Refund Request #{request.ID} received for Order #{order.id} "
                    f"item {item.name}"
                )
                self._note(order, received, requested_at, customer=True)
            if status == "completed":
                request.approved_by = 1
                request.refund_paid_date = decided_at
                row.refunded_amount = amount
                row.refunded_id = request.ID
                remaining = item.total - amount
                row.commission_amount = php_amount(
                    remaining * state.settings.commission_percent / 100
                )
                row.total_commission = php_amount(
                    row.commission_amount
                    + (row.shipping + row.shipping_tax_amount if remaining else ZERO)
                )
                row.is_refunded = full
                row.is_partially_refunded = not full
                if full:
                    row.commission_status = "refunded"
                refund_lines.append(
                    RefundLine(item.id, request.refunded_qty, amount, request.refunded_tax)
                )
        if status == "requested":
            order.meta.append(
                MetaEntry(state.next_id(SEQ_POST_META), "_wcfm_refund_request", "yes")
            )
            return
        if status == "cancelled":
            cancelled = (
                f"Demande de remboursement annulée pour la commande #{order.id}."
                if self.french
                else f"Refund Request cancelled for Order #{order.id}."
            )
            self._note(order, cancelled, decided_at, customer=True)
            return
        total = sum((line.refund_total + line.refund_tax for line in refund_lines), ZERO)
        self.refund_posts.append(
            (
                order,
                Refund(
                    id=0,
                    order_id=order.id,
                    amount=total,
                    reason=reason,
                    date_created=decided_at,
                    refunded_by=1,
                    lines=refund_lines,
                ),
            )
        )
        if self.french:
            kind_text = "" if full else " partielle"
            approved = (
                f"Demande de remboursement{kind_text} approuvée pour la commande #{order.id}."
            )
        else:
            prefix = "" if full else "Partial "
            approved = f"{prefix}Refund Request approved for Order #{order.id}."
        self._note(order, approved, decided_at, customer=True)
        everything = all(row.is_refunded for row in state.commissions_of_order(order.id))
        if everything:
            self._set_main(order, "refunded", decided_at, True)

    def _refund_posts(self) -> None:
        """WooCommerce refunds are posts created when approved: ids after every order."""
        for order, refund in sorted(self.refund_posts, key=lambda pair: pair[1].date_created):
            refund.id = self.state.next_id(SEQ_POST)
            order.refunds.append(refund)

    def _payout(self, order: Order, kind: str, rows: list[CommissionRow] | None = None) -> None:
        assert order.date_completed is not None
        room = max(3600.0, (self.now - order.date_completed).total_seconds())
        requested = order.date_completed + timedelta(seconds=int(room * self.rng.uniform(0.1, 0.5)))
        paid = requested + timedelta(seconds=int(room * 0.2))
        for row in rows if rows is not None else self.state.commissions_of_order(order.id):
            if (
                row.commission_status != "completed"
                or row.is_refunded
                or row.refund_status == "requested"
            ):
                continue
            key = (row.vendor_id, requested.year, requested.month)
            withdrawal = self.withdrawal_ids.setdefault(key, len(self.withdrawal_ids) + 1)
            row.withdrawal_id = withdrawal
            row.withdraw_status = kind
            if kind == "completed":
                row.commission_paid_date = paid
                row.is_withdrawable = False

    # --------------------------------------------------------- French shipping
    def _french_rate(self, scenario: _Scenario, customer: User) -> ShippingRate:
        """The French shop's shipping: the scenario's carrier, else drawn
        (:data:`FR_CARRIER_SHARES`); Mondial Relay with the relay point near the customer
        (France and Belgium only — elsewhere Colissimo), abroad the carriers' international
        methods."""
        carrier = scenario.shipping
        if carrier is None:
            roll = self.rng.random()
            carrier = next(name for name, limit in FR_CARRIER_SHARES if roll < limit)
        address = customer.shipping
        relay = names_fr.RELAY_POINTS.get(address.postcode)
        if carrier == "mondial_relay" and (relay is None or relay.country != address.country):
            carrier = "colissimo"
        method = names_fr.SHIPPING[(carrier, address.country == "FR")]
        meta: tuple[tuple[str, str], ...] = ()
        if carrier == "mondial_relay" and relay is not None:
            meta = (
                ("Point relais", relay.name),
                ("Adresse du point relais", f"{relay.address}, {relay.postcode} {relay.city}"),
                ("Numéro du point relais", f"{relay.country}-{relay.id}"),
            )
        return ShippingRate(
            method.method_id, method.title, method.instance_id, Decimal(method.cost), meta
        )

    def _french_tracking(self, order: Order, vendor: User) -> tuple[str, str]:
        """A tracking code of the carrier the vendor's package ships with, and its URL."""
        rng = self.rng
        line = next(
            (line for line in order.shipping_lines if line.vendor_id == vendor.id),
            order.shipping_lines[0] if order.shipping_lines else None,
        )
        carrier = next(
            (
                method.carrier
                for method in names_fr.SHIPPING.values()
                if line is not None and method.method_id == line.method_id
            ),
            "colissimo",
        )
        if carrier == "mondial_relay":
            code = f"{rng.randrange(10**7, 10**8)}"
        elif carrier == "chronopost":
            serial = f"{rng.randrange(10**7, 10**8)}"
            code = f"XP{serial}{_s10_check(serial)}FR"
        else:
            number = f"{rng.randrange(10**9, 10**10)}"
            code = f"6A{number}{_colissimo_key(number)}"
        url = names_fr.TRACKING_URLS[carrier].format(code=code, postcode=order.shipping.postcode)
        return code, url

    # ------------------------------------------------------------- rows helpers
    def _note(
        self,
        order: Order,
        content: str,
        moment: datetime,
        *,
        author: User | None = None,
        store_author: bool = False,
        customer: bool = False,
    ) -> None:
        if author is None:
            added_by = "system"
        elif store_author and author.store:
            added_by = author.store.store_name
        else:
            added_by = author.display_name
        self.state.add_note(
            Note(
                id=self.state.next_id(SEQ_COMMENT),
                order_id=order.id,
                content=content,
                customer_note=customer,
                added_by=added_by,
                date_created=moment,
                author_user_id=author.id if author else None,
                vendor_id=author.id if author and store_author else None,
            )
        )
        order.date_modified = max(order.date_modified, moment)


def _colissimo_key(digits: str) -> int:
    """La Poste's key of a 10-digit Colissimo parcel number (weights 1, 3, 1, 3 … mod 10)."""
    total = sum(int(d) * (1, 3)[i % 2] for i, d in enumerate(digits))
    return (10 - total % 10) % 10


def _s10_check(serial: str) -> int:
    """The UPU S10 check digit of an 8-digit serial (Chronopost's XP…FR skybills)."""
    total = sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    return {10: 0, 11: 5}.get(check, check)


def _slug(text: str) -> str:
    kept = "".join(ch.lower() if ch.isascii() and ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in kept.split("-") if part)


def app_password_for(login: str) -> str:
    """A stable, invented WordPress application password for ``login``.

    Shaped like the ones WordPress shows once at creation: 24 letters and digits in groups of
    four (``"AbC1 dEf2 …"``). WordPress ignores the spaces when checking one.
    """
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    digest = hashlib.sha256(f"vendor-desk-sandbox:{login}".encode()).digest()
    chars = "".join(alphabet[byte % len(alphabet)] for byte in digest[:24])
    return " ".join(chars[i : i + 4] for i in range(0, 24, 4))


def generate(
    state: MarketplaceState,
    *,
    seed: int,
    orders: int,
    now: datetime | None = None,
    currency: str | None = None,
    locale: str = "en",
) -> None:
    """Fill an empty ``state`` with the generated marketplace (see the module docstring).

    ``locale`` "fr": the French shop (:mod:`~vendor_desk.sandbox.names_fr`: an upcycling
    workshop and its neighbours, French customers, Colissimo / Mondial Relay / Chronopost, a
    WordPress site in French); ``currency`` defaults to the locale's (USD, EUR)."""
    moment = (now or utcnow()).replace(microsecond=0)
    collecting = gc.isenabled()
    gc.disable()  # a million fresh objects and no cycles: the cyclic collector only costs time
    try:
        with state.lock:
            generator = _prepare(state, seed, moment, currency, locale)
            generator.people(
                customer_count=max(len(generator.locale.people), min(2000, orders // 10))
            )
            generator.products()
            generator.orders(orders)
    finally:
        if collecting:
            gc.enable()


def generate_shop(
    state: MarketplaceState,
    *,
    seed: int,
    orders: int,
    now: datetime | None = None,
    currency: str | None = None,
    locale: str = "en",
) -> None:
    """Fill an empty ``state`` with the ``shop`` dataset: one vendor's real-sized shop, shaped
    like the one Vendor Desk was measured against (issue 14).

    The same people, products and order machinery as :func:`generate`, but every one of the
    ``orders`` orders is the demo vendor's (``demo_vendor``), spread over the two years before
    ``now``, with the real shop's statuses (:data:`SHOP_STATUS_SHARES`: ≈ 93 % completed,
    3.1 % processing — half of them the newest orders, the rest old —, 1.3 % on-hold spread
    over the two years, 1.4 % cancelled, 1.3 % refunded), 15 % split with another vendor, and
    cancelled orders off the vendor's list as on a real WCFM site (their commission rows are
    ``is_trashed``; the single GET still reads them). No scripted showcase orders. Same
    ``seed``, ``orders`` and ``now`` → same data."""
    moment = (now or utcnow()).replace(microsecond=0)
    collecting = gc.isenabled()
    gc.disable()
    try:
        with state.lock:
            generator = _prepare(state, seed, moment, currency, locale)
            generator.hide_cancelled = True
            generator.people(
                customer_count=max(len(generator.locale.people), min(2000, orders // 10))
            )
            generator.products()
            generator.shop_orders(orders)
    finally:
        if collecting:
            gc.enable()


def _prepare(
    state: MarketplaceState, seed: int, now: datetime, currency: str | None, locale: str
) -> _Generator:
    """The site settings of a generated site in ``locale`` and its generator."""
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}")
    chosen = LOCALES[locale]
    settings = state.settings
    settings.currency = currency or DEFAULT_CURRENCIES[locale]
    settings.language = chosen.language
    if chosen.site_name is not None:
        settings.site_name = chosen.site_name
    settings.vendor_shipping = True
    # The French shop's carriers charge every parcel (no free-shipping threshold).
    settings.free_shipping_over = None if chosen.language == "fr" else FREE_SHIPPING_OVER
    return _Generator(state, seed, now, chosen)
