"""The project's own end-to-end suite, on the QA plugin (companion.testing.plugin): the real
companion, the mock order site, and one browser per session with the real extension.

Browser-neutral tests use the plugin's `cg_page` (runs in Chromium and Firefox); the Chromium-only
fixtures below (`page` = a Playwright Page, `browser`, `extension`, `console`, `site`, `companion`)
keep the older tests working. Scenario files in e2e/scenarios/ run once per browser.
On failure, e2e/results/<test>/ gets screenshot.png, trace.zip (Chromium), console.log and
companion.log.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.testing.plugin import finish_tab, scenario_file
from harness import E2E_DIR, SiteServer
from marketplace import MarketplaceAddress

SCENARIO_DIR = E2E_DIR / "scenarios"
RESULTS_DIR = E2E_DIR / "results"


def pytest_configure(config):
    # The project's own scenarios are all held to the layout check: no card or dialog of the
    # extension over a control of the page (e2e/test_overlay_layout.py checks the harder layouts).
    config.option.cg_check_layout = True


def pytest_collect_file(file_path, parent):
    return scenario_file(file_path, parent, [SCENARIO_DIR])


@pytest.fixture(scope="session")
def site():
    with SiteServer() as server:
        yield server


@pytest.fixture(scope="session")
def marketplace():
    """Saved marketplace pages at the marketplaces' real addresses, in both browsers (marketplace.py)."""
    address = MarketplaceAddress()
    yield address
    address.close()


@pytest.fixture(scope="session")
def cg_base_url(site) -> str:
    """Scenario urls (e2e/scenarios/pages.json) are relative to the mock site."""
    return site.origin


@pytest.fixture(scope="session")
def cg_artifacts_dir(pytestconfig):
    chosen = pytestconfig.getoption("cg_artifacts")
    return Path(chosen).resolve() if chosen else RESULTS_DIR


@pytest.fixture(scope="session")
def companion(cg_companion):
    return cg_companion


@pytest.fixture(scope="session")
def browser(cg_chromium):
    """Chromium with the extension (Playwright context, service worker, extension id)."""
    return cg_chromium


@pytest.fixture
def paired_settings(cg_paired_settings) -> dict:
    return cg_paired_settings


@pytest.fixture
def extension(cg_chromium, cg_paired_settings):
    """Chromium's extension configured with the companion's port and token (reset each test)."""
    cg_chromium.replace_settings(cg_paired_settings)
    return cg_chromium


@pytest.fixture
def chromium_tab(request, cg_chromium, cg_artifacts_dir):
    tab = cg_chromium.new_tab(title=request.node.nodeid)
    yield tab
    finish_tab(request, tab, cg_artifacts_dir)


@pytest.fixture
def page(chromium_tab):
    """A fresh Playwright page; on failure its screenshot, trace and console go to e2e/results."""
    return chromium_tab.page


@pytest.fixture
def console(chromium_tab):
    """This test's console (pages + the extension's worker)."""
    return chromium_tab.console
