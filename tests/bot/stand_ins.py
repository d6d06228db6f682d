"""Small real HTTP servers that answer like Rasa and the action server.

A stand-in for a port, not a mock of a library: the hub's health checks go
through httpx and a socket exactly as they would against the real servers
(which tests/conversations starts for real).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    """A port nothing listens on (the OS picks it; tiny race, fine for tests)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def rasa_like(
    *, model_file: str | None = "models/shopdesk-abc.tar.gz"
) -> Iterator[str]:
    """Serve Rasa's `/` and `/status` (409 while no model is loaded) and `/health`."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/":
                self._reply(200, "text/plain", b"Hello from Rasa: 3.6.21")
            elif self.path == "/status" and model_file is None:
                conflict = {"status": "failure", "reason": "Conflict"}
                self._reply(409, "application/json", json.dumps(conflict).encode())
            elif self.path == "/status":
                status = {"model_file": model_file, "model_id": "x"}
                self._reply(200, "application/json", json.dumps(status).encode())
            elif self.path == "/health":
                self._reply(200, "application/json", b'{"status": "ok"}')
            else:
                self._reply(404, "text/plain", b"not found")

        def _reply(self, code: int, kind: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def silent_port() -> Iterator[str]:
    """A port that accepts connections and never answers: a hung server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
