"""A query worker: a process the server can kill, because Oxigraph has no query timeout and
ignores signals while it evaluates (oxigraph #1926).

Run as `python -m defence_kg.graph.worker STORE_DIR [--writable] ROW_CAP SIZE_CAP`. It reads framed
requests on stdin and writes framed answers on stdout (`frames`). Only the standard library and
pyoxigraph are imported, so a new worker is ready in a fraction of a second.
"""

from __future__ import annotations

import json
import struct
import sys
from typing import BinaryIO

import pyoxigraph as ox

from .results import GRAPH_TYPES, SOLUTION_TYPES, NotAcceptable, Written, negotiate, write_boolean, write_solutions, write_triples

HEADER = struct.Struct(">I")


def write_frame(stream: BinaryIO, payload: bytes) -> None:
    stream.write(HEADER.pack(len(payload)) + payload)
    stream.flush()


def read_frame(stream: BinaryIO) -> bytes | None:
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    return stream.read(size)


def answer(status: int, written: Written | None = None, message: str = "") -> tuple[dict, bytes]:
    if written is None:
        return {"status": status, "type": "text/plain; charset=utf-8"}, (message + "\n").encode("utf-8")
    return {"status": status, "type": written.content_type, "rows": written.rows, "truncated": written.truncated}, written.body


def one_line(error: Exception) -> str:
    """The parser's message, on one line and short; never a path or a remote body."""
    return " ".join(str(error).split())[:300]


def run(store: ox.Store, request: dict, row_cap: int, size_cap: int) -> tuple[dict, bytes]:
    text = request["text"]
    if request["op"] == "update":
        try:
            store.update(text)
            store.flush()
        except SyntaxError as exc:
            return answer(400, message=f"malformed update: {one_line(exc)}")
        except Exception:  # noqa: BLE001 - the message may hold paths or remote content
            return answer(500, message="the update failed")
        return answer(204, message="")
    try:
        result = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        return answer(400, message=f"malformed query: {one_line(exc)}")
    except Exception:  # noqa: BLE001
        return answer(500, message="the query failed")
    try:
        if isinstance(result, ox.QueryBoolean):
            media = negotiate(request["accept"], SOLUTION_TYPES, "application/sparql-results+json")
            return answer(200, write_boolean(bool(result), SOLUTION_TYPES[media]))
        if isinstance(result, ox.QuerySolutions):
            media = negotiate(request["accept"], SOLUTION_TYPES, "application/sparql-results+json")
            return answer(200, write_solutions(result, SOLUTION_TYPES[media], row_cap, size_cap))
        media = negotiate(request["accept"], GRAPH_TYPES, "text/turtle")
        return answer(200, write_triples(result, media, row_cap, size_cap))
    except NotAcceptable as exc:
        return answer(406, message=str(exc))
    except Exception:  # noqa: BLE001 - evaluation is lazy: errors surface while rows are written
        return answer(500, message="the query failed")


def main() -> None:
    path, writable, row_cap, size_cap = sys.argv[1], sys.argv[2] == "--writable", int(sys.argv[3]), int(sys.argv[4])
    store = ox.Store(path) if writable else ox.Store.read_only(path)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    write_frame(stdout, b'{"ready": true}')
    while (frame := read_frame(stdin)) is not None:
        header, body = run(store, json.loads(frame), row_cap, size_cap)
        write_frame(stdout, json.dumps(header).encode())
        write_frame(stdout, body)


if __name__ == "__main__":
    main()
