"""What the browser said during one test: console messages and uncaught errors of the pages and of
the extension, the same shape for Chromium and Firefox."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Each failed reconnect of the background's socket while the companion is down is logged by the
# browser itself; it is expected noise, never an error of the extension. So is Firefox's line for an
# open socket reset by a companion that died (killed with a frame of ours still unread, its kernel
# answers RST, not FIN: more likely on a loaded machine, where the companion reads later).
WEBSOCKET_NOISE = re.compile(
    r"WebSocket connection to 'ws://127\.0\.0\.1:\d+/?.*' failed"
    r"|can(?:'|’)t establish a connection to the server at ws://127\.0\.0\.1:\d+"
    r"|The connection to ws://127\.0\.0\.1:\d+/? was interrupted while the page was loading"
)


@dataclass
class ConsoleLog:
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    provoked: list[str] = field(default_factory=list)  # regexes of errors a test causes on purpose

    def add(self, source: str, kind: str, text: str) -> None:
        self.lines.append(f"[{source}] {kind}: {text}")
        if kind in ("error", "pageerror"):
            self.errors.append(f"[{source}] {text}")

    def provoke(self, pattern: str) -> None:
        """Errors matching the regex are caused by the test on purpose (messages arrive async)."""
        self.provoked.append(pattern)

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors
                if not WEBSOCKET_NOISE.search(e) and not any(re.search(p, e) for p in self.provoked)]

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
