"""What the extension's service worker writes to its console, read over CDP in real Chromium.

Playwright's console events do not carry the worker's network-source log entries (a failed
WebSocket's "WebSocket connection to … failed" line), so this attaches to the worker target itself
(through the browser's CDP session) and records `Log.entryAdded`, `Runtime.consoleAPICalled` and
`Runtime.exceptionThrown`, as the worker's DevTools console shows them. `Network.loadingFailed`
is kept apart: DevTools lists those only in its network panel (and, with "Log XMLHttpRequests"
style settings, as console lines), and Chrome's extension error page never sees them.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field


@dataclass
class WorkerConsole:
    entries: list[tuple[str, str, str]] = field(default_factory=list)  # (method, level, text)
    network_failures: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def attach(cls, browser) -> WorkerConsole:
        """Starts recording the extension worker's console (`browser` is the e2e ExtensionBrowser)."""
        console = cls()
        session = browser.context.browser.new_browser_cdp_session()
        targets = session.send("Target.getTargets")["targetInfos"]
        worker = next(t for t in targets if t["type"] == "service_worker" and t["url"] == browser.worker.url)
        # Not flattened: Playwright's CDP session relays the child's messages as events.
        child = session.send("Target.attachToTarget", {"targetId": worker["targetId"], "flatten": False})["sessionId"]
        session.on("Target.receivedMessageFromTarget", lambda event: console._receive(json.loads(event["message"])))
        for number, method in enumerate(("Log.enable", "Runtime.enable", "Network.enable"), start=1):
            session.send("Target.sendMessageToTarget",
                         {"sessionId": child, "message": json.dumps({"id": number, "method": method})})
        console._session, console._child = session, child
        return console

    def _receive(self, message: dict) -> None:
        method, params = message.get("method"), message.get("params") or {}
        with self._lock:
            if method == "Log.entryAdded":
                entry = params["entry"]
                self.entries.append((method, entry.get("level", ""), entry.get("text", "")))
            elif method == "Runtime.consoleAPICalled":
                text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
                self.entries.append((method, params.get("type", ""), text))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                self.entries.append((method, "error", details.get("exception", {}).get("description") or details.get("text", "")))
            elif method == "Network.loadingFailed":
                self.network_failures.append(params.get("errorText", ""))

    def errors(self) -> list[str]:
        with self._lock:
            return [text for _, level, text in self.entries if level in ("error", "assert")]

    def clear(self) -> None:
        with self._lock:
            self.entries.clear()
            self.network_failures.clear()

    def detach(self) -> None:
        try:
            self._session.send("Target.detachFromTarget", {"sessionId": self._child})
            self._session.detach()
        except Exception:  # the browser may be closing; nothing to clean up then
            pass
