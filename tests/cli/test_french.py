"""The command line in French: ``LANG=fr_FR.UTF-8`` (with ``LC_ALL`` and ``LANGUAGE`` unset, on
a machine without the fr_FR C locale) gives French help, messages and refusals, with the same
exit codes; ``--lang`` overrides the environment."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import command, demo_vendor, process_env, run
from tests.conftest import REPO_ROOT
from vendor_desk import i18n
from vendor_desk.sandbox.server import Simulator


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """The language is per process: give the next tests English back."""
    try:
        yield
    finally:
        i18n.set_language("en")


def french_env(tmp_path: Path, **more: str) -> dict[str, str]:
    """A process environment as a French vendor's: LANG only."""
    env = process_env(tmp_path)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        env.pop(name, None)
    env["LANG"] = "fr_FR.UTF-8"
    env.update(more)
    return env


def vendor_desk(
    tmp_path: Path, *argv: str, env: dict[str, str], stdin: str | None = None
) -> tuple[int, str, str]:
    result = subprocess.run(
        command(tmp_path, *argv),
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
    )
    return result.returncode, result.stdout, result.stderr


def test_help_is_french_with_lang_fr(tmp_path: Path) -> None:
    # The catalogue does not need the C library's French locale (not installed on the test
    # machine: `locale -a` has no fr_FR).
    code, out, err = vendor_desk(tmp_path, "--help", env=french_env(tmp_path))
    assert code == 0, err
    assert out.startswith("utilisation : vendor-desk ")
    out = " ".join(out.split())  # the help wraps its lines
    assert "Vendor Desk : les commandes de votre place de marché sur votre ordinateur." in out
    assert "afficher ce message d'aide puis quitter" in out
    assert "récupérer les commandes nouvelles et modifiées dans le cache local" in out
    assert "show this help message" not in out and "fetch new and changed" not in out
    code, out, _ = vendor_desk(tmp_path, "ship", "--help", env=french_env(tmp_path))
    assert code == 0
    assert "retiré par le client (retrait sur place)" in " ".join(out.split())


def test_lang_option_overrides_the_environment(tmp_path: Path) -> None:
    code, out, _ = vendor_desk(tmp_path, "--lang", "en", "--help", env=french_env(tmp_path))
    assert code == 0 and out.startswith("usage: vendor-desk ")
    english = french_env(tmp_path, LANG="en_US.UTF-8")
    code, out, _ = vendor_desk(tmp_path, "--lang=fr", "--help", env=english)
    assert code == 0 and out.startswith("utilisation : vendor-desk ")
    # LANGUAGE is a list: its first language the app speaks wins over LANG
    code, out, _ = vendor_desk(tmp_path, "--help", env=french_env(tmp_path, LANGUAGE="de:en"))
    assert out.startswith("usage: vendor-desk ")


def test_usage_errors_in_french(tmp_path: Path) -> None:
    code, _, err = vendor_desk(tmp_path, "order", "abc", env=french_env(tmp_path))
    assert code == 2
    assert "vendor-desk order : erreur : argument ORDER : " in err
    assert "'abc' n'est pas un numéro de commande (par exemple 123 ou #123)" in err
    code, _, err = vendor_desk(tmp_path, "orders", env=french_env(tmp_path))
    assert code == 2
    assert err == (
        "vendor-desk: Aucun compte pour l'instant : ajoutez-en un avec "
        "'vendor-desk account add URL UTILISATEUR'.\n"
    )


@pytest.fixture
def added(sim: Simulator, tmp_path: Path) -> str:
    """The demo vendor's account added and synced in TMP/data by French processes."""
    env = french_env(tmp_path)
    password = demo_vendor(sim)["password"] + "\n"
    login = demo_vendor(sim)["login"]
    code, _, err = vendor_desk(
        tmp_path, "account", "add", sim.base_url, login, env=env, stdin=password
    )
    assert code == 0, err
    assert "pas de trousseau sur cet ordinateur" in err  # the test's keyring is "fail"
    code, _, err = vendor_desk(tmp_path, "sync", "--password-stdin", env=env, stdin=password)
    assert code == 0, err
    return password


def test_refusals_in_french_with_their_exit_codes(
    added: str, sim: Simulator, tmp_path: Path
) -> None:
    env = french_env(tmp_path)
    # an unknown order: a mistake in what was typed, exit 2
    code, _, err = vendor_desk(tmp_path, "ship", "999", "--code", "6A12345678901", env=env)
    assert code == 2
    assert err == (
        "vendor-desk: La commande #999 n'est pas parmi vos commandes en cache : vérifiez le "
        "numéro ou lancez d'abord 'vendor-desk sync'.\n"
    )
    # order #24 is on hold: the order's state refuses, exit 1, in the rule's French words
    code, _, err = vendor_desk(
        tmp_path,
        "ship",
        "24",
        "--code",
        "6A12345678901",
        "--password-stdin",
        env=env,
        stdin=added,
    )
    assert code == 1
    assert "Votre part est en attente ; elle ne peut pas être expédiée." in err
    assert "cannot be shipped" not in err
    # the same in English with --lang en
    code, _, err = vendor_desk(
        tmp_path,
        "--lang",
        "en",
        "ship",
        "24",
        "--code",
        "6A12345678901",
        "--password-stdin",
        env=env,
        stdin=added,
    )
    assert code == 1 and "Your part is on hold; it cannot be shipped." in err


def test_orders_and_order_in_french(
    sim: Simulator, added: str, tmp_path: Path, capsys: Any
) -> None:
    data = str(tmp_path / "data")
    code, out, err = run(data, capsys, "--lang", "fr", "orders", "--status", "all")
    assert code == 0
    assert err == "6 commandes\n"
    assert "Statut" in out.splitlines()[0] and "Votre total" in out.splitlines()[0]
    assert "En attente" in out and "En cours" in out and "Terminée" in out
    code, out, err = run(data, capsys, "--lang", "fr", "order", "24")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Commande #24 · En attente (au ")
    # the domain's warnings, translated where the command line shows them
    assert "! La commande est en attente : attendez que le paiement soit confirmé." in lines
    assert any(line.startswith("Passée le") for line in lines)
    assert "Notes (les plus récentes en premier)" in lines
    assert "En attente dans la file d'envoi" in lines
    # JSON keys stay English; the vendor's sentences are in the vendor's language
    code, out, _ = run(data, capsys, "--lang", "fr", "order", "24", "--json")
    data_json = json.loads(out)
    assert data_json["vendor_status"] == "on-hold"
    assert (
        "La commande est en attente : attendez que le paiement soit confirmé."
        in (data_json["warnings"])
    )
