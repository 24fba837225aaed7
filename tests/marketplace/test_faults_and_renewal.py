"""Expired sign-ins are renewed transparently; injected faults become typed errors; reads are
retried, writes are sent exactly once."""

from __future__ import annotations

import time

import pytest

from tests.marketplace.conftest import FAST, Site
from vendor_desk.domain import AuthMethod, Money, NoteKind, OrderStatus, RefundLine, RefundMode
from vendor_desk.marketplace import (
    HttpSettings,
    InvalidResponse,
    RateLimited,
    ServerError,
    Unreachable,
    WcfmMarketplace,
    WriteOutcomeUnknown,
)
from vendor_desk.marketplace.transport import is_loopback_host


def usd(value: str) -> Money:
    return Money.of(value, "USD")


def status_notes(site: Site, order_id: int) -> int:
    """Notes the marketplace adds per vendor item on a vendor status change ("Order item …
    status updated to … by <store>")."""
    with site.sim.state.lock:
        return sum(
            note.content.startswith("Order item") and "status updated" in note.content
            for note in site.sim.state.notes[order_id]
        )


# ============================================================================== renewal
class TestRenewal:
    def test_expired_jwt_is_renewed_and_the_read_replayed(self, ultimate: Site) -> None:
        client = ultimate.client()
        assert client.get_order(19).id == 19
        ultimate.sim.expire_sessions()
        assert client.get_order(19).id == 19
        assert ultimate.sent("POST", "jwt-auth/v1/token") == 2
        assert ultimate.sent("GET", "/orders/19") == 3  # ok, 403 expired, replay

    def test_expired_jwt_on_a_write_is_renewed_and_sent_once(self, ultimate: Site) -> None:
        client = ultimate.client()
        client.identify()
        ultimate.sim.expire_sessions()
        order = client.set_status(20, OrderStatus.PROCESSING)
        assert order.vendor_status == OrderStatus.PROCESSING
        assert status_notes(ultimate, 20) == 1  # applied exactly once

    def test_expired_cookie_session_is_renewed(self, ultimate: Site) -> None:
        client = ultimate.client(auth=AuthMethod.COOKIE)
        client.identify()
        ultimate.sim.expire_sessions()
        assert client.get_order(19).vendor_status == OrderStatus.PROCESSING
        assert ultimate.sent("POST", "wp-login.php") == 2

    @pytest.mark.parametrize("auth", [AuthMethod.JWT, AuthMethod.COOKIE])
    def test_bad_dashboard_nonce_relogs_and_retries_once(
        self, ultimate: Site, auth: AuthMethod
    ) -> None:
        client = ultimate.client(auth=auth)
        client.capabilities()  # opens the dashboard session
        ultimate.sim.expire_sessions()
        client.send_message_to_admin("after expiry")
        with ultimate.sim.state.lock:
            sent = [m for m in ultimate.sim.state.messages if "after expiry" in m.message]
        assert len(sent) == 1
        assert ultimate.sent("GET", "/store-manager/") >= 2  # nonce re-scraped

    def test_dashboard_first_visit_store_setup_redirect(self, ultimate: Site) -> None:
        client = ultimate.client(auth=AuthMethod.COOKIE)
        assert client.capabilities().ultimate is True
        assert any('"GET /store-manager/' in line and " 302 " in line for line in ultimate.requests)


# =============================================================================== reads
class TestReadFaults:
    def test_connection_reset_on_a_read_is_retried(self, ultimate: Site) -> None:
        fault = ultimate.sim.inject_fault("reset", r"/wcfmmp/v1/orders/19", method="GET")
        assert ultimate.client().get_order(19).id == 19
        assert not ultimate.sim.faults()  # used up: the read went out twice
        del fault

    def test_503_with_retry_after_is_retried(self, ultimate: Site) -> None:
        settings = HttpSettings(read_retries=2, backoff_factor=0.0, retry_after_max=1.5)
        ultimate.sim.inject_fault("unavailable", r"/wcfmmp/v1/orders\?", times=2, retry_after=0)
        assert len(ultimate.client(settings=settings).list_orders()) == 6
        assert ultimate.sent("GET", "/wcfmmp/v1/orders?") == 3

    def test_retry_after_within_the_cap_is_waited_out(self, ultimate: Site) -> None:
        settings = HttpSettings(read_retries=1, backoff_factor=0.0, retry_after_max=1.5)
        ultimate.sim.inject_fault("rate_limit", r"/sales-stats", retry_after=1)
        started = time.monotonic()
        assert ultimate.client(settings=settings).sales_stats().currency == "USD"
        assert time.monotonic() - started >= 1.0  # waited what the marketplace asked

    def test_retry_after_beyond_the_cap_is_not_waited(self, ultimate: Site) -> None:
        """A longer wait is the caller's: the client does not hang (nor ask early); the error
        says how long the marketplace asked for."""
        fault = ultimate.sim.inject_fault("rate_limit", r"/sales-stats", times=None, retry_after=90)
        client = ultimate.client()
        client.identify()
        started = time.monotonic()
        with pytest.raises(RateLimited) as error:
            client.sales_stats()
        assert time.monotonic() - started < 1.0
        assert ultimate.fault_hits(fault) == 1
        assert error.value.retry_after == 90 and error.value.transient
        assert str(error.value) == (
            "The marketplace is limiting requests (too many in a short time): reading your sales "
            "figures has to wait. Try again in 2 minutes."
        )

    def test_persistent_429_without_retry_after(self, ultimate: Site) -> None:
        fault = ultimate.sim.inject_fault("rate_limit", r"/sales-stats", times=None, retry_after="")
        client = ultimate.client()
        with pytest.raises(RateLimited) as error:
            client.sales_stats()
        assert "limiting requests" in str(error.value) and "Try again later" in str(error.value)
        assert error.value.retry_after is None
        assert ultimate.fault_hits(fault) == 1 + FAST.read_retries  # backed off, asked again

    def test_invalid_json(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault("invalid_json", r"/orders/19")
        with pytest.raises(InvalidResponse):
            ultimate.client().get_order(19)

    @pytest.mark.parametrize(("status", "error"), [(200, InvalidResponse), (500, ServerError)])
    def test_critical_error_page(self, ultimate: Site, status: int, error: type[Exception]) -> None:
        ultimate.sim.inject_fault("critical_error", r"/orders/19", status=status)
        with pytest.raises(error):
            ultimate.client().get_order(19)

    def test_truncated_answer(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault("truncate", r"/wcfmmp/v1/orders\?")
        with pytest.raises(InvalidResponse) as error:
            ultimate.client().list_orders()
        assert "cut off" in str(error.value)

    def test_slow_read_times_out_then_retries(self, ultimate: Site) -> None:
        settings = HttpSettings(
            connect_timeout=1, read_timeout=0.3, read_retries=1, backoff_factor=0.01
        )
        ultimate.sim.inject_fault("delay", r"/orders/19", delay=0.6)
        assert ultimate.client(settings=settings).get_order(19).id == 19

    def test_unreachable_marketplace(self, ultimate: Site) -> None:
        base = ultimate.sim.base_url
        ultimate.sim.stop()
        client = WcfmMarketplace(base, "vendor_a", "vendor_a-pass-123", settings=FAST)
        with pytest.raises(Unreachable) as error:
            client.list_orders()
        assert error.value.transient


# ============================================================================== writes
class TestWriteFaults:
    def test_reset_before_the_marketplace_acts_is_not_retried(self, ultimate: Site) -> None:
        client = ultimate.client()
        client.identify()
        fault = ultimate.sim.inject_fault("reset", r"/orders/20", method="PUT", times=None)
        with pytest.raises(WriteOutcomeUnknown) as error:
            client.set_status(20, OrderStatus.PROCESSING)
        assert "checks before sending it again" in str(error.value)
        assert ultimate.fault_hits(fault) == 1
        assert status_notes(ultimate, 20) == 0

    def test_connection_dropped_after_the_write_is_outcome_unknown(self, ultimate: Site) -> None:
        client = ultimate.client()
        client.identify()
        fault = ultimate.sim.inject_fault(
            "apply_then_drop", r"/orders/20", method="PUT", times=None
        )
        with pytest.raises(WriteOutcomeUnknown):
            client.set_status(20, OrderStatus.PROCESSING)
        assert ultimate.fault_hits(fault) == 1
        assert status_notes(ultimate, 20) == 1  # carried out once, never twice
        # the caller checks the server state: the change is there
        assert client.get_order(20).vendor_status == OrderStatus.PROCESSING

    def test_503_on_a_write_is_not_retried(self, ultimate: Site) -> None:
        client = ultimate.client()
        client.identify()
        fault = ultimate.sim.inject_fault(
            "unavailable", r"/orders/note/19", method="POST", times=None, retry_after=1
        )
        with pytest.raises(ServerError):
            client.add_note(19, "hello", NoteKind.PRIVATE)
        assert ultimate.fault_hits(fault) == 1

    def test_slow_write_times_out_as_outcome_unknown(self, ultimate: Site) -> None:
        settings = HttpSettings(connect_timeout=1, read_timeout=0.3, read_retries=2)
        client = ultimate.client(settings=settings)
        client.identify()
        ultimate.sim.inject_fault("delay", r"/orders/note/19", method="POST", delay=0.6)
        with pytest.raises(WriteOutcomeUnknown):
            client.add_note(19, "slow note", NoteKind.PRIVATE)
        # the marketplace finishes the note after the client gave up waiting: exactly one
        deadline = time.monotonic() + 3
        while True:
            with ultimate.sim.state.lock:
                notes = [n for n in ultimate.sim.state.notes[19] if "slow note" in n.content]
            if notes or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        time.sleep(0.3)  # would a (wrong) retry add a second one?
        with ultimate.sim.state.lock:
            notes = [n for n in ultimate.sim.state.notes[19] if "slow note" in n.content]
        assert len(notes) == 1

    def test_unreadable_answer_to_a_write(self, ultimate: Site) -> None:
        client = ultimate.client()
        client.identify()
        ultimate.sim.inject_fault("critical_error", r"/orders/20", method="PUT", status=500)
        with pytest.raises(WriteOutcomeUnknown):
            client.set_status(20, OrderStatus.PROCESSING)

    def test_dashboard_write_dropped(self, free: Site) -> None:
        client = free.client()
        client.capabilities()
        fault = free.sim.inject_fault("apply_then_drop", r"admin-ajax", method="POST", times=None)
        with pytest.raises(WriteOutcomeUnknown):
            client.request_refund(
                19, RefundMode.PARTIAL, [RefundLine(3, 1, usd("12.50"))], "Chipped"
            )
        assert free.fault_hits(fault) == 1
        assert len(free.sim.refund_requests()) == 1


def test_loopback_hosts() -> None:
    assert is_loopback_host("127.8.9.10") and is_loopback_host("::1") and is_loopback_host("[::1]")
    assert is_loopback_host("localhost") and not is_loopback_host("10.0.0.1")
    assert not is_loopback_host("localhost.example.com")
