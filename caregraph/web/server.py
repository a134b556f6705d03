"""Running the web application with uvicorn."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

import uvicorn

from caregraph.errors import UsageError
from caregraph.store import GraphStore
from caregraph.web.app import ServeConfig, create_app


def is_loopback(host: str) -> bool:
    """True when ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    store: GraphStore,
    config: ServeConfig,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    root_path: str = "",
    announce: Callable[[str], None] | None = None,
) -> None:
    """Serve ``store`` on ``host:port`` until interrupted (Ctrl+C).

    Args:
        store: the graph to serve, read-only.
        config: catalogue, limits and extra routes.
        host: the address to bind; 127.0.0.1 (this machine only) by default.
        port: the TCP port.
        root_path: the path prefix when a reverse proxy serves the app below a path.
        announce: called with a one-line message once the server is configured.

    Raises:
        UsageError: the port is out of range or taken, or the host cannot be bound.
    """
    if not 0 < port < 65536:
        raise UsageError(f"--port {port} is not a TCP port (1-65535).")
    app = create_app(store, config)
    server_config = uvicorn.Config(
        app,
        host=host,
        port=port,
        root_path=root_path,
        log_level="warning",
        server_header=False,
        # Forwarded headers are trusted only from a proxy on this machine.
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        h11_max_incomplete_event_size=config.limits.max_url_bytes + 8_192,
        limit_concurrency=64,
    )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        raise UsageError(
            f"Cannot listen on {host}:{port} ({exc.strerror}). Choose another --port, or stop "
            "what uses this one."
        ) from exc
    if announce is not None:
        shown = f"[{host}]" if ":" in host else host
        announce(f"caregraph serves {len(store)} triples on http://{shown}:{port}{root_path}/")
    uvicorn.Server(server_config).run(sockets=[listener])
