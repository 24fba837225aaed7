"""``vendor-desk sandbox`` as a real subprocess: the first stdout line, serving, clean exit."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import requests

from tests.conftest import REPO_ROOT


def test_sandbox_command_prints_json_then_serves_until_sigterm() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "vendor_desk", "sandbox", "--port", "0", "--edition", "free"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        summary = json.loads(process.stdout.readline())
        assert summary["base_url"].startswith("http://127.0.0.1:")
        assert summary["demo_vendor"] == "vendor_a"
        assert summary["edition"] == "free"
        users = {user["login"]: user for user in summary["users"]}
        assert users["vendor_a"]["role"] == "wcfm_vendor"
        assert users["vendor_a"]["password"] == "vendor_a-pass-123"
        response = requests.get(
            f"{summary['base_url']}/wp-json/wcfmmp/v1/orders",
            auth=("vendor_a", users["vendor_a"]["app_password"]),
            timeout=10,
        )
        assert response.status_code == 200 and len(response.json()) == 6
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr


def test_sandbox_refuses_a_public_host() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vendor_desk", "sandbox", "--host", "0.0.0.0"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr
    assert result.stdout == ""
