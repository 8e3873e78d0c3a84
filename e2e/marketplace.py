"""Saved marketplace pages served at the marketplace's real address (https://www.fiverr.com/…) to the
real extension, in Chromium and Firefox, with no internet.

Chromium: Playwright answers the page's requests itself (`page.route`), so the address is exactly the
real one. Firefox (Marionette has no request interception): a loopback HTTPS server whose certificate for the
marketplaces' names comes from a throw-away test CA, that CA added to the profile's certificate store,
and Firefox told to resolve every host name to 127.0.0.1 (`network.dns.forceResolve`); the page
then lives at
https://www.fiverr.com:<port>/…, which the manifest's match patterns (they name no port) and the site
profiles (host names) treat as the real site.
"""

from __future__ import annotations

import http.server
import ssl
import subprocess
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

FIXTURES = Path(__file__).parent / "fixtures" / "sites"

# The names the test certificate covers: every marketplace fixture's host, and the "any other site".
HOSTS = ("www.fiverr.com", "fiverr.com", "pro.fiverr.com", "www.upwork.com", "www.freelancer.com",
         "www.peopleperhour.com", "forum.example.test")

# Firefox, chrome context: resolve every name to loopback; trust the test CA (DER, base64) for
# web sites. (Marionette's disable-all-security-checks override did not let Firefox 153 load the page.)
_FIREFOX_LOOPBACK_JS = """
const [ca] = arguments;
Services.prefs.setStringPref("network.dns.forceResolve", "127.0.0.1");
Services.prefs.setBoolPref("network.dns.disableIPv6", true);
Cc["@mozilla.org/security/x509certdb;1"].getService(Ci.nsIX509CertDB).addCertFromBase64(ca, "C,,");
"""


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        body = self.server.page.encode("utf-8") if self.path.split("?")[0] != "/favicon.ico" else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


class _LoopbackHttps:
    """One HTTPS server on 127.0.0.1 that answers every path with the current fixture page."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="cg-marketplace-")
        d = Path(self._dir.name)
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Contact Guard e2e CA",
                 "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                 "-keyout", str(d / "ca.key"), "-out", str(d / "ca.pem"))
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={HOSTS[0]}",
                 "-keyout", str(d / "key.pem"), "-out", str(d / "cert.csr"))
        (d / "ext.cnf").write_text("basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                                   "subjectAltName=" + ",".join(f"DNS:{h}" for h in HOSTS) + "\n")
        _openssl("x509", "-req", "-in", str(d / "cert.csr"), "-CA", str(d / "ca.pem"), "-CAkey", str(d / "ca.key"),
                 "-CAcreateserial", "-days", "2", "-extfile", str(d / "ext.cnf"), "-out", str(d / "cert.pem"))
        pem = (d / "ca.pem").read_text()
        self.ca_base64 = "".join(line for line in pem.splitlines() if not line.startswith("-----"))
        key, cert = d / "key.pem", d / "cert.pem"
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.server.page = ""
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._dir.cleanup()


class MarketplaceAddress:
    """serve(cg_page, fixture, url) -> the url to open: `fixture` (a file under fixtures/sites) is
    what the browser gets for every path of `url`'s origin."""

    def __init__(self) -> None:
        self._https: _LoopbackHttps | None = None
        self._firefox_ready: set[int] = set()

    def serve(self, cg_page, fixture: str, url: str) -> str:
        html = (FIXTURES / fixture).read_text(encoding="utf-8")
        if cg_page.browser_name == "chromium":
            parts = urlsplit(url)
            page = cg_page.tab.page
            page.route(f"{parts.scheme}://{parts.netloc}/**",
                       lambda route: route.fulfill(body=html, content_type="text/html"))
            return url
        if self._https is None:
            self._https = _LoopbackHttps()
        self._https.server.page = html
        client = cg_page.tab.client
        if id(client) not in self._firefox_ready:
            with client.using_context("chrome"):
                client.execute_script(_FIREFOX_LOOPBACK_JS, [self._https.ca_base64])
            self._firefox_ready.add(id(client))
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, f"{parts.hostname}:{self._https.port}", parts.path, parts.query, ""))

    def close(self) -> None:
        if self._https is not None:
            self._https.close()
