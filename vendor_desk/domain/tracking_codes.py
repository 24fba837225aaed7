"""Tracking codes recognised from the code alone: the carriers it may belong to, best first, and
whether a check digit proved it was read right.

What a USB barcode scanner types at the packing table is checked against :data:`FORMATS`, a table
of the carriers' published formats (a pattern, a check-digit algorithm where the carrier has one,
the carrier presets of :mod:`.carriers` it belongs to)::

    found = recognise("1Z5R89390357567127")
    found.status      # Status.RECOGNISED
    found.carriers    # ("ups",)
    found.verified    # True: the UPS check digit matched

    recognise("3SABCD123456789", destination_country="NL", preferred={"NL": "dhl"}).carriers
    # ("dhl", "postnl"): both use 3S codes; the vendor's last carrier to NL comes first

    recognise("1Z5R89390357567128").status   # Status.MISSCAN: the check digit does not match

    guess("201298452277")                    # FedEx, DHL (Paket), Deutsche Post, GLS: all verified
    guess("201298452277", prefer="gls")[0]   # Guess(carrier="gls", format="gls-12", …)
    misscan_formats("1Z5R89390357567128")    # ("UPS (1Z…)",)

Carriers are the preset keys of :mod:`.carriers`; DHL Paket codes guess "dhl" (DHL's tracking
page follows Paket numbers too) then "deutsche-post"; an S10 code of a post office without a
preset guesses "other" and keeps the country (:attr:`Guess.country`).

A code no format knows is never refused for that: it is :attr:`Status.UNKNOWN` (no carrier), and
the packer can still use it with "Other". A code refused as a mis-scan matched a format by its
shape but failed every check digit that format has — read it again.

How sure each row is (``confidence``):

* ``published`` — the carrier's or the standard's own algorithm, checked here against published
  sample numbers;
* ``observed`` — an algorithm or layout reconstructed by others (libraries, carrier label
  tools) and checked here against real numbers found in public code;
* ``shape only`` — no public check digit: any code of that shape is taken. Those that are only
  digits (``distinctive`` False: an order number or a product barcode has the same shape) are
  weak evidence; :mod:`vendor_desk.sync.scan` takes them as tracking codes only while an order
  is open.

Label barcodes that carry more than the tracking number (USPS's ``420`` + ZIP routing prefix,
DPD's 28-character parcel barcode, FedEx's 34-digit barcodes) give the tracking number itself as
:attr:`Recognition.code`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from vendor_desk.domain.carriers import OTHER, check_code, normalise_code


# ================================================================== check-digit algorithms
def _digits(text: str) -> list[int]:
    return [int(character) for character in text]


def gs1_check(body: str) -> int:
    """GS1 modulo 10 (GTIN, SSCC, USPS IMpb …): weights 3, 1, 3 … from the right."""
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(_digits(body))))
    return (10 - total % 10) % 10


def gs1_valid(code: str) -> bool:
    """``code`` ends with the GS1 check digit of the digits before it."""
    return code.isdigit() and len(code) > 1 and gs1_check(code[:-1]) == int(code[-1])


#: UPU S10 weights over the 8 serial digits (UPU standard S10, §"check digit").
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check(serial: str) -> int:
    """UPU S10: 11 − (Σ weight × digit mod 11); 10 → 0, 11 → 5."""
    check = 11 - sum(w * d for w, d in zip(_S10_WEIGHTS, _digits(serial), strict=True)) % 11
    return {10: 0, 11: 5}.get(check, check)


def _ups_value(character: str) -> int:
    # UPS maps letters to digits as (ASCII − 63) mod 10: A → 2, B → 3 … (digits stay).
    return int(character) if character.isdigit() else (ord(character) - 63) % 10


def ups_check(body: str) -> int:
    """UPS 1Z: over the 15 characters after "1Z", odd positions × 1, even positions × 2, then
    the difference to the next multiple of 10."""
    total = sum(_ups_value(c) * (2 if i % 2 else 1) for i, c in enumerate(body))
    return (10 - total % 10) % 10


#: FedEx Express 12-digit weights over the first 11 digits, left to right (1, 3, 7 from the
#: right), summed mod 11 then mod 10.
_FEDEX_WEIGHTS = (3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1)


def fedex12_valid(code: str) -> bool:
    body, check = _digits(code[:11]), int(code[11])
    return sum(w * d for w, d in zip(_FEDEX_WEIGHTS, body, strict=True)) % 11 % 10 == check


def dhl_express_valid(code: str) -> bool:
    """DHL Express 10-digit waybill: the first 9 digits as a number mod 7 is the last digit."""
    return int(code[:-1]) % 7 == int(code[-1])


def weighted_mod10(body: str, weights: tuple[int, int], plus: int = 0) -> int:
    """Modulo 10 with two alternating weights from the left (and ``plus`` added to the sum)."""
    total = sum(d * weights[i % 2] for i, d in enumerate(_digits(body))) + plus
    return (10 - total % 10) % 10


def colissimo_key(digits: str) -> int:
    """La Poste's key of a Colissimo parcel number: the 10 digits weighted 1, 3, 1, 3 … from
    the left (odd positions × 1, even × 3), difference to the next ten."""
    return weighted_mod10(digits, (1, 3))


_ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def iso7064_mod37_36(text: str) -> str:
    """ISO/IEC 7064 MOD 37,36 check character (DPD's parcel label)."""
    modulus = 36
    product = modulus
    for character in text:
        product = (_ALPHANUMERIC.index(character) + product) % modulus or modulus
        product = product * 2 % (modulus + 1)
    return _ALPHANUMERIC[(modulus + 1 - product) % modulus]


# ============================================================================ the table
class Confidence(StrEnum):
    PUBLISHED = "published"
    OBSERVED = "observed"
    SHAPE_ONLY = "shape only"


Carriers = tuple[str, ...] | Callable[[re.Match[str]], tuple[str, ...]]


@dataclass(frozen=True)
class TrackingFormat:
    """One carrier format. ``pattern`` must match the whole normalised code; its group ``code``,
    when the pattern has one, is the tracking number inside a longer label barcode. ``check`` is
    None where the carrier publishes no check digit (and may answer None for a code that
    happens to carry none, such as a DPD barcode without its printed check character)."""

    key: str
    name: str
    pattern: re.Pattern[str]
    carriers: Carriers
    check: Callable[[str], bool | None] | None
    confidence: Confidence
    #: The shape alone says "tracking code" (letters in fixed places, a prefix): False for bare
    #: digits that an order number or a product barcode could also be.
    distinctive: bool = True

    def carriers_of(self, match: re.Match[str]) -> tuple[str, ...]:
        return self.carriers(match) if callable(self.carriers) else self.carriers


#: S10 country → the presets of that country's designated postal operator (and who else
#: issues its S10 codes), most likely first.
S10_OPERATORS: Mapping[str, tuple[str, ...]] = {
    "FR": ("colissimo", "chronopost"),
    "GB": ("royal-mail",),
    "US": ("usps",),
    "CA": ("canada-post",),
    "AU": ("australia-post",),
    "DE": ("deutsche-post", "dhl"),
    "NL": ("postnl",),
}


def _s10_carriers(match: re.Match[str]) -> tuple[str, ...]:
    service, country = match.group("service"), match.group("country")
    carriers = S10_OPERATORS.get(country, (OTHER.key,))
    if country == "FR" and service[0] in "EX":
        # Chronopost is France's EMS operator (E…FR); its own skybills are X…FR
        # (XP695852974FR in the Chronopost SOAP examples of akretion/roulier).
        return ("chronopost", "colissimo")
    if country == "DE" and service[0] == "C":  # parcels: DHL Paket international
        return ("dhl", "deutsche-post")
    return carriers


def _s10_valid(code: str) -> bool:
    return s10_check(code[2:10]) == int(code[10])


def _usps_valid(code: str) -> bool:
    return gs1_valid(code[-22:] if code.startswith("420") else code)


def _label_tail(length: int) -> Callable[[str], bool]:
    def check(code: str) -> bool:
        return gs1_valid(code[-length:])

    return check


def _dpd_label_valid(code: str) -> bool | None:
    body = code.removeprefix("%")
    return None if len(body) == 27 else iso7064_mod37_36(body[:27]) == body[27]


#: The formats, most specific first (a code may match several: all are kept, in this order
#: among those equally proven). Each row cites where its format was confirmed.
FORMATS: tuple[TrackingFormat, ...] = (
    # UPU S10 (13 chars: 2 letters, 8 digits, check digit, ISO country). Weights and the
    # 10→0 / 11→5 rule: UPU S10 standard (Wikipedia "S10 (UPU standard)"); samples
    # RB123456785GB (jkeen/tracking_number_data couriers/s10.json), XP695852974FR and
    # XP696982485FR (Chronopost skybills in public SOAP examples).
    TrackingFormat(
        "upu-s10",
        "UPU S10 (international post)",
        re.compile(r"(?P<service>[A-Z]{2})\d{9}(?P<country>[A-Z]{2})"),
        _s10_carriers,
        _s10_valid,
        Confidence.PUBLISHED,
    ),
    # UPS: "1Z" + 6 shipper + 2 service + 7 package + check; letters count (ASCII−63) mod 10.
    # Samples 1Z5R89390357567127, 1Z879E930346834440 (jkeen/tracking_number_data ups.json).
    TrackingFormat(
        "ups-1z",
        "UPS (1Z…)",
        re.compile(r"1Z[0-9A-Z]{16}"),
        ("ups",),
        lambda code: ups_check(code[2:17]) == _ups_value(code[17]),
        Confidence.PUBLISHED,
    ),
    # Colissimo (La Poste) domestic: product code (digit + letter: 6A, 8L, 8V, 9V …) + 10-digit
    # parcel number + key (weights 1,3 mod 10). Algorithm: CPAN Business::Colissimo (ColiPoste
    # label spec, racke/Business-Colissimo t/01-control-key.t: 8L01234567895); real number
    # 9V34929818514 in a recorded Colissimo label answer (akretion/roulier test cassettes).
    TrackingFormat(
        "colissimo",
        "Colissimo (France)",
        re.compile(r"\d[A-Z]\d{11}"),
        ("colissimo",),
        lambda code: colissimo_key(code[2:12]) == int(code[12]),
        Confidence.OBSERVED,
    ),
    # DHL eCommerce / Parcel Benelux and PostNL: "3S" + customer code (3–4 letters) + serial.
    # DHL's tracking-ID help page (3SBCC000123456); PostNL "3S[A-Z]{4}\d{7,9}" (packagex vision
    # SDK). No public check digit.
    TrackingFormat(
        "3s",
        "PostNL / DHL Parcel (3S…)",
        re.compile(r"3S[A-Z]{3,4}\d{7,11}"),
        ("postnl", "dhl"),
        None,
        Confidence.SHAPE_ONLY,
    ),
    # DHL piece IDs: JJD… (DHL Paket: JJD1410302937991 on paketda.de; DHL Express piece ID
    # JJD0099999999 on DHL's tracking-ID page) and JVGL… No public check digit.
    TrackingFormat(
        "dhl-jjd",
        "DHL piece ID (JJD…, JVGL…)",
        re.compile(r"(?:JJD|JVGL)\d{9,21}"),
        ("dhl", "deutsche-post"),
        None,
        Confidence.SHAPE_ONLY,
    ),
    # USPS with the routing prefix of the label's GS1-128 barcode: "420" + 5- or 9-digit ZIP,
    # then the IMpb tracking number (9[1-5] + 20 digits, GS1 mod 10). USPS Publication 199;
    # samples 420 22153 9101026837331000039521 (jkeen usps.json).
    TrackingFormat(
        "usps-420",
        "USPS label barcode (420 + ZIP + IMpb)",
        re.compile(r"420(?:\d{5}|\d{9})(?P<code>9[1-5]\d{20})"),
        lambda match: ("usps", "fedex") if match.group("code")[1] == "2" else ("usps",),
        _usps_valid,
        Confidence.PUBLISHED,
    ),
    # USPS IMpb: 22 or 26 digits starting 91–95, GS1 mod 10 (USPS Publication 199 "MOD 10
    # check digit"); samples 9400111201080805483016, 92748931507708513018050063 (jkeen).
    # 92… is also FedEx Ground Economy (SmartPost), delivered by USPS: 9261292700768711948021.
    TrackingFormat(
        "usps-impb",
        "USPS (IMpb)",
        re.compile(r"9[1-5]\d{20}(?:\d{4})?"),
        lambda match: ("usps", "fedex") if match.group(0)[1] == "2" else ("usps",),
        gs1_valid,
        Confidence.PUBLISHED,
    ),
    # DHL Paket 20-digit (an SSCC of Deutsche Post's GS1 prefix 0034043…): GS1 mod 10
    # ("Modulo 10, Gewichtung 3131", paketda.de Prüfziffern; sample 00340433836442636597).
    TrackingFormat(
        "dhl-paket-20",
        "DHL Paket (20 digits)",
        re.compile(r"0034043\d{13}"),
        ("dhl", "deutsche-post"),
        gs1_valid,
        Confidence.PUBLISHED,
    ),
    # USPS 20-digit (older domestic, e.g. Certified Mail 71…): GS1 mod 10; samples
    # 03071790000523483741 (jkeen usps.json "USPS 20"), and the same with the "91" application
    # identifier left off: 71969010756003077385 (jkeen "USPS 91").
    TrackingFormat(
        "usps-20",
        "USPS (20 digits)",
        re.compile(r"\d{20}"),
        ("usps",),
        lambda code: gs1_valid(code) or gs1_valid("91" + code),
        Confidence.PUBLISHED,
        distinctive=False,
    ),
    # FedEx Ground Economy (SmartPost) printed without its "92": GS1 mod 10 over "92" + code;
    # sample 61299998820821171811 (jkeen fedex.json).
    TrackingFormat(
        "fedex-smartpost-20",
        "FedEx Ground Economy (20 digits)",
        re.compile(r"\d{20}"),
        ("fedex", "usps"),
        lambda code: gs1_valid("92" + code),
        Confidence.PUBLISHED,
        distinctive=False,
    ),
    # FedEx label barcodes, 34 digits: Express ("100…") and Ground ("96…"); the tracking number
    # is the last 12 digits, with the FedEx 12-digit check (samples
    # 1001921334250001000300779017972697, 9622001900000000000000776632517510, jkeen).
    TrackingFormat(
        "fedex-34",
        "FedEx label barcode (34 digits)",
        re.compile(r"(?:100\d|96\d\d)\d{18}(?P<code>\d{12})"),
        ("fedex",),
        lambda code: fedex12_valid(code[-12:]),
        Confidence.PUBLISHED,
    ),
    # FedEx Ground "96" (22 digits): GS1 mod 10 over the 14 serial digits before the check
    # (sample 9611020987654312345672, jkeen fedex.json "FedEx Ground 96").
    TrackingFormat(
        "fedex-96",
        "FedEx Ground (96…, 22 digits)",
        re.compile(r"96\d{20}"),
        ("fedex",),
        lambda code: gs1_valid(code[7:]),
        Confidence.PUBLISHED,
    ),
    # FedEx Ground 15 digits: GS1 mod 10 (samples 041441760228964, 568283610012000, jkeen).
    TrackingFormat(
        "fedex-15",
        "FedEx Ground (15 digits)",
        re.compile(r"\d{15}"),
        ("fedex",),
        gs1_valid,
        Confidence.PUBLISHED,
        distinctive=False,
    ),
    # FedEx Express 12 digits: weights 3,1,7 … over 11 digits, mod 11 mod 10 (samples
    # 986578788855, 477179081230, 799531274483, jkeen fedex.json "FedEx Express (12)").
    TrackingFormat(
        "fedex-12",
        "FedEx Express (12 digits)",
        re.compile(r"\d{12}"),
        ("fedex",),
        fedex12_valid,
        Confidence.PUBLISHED,
        distinctive=False,
    ),
    # DHL Paket 12-digit Identcode: weights 4, 9 from the left, mod 10 (paketda.de
    # "Prüfziffer DHL 12-stellig", sample 201298452277; ActiveBarcode "Identcode").
    TrackingFormat(
        "dhl-paket-12",
        "DHL Paket (12 digits)",
        re.compile(r"\d{12}"),
        ("dhl", "deutsche-post"),
        lambda code: weighted_mod10(code[:11], (4, 9)) == int(code[11]),
        Confidence.OBSERVED,
        distinctive=False,
    ),
    # GLS parcel number: 11 digits + check, weights 3, 1 from the left, +1, mod 10 (GLS Uni-Box
    # TechDoku 2D §3.2.1 as cited by public tracking code; paketda.de GLS-Paketlabel).
    TrackingFormat(
        "gls-12",
        "GLS (12 digits)",
        re.compile(r"\d{12}"),
        ("gls",),
        lambda code: weighted_mod10(code[:11], (3, 1), plus=1) == int(code[11]),
        Confidence.OBSERVED,
        distinctive=False,
    ),
    # Canada Post 16 digits: GS1 mod 10 (sample 0073938000549297, jkeen canadapost.json).
    TrackingFormat(
        "canada-post-16",
        "Canada Post (16 digits)",
        re.compile(r"\d{16}"),
        ("canada-post",),
        gs1_valid,
        Confidence.PUBLISHED,
        distinctive=False,
    ),
    # DHL Express waybill: 10 digits, the first 9 mod 7 (samples 3318810025, 8487135506,
    # 1099255990, jkeen dhl.json; paketda.de "DHL Express 10-stellig").
    TrackingFormat(
        "dhl-express-10",
        "DHL Express (10 digits)",
        re.compile(r"\d{10}"),
        ("dhl",),
        dhl_express_valid,
        Confidence.PUBLISHED,
        distinctive=False,
    ),
    # DPD parcel label barcode: "%" + 7-char postcode + 14-digit parcel number + 3 service +
    # 3 country (27 after "%"); printed with an ISO 7064 MOD 37,36 check character that the
    # barcode leaves out (DPD Parcel Label Specification, as in jkeen dpd.json: samples
    # 008182709980000020033350276C). The tracking number is the 14-digit parcel number.
    TrackingFormat(
        "dpd-label",
        "DPD label barcode",
        re.compile(r"%?\d{7}(?P<code>\d{14})\d{6}[0-9A-Z]?"),
        ("dpd",),
        _dpd_label_valid,
        Confidence.PUBLISHED,
    ),
    # DPD parcel number with its check character (14 digits + ISO 7064 MOD 37,36), as printed:
    # 01015026003653C (paketda.de).
    TrackingFormat(
        "dpd-15",
        "DPD (14 digits + check)",
        re.compile(r"\d{14}[0-9A-Z]"),
        ("dpd",),
        lambda code: iso7064_mod37_36(code[:14]) == code[14],
        Confidence.PUBLISHED,
        distinctive=False,
    ),
    # DPD parcel number typed without its check character: 14 digits, shape only.
    TrackingFormat(
        "dpd-14",
        "DPD (14 digits)",
        re.compile(r"\d{14}"),
        ("dpd",),
        None,
        Confidence.SHAPE_ONLY,
        distinctive=False,
    ),
    # Mondial Relay shipment number ("numéro d'expédition"): 8 digits, no public check digit
    # (Mondial Relay web service WSI2: ExpeditionNum; validators in public client libraries).
    TrackingFormat(
        "mondial-relay-8",
        "Mondial Relay (8 digits)",
        re.compile(r"\d{8}"),
        ("mondial-relay",),
        None,
        Confidence.SHAPE_ONLY,
        distinctive=False,
    ),
    # GLS Track-ID: 8 letters and digits, at least one letter (XHAX4HDA, paketda.de
    # GLS-Paketlabel). No check digit; a SKU can look the same, so not distinctive.
    TrackingFormat(
        "gls-track-id",
        "GLS Track-ID (8 characters)",
        re.compile(r"(?=[0-9]*[A-Z])[0-9A-Z]{8}"),
        ("gls",),
        None,
        Confidence.SHAPE_ONLY,
        distinctive=False,
    ),
)


# ============================================================================ recognising
class Status(StrEnum):
    RECOGNISED = "recognised"  # a format matched (its check digit held, where it has one)
    MISSCAN = "misscan"  # formats matched by shape, but every check digit failed
    UNKNOWN = "unknown"  # no format: usable with "Other" if :attr:`Recognition.usable`


#: What :func:`recognise` says of a mis-scan (English; the window words it by status).
MISSCAN_REASON = "mis-scan: the check digit does not match"


@dataclass(frozen=True)
class Guess:
    """One carrier a code may belong to, and the format that says so."""

    #: A preset key of :data:`vendor_desk.domain.carriers.CARRIERS` ("other" for the post of a
    #: country without a preset: see :attr:`country`).
    carrier: str
    #: The format's key and name in :data:`FORMATS` ("upu-s10", "UPU S10 (international post)").
    format: str
    format_name: str
    #: The format's check digit was computed and matched (False: the format has none).
    verified: bool
    #: The format's shape alone says "tracking code" (letters in fixed places, a prefix).
    distinctive: bool
    #: The tracking number (a part of a longer label barcode, else the code normalised).
    tracking: str
    #: UPU S10 codes: the ISO country of the post office that issued it.
    country: str = ""


def _matches(text: str) -> list[tuple[TrackingFormat, re.Match[str], bool | None]]:
    found: list[tuple[TrackingFormat, re.Match[str], bool | None]] = []
    for fmt in FORMATS:
        match = fmt.pattern.fullmatch(text)
        if match is not None:
            found.append((fmt, match, None if fmt.check is None else fmt.check(text)))
    return found


def guess(code: str, prefer: str | Sequence[str] = ()) -> list[Guess]:
    """Every carrier ``code`` may belong to, most likely first: the carriers of formats whose
    check digit was verified, then those of formats without one, each group in table order;
    one guess per carrier. ``prefer``: carrier keys (the vendor's last carrier for the
    destination country, :func:`preferred_for`) moved to the front when they are among the
    guesses, in the order given. Formats whose check digit fails give no guess: an empty list
    for a code that has a known shape is a mis-scan (:func:`misscan_formats`)."""
    text = normalise_code(code)
    good = [entry for entry in _matches(text) if entry[2] is not False]
    good.sort(key=lambda entry: entry[2] is not True)  # verified first, stable otherwise
    guesses: dict[str, Guess] = {}
    for fmt, match, ok in good:
        country = match.groupdict().get("country") or ""
        tracking = match.groupdict().get("code") or text
        for carrier in fmt.carriers_of(match):
            guesses.setdefault(
                carrier,
                Guess(carrier, fmt.key, fmt.name, ok is True, fmt.distinctive, tracking, country),
            )
    ordered = list(guesses.values())
    wanted = [prefer] if isinstance(prefer, str) else list(prefer)
    for key in reversed([k for k in wanted if k]):
        for index, found in enumerate(ordered):
            if found.carrier == key:
                ordered.insert(0, ordered.pop(index))
                break
    return ordered


def misscan_formats(code: str) -> tuple[str, ...]:
    """The names of the formats ``code`` has the shape of when every one of them refused its
    check digit (a mis-scan: read it again); empty when the code is recognised or unknown."""
    matched = _matches(normalise_code(code))
    if not matched or any(ok is not False for _fmt, _match, ok in matched):
        return ()
    return tuple(dict.fromkeys(fmt.name for fmt, _match, _ok in matched))


def preferred_for(preferred: Mapping[str, str] | None, country: str) -> str:
    """The carrier the vendor used last for ``country`` ("" when none), from a mapping of
    destination country → carrier key such as :func:`vendor_desk.sync.scan.last_carriers`."""
    return (preferred or {}).get(country.strip().upper(), "")


@dataclass(frozen=True)
class Recognition:
    """What a scanned or typed tracking code is."""

    #: The tracking number: the code normalised, or the part of a label barcode carriers track.
    code: str
    status: Status
    #: Preset keys (``carriers.CARRIERS``) it may belong to, best first; empty when unknown.
    carriers: tuple[str, ...] = ()
    #: The matched formats' names, best first (for a mis-scan: those whose check failed).
    formats: tuple[str, ...] = ()
    #: A check digit was verified.
    verified: bool = False
    #: Proven by a check digit or by a distinctive shape (not bare digits of a common length).
    distinctive: bool = False
    reason: str = ""
    #: Every guess, best first (:func:`guess`).
    guesses: tuple[Guess, ...] = ()

    @property
    def carrier(self) -> str:
        """The best guess ("" when no format knows the code)."""
        return self.carriers[0] if self.carriers else ""

    @property
    def usable(self) -> bool:
        """Not refused: recognised, or unknown but a plausible code to ship with "Other"."""
        return self.status is Status.RECOGNISED or (
            self.status is Status.UNKNOWN and check_code(self.code) is None
        )


def recognise(
    code: str,
    *,
    destination_country: str = "",
    preferred: Mapping[str, str] | None = None,
) -> Recognition:
    """What ``code`` is: :func:`guess` with the carrier in ``preferred`` for
    ``destination_country`` (the one the vendor used last for that country, ``{"NL": "dhl"}``)
    first when it is among the guesses; a mis-scan when every format that matched the shape
    failed its check digit."""
    text = normalise_code(code)
    guesses = guess(text, preferred_for(preferred, destination_country))
    if not guesses:
        if names := misscan_formats(text):
            return Recognition(text, Status.MISSCAN, formats=names, reason=MISSCAN_REASON)
        problem = check_code(text)
        reason = f"not a tracking code ({problem.value})" if problem else "no known format"
        return Recognition(text, Status.UNKNOWN, reason=reason)
    best = max(guesses, key=lambda g: g.verified)  # the tracking number of the best format
    return Recognition(
        best.tracking,
        Status.RECOGNISED,
        tuple(g.carrier for g in guesses),
        tuple(dict.fromkeys(g.format_name for g in guesses)),
        verified=any(g.verified for g in guesses),
        distinctive=any(g.verified or g.distinctive for g in guesses),
        guesses=tuple(guesses),
    )
