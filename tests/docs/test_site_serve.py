"""eventproof docs serve: 127.0.0.1, a rebuild when a contract changes, a clear bind error."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.docs.site_helpers import REPOSITORY

pytestmark = pytest.mark.timeout(120)


def _serve(*argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "eventproof.cli", "docs", "serve", *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=REPOSITORY, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def test_serve_rebuilds_when_a_contract_changes(tmp_path: Path) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(REPOSITORY / "examples/payments/contracts", contracts)
    server = _serve("--contracts", str(contracts), "--out", str(tmp_path / "site"), "--port", "0",
                    "--history", "0")
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert "http://127.0.0.1:" in line, line + (server.stderr.read() if server.poll() is not None else "")
        url = line.split("on ", 1)[1].split()[0]
        page = url.replace("index.html", "contracts/PaymentRequested.html")
        assert "Ask the payments service to settle one payment." in _fetch(page)
        schema = contracts / "PaymentRequested.schema.json"
        schema.write_text(schema.read_text().replace("settle one payment.", "settle one payment, now."))
        deadline = time.monotonic() + 60
        while "settle one payment, now." not in _fetch(page):
            assert time.monotonic() < deadline, "the site was not rebuilt"
            time.sleep(0.5)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    assert server.returncode == 0


def test_a_port_in_use_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = _serve("--contracts", str(REPOSITORY / "examples/payments/contracts"),
                        "--out", str(tmp_path / "site"), "--port", str(port), "--history", "0")
        _, err = server.communicate(timeout=90)
    assert server.returncode == 2
    assert err.strip().count("\n") == 0 and f"cannot serve on 127.0.0.1:{port}" in err, err
    assert "Traceback" not in err


def test_serve_watches_every_configured_project() -> None:
    from eventproof.docs import SiteOptions
    from eventproof.docs.serve import watched_paths

    patterns = REPOSITORY / "reference_impl"
    options = SiteOptions(config=patterns / "outbox/eventproof.toml",
                          more_configs=(patterns / "command_bus",), features=REPOSITORY / "features")
    assert watched_paths(options) == [patterns / "outbox", patterns / "command_bus", REPOSITORY / "features"]
