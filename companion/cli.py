"""`contact-guard` / `python -m companion`: serve | pair | scan | status | doctor |
install-autostart | uninstall-autostart | schema.

Each subcommand lives in its own module; this file only parses arguments and dispatches, importing
lazily so `scan` does not pay for the server and `serve` starts fast.
Exit status: 0 ok, 1 findings (scan) or a runtime failure, 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys

from companion import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contact-guard",
        description="Warns before off-platform contact details are sent from marketplace order pages.",
    )
    parser.add_argument("--version", action="version", version=f"contact-guard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the local WebSocket companion the extension talks to")
    serve.add_argument("--port", type=int, default=None, help="TCP port (default: 47821)")
    serve.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default: 127.0.0.1)")
    serve.add_argument("--config-dir", default=None, help="where the pairing token and config live")
    serve.add_argument("--max-clients", "--max-connections", dest="max_clients", type=int, default=None, metavar="N",
                       help="paired clients at once (default: 8, or config.json's limits.max_clients)")
    serve.add_argument("-v", "--verbose", action="store_true", help="debug logging (never logs typed text)")

    pair = sub.add_parser("pair", help="print the pairing token for the extension's options page; list, allow or forget "
                          "browser installs")
    pair.add_argument("--rotate", action="store_true", help="replace the token with a new one")
    pair.add_argument("--allow-firefox", metavar="UUID", default=None,
                      help="also let this Firefox install connect (the uuid or moz-extension:// origin its "
                           "options page shows); a running companion applies it at once")
    pair.add_argument("--list", action="store_true",
                      help="list the browser installs allowed to connect (the token is not printed)")
    pair.add_argument("--forget", metavar="ID", default=None,
                      help="stop allowing an install added with --allow-firefox (or a Chrome build in config.json): "
                           "its uuid/id or origin, as --list shows it; a running companion applies it at once and "
                           "drops its connections")
    pair.add_argument("--config-dir", default=None, help="where the pairing token and config live")

    scan = sub.add_parser(
        "scan", help="check messages from a file or stdin, like a linter",
        description="Check messages like a linter. Exit 0: nothing is block/warn; 1: something is, or a message "
                    "could not be checked; 2: usage error. Offsets (jsonl, csv, sarif) are code points from 0; "
                    "the text report shows line:column inside each message, from 1. A summary line goes to "
                    "stderr (and a progress bar when stderr is a terminal).",
    )
    scan.add_argument("file", nargs="?", default="-", help="input file, or - for stdin (default)")
    scan.add_argument("--input-format", choices=("jsonl", "lines", "csv"), default="jsonl",
                      help='jsonl: {"id", "text", "surface"?, "allow"?} a line (default); lines: each non-empty '
                           "line is a message; csv: a header with a text column (id, surface, allow optional)")
    scan.add_argument("--format", choices=("jsonl", "text", "sarif", "csv"), default="jsonl",
                      help="output: jsonl (default, one answer a line, flushed as answered), text (readable "
                           "report), sarif (SARIF 2.1.0), csv (one row per finding)")
    scan.add_argument(
        "--surface",
        choices=("message", "requirements", "delivery", "offer", "other"),
        default="message",
        help="where the messages are typed (a message's own surface wins)",
    )
    scan.add_argument("--allow", action="append", default=[], metavar="CHANNEL",
                      help="a channel approved for this order (repeatable)")
    scan.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                      help="check in N processes, answers still in input order (0: one per CPU; default 1)")
    scan.add_argument("--dask", default=None, metavar="SCHEDULER_ADDRESS",
                      help="check on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs contact-guard[dask])")
    scan.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")

    status = sub.add_parser("status", help="is the companion running? its address, paired clients connected, version")
    status.add_argument("--config-dir", default=None, help="the config dir the companion was started with")
    status.add_argument("--json", action="store_true", help="one JSON object instead of text")

    doctor = sub.add_parser("doctor", help="check what the extension needs, one line per check (exit 1 on a problem)")
    doctor.add_argument("--config-dir", default=None, help="the config dir to check")
    doctor.add_argument("--port", type=int, default=None, help="the port to check when the companion is not running")

    for name, what in (("install-autostart", "start the companion at every login (systemd user unit, "
                                             "LaunchAgent or Windows scheduled task)"),
                       ("uninstall-autostart", "stop starting the companion at login")):
        autostart = sub.add_parser(name, help=what)
        if name == "install-autostart":
            autostart.add_argument("--port", type=int, default=None, help="port for the companion (default: 47821)")
            autostart.add_argument("--config-dir", default=None, help="config dir for the companion")

    schema = sub.add_parser("schema", help="print the protocol's JSON Schema (-o FILE writes it)")
    schema.add_argument("-o", "--output", default=None, metavar="FILE",
                        help="write to FILE instead of stdout (the committed copy: extension/src/protocol.schema.json)")
    schema.add_argument("--check", action="store_true",
                        help="exit 1 if FILE (default: the committed copy) is not up to date")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "pair" and (args.list or args.forget is not None):
        # Listing and forgetting change nothing else and print no token: alone, or it is a usage error.
        if sum((args.list, args.forget is not None, args.rotate, args.allow_firefox is not None)) > 1:
            parser.error("pair: --list and --forget go alone (not with each other, --rotate or --allow-firefox)")
    match args.command:
        case "serve":
            from companion.server import run_serve

            return run_serve(args)
        case "pair":
            from companion.pairing import run_pair

            return run_pair(args)
        case "scan":
            from companion.scan import run_scan

            return run_scan(args)
        case "status":
            from companion.status import run_status

            return run_status(args)
        case "doctor":
            from companion.status import run_doctor

            return run_doctor(args)
        case "install-autostart":
            from companion.autostart import run_install_autostart

            return run_install_autostart(args)
        case "uninstall-autostart":
            from companion.autostart import run_uninstall_autostart

            return run_uninstall_autostart(args)
        case "schema":
            from companion.protocol import run_schema

            return run_schema(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
