"""Fixtures of the documentation site tests: sites built once per session, and the browser."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.docs.site_helpers import (
    CHROMEDRIVER,
    CHROMIUM,
    REFERENCE_PATTERNS,
    REPOSITORY,
    build,
    write_hostile_project,
)


@pytest.fixture(scope="session")
def payments_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real ``eventproof verify`` report of the sample project."""
    report = tmp_path_factory.mktemp("payments-report") / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "eventproof.cli", "verify", "--config", str(REPOSITORY / "examples/payments"),
         "--examples", "10", "--report", f"json:{report}"], capture_output=True, text=True, timeout=600, cwd=REPOSITORY)
    assert done.returncode == 0, done.stdout + done.stderr
    return report


@pytest.fixture(scope="session")
def payments_site(tmp_path_factory: pytest.TempPathFactory, payments_report: Path) -> Path:
    out = tmp_path_factory.mktemp("payments-site")
    build("--config", str(REPOSITORY / "examples/payments"), "--report", str(payments_report),
          "--out", str(out), "--history", "3")
    return out


@pytest.fixture(scope="session")
def reference_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference-site")
    configs = [arg for pattern in REFERENCE_PATTERNS
               for arg in ("--config", str(REPOSITORY / "reference_impl" / pattern / "eventproof.toml"))]
    build(*configs, "--features", str(REPOSITORY / "features"),
          "--out", str(out), "--history", "3", "--title", "eventproof reference implementation")
    return out


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_hostile_project(tmp_path_factory.mktemp("hostile"))
    out = root / "site"
    build("--contracts", str(root / "contracts"), "--features", str(root / "features"),
          "--report", str(root / "report.json"), "--out", str(out), "--history", "0")
    return out


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through its own chromedriver (Selenium Manager never downloads)."""
    required = os.environ.get("EVENTPROOF_REQUIRE_BROWSER") == "1"
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = (f"headless Chromium is not installed ({CHROMIUM}, {CHROMEDRIVER}): "
                   "apt-get install chromium chromium-driver")
        if required:
            pytest.fail(f"EVENTPROOF_REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
