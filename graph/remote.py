"""A store behind any SPARQL 1.1 Query/Update endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso).

The same `Store` methods as the embedded store, over the SPARQL 1.1 Protocol with the standard
library's HTTP client. Credentials come from the environment (`DEFENCE_KG_ENDPOINT_TOKEN` for a bearer
token, or `DEFENCE_KG_ENDPOINT_USER` and `DEFENCE_KG_ENDPOINT_PASSWORD`). The endpoint must show
the union of its named graphs as the default graph (`oxigraph serve --union-default-graph`,
Fuseki's `unionDefaultGraph`, GraphDB and Virtuoso by default), as the embedded store does.
"""

from __future__ import annotations

import base64
import io
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

from rdflib import Graph, URIRef
from rdflib.query import Result

from .rdf import PREFIXES
from .store import Quad, Store, StoreError

RESULTS_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
RDF_TYPES = {"application/n-triples": "nt", "text/turtle": "turtle", "application/rdf+xml": "xml"}
TIMEOUT_S = float(os.environ.get("DEFENCE_KG_ENDPOINT_TIMEOUT", "300"))


def _credentials() -> dict[str, str]:
    token = os.environ.get("DEFENCE_KG_ENDPOINT_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}
    user = os.environ.get("DEFENCE_KG_ENDPOINT_USER")
    if user:
        pair = f"{user}:{os.environ.get('DEFENCE_KG_ENDPOINT_PASSWORD', '')}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    return {}


def _prologue(text: str) -> str:
    """Our prefixes, declared ahead of the query's own (a later declaration wins)."""
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items()) + text


class EndpointStore(Store):
    """Read from `query_url` and write to `update_url` (the query URL's `/update` sibling if not given)."""

    def __init__(self, query_url: str, update_url: str | None = None) -> None:
        parsed = urllib.parse.urlparse(query_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise StoreError(f"{query_url}: not an http(s) SPARQL endpoint URL")
        self.query_url = query_url
        self.update_url = update_url or _sibling(query_url, "update")
        self._headers = _credentials()

    def _post(self, url: str, form: dict[str, str], accept: str) -> tuple[str, bytes]:
        request = urllib.request.Request(
            url, data=urllib.parse.urlencode(form).encode("utf-8"), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept, **self._headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read(300).decode("utf-8", "replace").split())
            raise StoreError(f"{url}: HTTP {exc.code} {exc.reason}: {detail[:200]}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"{url}: cannot reach the endpoint ({reason})") from None

    def update(self, text: str) -> None:
        self._post(self.update_url, {"update": _prologue(text)}, "*/*")

    def execute(self, text: str) -> Result:
        content_type, body = self._post(self.query_url, {"query": _prologue(text)}, RESULTS_ACCEPT)
        if content_type in RDF_TYPES:
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=body, format=RDF_TYPES[content_type])
            return result
        try:
            return Result.parse(io.BytesIO(body), content_type=content_type)
        except Exception as exc:  # noqa: BLE001 - any parser failure means the endpoint sent something else
            raise StoreError(f"{self.query_url}: unreadable results ({content_type}: {exc})") from None

    def graph_names(self) -> list[URIRef]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [row.g for row in result if isinstance(row.g, URIRef)]

    def quads(self) -> Iterator[Quad]:
        for row in self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            yield row.s, row.p, row.o, row.g

    def __len__(self) -> int:
        (row,) = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(row.n)


def _sibling(url: str, name: str) -> str:
    """http://host/query -> http://host/update; http://host/ds/sparql -> http://host/ds/update."""
    parsed = urllib.parse.urlparse(url)
    head, _, _ = parsed.path.rpartition("/")
    return urllib.parse.urlunparse(parsed._replace(path=f"{head}/{name}", query=""))
