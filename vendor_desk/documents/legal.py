"""The seller's French identifiers, checked before they are printed on an invoice (no Qt).

A French invoice carries the seller's SIREN (9 digits) or SIRET (14: the SIREN and the
establishment's number) and, for a VAT-registered seller, the intra-EU VAT number
("FR" + 2-character key + SIREN). Both end in check digits (Luhn for SIREN/SIRET, a key
computed from the SIREN for the VAT number): the checks are python-stdnum's, which also knows
La Poste's SIRETs that do not follow Luhn. A typing slip is refused with a message saying
what is wrong; nothing else about the number is judged (it is not looked up anywhere).
"""

from __future__ import annotations

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as _Invalid
from stdnum.fr import siren as _siren
from stdnum.fr import siret as _siret
from stdnum.fr import tva as _tva

from vendor_desk.i18n import _


def siret_problem(value: str) -> str:
    """Why ``value`` is not a SIREN or SIRET ("" when it is one, or empty)."""
    digits = _siren.compact(value)
    if not digits:
        return ""
    if not digits.isdigit():
        return _("A SIREN or SIRET number has digits only (spaces are allowed).")
    if len(digits) not in (9, 14):
        return _("A SIREN number has 9 digits and a SIRET number 14; this one has {count}.").format(
            count=len(digits)
        )
    try:
        (_siren if len(digits) == 9 else _siret).validate(digits)
    except InvalidChecksum:
        return _(
            "This number's check digit is wrong: please check it against your Kbis or your "
            "INSEE notice (a digit may be mistyped)."
        )
    except _Invalid:
        return _("This is not a valid SIREN or SIRET number.")
    return ""


def vat_problem(value: str, siret: str = "") -> str:
    """Why ``value`` is not a valid French VAT number ("" when it is one, empty, or another
    country's — those are printed as typed), or not the one of the seller's ``siret``."""
    if not _is_french_vat(value):
        return ""
    try:
        _tva.validate(value)
    except InvalidLength:
        return _("A French VAT number is FR followed by 11 characters (e.g. FR 40 303265045).")
    except (InvalidChecksum, InvalidComponent):
        return _(
            "This VAT number's key does not match its SIREN: please check it (the two "
            "characters after FR, then the 9 digits of the SIREN)."
        )
    except (InvalidFormat, _Invalid):
        return _("This is not a valid French VAT number.")
    digits = _siren.compact(siret)
    if (
        len(digits) in (9, 14)
        and not siret_problem(siret)
        and _tva.compact(value)[2:] != digits[:9]
    ):
        return _(
            "This VAT number is not the one of your SIREN {siren}: its last 9 digits must be "
            "your SIREN."
        ).format(siren=digits[:9])
    return ""


def _is_french_vat(value: str) -> bool:
    return "".join(value.split()).upper().startswith("FR")


__all__ = ["siret_problem", "vat_problem"]
