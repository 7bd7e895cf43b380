"""`defence-kg serve`: a real HTTP endpoint with real worker processes, queried by SPARQLWrapper and plain HTTP."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph
from SPARQLWrapper import JSON, XML, SPARQLWrapper

from defence_kg.graph import sparql
from defence_kg.graph.server import QueryPool, make_server, page_policy, query_page
from defence_kg.graph.store import GraphStore

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


class Endpoint:
    def __init__(self, store, **options):
        self.pool = QueryPool(store, **options)
        self.server = make_server("127.0.0.1", 0, self.pool)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.pool.close()

    def post(self, form: dict[str, str] | None = None, body: str | None = None, content_type: str = "",
             accept: str = "application/sparql-results+json") -> tuple[int, dict[str, str], bytes]:
        if form is not None:
            data, content_type = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
        else:
            data = body.encode()
        request = urllib.request.Request(self.url, data=data, headers={"Content-Type": content_type, "Accept": accept})
        return _fetch(request)

    def get(self, query: str, accept: str = "application/sparql-results+json", path: str = "/sparql"):
        url = self.url.replace("/sparql", path) + ("?" + urllib.parse.urlencode({"query": query}) if query else "")
        return _fetch(urllib.request.Request(url, headers={"Accept": accept}))


def _fetch(request) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture(scope="module")
def store_copy(built, tmp_path_factory):
    target = tmp_path_factory.mktemp("served") / "store"
    shutil.copytree(built / "store", target)
    return target


@pytest.fixture(scope="module")
def endpoint(store_copy):
    served = Endpoint(store_copy, workers=2, timeout=2.0, row_cap=50)
    yield served
    served.close()


def test_sparqlwrapper_select_matches_the_store(endpoint, store_copy, built):
    client = SPARQLWrapper(endpoint.url)
    client.setQuery(sparql.library()["who-met-whom"].text)
    client.setReturnFormat(JSON)
    rows = [[b.get(v, {}).get("value", "") for v in ("party", "other", "date")] for b in client.query().convert()["results"]["bindings"]]
    with GraphStore(built / "store") as local:
        expected = [row[:3] for row in sparql.run(local, "who-met-whom").rows]
    assert rows == expected and len(rows) > 5


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_get_and_post(endpoint, method):
    client = SPARQLWrapper(endpoint.url)
    client.setMethod(method)
    client.setQuery("SELECT ?l WHERE { <https://w3id.org/defence-kg/id/country/IND> <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 1")
    client.setReturnFormat(XML)
    document = client.query().convert()
    assert [n.firstChild.data for n in document.getElementsByTagName("literal")] == ["India"]


def test_results_by_content_negotiation(endpoint):
    query = "SELECT DISTINCT ?code WHERE { ?c <https://w3id.org/defence-kg/ontology#countryCode> ?code FILTER (?code IN ('IND', 'FRA')) } ORDER BY ?code"
    status, headers, body = endpoint.get(query, "text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(body.decode()))) == [["code"], ["FRA"], ["IND"]]
    status, headers, body = endpoint.get(query, "text/tab-separated-values")
    assert body.decode().splitlines() == ["?code", '"FRA"', '"IND"']
    status, headers, body = endpoint.get(query, "application/sparql-results+xml;q=0.9, text/csv;q=0.1")
    assert headers["Content-Type"] == "application/sparql-results+xml" and body.count(b"<literal>") == 2
    status, headers, body = endpoint.post(body=query, content_type="application/sparql-query", accept="*/*")
    assert [b["code"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["FRA", "IND"]
    assert endpoint.get(query, "image/png")[0] == 406


@pytest.mark.parametrize("media, parse_as", [("text/turtle", "turtle"), ("application/n-triples", "nt")])
def test_construct_as_rdf(endpoint, media, parse_as):
    query = "CONSTRUCT { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { GRAPH <https://w3id.org/defence-kg/graph/reference> { ?c <https://w3id.org/defence-kg/ontology#countryCode> 'IND' ; <http://www.w3.org/2000/01/rdf-schema#label> ?l } }"
    status, headers, body = endpoint.get(query, media)
    assert status == 200 and headers["Content-Type"].startswith(media)
    graph = Graph().parse(data=body, format=parse_as)
    assert [str(o) for o in graph.objects()] == ["India"]


def test_ask(endpoint):
    status, _, body = endpoint.post(form={"query": "ASK { ?a a <https://w3id.org/defence-kg/ontology#Meeting> }"})
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.parametrize("request_kind", ["form", "body", "load", "get"])
def test_updates_are_refused_without_allow_update(endpoint, request_kind):
    update = "INSERT DATA { <https://x.test/a> <https://x.test/b> <https://x.test/c> }"
    if request_kind == "form":
        status, _, body = endpoint.post(form={"update": update})
    elif request_kind == "body":
        status, _, body = endpoint.post(body=update, content_type="application/sparql-update")
    elif request_kind == "load":
        status, _, body = endpoint.post(form={"update": "LOAD <http://127.0.0.1:9/data.ttl>"})
    else:
        url = endpoint.url + "?" + urllib.parse.urlencode({"update": update})
        status, _, body = _fetch(urllib.request.Request(url))
    assert status == (405 if request_kind == "get" else 403)
    assert endpoint.post(form={"query": "ASK { <https://x.test/a> ?p ?o }"})[2].find(b"false") > 0


def test_updates_with_allow_update(store_copy, tmp_path):
    writable = tmp_path / "store"
    shutil.copytree(store_copy, writable)
    served = Endpoint(writable, allow_update=True, timeout=2.0)
    try:
        assert served.pool.size == 1
        status, _, _ = served.post(form={"update": "INSERT DATA { GRAPH <https://x.test/g> { <https://x.test/a> <https://x.test/b> 'c' } }"})
        assert status == 204
        assert b"true" in served.post(form={"query": "ASK { <https://x.test/a> <https://x.test/b> 'c' }"})[2]
        # one writer: a runaway query is killed and the respawned worker answers within a second
        started = time.monotonic()
        assert served.post(form={"query": CARTESIAN})[0] == 503
        assert time.monotonic() - started < 5
        started = time.monotonic()
        assert served.post(form={"query": "ASK {}"})[0] == 200
        assert time.monotonic() - started < 1
        assert b"true" in served.post(form={"query": "ASK { <https://x.test/a> <https://x.test/b> 'c' }"})[2]
    finally:
        served.close()


class Listener:
    """A loopback TCP listener that records every connection made to it."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.socket.close()


SERVICE_QUERIES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?remote { <http://127.0.0.1:{port}/sparql> } SERVICE ?remote { ?s ?p ?o } }",
    "select * where { service <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "SELECT * WHERE { FILTER (1 < 2) SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } FILTER (2 > 1) }",
    "PREFIX s: <x:> SELECT * WHERE { ?s ?p 'SERVICE' . SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } } # SERVICE",
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_service_is_refused_and_nothing_is_contacted(endpoint, template):
    listener = Listener()
    try:
        status, _, body = endpoint.post(form={"query": template.replace("{port}", str(listener.port))})
        time.sleep(0.3)
        assert status == 400 and body.startswith(b"SERVICE is not allowed")
        assert listener.connections == 0
    finally:
        listener.close()


def test_a_runaway_query_is_stopped_and_the_next_is_answered_at_once(endpoint):
    started = time.monotonic()
    status, _, body = endpoint.post(form={"query": CARTESIAN})
    stopped = time.monotonic() - started
    assert status == 503 and b"time limit of 2 s" in body
    assert 2 <= stopped < 4
    started = time.monotonic()
    assert endpoint.post(form={"query": "ASK {}"})[0] == 200
    assert time.monotonic() - started < 1


def _numbers(n: int) -> str:
    return "SELECT ?n WHERE { VALUES ?n { " + " ".join(str(i) for i in range(n)) + " } }"


@pytest.mark.parametrize("rows, truncated", [(49, False), (50, False), (51, True)])
def test_row_cap(endpoint, rows, truncated):
    status, headers, body = endpoint.post(form={"query": _numbers(rows)})
    result = json.loads(body)
    assert status == 200
    assert len(result["results"]["bindings"]) == min(rows, 50)
    assert ("X-Defence-KG-Truncated" in headers) is truncated
    assert (result["head"].get("link") == ["urn:defence-kg:truncated:row-cap=50"]) is truncated
    status, headers, body = endpoint.post(form={"query": _numbers(rows)}, accept="text/csv")
    assert body.decode().count("\r\n") == min(rows, 50) + 1
    assert headers.get("X-Defence-KG-Truncated") == ("row-cap=50" if truncated else None)


def test_size_cap(store_copy):
    served = Endpoint(store_copy, workers=1, row_cap=1000, size_cap=2048)
    try:
        query = "SELECT ?x WHERE { VALUES ?i { 1 2 3 4 5 6 7 8 9 10 } BIND (CONCAT(STR(?i), '" + "x" * 500 + "') AS ?x) }"
        status, headers, body = served.post(form={"query": query})
        assert status == 200 and headers["X-Defence-KG-Truncated"] == "size-cap=2048"
        assert len(body) <= 2048 + 200 and 0 < len(json.loads(body)["results"]["bindings"]) < 10
    finally:
        served.close()


@pytest.mark.parametrize("query", ["SELEC ?x WHERE { ?x ?p ?o }", "SELECT ?x WHERE { ?x ?p }", "SELECT * WHERE { ?s <not an iri> ?o }"])
def test_a_malformed_query_gets_400_and_the_parsers_message(endpoint, query, store_copy):
    status, headers, body = endpoint.post(form={"query": query})
    text = body.decode()
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert text.startswith("malformed query: error at 1:") and text.count("\n") == 1 and len(text) < 400
    assert str(store_copy) not in text and "Traceback" not in text


def test_bad_requests_are_short(endpoint):
    assert endpoint.post(body="x", content_type="text/plain")[0] == 415
    assert endpoint.post(form={"nothing": "x"})[0] == 400
    status, _, body = endpoint.get("", path="/elsewhere")
    assert status == 404 and len(body) < 100


def test_the_query_page_is_self_contained(endpoint):
    status, headers, body = endpoint.get("", "text/html", path="/")
    page = body.decode()
    assert status == 200 and page == query_page()
    policy = headers["Content-Security-Policy"]
    assert policy == page_policy(page) and "default-src 'none'" in policy and "unsafe" not in policy
    assert not re.search(r"\b(src|href|action)\s*=", page, re.I)  # nothing loaded from anywhere: it works offline
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", page, re.I)  # no inline event handlers
    assert page.count("<script>") == page.count("<style>") == 1


def test_the_serve_command(store_copy, tmp_path):
    from conftest import free_port, wait_for

    command = shutil.which("defence-kg", path=str(Path(sys.executable).parent))
    port = free_port()
    process = subprocess.Popen([command, "serve", "--store", str(store_copy), "--port", str(port), "--workers", "1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", timeout=10) as response:
            assert json.loads(response.read())["boolean"] is True
        busy = subprocess.run([command, "serve", "--store", str(store_copy), "--port", str(port)], capture_output=True, text=True)
        assert busy.returncode == 1
        assert busy.stderr.strip().startswith(f"error: 127.0.0.1:{port}: cannot listen")
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert "SPARQL endpoint http://127.0.0.1:" in process.stderr.read()
