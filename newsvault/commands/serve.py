"""`newsvault serve [--host 127.0.0.1] [--port N] [--token-env NAME]`: the read-only dashboard and its
JSON API, served by waitress.

Without a token the dashboard is for this machine only: it refuses any address but loopback. With
`--token-env NAME`, every page and API call needs `Authorization: Bearer <the value of $NAME>`.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
from typing import Any

from newsvault.commands.common import EXIT_OK, UsageError, load


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="the read-only operator dashboard (127.0.0.1 by default)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to bind (default 127.0.0.1; any other needs --token-env)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    serve.add_argument("--threads", type=int, default=4, help="request threads (default 4)")
    serve.add_argument("--token-env", metavar="NAME",
                       help="require Authorization: Bearer <token> on every request, the token read from the "
                            "environment variable NAME (never from the command line, where ps shows it)")
    serve.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from waitress.server import create_server

    from newsvault.dashboard import create_app

    config = load(args)
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: not a port number")
    token = None
    if args.token_env is not None:
        token = os.environ.get(args.token_env, "").strip()
        if not token:
            raise UsageError(f"--token-env {args.token_env}: the environment variable {args.token_env} is not set "
                             "(or is empty)")
    elif not _is_loopback(args.host):
        raise UsageError(f"refusing to serve on {args.host} without a token: anyone who can reach it would read "
                         "the archive; pass --token-env NAME (clients send Authorization: Bearer <token>) or "
                         "keep the default 127.0.0.1")
    app = create_app(config, token=token)
    server = create_server(app, host=args.host, port=args.port, threads=args.threads, ident="newsvault")
    host, port = server.socket.getsockname()[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    access = "bearer token required" if token else "this machine only"
    print(f"newsvault dashboard on http://{shown}:{port}/ (read-only, {access}; API under /api/v1/; Ctrl-C "
          "stops it)", flush=True)
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
