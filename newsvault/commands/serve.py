"""`newsvault serve [--host 127.0.0.1] [--port N]`: the read-only dashboard, served by waitress."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from typing import Any

from newsvault.commands.common import EXIT_OK, UsageError, load


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="the read-only operator dashboard (127.0.0.1 by default)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to bind (default 127.0.0.1; the dashboard has no login)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    serve.add_argument("--threads", type=int, default=4, help="request threads (default 4)")
    serve.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from waitress.server import create_server

    from newsvault.dashboard import create_app

    config = load(args)
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: not a port number")
    app = create_app(config)
    server = create_server(app, host=args.host, port=args.port, threads=args.threads, ident="newsvault")
    host, port = server.socket.getsockname()[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    print(f"newsvault dashboard on http://{shown}:{port}/ (read-only; Ctrl-C stops it)", flush=True)
    if not _is_loopback(args.host):
        print(f"warning: bound to {args.host}: anyone who can reach it sees the archive (there is no login)",
              file=sys.stderr)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return EXIT_OK


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
