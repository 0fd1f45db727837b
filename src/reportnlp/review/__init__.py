"""The local review app: look at each extracted report next to its text, correct it, export.

    reportnlp review OUT [--port 8765] [--host 127.0.0.1] [--reviewer NAME]
    reportnlp export OUT [-d DEST]

`create_app(out_dir, reviewer=None)` returns the ASGI app (Starlette); corrections
live in OUT/corrections/<name>.json, OUT/json is only read. See docs/review.md.
"""
from __future__ import annotations

import sys

__all__ = ["create_app", "serve_cli", "export_cli", "export"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def create_app(out_dir, reviewer=None, allowed_hosts=None):
    from .app import create_app as _create

    return _create(out_dir, reviewer=reviewer, allowed_hosts=allowed_hosts)


def export(out_dir, dest=None) -> dict:
    from .exporting import export as _export

    return _export(out_dir, dest)


def _error(msg: str) -> int:
    print(f"Error: {msg}", file=sys.stderr)
    return 2


def serve_cli(args) -> int:
    import socket

    from .store import OutError

    host, port = args.host, args.port
    try:
        # a host name other than loopback means the reviewer chose to expose it; accept any Host header then
        loopback = host in LOOPBACK or host.startswith("127.")
        allowed = [*LOOPBACK, "[::1]", host, f"[{host}]"] if loopback else None
        app = create_app(args.out, reviewer=args.reviewer, allowed_hosts=allowed)
    except OutError as e:
        return _error(str(e))
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        return _error(f"cannot listen on {host}:{port} ({e.strerror or e}); try --port")
    import uvicorn

    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    print(f"Reviewing {app.state.corpus.root} at http://{shown}:{port}/  (Ctrl-C to stop)", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    server.run(sockets=[sock])
    return 0


def export_cli(args) -> int:
    from .store import OutError

    try:
        s = export(args.out, getattr(args, "dest", None))
    except OutError as e:
        return _error(str(e))
    n = len(s["reports"])
    print(f"Exported {n} reviewed report{'s' if n != 1 else ''} and {s['statements']} statements to {s['dest']}"
          + ("" if n else " (mark reports reviewed in `reportnlp review OUT` first)"))
    for sk in s["skipped"]:
        print(f"skipped {sk['name']}: {sk['message']}", file=sys.stderr)
    return 0
