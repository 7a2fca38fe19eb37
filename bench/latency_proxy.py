"""A TCP forwarder on 127.0.0.1 that delays every chunk: a server « a few milliseconds away ».

    .venv/bin/python -m bench.latency_proxy --target-port 5432 [--delay-ms 2.5] [--port 0]

Each chunk read from one side is written to the other ``--delay-ms`` later (2.5 ms each way:
5 ms per round trip, a server on the local network of another building). Chunks are not
serialised behind each other's delays: a reader thread stamps each chunk with its due time and
a writer thread sends it when due, so throughput is kept and only latency is added. Prints
``port=N`` once listening, and runs until stdin closes or it is terminated.

``running_proxy()`` starts it in a child process (so that the benchmark's own work never holds
the proxy's threads back) and gives the port to connect to.
"""

from __future__ import annotations

import argparse
import contextlib
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_DELAY_MS = 2.5
CHUNK = 65_536
PORT_MARKER = "port="
START_TIMEOUT_S = 10.0

_Due = tuple[float, bytes] | None  # None: the sender closed its side


def _no_delay(sock: socket.socket) -> None:
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _pump(source: socket.socket, destination: socket.socket, delay_s: float) -> None:
    """Forward ``source`` to ``destination``, each chunk ``delay_s`` after it was read."""
    due: queue.SimpleQueue[_Due] = queue.SimpleQueue()

    def read() -> None:
        try:
            while chunk := source.recv(CHUNK):
                due.put((time.monotonic() + delay_s, chunk))
        except OSError:
            pass
        due.put(None)

    def write() -> None:
        try:
            while (item := due.get()) is not None:
                when, chunk = item
                wait = when - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                destination.sendall(chunk)
            destination.shutdown(socket.SHUT_WR)
        except OSError:
            with contextlib.suppress(OSError):
                source.shutdown(socket.SHUT_RD)

    threading.Thread(target=read, daemon=True).start()
    threading.Thread(target=write, daemon=True).start()


def serve(listener: socket.socket, target_port: int, delay_s: float) -> None:
    """Accept connections forever, each forwarded to ``HOST:target_port`` both ways."""
    while True:
        client, _address = listener.accept()
        try:
            server = socket.create_connection((HOST, target_port))
        except OSError:
            client.close()
            continue
        _no_delay(client)
        _no_delay(server)
        _pump(client, server, delay_s)
        _pump(server, client, delay_s)


@contextlib.contextmanager
def running_proxy(target_port: int, delay_ms: float = DEFAULT_DELAY_MS) -> Iterator[int]:
    """A proxy in a child process forwarding to ``target_port``; yields its port."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.latency_proxy",
            "--target-port",
            str(target_port),
            "--delay-ms",
            str(delay_ms),
        ],
        cwd=Path(__file__).resolve().parent.parent,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith(PORT_MARKER):
            raise RuntimeError(f"Le relais de latence n'a pas démarré : « {line} »")
        yield int(line.removeprefix(PORT_MARKER))
    finally:
        process.terminate()
        try:
            process.wait(timeout=START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Relais TCP qui retarde chaque paquet.")
    parser.add_argument("--target-port", type=int, required=True, help="port sur 127.0.0.1")
    parser.add_argument("--delay-ms", type=float, default=DEFAULT_DELAY_MS, help="par sens")
    parser.add_argument("--port", type=int, default=0, help="port d'écoute (0 : libre)")
    args = parser.parse_args(argv)
    listener = socket.create_server((HOST, args.port))
    print(f"{PORT_MARKER}{listener.getsockname()[1]}", flush=True)
    threading.Thread(
        target=serve, args=(listener, args.target_port, args.delay_ms / 1000), daemon=True
    ).start()
    sys.stdin.read()  # until the parent closes our stdin (or terminates us)
    return 0


if __name__ == "__main__":
    sys.exit(main())
