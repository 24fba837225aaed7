"""Carrier presets, code and URL checks, parcels (pure domain, no network)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from vendor_desk.domain.carriers import (
    CARRIERS,
    OTHER,
    CodeProblem,
    Parcel,
    ShipMethod,
    UrlProblem,
    carrier_by_key,
    carriers_for,
    check_code,
    check_url,
    find_carrier,
    normalise_code,
)

REQUIRED = (
    "colissimo", "chronopost", "mondial-relay", "dhl", "dpd", "gls", "ups", "fedex", "usps",
    "royal-mail", "deutsche-post", "postnl", "canada-post", "australia-post",
)  # fmt: skip


def test_every_required_preset_builds_a_valid_url_with_the_code() -> None:
    keys = [carrier.key for carrier in CARRIERS]
    assert set(REQUIRED) <= set(keys) and keys[-1] == OTHER.key
    for key in REQUIRED:
        url = carrier_by_key(key).url_for(" ab 12-34 ", postcode="1012 ab", country="nl")
        assert check_url(url) is None, key
        assert "AB12-34" in url and " " not in url, key
    assert OTHER.url_for("AB1234") == "" and not OTHER.builds_url


def test_fragments_postcodes_and_encoding() -> None:
    royal = carrier_by_key("royal-mail").url_for("ab123")
    assert urlsplit(royal).fragment == "/tracking-results/AB123"
    assert "#/search?searchFor=X1" in carrier_by_key("canada-post").url_for("x1")
    mondial = carrier_by_key("mondial-relay")
    assert mondial.needs_postcode and not mondial.needs_country
    assert mondial.url_for("123", postcode="75 011").endswith("codePostal=75011")
    assert carrier_by_key("postnl").url_for("3S1", "1012 ab", "nl").endswith("3S1-NL-1012AB")
    assert carrier_by_key("ups").url_for("A&B") == "https://www.ups.com/track?tracknum=A%26B"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Colissimo", "colissimo"),
        ("La Poste", "colissimo"),
        ("ROYAL MAIL", "royal-mail"),
        ("royal-mail", "royal-mail"),
        ("DHL Express", "dhl"),
        ("Canada Post", "canada-post"),
        ("Pigeon Post", None),
        ("", None),
    ],
)
def test_find_carrier(name: str, key: str | None) -> None:
    found = find_carrier(name)
    assert (found.key if found else None) == key


def test_local_carriers_first_and_unknown_keys() -> None:
    assert carriers_for("fr")[0].key == "colissimo" and carriers_for("FR")[-1] is OTHER
    assert carriers_for("")[: len(CARRIERS) - 1] == [c for c in CARRIERS if c is not OTHER]
    assert carrier_by_key("nope") is OTHER and carrier_by_key(" DHL ").key == "dhl"


def test_codes_and_urls_are_checked() -> None:
    assert normalise_code(" 6a 12\t34 ") == "6A1234"
    assert check_code("6A1234") is None
    assert check_code("  ") is CodeProblem.EMPTY
    assert check_code("A1") is CodeProblem.TOO_SHORT
    assert check_code("A" * 41) is CodeProblem.TOO_LONG
    assert check_code("AB$1234") is CodeProblem.BAD_CHARACTERS
    assert check_url("https://t.example/x?a=1&b=2#c") is None
    assert check_url("") is UrlProblem.EMPTY
    assert check_url("javascript:alert(1)") is UrlProblem.NOT_HTTP
    assert check_url("ftp://t.example/") is UrlProblem.NOT_HTTP
    assert check_url("https://") is UrlProblem.NO_HOST
    assert check_url("https://t.example/a b") is UrlProblem.SPACES
    assert check_url("https://t.example/" + "a" * 2000) is UrlProblem.TOO_LONG


def test_parcel_problems() -> None:
    assert Parcel((1,), ShipMethod.TRACKED, "ups", "1Z1234", "https://u.example/1").problems() == {}
    assert Parcel((1,), ShipMethod.TRACKED).problems() == {
        "code": CodeProblem.EMPTY,
        "url": UrlProblem.EMPTY,
    }
    assert Parcel((1,), ShipMethod.PICKUP).problems() == {}
    assert Parcel((1,), ShipMethod.NO_TRACKING, code="$").problems() == {}
