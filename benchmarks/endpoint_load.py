"""Load on `defence-kg serve`: 16 concurrent clients on loopback for a bounded time, each sending the
library's queries (parameters filled) in turn. Prints requests/s, p50/p95/max latency and errors.

    python benchmarks/endpoint_load.py [--store DIR] [--clients 16] [--seconds 20] [--workers 2]

Without --store it builds the bundled examples into a temporary store first.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from defence_kg.graph import sparql
from defence_kg.graph.server import QueryPool, make_server
from defence_kg.graph.sparqltext import substitute
from defence_kg.graph.store import GraphStore

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PARAMS = {"partners": {"country": "India"}, "timeline": {"country": "India", "partner": "Russia"},
          "person-meetings": {"person": "Rajnath Singh"}, "supplies": {"recipient": "India"}, "facts": {"subject": "India"}}


def prepared_queries(store_dir: Path) -> list[str]:
    """The library's queries with their example parameters bound, as a client would send them."""
    texts = []
    with GraphStore(store_dir) as store:
        for name, query in sparql.library().items():
            bindings = sparql.bind(store, query, PARAMS.get(name, {}))
            texts.append(substitute(query.text, {k: v.n3() for k, v in bindings.items()}))
    return texts


def client(url: str, queries: list[str], until: float, latencies: list[float], errors: Counter, offset: int) -> None:
    i = offset
    while time.monotonic() < until:
        body = urllib.parse.urlencode({"query": queries[i % len(queries)]}).encode()
        request = urllib.request.Request(url, data=body, headers={"Accept": "application/sparql-results+json"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
            latencies.append(time.perf_counter() - started)
        except urllib.error.HTTPError as exc:
            errors[f"HTTP {exc.code}"] += 1
        except OSError as exc:
            errors[type(exc).__name__] += 1
        i += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store directory (default: the examples, built now)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2, help="query worker processes of the server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store_dir = args.store
        if store_dir is None:
            store_dir = Path(folder) / "store"
            subprocess.run([Path(sys.executable).parent / "defence-kg", "build", str(EXAMPLES), "--out", folder],
                           check=True, capture_output=True)
        queries = prepared_queries(store_dir)
        pool = QueryPool(store_dir, workers=args.workers)
        server = make_server("127.0.0.1", 0, pool)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        latencies: list[float] = []
        errors: Counter = Counter()
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client, args=(url, queries, until, latencies, errors, n)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        server.shutdown()
        pool.close()
    latencies.sort()
    done = len(latencies)
    p50 = statistics.median(latencies) if latencies else float("nan")
    p95 = latencies[int(0.95 * (done - 1))] if latencies else float("nan")
    print(f"{args.clients} clients, {args.seconds:g} s, {args.workers} workers, {len(queries)} library queries in turn")
    print(f"requests: {done} answered ({done / args.seconds:.0f}/s), errors: {sum(errors.values())} {dict(errors) or ''}")
    print(f"latency: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, max {latencies[-1] * 1000 if latencies else float('nan'):.1f} ms")


if __name__ == "__main__":
    main()
