"""The embedded store: Oxigraph on disk, seen through rdflib (`oxrdflib`).

Queries go through rdflib's `Dataset` (run by Oxigraph, the default graph being the union of the
document graphs). Writes go to pyoxigraph directly, one SPARQL Update per document, because
`oxrdflib`'s commit and rollback do nothing while a pyoxigraph update is all-or-nothing: a
document's graph is replaced whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Identifier

from defence_kg.ingest.records import Document, Relation
from defence_kg.ontology import ONTOLOGY_IRI, load_ontology

from .rdf import PREFIXES, REFERENCE_GRAPH, Triple, document_iri, document_triples, reference_triples


class StoreError(Exception):
    """The store cannot be opened or used; the message says which and why."""


class GraphStore:
    """An on-disk store of one named graph per document plus the ontology's graph."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path}: not a store directory")
        self.dataset = Dataset(store="Oxigraph", default_union=True)
        try:
            self.dataset.open(str(self.path), create=False)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from None
        for prefix, namespace in PREFIXES.items():
            self.dataset.bind(prefix, namespace)

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _oxigraph(self) -> pyoxigraph.Store:
        return self.dataset.store._inner

    def close(self) -> None:
        self._oxigraph.flush()
        self.dataset.close()

    def put_document(self, document: Document, relations: Iterable[Relation]) -> None:
        """Replace what the store holds for this document with what was read from it now."""
        self.replace_graph(document_iri(document.id), document_triples(document, relations))

    def put_vocabulary(self) -> None:
        """The vocabulary and the reference data (countries, organisations), each in its own graph."""
        self.replace_graph(URIRef(ONTOLOGY_IRI), iter(load_ontology()))
        self.replace_graph(REFERENCE_GRAPH, reference_triples())

    def replace_graph(self, name: URIRef, triples: Iterable[Triple]) -> None:
        """Atomically: drop the named graph and insert `triples` into it."""
        body = "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples)
        graph = name.n3()
        self._oxigraph.update(f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")

    def documents(self) -> list[URIRef]:
        return [URIRef(g.value) for g in self._oxigraph.named_graphs() if g.value not in (ONTOLOGY_IRI, str(REFERENCE_GRAPH))]

    def union(self) -> Graph:
        """Every graph of the store merged into one in-memory graph (for SHACL and reasoning)."""
        quads = Dataset()
        quads.parse(data=self._oxigraph.dump(format=pyoxigraph.RdfFormat.N_QUADS), format="nquads")
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for s, p, o, _ in quads.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph

    def __len__(self) -> int:
        return len(self._oxigraph)

    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> Result:
        """Run SPARQL in Oxigraph; values come in as bindings, never pasted into the text."""
        return self.dataset.query(text, initBindings=dict(bindings or {}))

    def dump_trig(self, path: str | Path) -> None:
        self._oxigraph.dump(str(path), format=pyoxigraph.RdfFormat.TRIG, prefixes={k: str(v) for k, v in PREFIXES.items()})
