"""The client against the simulator over real HTTP: sign-in, every operation, both editions."""

from __future__ import annotations

from datetime import date

import pytest

from tests.marketplace.conftest import Site
from vendor_desk.domain import (
    AuthMethod,
    Money,
    NoteKind,
    OrderStatus,
    RefundLine,
    RefundMode,
    RefundRequestStatus,
    RefundState,
)
from vendor_desk.marketplace import (
    AuthenticationRefused,
    CapabilityMissing,
    InsecureConnection,
    Marketplace,
    NotAllowed,
    NotFound,
    ReadOnlyCredentials,
    RuleRefused,
    WcfmMarketplace,
)


def usd(value: str) -> Money:
    return Money.of(value, "USD")


# ============================================================================= sign-in
class TestSignIn:
    def test_jwt_is_preferred_and_identifies_the_vendor(self, ultimate: Site) -> None:
        client = ultimate.client()
        assert isinstance(client, Marketplace)
        identity = client.identify()
        assert (identity.vendor_id, identity.store_name) == (2, "Alpha Goods")
        assert identity.auth_method is AuthMethod.JWT
        assert ultimate.sent("POST", "/wp-json/jwt-auth/v1/token") == 1

    @pytest.mark.parametrize("auth", [AuthMethod.COOKIE, AuthMethod.APP_PASSWORD])
    def test_other_methods_identify_the_vendor(self, ultimate: Site, auth: AuthMethod) -> None:
        identity = ultimate.client(auth=auth).identify()
        assert (identity.vendor_id, identity.login, identity.store_name) == (
            2,
            "vendor_a",
            "Alpha Goods",
        )
        assert identity.auth_method is auth
        assert ultimate.sent("POST", "jwt-auth") == 0

    def test_capabilities_of_both_editions(self, ultimate: Site, free: Site) -> None:
        caps = ultimate.client().capabilities()
        assert caps.jwt_available and caps.ultimate is True and caps.dashboard_available
        caps = free.client().capabilities()
        assert caps.jwt_available and caps.ultimate is False
        assert not caps.can_add_notes and not caps.can_add_tracking

    def test_app_password_has_no_dashboard(self, ultimate: Site) -> None:
        caps = ultimate.client(auth=AuthMethod.APP_PASSWORD).capabilities()
        assert caps.ultimate is None and not caps.dashboard_available
        assert caps.jwt_available
        assert ultimate.sent("POST", "wp-login.php") == 0

    def test_falls_back_to_cookie_session_without_the_jwt_plugin(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault(
            "status", r"jwt-auth/v1/token", status=404, code="rest_no_route", times=None
        )
        client = ultimate.client()
        assert client.identify().store_name == "Alpha Goods"
        assert client.auth_method is AuthMethod.COOKIE
        assert [o.id for o in client.list_orders(per_page=2)] == [24, 22]

    @pytest.mark.parametrize("auth", [None, AuthMethod.COOKIE])
    def test_wrong_password_is_refused(self, ultimate: Site, auth: AuthMethod | None) -> None:
        client = WcfmMarketplace(ultimate.sim.base_url, "vendor_a", "wrong", auth=auth)
        with pytest.raises(AuthenticationRefused) as error:
            client.identify()
        assert "user name and password" in str(error.value)

    def test_wrong_application_password_is_refused(self, ultimate: Site) -> None:
        client = WcfmMarketplace(
            ultimate.sim.base_url, "vendor_a", "xxxx xxxx", auth=AuthMethod.APP_PASSWORD
        )
        with pytest.raises(AuthenticationRefused):
            client.identify()

    def test_customer_account_is_not_a_vendor(self, ultimate: Site) -> None:
        with pytest.raises(NotAllowed) as error:
            ultimate.client("customer_c").identify()
        assert "not a vendor" in str(error.value)

    @pytest.mark.parametrize(
        "url", ["http://shop.example.com", "http://192.168.1.10:8080", "ftp://127.0.0.1", "shop"]
    )
    def test_plain_http_off_this_computer_is_refused(self, url: str) -> None:
        with pytest.raises(InsecureConnection):
            WcfmMarketplace(url, "vendor_a", "secret")

    @pytest.mark.parametrize(
        "url",
        [
            "https://shop.example.com/",
            "http://127.0.0.2:8089",
            "http://localhost",
            "http://[::1]:80",
        ],
    )
    def test_https_and_loopback_are_accepted(self, url: str) -> None:
        client = WcfmMarketplace(url, "vendor_a", "secret")
        assert not client.base_url.endswith("/")
        client.close()


# ============================================================================== orders
class TestOrders:
    @pytest.mark.parametrize("auth", [AuthMethod.JWT, AuthMethod.COOKIE, AuthMethod.APP_PASSWORD])
    def test_paging_without_totals(self, ultimate: Site, auth: AuthMethod) -> None:
        client = ultimate.client(auth=auth)
        pages = list(client.iter_order_pages(per_page=4))
        assert [len(page) for page in pages] == [4, 2]
        ids = [order.id for page in pages for order in page]
        assert ids == [24, 22, 21, 20, 19, 18]
        # the short second page ends the walk: no third request
        assert ultimate.sent("GET", "/wcfmmp/v1/orders?") == 2
        assert client.list_orders(page=4, per_page=2) == []

    def test_exact_multiple_of_page_size_ends_on_empty_page(self, ultimate: Site) -> None:
        pages = list(ultimate.client().iter_order_pages(per_page=3))
        assert [len(page) for page in pages] == [3, 3]
        assert ultimate.sent("GET", "/wcfmmp/v1/orders?") == 3

    def test_date_range_needs_both_ends(self, ultimate: Site) -> None:
        client = ultimate.client()
        orders = client.list_orders(after=date(2026, 11, 20), before=date(2026, 11, 24))
        assert orders and all(o.id in {19, 20, 21} for o in orders)
        with pytest.raises(ValueError):
            client.list_orders(after=date(2026, 11, 20))
        with pytest.raises(ValueError):
            client.list_orders(per_page=101)

    def test_list_parses_vendor_and_main_status(self, ultimate: Site) -> None:
        orders = {o.id: o for o in ultimate.client().list_orders()}
        assert orders[24].main_status == OrderStatus.ON_HOLD
        assert orders[21].split and not orders[19].split
        assert orders[19].earning == usd("53.99")

    @pytest.mark.parametrize("auth", [AuthMethod.JWT, AuthMethod.COOKIE, AuthMethod.APP_PASSWORD])
    def test_foreign_and_unknown_orders_are_not_found(
        self, ultimate: Site, auth: AuthMethod
    ) -> None:
        client = ultimate.client(auth=auth)
        for order_id in (23, 999999):
            with pytest.raises(NotFound) as error:
                client.get_order(order_id)
            assert f"#{order_id}" in str(error.value)

    def test_empty_status_under_app_password_does_not_wipe(self, ultimate: Site) -> None:
        client = ultimate.client(auth=AuthMethod.APP_PASSWORD)
        listed = {o.id: o for o in client.list_orders()}[19]
        assert listed.vendor_status == OrderStatus.PROCESSING
        single = client.get_order(19)
        assert single.vendor_status.is_unknown
        assert single.fill_unknown_from(listed).vendor_status == OrderStatus.PROCESSING

    @pytest.mark.parametrize("auth", [AuthMethod.JWT, AuthMethod.COOKIE])
    def test_single_order_status_with_login_password(
        self, ultimate: Site, auth: AuthMethod
    ) -> None:
        order = ultimate.client(auth=auth).get_order(20)
        assert order.vendor_status == OrderStatus.ON_HOLD
        assert order.main_status.is_unknown  # only the list route tells


# ============================================================================== status
class TestStatus:
    @pytest.mark.parametrize("auth", [AuthMethod.JWT, AuthMethod.COOKIE])
    def test_set_status(self, any_edition: Site, auth: AuthMethod) -> None:
        order = any_edition.client(auth=auth).set_status(20, OrderStatus.PROCESSING)
        assert order.vendor_status == OrderStatus.PROCESSING
        rows = any_edition.sim.order_snapshot(20)["commissions"]
        assert {row["commission_status"] for row in rows} == {"processing"}

    def test_wc_prefix_is_never_sent(self, ultimate: Site) -> None:
        # the marketplace would turn "wc-completed" into "wc-wc-completed" and answer 404
        order = ultimate.client().set_status(20, OrderStatus("wc-completed"))
        assert order.vendor_status == OrderStatus.COMPLETED

    def test_mark_complete_on_a_split_order_completes_only_our_part(self, ultimate: Site) -> None:
        order = ultimate.client().mark_complete(21)
        assert order.vendor_status == OrderStatus.COMPLETED
        snapshot = ultimate.sim.order_snapshot(21)
        assert snapshot["status"] == "processing"
        statuses = {row["vendor_id"]: row["commission_status"] for row in snapshot["commissions"]}
        assert statuses == {2: "completed", 3: "processing"}

    @pytest.mark.parametrize(
        "status", [OrderStatus.REFUNDED, OrderStatus.SHIPPED, OrderStatus("x")]
    )
    def test_refused_statuses_are_not_sent(self, ultimate: Site, status: OrderStatus) -> None:
        client = ultimate.client()
        with pytest.raises(RuleRefused):
            client.set_status(20, status)
        assert ultimate.sent("PUT", "/orders/20") == 0

    def test_foreign_order_status(self, ultimate: Site) -> None:
        with pytest.raises(NotFound):
            ultimate.client().set_status(23, OrderStatus.COMPLETED)
        assert (
            ultimate.sim.order_snapshot(23)["commissions"][0]["commission_status"] == "processing"
        )

    def test_app_password_never_writes(self, ultimate: Site) -> None:
        client = ultimate.client(auth=AuthMethod.APP_PASSWORD)
        with pytest.raises(ReadOnlyCredentials) as error:
            client.set_status(20, OrderStatus.PROCESSING)
        assert "application password" in str(error.value)
        with pytest.raises(ReadOnlyCredentials):
            client.add_note(19, "hi", NoteKind.PRIVATE)
        with pytest.raises(ReadOnlyCredentials):
            client.add_tracking(19, [3], "Z1", "https://t.example/Z1")
        with pytest.raises(ReadOnlyCredentials):
            client.request_refund(19, RefundMode.FULL, [RefundLine(3, 2, usd("25"))], "x")
        with pytest.raises(ReadOnlyCredentials):
            client.send_message_to_admin("hello")
        with pytest.raises(ReadOnlyCredentials):
            client.list_refund_requests()
        assert not [line for line in ultimate.requests if line.startswith(('"POST', '"PUT'))]
        snapshot = ultimate.sim.order_snapshot(19)
        assert {row["shipping_status"] for row in snapshot["commissions"]} == {"pending"}


# =============================================================================== notes
class TestNotes:
    @pytest.mark.parametrize("auth", [AuthMethod.JWT, AuthMethod.COOKIE, AuthMethod.APP_PASSWORD])
    def test_list_notes(self, free: Site, auth: AuthMethod) -> None:
        notes = free.client(auth=auth).list_notes(19)
        assert notes and all(note.order_id == 19 for note in notes)
        assert any("Stock levels reduced" in note.text for note in notes)
        assert all("&rarr;" not in note.text for note in notes)

    @pytest.mark.parametrize("auth", [AuthMethod.JWT, AuthMethod.COOKIE])
    def test_add_private_and_customer_notes(self, ultimate: Site, auth: AuthMethod) -> None:
        client = ultimate.client(auth=auth)
        ultimate.sim.clear_mails()
        notes = client.add_note(19, "Packed, shelf B2", NoteKind.PRIVATE)
        assert any(n.text.endswith("Packed, shelf B2") and not n.customer_visible for n in notes)
        notes = client.add_note(19, "Your parcel leaves tomorrow", NoteKind.CUSTOMER)
        assert any(
            n.text.endswith("Your parcel leaves tomorrow") and n.customer_visible for n in notes
        )
        assert ultimate.sent("POST", "/orders/note/19") == 2
        assert len(ultimate.sim.mails()) == 1  # only the customer note mails the customer

    def test_free_edition_notes_are_a_missing_capability(self, free: Site) -> None:
        client = free.client()
        before = len(client.list_notes(19))
        with pytest.raises(CapabilityMissing) as error:
            client.add_note(19, "hello", NoteKind.PRIVATE)
        assert str(error.value) == (
            "This marketplace does not allow adding notes from outside its dashboard "
            "(WCFM Ultimate is not installed)."
        )
        assert len(client.list_notes(19)) == before

    def test_notes_only_on_own_orders(self, ultimate: Site) -> None:
        with pytest.raises(NotFound):
            ultimate.client().add_note(23, "not mine", NoteKind.PRIVATE)
        assert ultimate.sent("POST", "/orders/note/") == 0

    def test_empty_note_is_refused(self, ultimate: Site) -> None:
        with pytest.raises(RuleRefused):
            ultimate.client().add_note(19, "   ", NoteKind.PRIVATE)


# ============================================================================ tracking
class TestTracking:
    @pytest.mark.parametrize("auth", [AuthMethod.JWT, AuthMethod.COOKIE])
    def test_tracking_with_awkward_characters_arrives_intact(
        self, ultimate: Site, auth: AuthMethod
    ) -> None:
        code = "ZX&1#+%25 9"
        url = "https://carrier.example/track?id=ZX&1#frag+x%20y"
        order = ultimate.client(auth=auth).add_tracking(19, [3], code, url)
        mug = order.item(3)
        assert mug is not None and (mug.tracking_code, mug.tracking_url) == (code, url)
        assert order.vendor_status == OrderStatus.SHIPPED
        meta = next(i for i in ultimate.sim.order_snapshot(19)["items"] if i["id"] == 3)["meta"]
        assert (meta["wcfm_tracking_code"], meta["wcfm_tracking_url"]) == (code, url)
        assert ultimate.sent("POST", "shipment_tracking") == 1

    def test_several_items_in_one_call(self, ultimate: Site) -> None:
        order = ultimate.client().add_tracking(19, [3, 4], "PARCEL1", "https://t.example/P1")
        assert all(order.item(i).tracking_code == "PARCEL1" for i in (3, 4))  # type: ignore[union-attr]
        assert ultimate.sent("POST", "shipment_tracking") == 1

    def test_only_own_items_are_sent(self, ultimate: Site) -> None:
        with pytest.raises(RuleRefused) as error:
            ultimate.client().add_tracking(21, [9, 10], "Z", "https://t.example/Z")
        assert "10" in str(error.value)
        assert ultimate.sent("POST", "shipment_tracking") == 0
        lamp = next(i for i in ultimate.sim.order_snapshot(21)["items"] if i["id"] == 10)
        assert "wcfm_tracking_code" not in lamp["meta"]

    def test_free_edition_silent_no_op_is_detected(self, free: Site) -> None:
        with pytest.raises(CapabilityMissing) as error:
            free.client().add_tracking(19, [3], "Z1", "https://t.example/Z1")
        assert "WCFM Ultimate" in str(error.value)
        assert free.sent("POST", "shipment_tracking") == 1

    @pytest.mark.parametrize(
        ("code", "url"), [("Z1", ""), ("", "https://t.example"), ("Z1", "javascript:alert(1)")]
    )
    def test_incomplete_tracking_is_refused_before_sending(
        self, ultimate: Site, code: str, url: str
    ) -> None:
        with pytest.raises(RuleRefused):
            ultimate.client().add_tracking(19, [3], code, url)
        assert ultimate.sent("POST", "shipment_tracking") == 0

    def test_unknown_order(self, ultimate: Site) -> None:
        with pytest.raises(NotFound):
            ultimate.client().add_tracking(23, [14], "Z", "https://t.example/Z")


# ============================================================================= refunds
class TestRefunds:
    @pytest.mark.parametrize("auth", [AuthMethod.JWT, AuthMethod.COOKIE])
    def test_partial_and_full_requests(self, free: Site, auth: AuthMethod) -> None:
        client = free.client(auth=auth)
        client.request_refund(
            19, RefundMode.PARTIAL, [RefundLine(3, 1, usd("12.50"))], "Mug chipped"
        )
        client.request_refund(
            22, RefundMode.FULL, [RefundLine(12, 3, usd("29.97"))], "Changed mind"
        )
        rows = free.sim.refund_requests()
        assert [(r["order_id"], r["item_id"], r["amount"], r["partial"]) for r in rows] == [
            (19, 3, "12.50", True),
            (22, 12, "29.97", False),
        ]
        assert rows[0]["qty"] == 1 and rows[0]["reason"] == "Mug chipped"
        listed = client.list_refund_requests()
        assert {(r.id, r.order_id, r.mode, r.status) for r in listed} == {
            (1, 19, RefundMode.PARTIAL, RefundRequestStatus.REQUESTED),
            (2, 22, RefundMode.FULL, RefundRequestStatus.REQUESTED),
        }
        order = {o.id: o for o in client.list_orders()}[19]
        assert order.item(3).refund_state == RefundState.REQUESTED  # type: ignore[union-attr]
        assert order.refund_requested

    def test_approved_and_rejected_requests(self, ultimate: Site) -> None:
        client = ultimate.client()
        client.request_refund(19, RefundMode.PARTIAL, [RefundLine(3, 1, usd("12.50"))], "Chipped")
        client.request_refund(22, RefundMode.FULL, [RefundLine(12, 3, usd("29.97"))], "Mind")
        ultimate.sim.approve_refund_request(1)
        ultimate.sim.reject_refund_request(2)
        statuses = {r.id: r.status for r in client.list_refund_requests()}
        assert statuses == {1: RefundRequestStatus.APPROVED, 2: RefundRequestStatus.REJECTED}
        approved = client.list_refund_requests(RefundRequestStatus.APPROVED)
        assert [r.id for r in approved] == [1]

    def test_foreign_items_and_excess_amounts_are_refused(self, ultimate: Site) -> None:
        client = ultimate.client()
        with pytest.raises(RuleRefused):
            client.request_refund(21, RefundMode.FULL, [RefundLine(10, 1, usd("40"))], "x")
        with pytest.raises(RuleRefused):
            client.request_refund(19, RefundMode.PARTIAL, [RefundLine(3, 1, usd("99"))], "x")
        with pytest.raises(RuleRefused):
            client.request_refund(19, RefundMode.PARTIAL, [RefundLine(3, 1, usd("1"))], "  ")
        with pytest.raises(NotFound):
            client.request_refund(23, RefundMode.FULL, [RefundLine(14, 1, usd("18"))], "x")
        assert ultimate.sim.refund_requests() == []


# ================================================================= messages and board
class TestBoard:
    @pytest.mark.parametrize("auth", [AuthMethod.JWT, AuthMethod.COOKIE])
    def test_message_to_admin(self, free: Site, auth: AuthMethod) -> None:
        client = free.client(auth=auth)
        client.send_message_to_admin("Please check order 21 <b>now</b>")
        sent = [n for n in client.list_notifications(read=True) if n.type == "direct"]
        assert len(sent) == 1 and sent[0].message == "Please check order 21 now"

    def test_notifications_and_mark_read(self, ultimate: Site) -> None:
        client = ultimate.client()
        unread = client.list_notifications()
        assert unread and all(not n.read for n in unread)
        assert unread[0].order_id == 24
        client.mark_notification_read(unread[0].id)
        assert unread[0].id not in {n.id for n in client.list_notifications()}
        assert unread[0].id in {n.id for n in client.list_notifications(read=True)}
        everything = list(client.iter_notifications(per_page=3))
        assert len(everything) == len(unread) - 1

    def test_sales_stats_and_store_settings(self, free: Site) -> None:
        client = free.client(auth=AuthMethod.APP_PASSWORD)
        stats = client.sales_stats()
        assert stats.currency == "USD" and stats.earnings.month.currency == "USD"
        settings = client.store_settings()
        assert settings.store_name == "Alpha Goods" and settings.email == "vendor_a@example.test"
        assert settings.address.city == "Localhost"
