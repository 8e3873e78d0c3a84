"""`contact-guard` / `python -m companion`: serve | pair | scan | schema.

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
    serve.add_argument("--max-connections", type=int, default=8, metavar="N",
                       help="simultaneous connections accepted (default: 8)")
    serve.add_argument("-v", "--verbose", action="store_true", help="debug logging (never logs typed text)")

    pair = sub.add_parser("pair", help="print the pairing token for the extension's options page")
    pair.add_argument("--rotate", action="store_true", help="replace the token with a new one")
    pair.add_argument("--config-dir", default=None, help="where the pairing token and config live")

    scan = sub.add_parser("scan", help="check messages from a file or stdin, like a linter")
    scan.add_argument("file", nargs="?", default="-", help="input file, or - for stdin (default)")
    scan.add_argument("--format", choices=("jsonl", "text"), default="jsonl")
    scan.add_argument(
        "--surface",
        choices=("message", "requirements", "delivery", "offer", "other"),
        default="message",
        help="where the messages are typed (a jsonl line's own surface wins)",
    )
    scan.add_argument("--allow", action="append", default=[], metavar="CHANNEL",
                      help="a channel approved for this order (repeatable)")

    schema = sub.add_parser("schema", help="write the protocol's JSON Schema")
    schema.add_argument("--output", default=None, help="file to write (default: extension/src/protocol.schema.json)")
    schema.add_argument("--check", action="store_true", help="exit 1 if the file is not up to date")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
        case "schema":
            from companion.protocol import run_schema

            return run_schema(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
