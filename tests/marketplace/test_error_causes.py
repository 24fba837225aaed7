"""Each error names its real cause (issue 13 §5): a rate limit or maintenance is never "password
refused", a missing plugin or hidden login page names the missing piece, and only WordPress
refusing the user name or password is :class:`AuthenticationRefused`. Every case is a fault
injected on the real route of the simulator, over HTTP."""

from __future__ import annotations

import email.utils
import time

import pytest

from tests.marketplace.conftest import Site
from vendor_desk.domain import AuthMethod, Money, RefundLine, RefundMode
from vendor_desk.marketplace import (
    AuthenticationRefused,
    CapabilityMissing,
    HttpSettings,
    InvalidResponse,
    NotAllowed,
    RateLimited,
    ServerError,
    SignInFailed,
    Unavailable,
    WcfmMarketplace,
)

TOKEN = r"^/wp-json/jwt-auth/v1/token"
LOGIN = r"^/wp-login\.php"
NOT_THE_PASSWORD = "Your password was not refused."


def signs_in(client: WcfmMarketplace) -> None:
    client.identify()


# ================================================================= rate limits at sign-in
class TestRateLimitedSignIn:
    def test_429_on_the_token_route_is_a_rate_limit_not_a_refused_password(
        self, ultimate: Site
    ) -> None:
        fault = ultimate.sim.inject_fault("rate_limit", TOKEN, times=None, retry_after=120)
        with pytest.raises(RateLimited) as error:
            ultimate.client().identify()
        assert not isinstance(error.value, AuthenticationRefused)
        assert str(error.value) == (
            "The marketplace is limiting requests (too many in a short time): signing in has "
            f"to wait. Try again in 2 minutes. {NOT_THE_PASSWORD}"
        )
        assert error.value.retry_after == 120 and error.value.transient
        assert ultimate.fault_hits(fault) == 1  # a wait beyond the cap is not sat out

    def test_429_on_wp_login_is_a_rate_limit(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault("rate_limit", LOGIN, method="POST", times=None, retry_after=45)
        with pytest.raises(RateLimited) as error:
            ultimate.client(auth=AuthMethod.COOKIE).identify()
        assert "Try again in 45 seconds" in str(error.value)
        assert NOT_THE_PASSWORD in str(error.value)

    def test_a_short_wait_at_sign_in_is_sat_out_and_the_sign_in_asked_again(
        self, ultimate: Site
    ) -> None:
        settings = HttpSettings(read_retries=2, backoff_factor=0.0, retry_after_max=1.5)
        fault = ultimate.sim.inject_fault("rate_limit", TOKEN, retry_after=1)
        started = time.monotonic()
        client = ultimate.client(settings=settings)
        assert client.identify().store_name == "Alpha Goods"
        assert client.auth_method is AuthMethod.JWT
        assert time.monotonic() - started >= 1.0
        assert ultimate.sent("POST", "jwt-auth/v1/token") == 2
        del fault

    def test_retry_after_as_an_http_date(self, ultimate: Site) -> None:
        when = email.utils.formatdate(time.time() + 600, usegmt=True)
        ultimate.sim.inject_fault("rate_limit", TOKEN, times=None, retry_after=when)
        with pytest.raises(RateLimited) as error:
            ultimate.client().identify()
        assert error.value.retry_after is not None and 590 <= error.value.retry_after <= 600
        assert "Try again in 10 minutes" in str(error.value)

    def test_429_on_a_write_is_not_sent_again(self, ultimate: Site) -> None:
        client = ultimate.client()
        client.identify()
        fault = ultimate.sim.inject_fault(
            "rate_limit", r"/orders/20", method="PUT", times=None, retry_after=1
        )
        with pytest.raises(RateLimited) as error:
            client.set_status(20, client.get_order(20).vendor_status)
        assert "changing the status of order #20 has to wait" in str(error.value)
        assert ultimate.fault_hits(fault) == 1


# ==================================================================== maintenance, 5xx
class TestUnavailable:
    def test_maintenance_says_so_with_its_wait(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault("maintenance", ".*", times=None, retry_after=600)
        with pytest.raises(Unavailable) as error:
            ultimate.client().identify()
        assert str(error.value) == (
            "The marketplace is down for maintenance (WordPress is being updated): contacting "
            "the marketplace has to wait. Try again in 10 minutes."
        )
        assert error.value.retry_after == 600

    def test_maintenance_on_the_login_page(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault("maintenance", LOGIN, times=None, retry_after=600)
        with pytest.raises(Unavailable) as error:
            ultimate.client(auth=AuthMethod.COOKIE).identify()
        assert "down for maintenance" in str(error.value)
        assert NOT_THE_PASSWORD in str(error.value)

    def test_critical_error_quotes_wordpress(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault("critical_error", r"/orders/19", status=500, times=None)
        with pytest.raises(ServerError) as error:
            ultimate.client().get_order(19)
        assert "“There has been a critical error on this website.”" in str(error.value)
        assert "HTTP 500" in str(error.value)


# ===================================================================== missing pieces
class TestMissingPlugins:
    def test_without_the_jwt_plugin_the_cookie_session_is_used_silently(
        self, ultimate: Site
    ) -> None:
        ultimate.sim.inject_fault("plugin_inactive", "jwt-auth/v1", times=None)
        client = ultimate.client()
        assert client.identify().store_name == "Alpha Goods"
        assert client.auth_method is AuthMethod.COOKIE
        assert ultimate.sent("POST", "jwt-auth") == 0  # the index said so: not even tried

    def test_jwt_plugin_asked_for_but_absent_names_the_plugin(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault("plugin_inactive", "jwt-auth/v1", times=None)
        with pytest.raises(CapabilityMissing) as error:
            ultimate.client(auth=AuthMethod.JWT).identify()
        assert "“JWT Authentication for WP REST API” is not active" in str(error.value)

    @pytest.mark.parametrize("auth", [None, AuthMethod.APP_PASSWORD])
    def test_without_the_wcfm_rest_add_on(self, ultimate: Site, auth: AuthMethod | None) -> None:
        """Found from the site's index (JWT), or from the namespace answering 404 when a route
        does (application passwords read no index)."""
        ultimate.sim.inject_fault("plugin_inactive", "wcfmmp/v1", times=None)
        client = ultimate.client(auth=auth)
        with pytest.raises(CapabilityMissing) as error:
            client.list_orders()
        assert str(error.value) == (
            "WCFM's REST API add-on (the plugin “WCFM – Multivendor Marketplace – REST API”) is "
            "not active on this site, so the app cannot work with it. Ask the marketplace's "
            "administrator to activate it."
        )

    def test_one_missing_wcfm_route_means_an_older_add_on(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault(
            "status", r"/wcfmmp/v1/sales-stats", status=404, code="rest_no_route", times=None
        )
        with pytest.raises(CapabilityMissing) as error:
            ultimate.client().sales_stats()
        assert "has no route for reading your sales figures" in str(error.value)
        assert "older than this app needs" in str(error.value)

    def test_no_rest_api_at_wp_json(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault("not_found_page", r"^/wp-json", times=None)
        with pytest.raises(InvalidResponse) as error:
            ultimate.client().identify()
        assert f"Nothing answers at {ultimate.sim.base_url}/wp-json/" in str(error.value)
        assert "“Plain”" in str(error.value)

    def test_hidden_login_page_without_jwt(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault("plugin_inactive", "jwt-auth/v1", times=None)
        ultimate.sim.inject_fault("not_found_page", LOGIN, times=None)
        with pytest.raises(CapabilityMissing) as error:
            ultimate.client().identify()
        assert "login page is not at /wp-login.php (a plugin hides or moves it)" in str(error.value)

    def test_hidden_login_page_with_jwt_leaves_the_dashboard_out(self, free: Site) -> None:
        free.sim.inject_fault("not_found_page", LOGIN, times=None)
        client = free.client()
        assert client.list_orders(per_page=2)  # JWT works
        assert not client.capabilities().dashboard_available
        with pytest.raises(CapabilityMissing) as error:
            client.request_refund(
                19, RefundMode.PARTIAL, [RefundLine(3, 1, Money.of("12.50", "USD"))], "Chipped"
            )
        assert "/wp-login.php" in str(error.value)


# ============================================================== sign-in stopped otherwise
class TestSignInStopped:
    def test_wrong_password_on_the_login_form_is_still_refused(self, ultimate: Site) -> None:
        client = WcfmMarketplace(ultimate.sim.base_url, "vendor_a", "wrong", auth=AuthMethod.COOKIE)
        with pytest.raises(AuthenticationRefused) as error:
            client.identify()
        assert str(error.value) == "The marketplace did not accept this user name and password."

    def test_unknown_user_on_the_login_form_is_refused(self, ultimate: Site) -> None:
        client = WcfmMarketplace(ultimate.sim.base_url, "nobody", "x", auth=AuthMethod.COOKIE)
        with pytest.raises(AuthenticationRefused):
            client.identify()

    def test_captcha_on_the_login_form(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault(
            "login_challenge",
            LOGIN,
            method="POST",
            times=None,
            message="<strong>Error:</strong> Please solve the CAPTCHA to log in.",
        )
        with pytest.raises(SignInFailed) as error:
            ultimate.client(auth=AuthMethod.COOKIE).identify()
        assert str(error.value) == (
            "The marketplace's login page did not sign you in; it says: “Please solve the "
            f"CAPTCHA to log in.”. {NOT_THE_PASSWORD}"
        )

    def test_captcha_on_the_login_form_with_jwt_leaves_the_dashboard_out(
        self, ultimate: Site
    ) -> None:
        ultimate.sim.inject_fault(
            "login_challenge", LOGIN, method="POST", times=None, message="Solve the CAPTCHA."
        )
        client = ultimate.client()
        assert client.identify().store_name == "Alpha Goods"  # JWT signs in
        assert not client.capabilities().dashboard_available
        with pytest.raises(SignInFailed) as error:
            client.send_message_to_admin("hello")
        assert "“Solve the CAPTCHA.”" in str(error.value)

    def test_two_factor_step(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault("login_challenge", LOGIN, method="POST", times=None)
        with pytest.raises(SignInFailed) as error:
            ultimate.client(auth=AuthMethod.COOKIE).identify()
        assert "asks for another step after the password (a two-factor code" in str(error.value)

    def test_lockout_words_from_the_token_route(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault(
            "status",
            TOKEN,
            status=403,
            code="[jwt_auth] too_many_retries",
            message="<strong>Error</strong>: Too many failed login attempts. Please try again "
            "in 20 minutes.",
            times=None,
        )
        with pytest.raises(SignInFailed) as error:
            ultimate.client().identify()
        assert "it says: “Error: Too many failed login attempts. Please try again in 20 " in str(
            error.value
        )
        assert NOT_THE_PASSWORD in str(error.value)

    def test_firewall_page_on_the_login_form(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault(
            "blocked_page", LOGIN, times=None, message="Access denied by the site's firewall"
        )
        with pytest.raises(SignInFailed) as error:
            ultimate.client(auth=AuthMethod.COOKIE).identify()
        assert str(error.value) == (
            "A firewall or security plugin on the marketplace blocked signing in (HTTP 403, "
            "“Access denied by the site's firewall”). Ask the marketplace's administrator to let "
            "this computer through."
        )

    def test_firewall_page_on_the_session_nonce(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault("blocked_page", r"action=rest-nonce", times=None)
        with pytest.raises(SignInFailed) as error:
            ultimate.client(auth=AuthMethod.COOKIE).identify()
        assert "blocked opening the session (HTTP 403" in str(error.value)

    def test_token_ignored_by_the_web_server(self, ultimate: Site) -> None:
        """A Bearer token that reaches WordPress as "not logged in": the Authorization header
        is dropped on the way (a known setup step of the JWT plugin)."""
        ultimate.sim.inject_fault(
            "status", r"/wcfmmp/v1/orders", status=401, code="rest_forbidden", times=None
        )
        client = ultimate.client()
        with pytest.raises(SignInFailed) as error:
            client.list_orders()
        assert "drops the “Authorization” header" in str(error.value)
        assert NOT_THE_PASSWORD in str(error.value)

    def test_token_refused_right_after_it_was_issued(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault(
            "status",
            r"/wcfmmp/v1/orders",
            status=403,
            code="jwt_auth_bad_iss",
            message="The iss do not match with this server",
            times=None,
        )
        with pytest.raises(SignInFailed) as error:
            ultimate.client().list_orders()
        assert "handed out a sign-in token but refused it" in str(error.value)

    def test_firewall_page_on_a_rest_call(self, ultimate: Site) -> None:
        ultimate.sim.inject_fault("blocked_page", r"/wcfmmp/v1/orders", times=None)
        with pytest.raises(NotAllowed) as error:
            ultimate.client().list_orders()
        assert "firewall or security plugin" in str(error.value)

    def test_stale_dashboard_nonce_names_the_cache(self, ultimate: Site) -> None:
        client = ultimate.client()
        client.capabilities()
        ultimate.sim.inject_fault(
            "bad_nonce", r"admin-ajax", method="POST", body="wcfm-message-sent", times=None
        )
        with pytest.raises(SignInFailed) as error:
            client.send_message_to_admin("hello")
        assert "a caching plugin may be serving an old copy" in str(error.value)


# ======================================================================= moved sites
def test_a_moved_site_names_its_new_address(ultimate: Site) -> None:
    ultimate.sim.inject_fault("moved", r"^/wp-json", message="https://www.shop.example", times=None)
    with pytest.raises(InvalidResponse) as error:
        ultimate.client().identify()
    assert str(error.value) == (
        "The marketplace sent contacting the marketplace on to "
        "https://www.shop.example/wp-json/: its address has changed. Change the account's "
        "address to https://www.shop.example."
    )
