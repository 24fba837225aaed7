"""The vendor's language: which one the environment asks for (vendor_desk.i18n), the catalogue's
plurals, and the domain's sentences translated where they are shown (the command line through
i18n.translated, the window through ui.labels.rule_reason) — their English text unchanged."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

import pytest

from tests.domain.test_orders_and_rules import item, order
from vendor_desk import i18n
from vendor_desk.domain import OrderStatus, PayoutState, rules
from vendor_desk.domain.text import Capitalised, Sentence


@pytest.fixture
def french() -> Iterator[None]:
    i18n.set_language("fr")
    try:
        yield
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("fr_FR.UTF-8", "fr"),
        ("fr-BE", "fr"),
        ("FR", "fr"),
        ("fr_CH.utf8@euro", "fr"),
        ("en_US.UTF-8", "en"),
        ("de_DE", "de"),
        ("C", ""),
        ("C.UTF-8", ""),
        ("POSIX", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise(tag: str | None, language: str) -> None:
    assert i18n.normalise(tag) == language


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "fr_BE", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        # LANGUAGE is a list: the first language the app ships in wins …
        ({"LANGUAGE": "de:fr:en", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LANGUAGE": "en_GB:fr", "LANG": "fr_FR.UTF-8"}, "en"),
        # … and one naming none of them leaves the choice to the other variables
        ({"LANGUAGE": "de:it", "LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "C"}, ""),
        ({}, ""),
    ],
)
def test_environment_language(environ: dict[str, str], language: str) -> None:
    assert i18n.environment_language(environ) == language


def test_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert i18n.resolve(None) == "fr"
    assert i18n.resolve("system") == "fr"
    assert i18n.resolve("en") == "en"
    assert i18n.resolve("fr_CA") == "fr"
    assert i18n.resolve("de") == "en"  # not shipped: the source language
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.resolve("system") == "en"


def test_french_plurals(french: None) -> None:
    def orders(n: int) -> str:
        return i18n.ngettext("{count} order", "{count} orders", n).format(count=n)

    assert [orders(n) for n in (0, 1, 2, 3)] == [
        "0 commande",
        "1 commande",
        "2 commandes",
        "3 commandes",
    ]


def test_a_sentence_is_its_english_text_and_translates_as_a_template(french: None) -> None:
    cancelled = order(item(3, "25"), main_status=OrderStatus.CANCELLED, date_paid=None)
    # removal wins for a cancelled order; the payment warnings say it in a template
    [warning] = rules.payment_warnings(cancelled)
    assert warning == "The order is cancelled: do not ship."  # the English text, unchanged
    assert isinstance(warning, Sentence)
    assert i18n.translated(warning) == "La commande est annulée : n'expédiez pas."
    # pickled (e.g. across processes) it stays a sentence
    assert i18n.translated(pickle.loads(pickle.dumps(warning))) == i18n.translated(warning)


def test_payment_warnings_in_french(french: None) -> None:
    on_hold = order(item(3, "25"), date_paid=None, main_status=OrderStatus.ON_HOLD)
    assert [i18n.translated(w) for w in rules.payment_warnings(on_hold)] == [
        "La commande est en attente : attendez que le paiement soit confirmé.",
        "Paiement à la livraison : pas encore de paiement — le client paie le transporteur à la "
        "livraison.",
    ]
    by_card = order(
        item(3, "25"),
        date_paid=None,
        main_status=OrderStatus.PENDING,
        payment_method="stripe",
        payment_method_title="Carte bancaire",
    )
    warnings = rules.payment_warnings(by_card)
    assert warnings == [
        "Payment is still pending: do not ship yet.",
        "No payment recorded yet (via Carte bancaire).",
    ]
    assert [i18n.translated(w) for w in warnings] == [
        "Le paiement est encore en attente : n'expédiez pas encore.",
        "Aucun paiement enregistré pour le moment (par Carte bancaire).",
    ]


def test_rule_reasons_with_values_in_french(french: None) -> None:
    on_hold = order(item(3, "25"), vendor_status=OrderStatus.ON_HOLD)
    [reason] = rules.may_ship(on_hold).reasons
    assert reason == "Your part is on hold; it cannot be shipped."
    assert i18n.translated(reason) == "Votre part est en attente ; elle ne peut pas être expédiée."
    paid_out = order(item(3, "25"), payout_state=PayoutState.COMPLETED)
    [reason] = rules.may_request_refund(paid_out).reasons
    assert reason == (
        "Your earnings for this order are already paid out; ask the marketplace to refund it."
    )
    assert i18n.translated(reason) == (
        "Vos gains pour cette commande sont déjà versés ; demandez à la place de marché de la "
        "rembourser."
    )
    # a value that is not a marked word (a product's name, a status the app does not know)
    # goes in as it is
    assert i18n.translated(Sentence("“{name}” is listed twice.", name="Mug Alpha")) == (
        "« Mug Alpha » figure deux fois."
    )
    unknown = rules.status_word(OrderStatus("awaiting-pickup"))
    assert i18n.translated(Sentence("Your part is already {status}.", status=unknown)) == (
        "Votre part est déjà awaiting pickup."
    )


def test_clauses_keep_their_capital_in_every_language(french: None) -> None:
    from vendor_desk.domain.text import N_

    clause = Sentence(N_("the tracking code is too short"))
    alone = Capitalised(N_("{problem}."), problem=clause)
    assert alone == "The tracking code is too short."
    assert i18n.translated(alone) == "Le numéro de suivi est trop court."
    in_parcel = Sentence(N_("Parcel {parcel}: {problem}."), parcel=2, problem=clause)
    assert in_parcel == "Parcel 2: the tracking code is too short."
    assert i18n.translated(in_parcel) == "Colis 2 : le numéro de suivi est trop court."


def test_the_window_translates_rule_reasons_too(qapp: Any, french: None) -> None:
    from vendor_desk.ui import labels, translator

    translator.install(qapp, "fr")
    try:
        on_hold = order(item(3, "25"), date_paid=None, main_status=OrderStatus.CANCELLED)
        [warning] = rules.payment_warnings(on_hold)
        assert labels.rule_reason(warning) == "La commande est annulée : n'expédiez pas."
        assert labels.rule_reason(rules.NOTHING_TO_SHIP) == (
            "Cette commande n'a rien à expédier : tous ses articles sont virtuels."
        )
    finally:
        translator.install(qapp, "en")


def test_english_stays_english() -> None:
    i18n.set_language("en")
    on_hold = order(item(3, "25"), vendor_status=OrderStatus.ON_HOLD)
    [reason] = rules.may_ship(on_hold).reasons
    assert i18n.translated(reason) == "Your part is on hold; it cannot be shipped."
