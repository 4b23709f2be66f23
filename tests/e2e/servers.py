"""Real server processes for the end-to-end tests: `officer-cert serve` on a free port,
and a TCP proxy in front of Redis that a test can make refuse or hang."""

from __future__ import annotations

import os
import selectors
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

READY_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base: str
    process: subprocess.Popen[str]
    log_path: Path
    stderr_path: Path | None = None  # when the logs (stderr) are kept apart from stdout

    def output(self) -> str:
        printed = self.log_path.read_text(encoding="utf-8", errors="replace")
        if self.stderr_path is not None:
            printed += self.stderr_path.read_text(encoding="utf-8", errors="replace")
        return printed


def server_env(data_dir: Path, port: int, **env: str) -> dict[str, str]:
    full_env = {**os.environ}
    full_env.pop("DATABASE_URL", None)  # SQLite in DATA_DIR unless the test names one
    full_env.pop("REDIS_URL", None)
    return {
        **full_env,
        "DATA_DIR": str(data_dir),
        "PORT": str(port),
        "PASSWORD_ITERATIONS": "1000",
        "LOG_LEVEL": "warning",
        **env,
    }


def wait_until_healthy(server: Server, deadline: float) -> None:
    while True:
        if server.process.poll() is not None:
            pytest.fail(f"server exited: {server.output()}")
        if time.monotonic() > deadline:
            pytest.fail(f"server did not answer /health within {READY_SECONDS} s")
        try:
            if httpx.get(f"{server.base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)


@contextmanager
def running_server(data_dir: Path, *args: str, **env: str) -> Iterator[str]:
    """`officer-cert serve ARGS` on a free port; its base URL once /health answers 200."""
    with server_process(data_dir, *args, **env) as server:
        yield server.base


@contextmanager
def server_process(data_dir: Path, *args: str, apart: bool = False, **env: str) -> Iterator[Server]:
    """The same, with the process (for a test that kills it). What the server printed
    is shown with a failing test's report; `apart` keeps its logs (stderr) in a file of
    their own."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir.parent / f"server-{port}.log"
    stderr_path = data_dir.parent / f"server-{port}.err" if apart else None
    with log_path.open("w") as log_file, (stderr_path or log_path).open("a") as err_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", *args],
            env=server_env(data_dir, port, **env),
            stdout=log_file,
            stderr=err_file if apart else subprocess.STDOUT,
            text=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path, stderr_path)
    try:
        wait_until_healthy(server, time.monotonic() + READY_SECONDS)
        yield server
    except BaseException:
        sys.stderr.write(f"--- server on port {port} printed:\n{server.output()[-20000:]}\n")
        raise
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Proxy:
    """A TCP proxy on a free port of the loopback, in front of `target`, in one of three
    modes: `up` (passes bytes both ways), `refuse` (nothing listens: connections are
    refused, open ones are reset) and `hang` (accepts, reads, never answers)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.mode = "up"
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._selector = selectors.DefaultSelector()
        self._pairs: dict[socket.socket, socket.socket | None] = {}
        self._listen()
        self._thread.start()

    @property
    def url_netloc(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.setblocking(False)
        self._listener = listener
        self._selector.register(listener, selectors.EVENT_READ, "accept")

    def set_mode(self, mode: str) -> None:
        assert mode in {"up", "refuse", "hang"}
        with self._lock:
            self.mode = mode
            self._drop_all()
            if mode == "refuse" and self._listener is not None:
                self._selector.unregister(self._listener)
                self._listener.close()
                self._listener = None
            elif mode != "refuse" and self._listener is None:
                self._listen()

    def _drop_all(self) -> None:
        for sock in list(self._pairs):
            self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        if sock not in self._pairs:
            return
        peer = self._pairs.pop(sock)
        self._selector.unregister(sock)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()
        if peer is not None:
            self._close(peer)

    def _serve(self) -> None:
        while not self._stop.is_set():
            events = self._selector.select(timeout=0.05)
            with self._lock:
                for key, _ in events:
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    if key.data == "accept":
                        if sock is self._listener:
                            self._accept(sock)
                    elif sock in self._pairs:
                        self._relay(sock)

    def _accept(self, listener: socket.socket) -> None:
        try:
            client, _ = listener.accept()
        except BlockingIOError:
            return
        client.setblocking(False)
        upstream = None
        if self.mode == "up":
            upstream = socket.create_connection(self.target, timeout=2)
            upstream.setblocking(False)
            self._pairs[upstream] = client
            self._selector.register(upstream, selectors.EVENT_READ, "relay")
        self._pairs[client] = upstream
        self._selector.register(client, selectors.EVENT_READ, "relay")

    def _relay(self, sock: socket.socket) -> None:
        try:
            data = sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(sock)
            return
        peer = self._pairs.get(sock)
        if peer is None:  # hanging: swallow what the client says
            return
        try:
            peer.setblocking(True)
            peer.sendall(data)
            peer.setblocking(False)
        except OSError:
            self._close(sock)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        with self._lock:
            self._drop_all()
            if self._listener is not None:
                self._listener.close()
