"""``vendor-desk --self-test`` in a subprocess, as the installer build runs it on the frozen app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.audio import NoAudioServer, pulse_server
from tests.conftest import REPO_ROOT
from vendor_desk.paths import RESOURCES_ENV

CHECKS = (
    "version",
    "qt",
    "migrations",
    "icons",
    "fonts",
    "translations",
    "sounds",
    "sync",
    "slip",
    "search",
)


def run_self_test(**env_changes: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", RESOURCES_ENV)}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, "-m", "vendor_desk", "--self-test"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_self_test_passes_silently_without_a_display() -> None:
    # QT_QPA_PLATFORM is unset: the self-test must choose offscreen by itself.
    result = run_self_test()
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert [line.split(":", 1)[0] for line in lines] == [*CHECKS, "self-test"]
    assert all(": ok (" in line for line in lines[1:-1]), lines
    assert "platform offscreen" in lines[1]
    icons = len(list((REPO_ROOT / "resources" / "icons").glob("*.svg")))
    assert f"icons: ok ({icons} rendered)" in lines
    assert any(line.startswith("sync: ok (") and " orders in " in line for line in lines)
    assert any(line.startswith("sounds: ok (") for line in lines)  # whatever this machine has
    assert lines[-1].startswith("self-test: passed in ")


def test_the_pack_views_sounds_load_on_an_audio_output(tmp_path: Path) -> None:
    loaded = "sounds: ok (4 sounds ready for Null Output)"
    try:
        with pulse_server(tmp_path) as address:
            result = run_self_test(PULSE_SERVER=address)
    except NoAudioServer as error:
        pytest.skip(f"no audio server to load the sounds on: {error}")
    # on failure, the server's log says whether the app reached it at all
    assert loaded in result.stdout.splitlines(), "\n".join(
        [result.stdout, result.stderr, (tmp_path / "pulseaudio.log").read_text()]
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_without_an_audio_output_the_sounds_check_says_so(tmp_path: Path) -> None:
    nowhere = str(tmp_path / "nothing-listens-here")  # neither PulseAudio nor PipeWire answers
    result = run_self_test(PULSE_SERVER=f"unix:{nowhere}", PIPEWIRE_REMOTE=nowhere)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (
        "sounds: ok (no audio output on this computer: the sounds were not tried)"
        in result.stdout.splitlines()
    ), result.stdout


def test_self_test_fails_with_the_reason_when_resources_are_missing(tmp_path: Path) -> None:
    result = run_self_test(**{RESOURCES_ENV: str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr.startswith("vendor-desk: self-test failed: icons: ")
    assert str(tmp_path) in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "slip: ok" not in result.stdout


def test_self_test_fails_when_a_font_is_broken(tmp_path: Path) -> None:
    resources = tmp_path / "resources"
    shutil.copytree(REPO_ROOT / "resources", resources)
    (resources / "fonts" / "NotoSans-Bold.ttf").write_bytes(b"not a font")
    result = run_self_test(**{RESOURCES_ENV: str(resources)})
    assert result.returncode == 1
    assert result.stderr.startswith("vendor-desk: self-test failed: fonts: "), result.stderr
    assert "icons: ok (" in result.stdout


def test_self_test_fails_when_a_catalogue_is_missing(tmp_path: Path) -> None:
    resources = tmp_path / "resources"
    shutil.copytree(REPO_ROOT / "resources", resources)
    (resources / "translations" / "fr" / "LC_MESSAGES" / "vendor_desk.mo").unlink()
    result = run_self_test(**{RESOURCES_ENV: str(resources)})
    assert result.returncode == 1
    assert result.stderr.startswith(
        "vendor-desk: self-test failed: translations: the fr catalogue does not load from "
    ), result.stderr
    assert "fonts: ok (" in result.stdout


def test_self_test_checks_the_catalogues_and_speaks_french(tmp_path: Path) -> None:
    result = run_self_test(LANG="fr_FR.UTF-8", LC_ALL="", LANGUAGE="")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # the check's name and "ok" stay as they are (read by the installer build), details in French
    assert [line.split(":", 1)[0] for line in lines] == [*CHECKS, "self-test"]
    assert "translations: ok (1 langue chargée : fr)" in lines
    assert any(line.startswith("sync: ok (") and " commandes en " in line for line in lines)
