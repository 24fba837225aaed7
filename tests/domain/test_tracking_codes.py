"""The carriers' tracking-code formats (vendor_desk.domain.tracking_codes): per carrier a valid
code, a changed digit and a swapped adjacent pair refused as mis-scans where the format has a
check digit, the order of ambiguous guesses and the vendor's preference.

Where a code comes from: "published" codes are sample numbers from the carriers' or their
client libraries' documentation (cited in ``FORMATS``); "by hand" codes are computed here with
the algorithm written out in the comment next to them."""

from __future__ import annotations

import pytest

from vendor_desk.domain.carriers import CARRIERS
from vendor_desk.domain.tracking_codes import (
    FORMATS,
    Status,
    guess,
    misscan_formats,
    preferred_for,
    recognise,
)

PRESET_KEYS = {carrier.key for carrier in CARRIERS}

# (code, carrier expected first, format key, verified by a check digit)
VALID = [
    # UPU S10, by hand: serial 12345678 × weights 8 6 4 2 3 5 9 7 = 8+12+12+8+15+30+63+56 = 204;
    # 204 mod 11 = 6; 11 − 6 = 5 → check digit 5.
    ("LA123456785FR", "colissimo", "upu-s10", True),
    ("EE123456785FR", "chronopost", "upu-s10", True),  # EMS from France: Chronopost
    ("RB123456785GB", "royal-mail", "upu-s10", True),  # published (Royal Mail sample)
    ("EE123456785CA", "canada-post", "upu-s10", True),
    ("EE123456785AU", "australia-post", "upu-s10", True),
    ("EE123456785DE", "deutsche-post", "upu-s10", True),
    ("EE123456785US", "usps", "upu-s10", True),
    ("EE123456785NL", "postnl", "upu-s10", True),
    ("EE123456785JP", "other", "upu-s10", True),  # a post without a preset: "other"
    ("XP695852974FR", "chronopost", "upu-s10", True),  # published Chronopost skybill
    # Colissimo: published control-key sample, and a real parcel number.
    ("8L01234567895", "colissimo", "colissimo", True),
    ("9V34929818514", "colissimo", "colissimo", True),
    ("1Z5R89390357567127", "ups", "ups-1z", True),  # published UPS samples
    ("1Z879E930346834440", "ups", "ups-1z", True),
    ("9400111201080805483016", "usps", "usps-impb", True),  # published USPS IMpb
    ("420221539101026837331000039521", "usps", "usps-420", True),  # with 420 + ZIP
    ("03071790000523483741", "usps", "usps-20", True),  # published USPS 20 digits
    ("986578788855", "fedex", "fedex-12", True),  # published FedEx Express
    ("041441760228964", "fedex", "fedex-15", True),  # published FedEx Ground 15
    ("9611020987654312345672", "fedex", "fedex-96", True),  # published FedEx Ground 96
    ("3318810025", "dhl", "dhl-express-10", True),  # published DHL Express waybill
    ("00340433836442636597", "dhl", "dhl-paket-20", True),  # published DHL Paket 20
    ("JJD1410302937991", "dhl", "dhl-jjd", False),  # published DHL Paket piece ID
    ("01015026003653C", "dpd", "dpd-15", True),  # published DPD with check character
    ("008182709980000020033350276C", "dpd", "dpd-label", True),  # DPD label barcode
    # GLS, by hand: 20400000001 weighted 3, 1, 3 … from the left: 2×3 + 4×3 + 1×3 = 21, + 1
    # = 22; the next ten is 30, 30 − 22 = 8 → 204000000018.
    ("204000000018", "gls", "gls-12", True),
    ("0073938000549297", "canada-post", "canada-post-16", True),  # published Canada Post 16
    ("3SBCC000123456", "postnl", "3s", False),  # published 3S code (no check digit)
    ("12345678", "mondial-relay", "mondial-relay-8", False),  # 8 digits, shape only
]


@pytest.mark.parametrize(("code", "carrier", "fmt", "verified"), VALID)
def test_a_valid_code_is_recognised_with_its_carrier(
    code: str, carrier: str, fmt: str, verified: bool
) -> None:
    guesses = guess(code)
    assert guesses, code
    assert guesses[0].carrier == carrier
    assert guesses[0].format == fmt
    assert guesses[0].verified is verified
    assert recognise(code).status is Status.RECOGNISED


def test_every_guess_is_a_preset_key() -> None:
    for code, *_rest in VALID:
        assert {g.carrier for g in guess(code)} <= PRESET_KEYS, code


def test_every_format_is_tested() -> None:
    tested = {fmt for _code, _carrier, fmt, _verified in VALID}
    tested |= {"usps-20", "fedex-smartpost-20", "fedex-34", "dhl-paket-12", "dpd-14"}
    tested |= {"gls-track-id"}
    assert {fmt.key for fmt in FORMATS} <= tested


# (valid code, the same with one digit changed, the same with two neighbours swapped)
MISSCANS = [
    ("EE123456785FR", "EE123456786FR", "EE213456785FR"),  # S10
    ("RB123456785GB", "RB123456795GB", "RB123465785GB"),
    ("XP695852974FR", "XP695852975FR", "XP965852974FR"),
    ("8L01234567895", "8L01234567896", "8L10234567895"),  # Colissimo
    ("1Z5R89390357567127", "1Z5R89390357567128", "1Z5R98390357567127"),  # UPS
    ("9400111201080805483016", "9400111201080805483017", "9401011201080805483016"),  # USPS
    # 12 digits: FedEx, DHL Paket and GLS share the length, so a changed digit passes one of
    # the other two checks about 3 times in 10 (it is then a guess for that carrier).
    ("986578788855", "186578788855", "896578788855"),  # FedEx Express
    ("3318810025", "3318810026", "3138810025"),  # DHL Express (mod 7)
    ("00340433836442636597", "00340433836442636507", "00340433836442636579"),  # DHL Paket
    ("01015026003653C", "01015026003653D", "10015026003653C"),  # DPD
    ("204000000018", "204000000019", "240000000018"),  # GLS
    ("0073938000549297", "0073938000549298", "0703938000549297"),  # Canada Post
]


@pytest.mark.parametrize(("valid", "changed", "swapped"), MISSCANS)
def test_a_changed_digit_or_a_swapped_pair_is_a_misscan(
    valid: str, changed: str, swapped: str
) -> None:
    assert recognise(valid).status is Status.RECOGNISED
    for bad in (changed, swapped):
        found = recognise(bad)
        assert found.status is Status.MISSCAN, bad
        assert found.reason and found.formats
        assert guess(bad) == []
        assert misscan_formats(bad)


def test_misscan_formats_is_empty_for_good_and_unknown_codes() -> None:
    assert misscan_formats("1Z5R89390357567127") == ()
    assert misscan_formats("HELLO") == ()
    assert recognise("HELLO").status is Status.UNKNOWN


def test_spaces_and_case_are_ignored() -> None:
    assert guess(" 1z5r 8939 0357 5671 27 ")[0].carrier == "ups"


def test_verified_formats_come_before_shape_only_ones() -> None:
    # 20 digits starting 0034043: DHL Paket's SSCC, also a valid USPS 20-digit code (the same
    # GS1 check); FedEx Ground Economy's check ("92" + the code) fails: not a guess.
    assert [g.carrier for g in guess("00340433836442636597")] == ["dhl", "deutsche-post", "usps"]
    # 12 digits that pass FedEx's, DHL Paket's and GLS's checks (published DHL Paket sample
    # 201298452277): all three, in table order, every one verified.
    guesses = guess("201298452277")
    assert [g.carrier for g in guesses] == ["fedex", "dhl", "deutsche-post", "gls"]
    assert all(g.verified for g in guesses)


def test_a_label_barcode_gives_the_tracking_number() -> None:
    assert guess("420221539101026837331000039521")[0].tracking == "9101026837331000039521"
    assert recognise("008182709980000020033350276C").code == "09980000020033"


def test_preference_moves_the_vendors_carrier_first() -> None:
    assert guess("201298452277", prefer="gls")[0].carrier == "gls"
    assert [g.carrier for g in guess("3SBCC000123456", prefer="dhl")] == ["dhl", "postnl"]
    # a preferred carrier that is no guess changes nothing
    assert guess("1Z5R89390357567127", prefer="dhl")[0].carrier == "ups"
    # several, in order
    assert [g.carrier for g in guess("201298452277", prefer=["gls", "dhl"])][:2] == ["gls", "dhl"]


def test_preference_by_destination_country() -> None:
    last = {"NL": "dhl", "DE": "gls"}
    assert preferred_for(last, "nl ") == "dhl"
    assert preferred_for(None, "NL") == ""
    assert recognise("3SBCC000123456", destination_country="NL", preferred=last).carrier == "dhl"
    assert recognise("3SBCC000123456", destination_country="FR", preferred=last).carrier == (
        "postnl"
    )
    assert recognise("201298452277", destination_country="DE", preferred=last).carrier == "gls"


def test_samples_published_with_other_implementations() -> None:
    """Cross-checks: the s10 npm package's README/tests (https://www.npmjs.com/package/s10)
    and Algorithm::CheckDigits' UPS example (https://metacpan.org/pod/Algorithm::CheckDigits::M10_011)."""
    assert guess("EB000717618HK")[0].country == "HK"
    assert guess("EB000717595HK")[0].verified
    assert recognise("EB000717594HK").status is Status.MISSCAN
    assert guess("1Z 591580 68 55587736")[0].carrier == "ups"
    assert recognise("1Z5915806855587737").status is Status.MISSCAN


def test_s10_of_a_country_without_preset_keeps_the_country() -> None:
    (only,) = guess("EE123456785JP")
    assert (only.carrier, only.country) == ("other", "JP")
