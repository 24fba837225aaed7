"""A private audio output for the tests: a PulseAudio server with a null sink.

A CI container has no sound card, and a daemon started once for a whole CI run was seen gone by the
time the self-test asked for it. So a test (or the installer build, through ``main``) starts its
own server, for as long as it needs it, in a folder of its own: any user may run it (root too), it
touches no system state, and it ends with the test.

``python3 -m tests.audio COMMAND…`` runs COMMAND with ``PULSE_SERVER`` pointing at such a server
(and ``VD_AUDIO_OUTPUT=1``, so the installer build expects the sounds to load); without
``pulseaudio`` on the machine it runs COMMAND as it is and says so.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: How long the server may take to listen (s).
START_TIMEOUT = 15.0


class NoAudioServer(Exception):
    """PulseAudio is not installed here, or did not start (the message says which, and why)."""


@contextmanager
def pulse_server(folder: Path) -> Iterator[str]:
    """Run a PulseAudio server with one null sink; yields its address for ``PULSE_SERVER``."""
    program = shutil.which("pulseaudio")
    if program is None:
        raise NoAudioServer("PulseAudio is not installed (Debian: apt-get install pulseaudio)")
    home, runtime = folder / "home", folder / "runtime"
    home.mkdir(parents=True, exist_ok=True)
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    address = folder / "pulse.socket"
    log = folder / "pulseaudio.log"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_CONFIG_HOME": str(home / ".config"),
    }
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [
                program,
                "--daemonize=no",
                "--system=no",
                "--use-pid-file=no",
                "--disallow-exit",
                "--exit-idle-time=-1",
                "--log-level=info",  # clients that connect, in the log
                "--log-target=stderr",
                "-n",  # no default.pa: only the two modules below
                "--load=module-null-sink sink_name=vendor_desk_tests",
                f"--load=module-native-protocol-unix auth-anonymous=1 socket={address}",
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _listens(address):
            if server.poll() is not None or time.monotonic() > deadline:
                said = log.read_text(errors="replace").strip()
                raise NoAudioServer(f"PulseAudio did not start (exit {server.poll()}): {said}")
            time.sleep(0.05)
        yield f"unix:{address}"
        if server.poll() is not None:  # it must have lasted as long as it was used
            said = log.read_text(errors="replace").strip()
            raise AssertionError(f"PulseAudio ended early (exit {server.returncode}): {said}")
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _listens(path: Path) -> bool:
    """Whether a server accepts connections on the socket (a daemon that died leaves it behind)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python3 -m tests.audio COMMAND [ARG…]", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="vendor-desk-audio-") as folder:
        try:
            with pulse_server(Path(folder)) as address:
                print(f"--- audio: PulseAudio with a null sink at {address}", flush=True)
                env = {**os.environ, "PULSE_SERVER": address, "VD_AUDIO_OUTPUT": "1"}
                return subprocess.run(argv, env=env).returncode
        except NoAudioServer as error:
            print(f"--- audio: none ({error}); the sounds check says so", flush=True)
            return subprocess.run(argv).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
