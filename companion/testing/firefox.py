"""Firefox backend: real Firefox (ESR) driven through Marionette, Firefox's own remote protocol
(`marionette_driver` from PyPI; no geckodriver needed). One headless Firefox per session with the
unpacked extension installed as a temporary add-on; a fresh tab per test.

Facts this relies on (Debian 12, Firefox ESR 153): `--marionette` with `marionette.port` 0 writes the
chosen port to <profile>/MarionetteActivePort; `--remote-allow-system-access` lets the chrome
context read the add-on's moz-extension:// uuid; an extension page reached with `sandbox=None`
sees the `chrome.*` APIs, which is how the settings are read and written; `Services.ppmm` loads a
process script into every content process (web pages, the extension's process), where
`nsIConsoleAPIStorage.addLogEventListener` hears each console.* call (a page's, a content script's,
the event page's, an extension page's) and forwards it to the parent (see _CONSOLE_API_JS).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from .components import GECKO_ID, HarnessError, extension_dir
from .console import ConsoleLog

WINDOW = {"width": 1280, "height": 960}
STARTUP_TIMEOUT_S = 60.0
PAGE_LOAD_TIMEOUT_S = 60

PREFS = {
    "marionette.port": 0,  # the OS picks; read back from MarionetteActivePort
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.aboutwelcome.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "extensions.update.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    # console.* calls of pages and extension pages also go to Firefox's stdout (kept in .output for a
    # failed start); the test's log gets them from the process script (_CONSOLE_API_JS), with sources
    "devtools.console.stdout.content": True,
    # The console collector's process script is a data: URL, which the parent process refuses by
    # default, and a refusal there stops it from reaching the processes already running (the
    # extension's, the pages'): only it is loaded so (its first line leaves the parent at once).
    "security.allow_parent_unrestricted_js_loads": True,
}

# Key names as Playwright spells them -> WebDriver key values (marionette_driver.keys.Keys).
_KEYS = {
    "Enter": "\ue007", "Escape": "\ue00c", "Tab": "\ue004", "Backspace": "\ue003", "Delete": "\ue017",
    "ArrowLeft": "\ue012", "ArrowUp": "\ue013", "ArrowRight": "\ue014", "ArrowDown": "\ue015",
    "Home": "\ue011", "End": "\ue010", "Shift": "\ue008", "Control": "\ue009", "Alt": "\ue00a",
    "Meta": "\ue03d", "\n": "\ue007",
}

_CONSOLE_JS = """
const [since] = arguments;
const script = Ci.nsIScriptError;
return (Services.console.getMessageArray() || []).filter(m => m.timeStamp >= since).map(m => {
  if (!(m instanceof script)) return {kind: "log", source: "browser", text: m.message, at: m.timeStamp};
  const quiet = (m.flags & script.warningFlag) || (m.flags & script.infoFlag);
  return {kind: quiet ? "warning" : "error", source: m.sourceName || m.category || "browser",
          text: m.errorMessage, at: m.timeStamp};
});
"""


# An input method, Firefox's own way: nsITextInputProcessor (the API Firefox's IME tests use) on
# the browser window sends real composition events, and keys during them, to the focused page.
_IME_JS = r"""
const [op, arg, done] = arguments;
const tip = globalThis.cgTip ??= Cc["@mozilla.org/text-input-processor;1"].createInstance(Ci.nsITextInputProcessor);
if (!tip.beginInputTransactionForTests(window)) throw new Error("another input method holds the window");
const key = (name) => new KeyboardEvent("", {key: name, code: name, keyCode: {Enter: 13, Escape: 27}[name] ?? 0});
if (op === "compose") {
  tip.setPendingCompositionString(arg);
  tip.appendClauseToPendingComposition(arg.length, tip.ATTR_RAW_CLAUSE);
  tip.setCaretInPendingComposition(arg.length);
  tip.flushPendingComposition();
} else if (op === "commit") {
  tip.commitCompositionWith(arg);
} else if (op === "press") {  // the IME takes the key (its keydown is isComposing) and commits
  tip.keydown(key(arg));
  tip.commitComposition();
  tip.keyup(key(arg));
}
done(true);
"""

# Errors from these sources are the extension's or the page's; the rest is Firefox's own.
_PAGE_SOURCES = ("moz-extension://", "http://", "https://", "page")

# console.* calls are not in Services.console (that has script errors): each content process keeps
# them in its own nsIConsoleAPIStorage. A process script (every content process, now and later)
# listens there and sends each call to the parent, where the chrome sandbox "cg-console" buffers them
# for collect_console. `remote` is the process type: the pages and the content scripts in them
# ("web…"), the extension's own pages and event page ("extension"); Firefox's own pages (about:,
# "privilegedabout") are not ours.
_CONSOLE_CHILD_JS = r"""() => {
  if (Services.appinfo.processType === Services.appinfo.PROCESS_TYPE_DEFAULT) return;  // Firefox's own
  const describe = (value) => {
    try {
      if (typeof value === "string") return value;
      if (value instanceof Error) return `${value.name}: ${value.message}`;
      return JSON.stringify(value) ?? String(value);
    } catch (problem) { return String(value); }
  };
  // Read per message: a preallocated process becomes a page's process later.
  const remote = () => Services.appinfo.remoteType || "parent";
  const storage = Cc["@mozilla.org/consoleAPI-storage;1"].getService(Ci.nsIConsoleAPIStorage);
  const system = Cc["@mozilla.org/systemprincipal;1"].createInstance(Ci.nsIPrincipal);
  storage.addLogEventListener((message) => {
    let text;
    try { text = Array.from(message.arguments || [], describe).join(" "); } catch (problem) { text = "?"; }
    sendAsyncMessage("cg:console", {level: message.level, filename: message.filename || "",
                                    addonId: message.addonId || "", remote: remote(), text});
  }, system);
  // A reply after every message this process sent before it: the parent has them all.
  addMessageListener("cg:flush", ({data}) => sendAsyncMessage("cg:flushed", {id: data.id, remote: remote()}));
}"""
_CONSOLE_API_JS = r"""
const [child] = arguments;
const buffer = globalThis.cgConsole = globalThis.cgConsole || {messages: [], flushes: new Map(), loaded: false};
if (buffer.loaded) return true;
buffer.loaded = true;
Services.ppmm.addMessageListener("cg:console", ({data}) => buffer.messages.push(data));
Services.ppmm.addMessageListener("cg:flushed", ({data}) => buffer.flushes.get(data.id)?.(data));
// Into every process, the parent's own first (see security.allow_parent_unrestricted_js_loads).
Services.ppmm.loadProcessScript(`data:,(${encodeURIComponent(child)})()`, true);
return true;
"""

# Waits (at most 1 s) until every content process has answered: their console calls are in.
_FLUSH_CONSOLE_API_JS = r"""
const [done] = arguments;
const buffer = globalThis.cgConsole;
const id = Math.random().toString(36).slice(2);
let waiting = Services.ppmm.childCount - 1;  // the parent's own in-process manager is counted too
let timer = null;
const finish = () => {  // once: a later call would take messages and hand them to nobody
  if (!buffer.flushes.delete(id)) return;
  clearTimeout(timer);
  done(buffer.messages.splice(0));
};
buffer.flushes.set(id, () => { if (--waiting <= 0) finish(); });
timer = setTimeout(finish, 1000);
Services.ppmm.broadcastAsyncMessage("cg:flush", {id});
"""

_OUR_PROCESSES = ("web", "file", "extension")  # remoteType prefixes: pages and the extension


def firefox_executable() -> str | None:
    for candidate in (os.environ.get("CG_FIREFOX"), shutil.which("firefox-esr"), shutil.which("firefox")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def firefox_version(executable: str) -> str:
    done = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=60)
    return done.stdout.strip()


class FirefoxBrowser:
    """One headless Firefox with the extension, for a whole test session."""

    name = "firefox"

    def __init__(self, profile_dir: Path, *, extension: Path | None = None) -> None:
        from marionette_driver.addons import Addons  # only when Firefox is really used
        from marionette_driver.marionette import Marionette

        executable = firefox_executable()
        if executable is None:
            raise HarnessError("no Firefox found (apt-get install firefox-esr, or set CG_FIREFOX)")
        extension = extension or extension_dir()
        self.console = ConsoleLog()
        self.output: list[str] = []
        self._console_since = 0.0
        profile_dir.mkdir(parents=True, exist_ok=True)
        (profile_dir / "user.js").write_text(
            "".join(f'user_pref("{k}", {_pref(v)});\n' for k, v in PREFS.items()))
        command = [executable, "--marionette", "--remote-allow-system-access", "--no-remote",
                   "--profile", str(profile_dir)]
        if os.environ.get("CG_HEADED") != "1":
            command.insert(1, "--headless")
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         text=True, errors="replace")
        threading.Thread(target=self._drain, daemon=True).start()
        try:
            port = self._wait_for_port(profile_dir / "MarionetteActivePort")
            self.client = Marionette(host="127.0.0.1", port=port, startup_timeout=STARTUP_TIMEOUT_S)
            self.client.start_session()
            # A page that never finishes loading fails its test in a minute, not WebDriver's five.
            self.client.timeout.page_load = PAGE_LOAD_TIMEOUT_S
            self.version = self.client.session_capabilities.get("browserVersion", "?")
            with self.client.using_context("chrome"):  # before the add-on: its first calls count
                self.client.execute_script(_CONSOLE_API_JS, [_CONSOLE_CHILD_JS], new_sandbox=False,
                                           sandbox="cg-console")
            Addons(self.client).install(str(extension), temp=True)
            with self.client.using_context("chrome"):
                self.uuid = self.client.execute_script(
                    "return WebExtensionPolicy.getByID(arguments[0]).mozExtensionHostname", [GECKO_ID])
            self.client.set_window_rect(width=WINDOW["width"], height=WINDOW["height"])
            # A tab that always shows the options page: settings are read and written there, with
            # the options page's own chrome.storage (the pairing UI itself is tested in e2e).
            self.control = self.client.current_window_handle
            self.client.navigate(self.extension_url("options/options.html"))
        except Exception:
            self.close()
            raise

    def _wait_for_port(self, path: Path) -> int:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise HarnessError(f"Firefox exited with {self._process.returncode}:\n" + "".join(self.output[-20:]))
            text = path.read_text().strip() if path.exists() else ""
            if text.isdigit() and int(text) > 0:
                return int(text)
            time.sleep(0.05)
        raise HarnessError(f"Firefox did not open Marionette within {STARTUP_TIMEOUT_S} s")

    def _drain(self) -> None:
        for line in self._process.stdout:
            self.output.append(line)

    # --- the extension's storage ----------------------------------------------------------------
    def extension_url(self, path: str) -> str:
        return f"moz-extension://{self.uuid}/{path.lstrip('/')}"

    def _in_extension_page(self, script: str, arg):
        client = self.client
        current = client.current_window_handle
        if current != self.control:
            client.switch_to_window(self.control, focus=False)
        try:
            return client.execute_async_script(
                "const [arg, done] = arguments;" + script, script_args=[arg], sandbox=None)
        finally:
            if current != self.control:
                client.switch_to_window(current, focus=False)

    def settings(self) -> dict:
        return self._in_extension_page("chrome.storage.local.get(null).then(done);", None)

    def set_settings(self, patch: dict) -> None:
        self._in_extension_page("chrome.storage.local.set(arg).then(() => done(true));", patch)

    def replace_settings(self, settings: dict) -> None:
        """Exactly these settings; storage is only written when it differs (a write reconnects)."""
        if self.settings() != settings:
            self._in_extension_page(
                "chrome.storage.local.clear().then(() => chrome.storage.local.set(arg)).then(() => done(true));",
                settings)

    # --- console -----------------------------------------------------------------------------------
    def collect_console(self) -> ConsoleLog:
        """Brings what the console got since the tab opened into the current log: script errors
        (Services.console) and console.* calls of pages and of the extension (content scripts,
        event page, extension pages). Errors of either kind from a page or the extension count."""
        with self.client.using_context("chrome"):
            messages = self.client.execute_script(_CONSOLE_JS, [self._console_since])
            calls = self.client.execute_async_script(_FLUSH_CONSOLE_API_JS, new_sandbox=False,
                                                     sandbox="cg-console")
        for message in messages:
            self._console_since = max(self._console_since, message["at"] + 0.001)
            kind = message["kind"]
            if kind == "error" and not message["source"].startswith(_PAGE_SOURCES):
                kind = "browser-error"  # Firefox's own internals: logged, never the extension's fault
            self.console.add(message["source"], kind, message["text"])
        for call in calls:
            kind = call["level"]
            ours = call["remote"].startswith(_OUR_PROCESSES) and not call["filename"].startswith(
                ("chrome://", "resource://"))
            if kind == "error" and not ours:
                kind = "browser-error"
            where = call["addonId"] and f"extension {call['filename']}" or call["filename"] or call["remote"]
            self.console.add(where, kind, call["text"])
        return self.console

    # --- tabs -------------------------------------------------------------------------------------
    def new_tab(self, title: str = "") -> FirefoxTab:
        self.collect_console()  # whatever came before belongs to nobody
        self.console = ConsoleLog()
        handle = self.client.open(type="tab", focus=True)["handle"]
        self.client.switch_to_window(handle)
        return FirefoxTab(self, handle)

    def close(self) -> None:
        client = getattr(self, "client", None)
        try:
            if client is not None and client.session is not None:
                client.delete_session()
        except Exception:  # Firefox may already be gone; the process is ended below anyway
            pass
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=15)


# Scrolls the element into view the way WebDriver's Element Click does (only when it is out of view).
_INTO_VIEW_JS = """
const [element] = arguments;
const box = element.getBoundingClientRect();
const win = element.ownerDocument.defaultView;
if (box.bottom <= 0 || box.right <= 0 || box.top >= win.innerHeight || box.left >= win.innerWidth) {
  element.scrollIntoView({block: "end", inline: "nearest"});
}
"""


def pointer_click(client, element) -> None:
    """A person's click on `element` (a Marionette element of the current browsing context): the
    pointer moves to the centre of its visible part, then presses and releases the left button;
    trusted mousedown/focus/mouseup/click events, a user gesture, whatever lies on top of it gets the
    click, as on a screen. Through WebDriver actions rather than Marionette's Element Click, which
    waits after each click for a navigation it might have started and, under load, has waited its
    whole page-load timeout (60 s) for one that never came. Use it for clicks that do not navigate."""
    client.execute_script(_INTO_VIEW_JS, [element])
    client.actions.sequence("pointer", "mouse", pointer_params={"pointerType": "mouse"}) \
        .pointer_move(0, 0, origin=element).pointer_down().pointer_up().perform()


def _pref(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int) else f'"{value}"'


class FirefoxTab:
    """One tab of the session's Firefox; the methods the page helper needs, nothing more."""

    def __init__(self, browser: FirefoxBrowser, handle: str) -> None:
        self.browser = browser
        self.handle = handle
        self.client = browser.client  # the Marionette client, for Firefox-only checks

    @property
    def console(self) -> ConsoleLog:
        return self.browser.collect_console()

    @property
    def url(self) -> str:
        return self.client.get_url()

    def goto(self, url: str):
        self.client.navigate(url)

    def evaluate(self, script: str, arg=None):
        """`script` is a JavaScript function of one argument, run in the page (Marionette's sandbox:
        the page's DOM, not its own globals)."""
        return self.client.execute_script(f"return ({script})(arguments[0]);", script_args=[arg])

    def _element(self, selector: str, overlay: bool):
        root = "document.querySelector('contact-guard-root').shadowRoot" if overlay else "document"
        element = self.client.execute_script(f"return {root}.querySelector(arguments[0]);", [selector])
        if element is None:
            raise AssertionError(f"no element matches {selector!r}" + (" in the overlay" if overlay else ""))
        return element

    def click(self, selector: str) -> None:
        pointer_click(self.client, self._element(selector, overlay=False))

    def click_overlay(self, selector: str) -> None:
        pointer_click(self.client, self._element(selector, overlay=True))

    def focus(self, selector: str) -> None:
        self.client.execute_script("arguments[0].focus();", [self._element(selector, overlay=False)])

    def type(self, text: str, delay: float = 0) -> None:
        """Each character as a key press; `delay` ms between keys (as Playwright's keyboard.type)."""
        keys = self.client.actions.sequence("key", "keyboard")
        for char in text:
            value = _KEYS.get(char, char)
            keys.key_down(value).key_up(value)
            if delay:
                keys.pause(round(delay))
        keys.perform()

    def press(self, keys: str) -> None:
        """`keys` like "Enter", "Control+Z", "Shift+Enter" (Playwright's names)."""
        names = keys.split("+") if keys != "+" else ["+"]
        values = [_KEYS.get(name, name.lower() if len(name) == 1 else name) for name in names]
        sequence = self.client.actions.sequence("key", "keyboard")
        for value in values:
            sequence.key_down(value)
        for value in reversed(values):
            sequence.key_up(value)
        sequence.perform()

    # --- an input method (IME): real composition events, nsITextInputProcessor ---------------------
    def _ime(self, op: str, arg: str) -> None:
        with self.client.using_context("chrome"):
            self.client.execute_async_script(_IME_JS, [op, arg], new_sandbox=False, sandbox="cg-ime")

    def compose(self, text: str) -> None:
        """The input method's candidate becomes `text` (compositionstart/update), caret at its end."""
        self._ime("compose", text)

    def commit(self, text: str) -> None:
        """The input method commits `text` in place of the candidate (compositionend)."""
        self._ime("commit", text)

    def press_composing(self, key: str) -> None:
        """`key` pressed while a composition is open: the input method's key, which commits it."""
        self._ime("press", key)

    def paste(self, text: str) -> None:
        """The system clipboard (Firefox's own, headless) holds the text, then Ctrl+V."""
        with self.client.using_context("chrome"):
            self.client.execute_script(
                "Cc['@mozilla.org/widget/clipboardhelper;1'].getService(Ci.nsIClipboardHelper)"
                ".copyString(arguments[0]);", [text])
        self.press("Control+V")

    def wait(self, ms: float) -> None:
        time.sleep(ms / 1000)

    def screenshot(self, path: Path) -> None:
        Path(path).write_bytes(self.client.screenshot(format="binary", full=True))

    def save_trace(self, path: Path | None) -> None:
        """Firefox has no trace; the screenshot and the console log are the artifacts."""

    def close(self) -> None:
        if self.handle in self.client.window_handles:
            self.client.switch_to_window(self.handle)
            self.client.close()
        self.client.switch_to_window(self.browser.control, focus=True)
