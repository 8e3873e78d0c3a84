"""pytest plugin: Contact Guard's browser checks against any page (entry point `contact_guard`).

Inert unless asked: loading it only adds options and `cg_*` fixtures; nothing starts until a test
requests a `cg_*` fixture or `--cg-scenarios DIR` is given. With autoloading off, `-p contact_guard`.

Fixtures (docs/qa.md has the walk-through):
  cg_companion   session   the real companion: temporary config dir, free port, paired
  cg_chromium    session   Debian's Chromium (Playwright, sync API) with the extension
  cg_firefox     session   Firefox ESR (Marionette) with the extension, paired
  cg_browser     function  the browser of this test's `cg_browser_name`, settings reset to paired
  cg_page        function  a fresh tab in it as a page helper (companion.testing.page.ComposerPage)
  cg_serve       session   cg_serve(folder) -> the origin serving that folder on 127.0.0.1
  cg_base_url    session   --cg-base-url (override it in a conftest to compute one)

A test that uses cg_page / cg_browser runs once per browser (`--cg-browser`, default: each one
installed); `@pytest.mark.cg_browsers("chromium")` narrows it. On failure each test leaves a
screenshot, a Playwright trace (Chromium) and the console log in the artifacts folder, recorded as
JUnit properties; a summary table of the scenarios ends the run.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from . import scenarios as scenario_format
from .components import Companion, HarnessError, SiteServer

BROWSER_NAMES = scenario_format.BROWSERS
_MISMATCHES = pytest.StashKey[list]()
_STATE = pytest.StashKey["_State"]()


@dataclass
class _State:
    browsers: tuple[str, ...]
    scenario_dirs: tuple[Path, ...]
    results: list  # (item, outcome, mismatches) of scenario items


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("contact-guard", "Contact Guard browser checks (companion.testing)")
    group.addoption("--cg-scenarios", action="append", default=[], metavar="DIR",
                    help="run every scenario file (*.json) of DIR as a test, once per browser")
    group.addoption("--cg-base-url", default=None, metavar="URL",
                    help="base of the scenarios' relative 'url' values (e.g. http://127.0.0.1:8000)")
    group.addoption("--cg-browser", default="auto", metavar="NAMES",
                    help="chromium, firefox, both comma-separated, or auto: each one installed (default)")
    group.addoption("--cg-artifacts", default=None, metavar="DIR",
                    help="failure artifacts folder (default: cg-artifacts next to --junitxml, else ./cg-artifacts)")
    group.addoption("--cg-check-layout", action="store_true",
                    help="also fail a scenario whose card or dialog covers a control of the page")
    parser.addini("cg_scenarios", "scenario folders run as with --cg-scenarios", type="paths", default=[])


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cg_browsers(*names): run this test only in these browsers")
    # marionette_driver's dependencies import deprecated modules; not the user's concern
    for module in ("mozinfo", "mozrunner", "mozdevice", "mozprofile", "mozversion"):
        config.addinivalue_line("filterwarnings", f"ignore::DeprecationWarning:{module}.*")
    folders = [Path(p).resolve() for p in config.getoption("cg_scenarios")] or [
        Path(p).resolve() for p in config.getini("cg_scenarios")]
    for folder in folders:
        if not folder.is_dir():
            raise pytest.UsageError(f"--cg-scenarios {folder}: not a folder")
    config.stash[_STATE] = _State(_selected_browsers(config), tuple(folders), [])


def _selected_browsers(config: pytest.Config) -> tuple[str, ...]:
    wanted = config.getoption("cg_browser")
    if wanted in ("auto", "all"):
        from .chromium import chromium_executable
        from .firefox import firefox_executable

        found = {"chromium": chromium_executable(), "firefox": firefox_executable()}
        return tuple(name for name in BROWSER_NAMES if found[name] or wanted == "all")
    names = tuple(name.strip() for name in wanted.split(",") if name.strip())
    unknown = set(names) - set(BROWSER_NAMES)
    if unknown or not names:
        raise pytest.UsageError(f"--cg-browser: {sorted(unknown) or wanted!r} (choose from {BROWSER_NAMES})")
    return names


def _browsers_for(item_or_metafunc, config: pytest.Config) -> list[str]:
    selected = config.stash[_STATE].browsers
    marker = item_or_metafunc.definition.get_closest_marker("cg_browsers") if hasattr(
        item_or_metafunc, "definition") else item_or_metafunc.get_closest_marker("cg_browsers")
    return [b for b in selected if marker is None or b in marker.args]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "cg_browser_name" in metafunc.fixturenames:
        names = _browsers_for(metafunc, metafunc.config)
        marks = [] if names else [pytest.mark.skip(reason="no selected browser for this test")]
        metafunc.parametrize("cg_browser_name", names or [pytest.param(None, marks=marks)],
                             ids=names or ["no-browser"])


# --- fixtures -------------------------------------------------------------------------------------


@dataclass
class RunningCompanion:
    """The companion the extension is paired with: `process` can be stopped and restarted."""

    process: Companion
    token: str

    @property
    def port(self) -> int:
        return self.process.port

    @property
    def log(self) -> str:
        return "".join(self.process.output)


@pytest.fixture(scope="session")
def cg_companion(tmp_path_factory) -> RunningCompanion:
    process = Companion(tmp_path_factory.mktemp("cg-companion-config"))
    token = process.pair()
    process.start()
    yield RunningCompanion(process, token)
    process.stop()


@pytest.fixture(scope="session")
def cg_chromium(tmp_path_factory):
    from .chromium import ChromiumBrowser

    browser = ChromiumBrowser(tmp_path_factory.mktemp("cg-chromium-profile"))
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def cg_firefox(tmp_path_factory):
    from .firefox import FirefoxBrowser

    browser = FirefoxBrowser(tmp_path_factory.mktemp("cg-firefox-profile"))
    yield browser
    browser.close()


@pytest.fixture
def cg_browser_name(request) -> str:
    """Parametrized per browser (see pytest_generate_tests); scenario items carry their own."""
    return request.node.cg_browser


@pytest.fixture
def cg_paired_settings(cg_companion) -> dict:
    """The extension's storage as a paired user has it, with nothing disabled or allowlisted."""
    return {"port": cg_companion.port, "token": cg_companion.token}


@pytest.fixture
def cg_browser(request, cg_browser_name, cg_paired_settings):
    """This test's browser with the extension paired to cg_companion (settings reset each test)."""
    if cg_browser_name not in BROWSER_NAMES:
        raise HarnessError(f"unknown browser {cg_browser_name!r}")
    browser = request.getfixturevalue(f"cg_{cg_browser_name}")
    if cg_browser_name == "firefox":  # its origin is random per install: the companion is told it
        request.getfixturevalue("cg_companion").process.allow_firefox(browser.uuid)
    browser.replace_settings(cg_paired_settings)
    return browser


@pytest.fixture(scope="session")
def cg_artifacts_dir(pytestconfig) -> Path:
    """Where failing tests leave their artifacts (override in a conftest to move it)."""
    chosen = pytestconfig.getoption("cg_artifacts")
    if chosen:
        return Path(chosen).resolve()
    junit = pytestconfig.getoption("xmlpath", None)
    return (Path(junit).resolve().parent if junit else Path.cwd()) / "cg-artifacts"


@pytest.fixture
def cg_page(request, cg_browser, cg_artifacts_dir):
    """A fresh tab in this test's browser, as the page helper; on failure (or on a console error
    the test did not provoke) its screenshot, trace and console log are kept."""
    from .page import ComposerPage

    tab = cg_browser.new_tab(title=request.node.nodeid)
    yield ComposerPage(tab)
    finish_tab(request, tab, cg_artifacts_dir)


def finish_tab(request, tab, artifacts_dir: Path) -> None:
    """Closes a test's tab; keeps its artifacts when the test failed or the console shows an error
    the test did not provoke (which then fails the test: the extension must never log errors)."""
    failed = any(getattr(request.node, f"cg_report_{when}", None) is not None
                 and getattr(request.node, f"cg_report_{when}").failed for when in ("setup", "call"))
    errors = tab.console.unexpected_errors()
    if failed or errors:
        keep_artifacts(request, tab, artifacts_dir)
    else:
        tab.save_trace(None)
    tab.close()
    if errors and not failed:
        pytest.fail("console errors during the test:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture(scope="session")
def cg_base_url(pytestconfig) -> str | None:
    return pytestconfig.getoption("cg_base_url")


@pytest.fixture(scope="session")
def cg_serve():
    """cg_serve(folder) -> "http://127.0.0.1:PORT": the folder served on loopback for the session."""
    servers: dict[Path, SiteServer] = {}

    def serve(folder: Path) -> str:
        folder = Path(folder).resolve()
        if folder not in servers:
            servers[folder] = SiteServer(folder).__enter__()
        return servers[folder].origin

    yield serve
    for server in servers.values():
        server.__exit__(None, None, None)


def keep_artifacts(request, tab, folder_root: Path) -> Path:
    """screenshot.png, trace.zip (Chromium), console.log, companion.log for this test, recorded as
    JUnit properties and as [[ATTACHMENT|…]] lines (read by Jenkins/GitLab from system-out)."""
    folder = folder_root / re.sub(r"[^\w.\[\]-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    kept = []
    try:
        tab.screenshot(folder / "screenshot.png")
        kept.append(("screenshot", folder / "screenshot.png"))
    except Exception as problem:  # a crashed tab must not hide the trace and the console
        (folder / "screenshot-error.txt").write_text(f"{problem}\n")
    if tab.browser.name == "chromium":
        tab.save_trace(folder / "trace.zip")
        kept.append(("trace", folder / "trace.zip"))
    (folder / "console.log").write_text(tab.console.text())
    kept.append(("console", folder / "console.log"))
    if "cg_companion" in request.fixturenames:
        (folder / "companion.log").write_text(request.getfixturevalue("cg_companion").log)
        kept.append(("companion_log", folder / "companion.log"))
    for name, path in kept:
        request.node.user_properties.append((f"cg_{name}", str(path)))
        print(f"[[ATTACHMENT|{path}]]")
    print(f"\nartifacts: {folder}")
    return folder


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"cg_report_{report.when}", report)
    if isinstance(item, ScenarioItem) and report.when == "call" or (
            isinstance(item, ScenarioItem) and report.when == "setup" and report.failed):
        mismatches = item.stash.get(_MISMATCHES, [])
        if report.failed and not mismatches:
            mismatches = [scenario_format.Mismatch("error", str(call.excinfo.value) if call.excinfo else "")]
        item.config.stash[_STATE].results.append((item, report.outcome, mismatches))


# --- scenario files as tests ------------------------------------------------------------------------


def scenario_file(file_path: Path, parent, folders):
    """The collector for `file_path` when it is a scenario file of one of `folders`, else None
    (a conftest's pytest_collect_file can call it for its own scenario folder)."""
    if file_path.suffix == ".json" and file_path.name != scenario_format.PAGES_FILE and any(
            file_path.resolve().parent == Path(folder).resolve() for folder in folders):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


def pytest_collect_file(file_path: Path, parent):
    return scenario_file(file_path, parent, parent.config.stash[_STATE].scenario_dirs)


@pytest.hookimpl(tryfirst=True)  # before -k / -m deselect
def pytest_collection_modifyitems(session, config, items) -> None:
    # --cg-scenarios folders outside the paths pytest was given are collected here.
    state = config.stash[_STATE]
    seen = {item.path.resolve() for item in items if isinstance(item, ScenarioItem)}
    for folder in state.scenario_dirs:
        for path in scenario_format.scenario_files(folder):
            if path.resolve() not in seen:
                scenario_file = ScenarioFile.from_parent(session, path=path)
                items.extend(scenario_file.collect())


class ScenarioFile(pytest.File):
    def collect(self):
        state = self.config.stash[_STATE]
        try:
            found = scenario_format.load_file(self.path)
        except scenario_format.ScenarioError as problem:
            raise self.CollectError(str(problem)) from None
        for scenario in found:
            for browser in (b for b in state.browsers if b in scenario.browsers):
                yield ScenarioItem.from_parent(self, name=f"{scenario.id}[{browser}]",
                                               callobj=run_scenario, scenario=scenario, browser=browser)

    class CollectError(Exception):
        pass

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, self.CollectError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class ScenarioItem(pytest.Function):
    """One scenario in one browser: a test function (`run_scenario`) with its fixtures."""

    def __init__(self, *, scenario, browser, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.cg_browser = browser
        self.user_properties += [("cg_browser", browser), ("cg_scenario_file", str(scenario.source))]

    def reportinfo(self):
        return self.path, None, f"scenario {self.scenario.id} [{self.cg_browser}]"

    def repr_failure(self, excinfo):
        mismatches = self.stash.get(_MISMATCHES, [])
        if mismatches and excinfo.errisinstance(AssertionError):
            return f"scenario {self.scenario.id} ({self.path.name}) in {self.cg_browser}:\n" + "\n".join(
                f"  - {m}" for m in mismatches)
        return super().repr_failure(excinfo)


def run_scenario(request, cg_page, cg_base_url, cg_serve):
    """Types or pastes the scenario's text and compares what was painted with what it expects."""
    from .runner import run

    scenario = request.node.scenario
    mismatches = request.node.stash.setdefault(_MISMATCHES, [])
    run(scenario, cg_page, url=scenario_url(scenario, cg_base_url, cg_serve), mismatches=mismatches,
        check_layout=request.config.getoption("cg_check_layout"))
    assert not mismatches, "\n".join(map(str, mismatches))


def scenario_url(scenario, base_url: str | None, serve) -> str:
    if scenario.file is not None:
        return f"{serve(scenario.file.parent)}/{scenario.file.name}"
    if urlsplit(scenario.url).scheme:
        return scenario.url
    if not base_url:
        raise pytest.UsageError(f"scenario {scenario.id}: 'url' {scenario.url!r} is relative; give --cg-base-url")
    return urljoin(base_url.rstrip("/") + "/", scenario.url.lstrip("/"))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    results = config.stash[_STATE].results
    if not results:
        return
    write = terminalreporter.write_line
    terminalreporter.section("Contact Guard scenarios")
    per_browser: dict[str, Counter] = {}
    categories: Counter = Counter()
    for item, outcome, mismatches in results:
        per_browser.setdefault(item.cg_browser, Counter())[outcome] += 1
        categories.update(m.category for m in mismatches)
    write(f"{'browser':<10} {'scenarios':>9} {'passed':>7} {'failed':>7}")
    for browser, counts in sorted(per_browser.items()):
        write(f"{browser:<10} {sum(counts.values()):>9} {counts['passed']:>7} {counts['failed']:>7}")
    total = Counter()
    for counts in per_browser.values():
        total.update(counts)
    write(f"{'all':<10} {sum(total.values()):>9} {total['passed']:>7} {total['failed']:>7}")
    if categories:
        write("")
        write(f"{'mismatch':<28} {'count':>5}")
        for category, count in sorted(categories.items(), key=lambda kv: (-kv[1], kv[0])):
            write(f"{category:<28} {count:>5}")
