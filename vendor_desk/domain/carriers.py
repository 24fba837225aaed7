"""Carriers and what a vendor types when shipping: presets that build tracking URLs, and checks.

The marketplace stores whatever it is sent (a code alone is even a silent no-op), so the app checks
what the vendor typed before anything is queued::

    carrier = carrier_by_key("colissimo")
    code = normalise_code(" 6a 1234 5678 9 ")          # "6A123456789"
    if (problem := check_code(code)) is None:
        url = carrier.url_for(code)                    # https://www.laposte.fr/…?code=6A123456789
    check_url(url)                                     # None: an http(s) URL with a host

Problems are returned as enum members, not sentences: the window and the command line each say
them in their own words (and the window in the vendor's language).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, urlsplit

#: Tracking codes are letters, digits and dashes once spaces are taken out.
_CODE_CHARACTERS = re.compile(r"[A-Za-z0-9-]+")
MIN_CODE_LENGTH = 4
MAX_CODE_LENGTH = 40
MAX_URL_LENGTH = 2000


@dataclass(frozen=True)
class Carrier:
    """A carrier preset. ``template`` is a tracking URL with ``{code}`` and, for carriers that
    need them, ``{postcode}`` / ``{country}`` (the ship-to address's); empty for "Other"."""

    key: str
    name: str
    template: str = ""
    #: Countries (ISO 3166 alpha-2) the carrier is most used in: the dialog lists those first.
    regions: tuple[str, ...] = ()

    @property
    def needs_postcode(self) -> bool:
        return "{postcode}" in self.template

    @property
    def needs_country(self) -> bool:
        return "{country}" in self.template

    @property
    def builds_url(self) -> bool:
        return bool(self.template)

    def url_for(self, code: str, postcode: str = "", country: str = "") -> str:
        """The tracking URL for ``code`` ("" for "Other", which has no preset). The code is
        normalised; postcode and country are percent-encoded into the URL."""
        if not self.template:
            return ""
        return self.template.format(
            code=quote(normalise_code(code), safe=""),
            postcode=quote(postcode.replace(" ", "").upper(), safe=""),
            country=quote(country.strip().upper(), safe=""),
        )


OTHER = Carrier("other", "Other")

#: The presets, in the order the tracking dialog lists them ("Other" last).
CARRIERS: tuple[Carrier, ...] = (
    Carrier(
        "colissimo",
        "La Poste / Colissimo",
        "https://www.laposte.fr/outils/suivre-vos-envois?code={code}",
        ("FR",),
    ),
    Carrier(
        "chronopost",
        "Chronopost",
        "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={code}",
        ("FR",),
    ),
    Carrier(
        "mondial-relay",
        "Mondial Relay",
        "https://www.mondialrelay.fr/suivi-de-colis/?numeroExpedition={code}&codePostal={postcode}",
        ("FR", "BE", "ES", "NL", "LU"),
    ),
    Carrier(
        "dhl",
        "DHL",
        "https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?submit=1&tracking-id={code}",
    ),
    Carrier("dpd", "DPD", "https://tracking.dpd.de/status/en_US/parcel/{code}"),
    Carrier("gls", "GLS", "https://gls-group.com/track/{code}"),
    Carrier("ups", "UPS", "https://www.ups.com/track?tracknum={code}"),
    Carrier("fedex", "FedEx", "https://www.fedex.com/fedextrack/?trknbr={code}"),
    Carrier("usps", "USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels={code}", ("US",)),
    Carrier(
        "royal-mail",
        "Royal Mail",
        "https://www.royalmail.com/track-your-item#/tracking-results/{code}",
        ("GB",),
    ),
    Carrier(
        "deutsche-post",
        "Deutsche Post",
        "https://www.deutschepost.de/de/s/sendungsverfolgung.html?piececode={code}",
        ("DE",),
    ),
    Carrier(
        "postnl",
        "PostNL",
        "https://jouw.postnl.nl/track-and-trace/{code}-{country}-{postcode}",
        ("NL", "BE"),
    ),
    Carrier(
        "canada-post",
        "Canada Post",
        "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={code}",
        ("CA",),
    ),
    Carrier(
        "australia-post",
        "Australia Post",
        "https://auspost.com.au/mypost/track/details/{code}",
        ("AU",),
    ),
    OTHER,
)

_BY_KEY = {carrier.key: carrier for carrier in CARRIERS}


def carrier_by_key(key: str) -> Carrier:
    """The preset with ``key`` (case-insensitive); :data:`OTHER` for an unknown key."""
    return _BY_KEY.get(key.strip().lower(), OTHER)


def find_carrier(name_or_key: str) -> Carrier | None:
    """The preset a vendor or a carrier's export names ("colissimo", "La Poste", "Royal Mail",
    "royal-mail", "DHL Express" …), or None when nothing matches."""
    wanted = re.sub(r"[^a-z0-9]+", "", name_or_key.lower())
    if not wanted:
        return None
    for carrier in CARRIERS:
        if carrier is OTHER:
            continue
        names = {re.sub(r"[^a-z0-9]+", "", carrier.key)}
        names.update(re.sub(r"[^a-z0-9]+", "", part.lower()) for part in carrier.name.split("/"))
        if wanted in names or any(name and wanted.startswith(name) for name in names):
            return carrier
    return None


def _brand(host: str) -> str:
    """The name a host is registered under: "laposte" for www.laposte.fr, "auspost" for
    auspost.com.au."""
    labels = [label for label in host.lower().split(".") if label]
    if len(labels) >= 3 and labels[-2] in ("com", "co", "org", "net"):
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")


def carrier_for_url(url: str) -> Carrier | None:
    """The preset whose tracking site ``url`` is on (any page of laposte.fr is Colissimo's,
    dhl.de or dhl.com DHL's …), or None. For tracking URLs the marketplace holds."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return None
    brand = _brand(host)
    if not brand:
        return None
    for carrier in CARRIERS:
        if carrier.template and brand in (
            _brand(urlsplit(carrier.template).hostname or ""),
            carrier.key.replace("-", ""),
        ):
            return carrier
    return None


def carriers_for(country: str) -> list[Carrier]:
    """Every preset, those used in ``country`` (the ship-to country) first; "Other" last."""
    country = country.strip().upper()
    local = [c for c in CARRIERS if country and country in c.regions]
    rest = [c for c in CARRIERS if c not in local and c is not OTHER]
    return [*local, *rest, OTHER]


class CodeProblem(StrEnum):
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    BAD_CHARACTERS = "bad_characters"


class UrlProblem(StrEnum):
    EMPTY = "empty"
    NOT_HTTP = "not_http"
    NO_HOST = "no_host"
    SPACES = "spaces"
    TOO_LONG = "too_long"


def normalise_code(code: str) -> str:
    """The code as the carrier prints it, without the spaces people type or paste in between."""
    return "".join(code.split()).upper()


def check_code(code: str) -> CodeProblem | None:
    """What is wrong with a (normalised) tracking code, or None when it is plausible."""
    code = normalise_code(code)
    if not code:
        return CodeProblem.EMPTY
    if not _CODE_CHARACTERS.fullmatch(code):
        return CodeProblem.BAD_CHARACTERS
    if len(code) < MIN_CODE_LENGTH:
        return CodeProblem.TOO_SHORT
    if len(code) > MAX_CODE_LENGTH:
        return CodeProblem.TOO_LONG
    return None


def check_url(url: str) -> UrlProblem | None:
    """What is wrong with a tracking URL, or None: only http(s) URLs with a host are accepted."""
    url = url.strip()
    if not url:
        return UrlProblem.EMPTY
    if any(character.isspace() for character in url):
        return UrlProblem.SPACES
    if len(url) > MAX_URL_LENGTH:
        return UrlProblem.TOO_LONG
    try:
        parts = urlsplit(url)
    except ValueError:
        return UrlProblem.NO_HOST
    if parts.scheme.lower() not in ("http", "https"):
        return UrlProblem.NOT_HTTP
    if not parts.hostname:
        return UrlProblem.NO_HOST
    return None


class ShipMethod(StrEnum):
    """How a parcel leaves the vendor."""

    TRACKED = "tracked"  # with a tracking code and URL (the marketplace's Mark Shipped)
    NO_TRACKING = "no_tracking"  # posted without a tracking number: the vendor carries the risk
    PICKUP = "pickup"  # collected by the customer at the store (local pickup)


@dataclass(frozen=True)
class Parcel:
    """One parcel of a shipment: which of the vendor's items it holds and how it travels.
    ``code``/``url`` are set for :attr:`ShipMethod.TRACKED` only; ``carrier`` is a preset key
    ("other" when typed freely; may be empty for pickup)."""

    item_ids: tuple[int, ...]
    method: ShipMethod = ShipMethod.TRACKED
    carrier: str = ""
    code: str = ""
    url: str = ""

    def problems(self) -> dict[str, CodeProblem | UrlProblem]:
        """Field name ("code", "url") → what is wrong; empty when the parcel can be queued."""
        found: dict[str, CodeProblem | UrlProblem] = {}
        if self.method is not ShipMethod.TRACKED:
            return found
        if (code_problem := check_code(self.code)) is not None:
            found["code"] = code_problem
        if (url_problem := check_url(self.url)) is not None:
            found["url"] = url_problem
        return found
