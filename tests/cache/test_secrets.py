"""Secrets go to a real keyring backend (keyrings.alt's file) and nowhere else."""

from __future__ import annotations

from pathlib import Path

from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring

from vendor_desk.cache import add_account, open_cache
from vendor_desk.secrets import SERVICE, SecretStore


def test_keyring_round_trip(file_keyring: PlaintextKeyring, tmp_path: Path) -> None:
    store = SecretStore()
    assert store.persistent and store.warning == ""
    store.set("http://127.0.0.1:1", "vendor_a", "s3cret-Pa55")
    assert file_keyring.get_password(SERVICE, "http://127.0.0.1:1|vendor_a") == "s3cret-Pa55"
    assert SecretStore().get("http://127.0.0.1:1", "vendor_a") == "s3cret-Pa55"
    store.delete("http://127.0.0.1:1", "vendor_a")
    assert store.get("http://127.0.0.1:1", "vendor_a") is None
    store.delete("http://127.0.0.1:1", "vendor_a")  # deleting twice is fine


def test_secret_never_reaches_the_cache(file_keyring: PlaintextKeyring, tmp_path: Path) -> None:
    cache = open_cache(tmp_path / "data")
    with cache.session() as session:
        add_account(session, "http://127.0.0.1:1", "vendor_a", "Shop", 2, "jwt")
    SecretStore().set("http://127.0.0.1:1", "vendor_a", "needle-Pa55-xyz")
    cache.close()
    for path in (tmp_path / "data").iterdir():
        assert b"needle-Pa55-xyz" not in path.read_bytes(), path


def test_no_keyring_falls_back_to_the_session() -> None:
    store = SecretStore(fail.Keyring())
    assert not store.persistent
    assert "this session only" in store.warning
    store.set("https://shop.example", "v", "pw")
    assert store.get("https://shop.example", "v") == "pw"
    assert SecretStore(fail.Keyring()).get("https://shop.example", "v") is None
