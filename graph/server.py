"""`defence-kg serve`: a SPARQL 1.1 Protocol endpoint over the embedded store, hardened because the
engines do not protect themselves.

- Read-only unless started with `allow_update` (updates, LOAD included, are refused with 403).
- A query that mentions SERVICE is refused before it reaches an engine: pyoxigraph, rdflib and
  oxrdflib would all make the outbound request, and pyoxigraph echoes the remote body back.
- Each query runs in a worker process (`worker.py`) that is killed at the time limit; a fresh
  worker takes its place and the others go on answering.
- Results stop at a row cap and a size cap and say so (`X-Defence-KG-Truncated`, a `link` in the
  SPARQL head), never a silent partial answer.
- Error bodies are one short line: no stack trace, path or upstream body.

Standard library HTTP (`ThreadingHTTPServer`) on purpose: nothing here needs more, and the query page
is one self-contained file (no CDN) so it works offline.
"""

from __future__ import annotations

import json
import os
import queue
import re
import select
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path

from .csp import source_hash
from .sparqltext import mentions_service
from .worker import HEADER

MAX_QUERY_BYTES = 1_000_000
MAX_UPDATE_BYTES = 64_000_000
@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    truncated: str = ""


def _text(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


class Worker:
    """One query process and its pipes."""

    def __init__(self, store: Path, writable: bool, row_cap: int, size_cap: int) -> None:
        args = [sys.executable, "-m", "defence_kg.graph.worker", str(store), "--writable" if writable else "--read-only",
                str(row_cap), str(size_cap)]
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        self._buffer = b""
        ready = self._frame(deadline=time.monotonic() + 60)
        if ready is None:
            self.kill()
            raise RuntimeError("the query worker did not start (is the store open elsewhere?)")

    def _read(self, size: int, deadline: float) -> bytes | None:
        fd = self.process.stdout.fileno()
        while len(self._buffer) < size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None
            self._buffer += chunk
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def _frame(self, deadline: float) -> bytes | None:
        head = self._read(HEADER.size, deadline)
        if head is None:
            return None
        return self._read(HEADER.unpack(head)[0], deadline)

    def ask(self, request: dict, timeout: float) -> tuple[dict, bytes] | None:
        """The worker's answer, or None when it did not answer in time (the caller kills it)."""
        payload = json.dumps(request).encode("utf-8")
        try:
            self.process.stdin.write(HEADER.pack(len(payload)) + payload)
        except OSError:
            return None
        deadline = time.monotonic() + timeout
        header = self._frame(deadline)
        body = self._frame(deadline) if header is not None else None
        if header is None or body is None:
            return None
        return json.loads(header), body

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


class QueryPool:
    """Workers on the store: several read-only ones, or a single writer when updates are allowed
    (RocksDB lets one process write, and a read-only reader beside a writer is undefined)."""

    def __init__(self, store: Path, workers: int = 2, allow_update: bool = False, timeout: float = 30.0,
                 row_cap: int = 10_000, size_cap: int = 16_000_000) -> None:
        self.store, self.allow_update, self.timeout = store, allow_update, timeout
        self._spec = (store, allow_update, row_cap, size_cap)
        self.size = 1 if allow_update else max(1, workers)
        self._idle: queue.Queue[Worker] = queue.Queue()
        for _ in range(self.size):
            self._idle.put(Worker(*self._spec))

    def _replace(self) -> None:
        try:
            self._idle.put(Worker(*self._spec))
        except RuntimeError:
            time.sleep(1)
            threading.Thread(target=self._replace, daemon=True).start()

    def run(self, op: str, text: str, accept: str) -> Answer:
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return _text(503, "the server is busy; try again")
        result = worker.ask({"op": op, "text": text, "accept": accept}, self.timeout)
        if result is None:
            worker.kill()
            self._replace()
            return _text(503, f"the query was stopped at the time limit of {self.timeout:g} s")
        self._idle.put(worker)
        header, body = result
        return Answer(header["status"], header["type"], body, header.get("truncated", ""))

    def close(self) -> None:
        while not self._idle.empty():
            self._idle.get_nowait().kill()


def query_page() -> str:
    return files(__package__).joinpath("page", "sparql.html").read_text(encoding="utf-8")


def page_policy(page: str) -> str:
    """The Content-Security-Policy for the page: its one inline script and style allowed by hash, nothing else."""
    def digest(tag: str) -> str:
        return source_hash(re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S).group(1))
    return (f"default-src 'none'; script-src {digest('script')}; style-src {digest('style')}; connect-src 'self'; "
            "img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class Handler(BaseHTTPRequestHandler):
    pool: QueryPool
    def version_string(self) -> str:
        return "defence-kg"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the http.server API
        if os.environ.get("DEFENCE_KG_SERVE_LOG"):
            super().log_message(format, *args)

    def _send(self, answer: Answer, extra: dict[str, str] | None = None) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        if answer.truncated:
            self.send_header("X-Defence-KG-Truncated", answer.truncated)
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            page = query_page()
            self._send(Answer(200, "text/html; charset=utf-8", page.encode("utf-8")),
                       {"Content-Security-Policy": page_policy(page)})
            return
        if url.path != "/sparql":
            self._send(_text(404, "not found: the endpoint is /sparql, the query page /"))
            return
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            self._send(_text(405, "an update must be sent by POST"))
            return
        self._dispatch(params, None)

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._send(_text(404, "not found: the endpoint is /sparql"))
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0 or length > MAX_UPDATE_BYTES:
            self._send(_text(413, f"the request body must be between 0 and {MAX_UPDATE_BYTES} bytes"))
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if media == "application/x-www-form-urlencoded":
            params.update(urllib.parse.parse_qs(body, keep_blank_values=True))
            self._dispatch(params, None)
        elif media == "application/sparql-query":
            self._dispatch(params, ("query", body))
        elif media == "application/sparql-update":
            self._dispatch(params, ("update", body))
        else:
            self._send(_text(415, "send application/sparql-query, application/sparql-update or a form"))

    def _dispatch(self, params: dict[str, list[str]], direct: tuple[str, str] | None) -> None:
        if direct is None:
            ops = [op for op in ("query", "update") if op in params]
            if len(ops) != 1 or len(params[ops[0]]) != 1:
                self._send(_text(400, "give exactly one query or one update"))
                return
            direct = (ops[0], params[ops[0]][0])
        if "default-graph-uri" in params or "named-graph-uri" in params or "using-graph-uri" in params:
            self._send(_text(400, "dataset parameters are not supported: the default graph is the union of all graphs"))
            return
        op, text = direct
        if op == "query" and len(text.encode("utf-8")) > MAX_QUERY_BYTES:
            self._send(_text(413, f"a query may be at most {MAX_QUERY_BYTES} bytes"))
            return
        if op == "update" and not self.pool.allow_update:
            self._send(_text(403, "updates are disabled on this endpoint (start it with --allow-update)"))
            return
        if mentions_service(text):
            self._send(_text(400, "SERVICE is not allowed: this endpoint does not query other endpoints"))
            return
        self._send(self.pool.run(op, text, self.headers.get("Accept", "")))


class Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 drops connections under 16 concurrent clients (then a 1 s SYN retry)


def make_server(host: str = "127.0.0.1", port: int = 7878, pool: QueryPool | None = None) -> ThreadingHTTPServer:
    """The HTTP server, listening; give it its pool here or later (`serve`), so a busy port fails before workers start."""
    handler = type("BoundHandler", (Handler,), {"pool": pool})
    server = Server((host, port), handler)
    server.daemon_threads = True
    return server


def attach(server: ThreadingHTTPServer, pool: QueryPool) -> None:
    server.RequestHandlerClass.pool = pool
