"""The same commands against a SPARQL endpoint: a real `oxigraph serve`, and a recording HTTP server for credentials."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import EXAMPLES, free_port, oxigraph_serve

from defence_kg.graph.cli import app
from defence_kg.graph.remote import EndpointStore
from defence_kg.graph.store import GraphStore, StoreError


def test_build_into_an_endpoint_matches_the_embedded_store(tmp_path, built, runner):
    with oxigraph_serve(tmp_path / "server") as url:
        result = runner.invoke(app, ["build", str(EXAMPLES), "--out", str(tmp_path / "out"), "--endpoint", url])
        assert result.exit_code == 0, result.output
        assert (tmp_path / "out" / "graph.html").is_file() and not (tmp_path / "out" / "graph.trig").exists()
        remote = runner.invoke(app, ["query", "relations", "--endpoint", url, "--format", "csv"])
        local = runner.invoke(app, ["query", "relations", "--store", str(built / "store"), "--format", "csv"])
        assert remote.exit_code == local.exit_code == 0
        assert remote.stdout == local.stdout and remote.stdout.count("\n") > 30
        # building again changes nothing there either
        size = len(EndpointStore(url))
        assert runner.invoke(app, ["build", str(EXAMPLES), "--out", str(tmp_path / "out"), "--endpoint", url]).exit_code == 0
        assert len(EndpointStore(url)) == size


def test_push_copies_every_graph(endpoint, built):
    with GraphStore(built / "store") as local:
        names, size = set(local.graph_names()), len(local)
    remote = EndpointStore(endpoint)
    assert set(remote.graph_names()) == names
    assert len(remote) == size


def test_validate_and_export_read_from_an_endpoint(endpoint, runner, tmp_path):
    assert runner.invoke(app, ["validate", "--endpoint", endpoint]).exit_code == 0
    out = tmp_path / "network.graphml"
    result = runner.invoke(app, ["export", "--endpoint", endpoint, "--format", "graphml", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "nodes" in result.stdout and out.read_text().startswith("<?xml")


def test_an_unreachable_endpoint_is_one_line(runner):
    url = f"http://127.0.0.1:{free_port()}/query"
    result = runner.invoke(app, ["query", "who-met-whom", "--endpoint", url])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"error: {url}: cannot reach the endpoint")
    assert len(result.stderr.strip().splitlines()) == 1


def test_not_a_url(runner):
    result = runner.invoke(app, ["query", "who-met-whom", "--endpoint", "ftp://x/query"])
    assert result.exit_code == 1 and "not an http(s) SPARQL endpoint URL" in result.stderr


class Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        self.rfile.read(int(self.headers["Content-Length"]))
        Recorder.seen.append(dict(self.headers))
        body = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "7"}}]}})
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Recorder.seen.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()


@pytest.mark.parametrize("env, header", [
    ({"DEFENCE_KG_ENDPOINT_TOKEN": "t0k"}, "Bearer t0k"),
    ({"DEFENCE_KG_ENDPOINT_USER": "ana", "DEFENCE_KG_ENDPOINT_PASSWORD": "pw"}, "Basic YW5hOnB3"),
])
def test_credentials_come_from_the_environment(recorder, monkeypatch, env, header):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert len(EndpointStore(recorder)) == 7
    assert Recorder.seen[-1]["Authorization"] == header


def test_the_update_url_defaults_to_the_sibling():
    assert EndpointStore("http://h:7878/query").update_url == "http://h:7878/update"
    assert EndpointStore("http://h/ds/sparql?x=1").update_url == "http://h/ds/update"
    with pytest.raises(StoreError):
        EndpointStore("not a url")
