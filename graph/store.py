"""Where the graph lives: an embedded Oxigraph store on disk by default, any SPARQL 1.1 endpoint
when one machine is not enough (`remote.EndpointStore`).

Both speak SPARQL only, so one set of methods writes to either: a document's named graph is
replaced by one SPARQL Update request (`DROP` then `INSERT DATA`), which Oxigraph, its server and
other transactional stores apply whole or not at all. The embedded store runs that update in
pyoxigraph directly, because `oxrdflib`'s commit and rollback do nothing; documents new to it, and
the derived graph, go in by its bulk loader instead (see `GraphStore._add_graphs`). Its queries go
through rdflib's `Dataset` (run by Oxigraph), the default graph being the union of all graphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pyoxigraph
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Identifier, Node

from defence_kg.ingest.records import Document, Relation
from defence_kg.ontology import DKG, ONTOLOGY_IRI, load_ontology

from .events import act_rows, event_acts_query, event_ntriples, events, pair_count_ntriples, party_countries_query
from .rdf import DERIVED_GRAPH, PREFIXES, REFERENCE_GRAPH, Triple, document_iri, document_triples, reference_triples
from .sparqltext import SparqlTextError, substitute
from .trigcopy import TrigCopy

Quad = tuple[Node, Node, Node, URIRef]
STATE_GRAPH = URIRef(str(DERIVED_GRAPH).replace("/derived", "/state"))  # the pending mark of the derived graph
SERVICE_GRAPHS = (URIRef(ONTOLOGY_IRI), REFERENCE_GRAPH, DERIVED_GRAPH, STATE_GRAPH)
PENDING = f"GRAPH {STATE_GRAPH.n3()} {{ {DERIVED_GRAPH.n3()} {DKG.derivationPending.n3()} true }}"
EXPORT_FORMATS = ("turtle", "trig", "nquads", "json-ld")


FINGERPRINTS = """
PREFIX dkg: <https://w3id.org/defence-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?doc ?hash ?version WHERE {
  GRAPH ?doc { ?doc a dkg:Document ; dkg:contentHash ?hash . ?run prov:used ?doc ; prov:wasAssociatedWith/dkg:version ?version . }
}"""


class StoreError(Exception):
    """The store cannot be opened or used; the message says which and why."""


@dataclass(frozen=True)
class Table:
    """A query's answer as plain strings: what tables, CSV and JSON output need."""

    columns: list[str]
    rows: list[list[str]]

    def to_pandas(self):
        """As a pandas DataFrame (for notebooks)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)


def _text(term: object) -> str:
    return "" if term is None else str(term)


def prepare(text: str, bindings: Mapping[str, Identifier] | None) -> str:
    """The query with each binding's escaped RDF term in place of its variable (`sparqltext.substitute`)."""
    try:
        return substitute(text, {name: term.n3() for name, term in (bindings or {}).items()})
    except SparqlTextError as exc:
        raise StoreError(str(exc)) from None


def _ntriples(triples: Iterable[Triple]) -> str:
    return "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples)


def _graph_blocks(batch: list[tuple[Document, list[Relation]]]) -> str:
    """`GRAPH <doc> { N-Triples }` per document: the body of an `INSERT DATA` and a TriG document alike."""
    return "\n".join(f"GRAPH {document_iri(d.id).n3()} {{\n{_ntriples(document_triples(d, found))}\n}}" for d, found in batch)


def derived_queries() -> list[str]:
    """The parts of the derived graph computed in SPARQL, one CONSTRUCT each (`queries/derived/`).
    They read document graphs only, so any order, or all at once, gives the same graph."""
    folder = files(__package__).joinpath("queries", "derived")
    return [f.read_text(encoding="utf-8") for f in sorted(folder.iterdir(), key=lambda f: f.name) if f.name.endswith(".rq")]


TEMPLATE = re.compile(r"\bCONSTRUCT\s*\{(?P<template>[^{}]*)\}\s*WHERE\b")


def as_insert(construct: str, graph: URIRef) -> str:
    """The CONSTRUCT query as the SPARQL Update that inserts what it constructs into `graph` (for
    stores that compute in place; the template holds plain triples)."""
    found = TEMPLATE.search(construct)
    if found is None:
        raise StoreError("not a CONSTRUCT query with a template of plain triples")
    return f"{construct[:found.start()]}INSERT {{ GRAPH {graph.n3()} {{{found['template']}}} }}\nWHERE{construct[found.end():]}"


def derive_update() -> str:
    """The SPARQL part of the derivation as one update: the old derived graph dropped, each part inserted."""
    return " ;\n".join([f"DROP SILENT GRAPH {DERIVED_GRAPH.n3()}", *(as_insert(q, DERIVED_GRAPH) for q in derived_queries())])


class Store:
    """What every store does, written in SPARQL over `update`, `query` and `quads`."""

    copy: TrigCopy | None = None  # where every graph written is also written, while a build runs

    def update(self, text: str) -> None:
        raise NotImplementedError

    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> Result:
        """Run SPARQL with each binding's RDF term in place of its variable (see `sparqltext.substitute`)."""
        return self.execute(prepare(text, bindings))

    def execute(self, text: str) -> Result:
        raise NotImplementedError

    def table(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> Table:
        """The answer as strings: ASK as one `answer` cell, CONSTRUCT as subject/predicate/object rows."""
        result = self.query(text, bindings)
        if result.type == "ASK":
            return Table(["answer"], [[str(result.askAnswer).lower()]])
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return Table(["subject", "predicate", "object"], [[_text(t) for t in triple] for triple in result.graph])
        columns = [str(v) for v in result.vars]
        return Table(columns, [[_text(row.get(v)) for v in result.vars] for row in result.bindings])

    def quads(self) -> Iterator[Quad]:
        """Every quad of every named graph."""
        raise NotImplementedError

    def graph_names(self) -> list[URIRef]:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def close(self) -> None:
        """Nothing to release unless the store holds files open."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def put_document(self, document: Document, relations: Iterable[Relation]) -> None:
        """Replace what the store holds for this document with what was read from it now, in one update."""
        self.put_ntriples(document_iri(document.id), _ntriples(document_triples(document, relations)))

    def add_documents(self, batch: list[tuple[Document, list[Relation]]]) -> None:
        """Documents the store holds no graph of, in one update: all of them or, if it fails or is
        killed, none (so the kill-and-rerun guarantee holds batch by batch)."""
        blocks = _graph_blocks(batch)
        self._add_graphs(blocks)
        if self.copy:
            self.copy.blocks((document_iri(d.id) for d, _ in batch), blocks)

    def _add_graphs(self, blocks: str) -> None:
        self.update(f"INSERT DATA {{\n{blocks}\n}}")

    def put_vocabulary(self) -> None:
        """The vocabulary and the reference data (countries, organisations), each in its own graph."""
        self.replace_graph(URIRef(ONTOLOGY_IRI), iter(load_ontology()))
        self.replace_graph(REFERENCE_GRAPH, reference_triples())

    def replace_graph(self, name: URIRef, triples: Iterable[Triple]) -> None:
        """In one update: drop the named graph and insert `triples` into it."""
        self.put_ntriples(name, _ntriples(triples))

    def put_ntriples(self, name: URIRef, body: str) -> None:
        """In one update: drop the named graph and insert the triples of `body` (N-Triples) into it."""
        graph = name.n3()
        self.update(f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")
        if self.copy:
            self.copy.graph(name, body)

    def derive(self) -> None:
        """Recompute the derived graph: one fact per distinct relation triple and one event per act
        however many documents report it (`events`), with their sources; pair counts of acts and of
        events (`events.pair_count_ntriples`); the party directory. The SPARQL part
        (`derived_queries`) runs beside the Python part: events are grouped in Python (SPARQL has no
        good way to chain dates a week apart). While it runs, the state graph marks the derived
        graph pending, so a derivation stopped half way is redone by the next build; readers may
        meanwhile see it half made. (One atomic update, or a swap from a staging graph, takes Oxigraph minutes and
        gigabytes at a million quads: a transaction holds all its writes in memory.)"""
        self.mark_pending()
        self.update(f"DROP SILENT GRAPH {DERIVED_GRAPH.n3()}")
        with ThreadPoolExecutor(max_workers=1) as aside:  # the store runs the SPARQL part (outside the GIL) while events and counts are worked out here
            in_sparql = aside.submit(self._derive_in_sparql)
            self._add_derived(self._derived_in_python())
            in_sparql.result()
        self._clear_pending()

    def _derived_in_python(self) -> str:
        """The Python part of the derived graph, as N-Triples: events and pair counts."""
        rows = act_rows(self.table(event_acts_query()).rows)  # document graphs only, like the SPARQL part
        found = events(rows)
        countries: dict[tuple[str, str], set[str]] = {}
        for doc, party, country in self.table(party_countries_query()).rows:
            countries.setdefault((doc, party), set()).add(country)
        return "\n".join((*event_ntriples(found), *pair_count_ntriples(rows, found, countries)))

    def _derive_in_sparql(self) -> None:
        """The SPARQL part: the store computes each part and inserts it in place."""
        if self.copy:
            self.copy.spoil()
        for query in derived_queries():
            self.update(as_insert(query, DERIVED_GRAPH))

    def _add_derived(self, ntriples: str | bytes) -> None:
        """Add to the derived graph; the SPARQL part may be writing to it at the same time (neither reads it)."""
        self._insert_derived(ntriples)
        if self.copy:
            self.copy.graph(DERIVED_GRAPH, ntriples, whole=False)

    def _insert_derived(self, ntriples: str | bytes) -> None:
        text = ntriples.decode() if isinstance(ntriples, bytes) else ntriples
        self.update(f"INSERT DATA {{ GRAPH {DERIVED_GRAPH.n3()} {{\n{text}\n}} }}")

    def flush(self) -> None:
        """Write buffered changes out (a remote store has none)."""

    def mark_pending(self) -> None:
        """Note, before documents are loaded, that the derived graph is out of date until `derive`
        completes: a load stopped in between is finished by the next one."""
        self.update(f"INSERT DATA {{ {PENDING} }}")

    def _clear_pending(self) -> None:
        """The last step of a derivation: the derived graph is up to date."""
        self.update(f"DROP SILENT GRAPH {STATE_GRAPH.n3()}")

    def pending(self) -> bool:
        """Whether the derived graph lags behind the documents: marked so, or missing while documents are there."""
        marked = self.table(f"ASK {{ {PENDING} }}")
        return marked.rows[0][0] == "true" or (not self._holds_derived() and bool(self.documents()))

    def _holds_derived(self) -> bool:
        return self.table(f"ASK {{ GRAPH {DERIVED_GRAPH.n3()} {{ ?s ?p ?o }} }}").rows[0][0] == "true"

    def fingerprints(self) -> dict[str, tuple[str, str]]:
        """Per stored document graph: the content hash of the text it was read from and the extractor version."""
        rows = self.table(FINGERPRINTS).rows
        return {doc: (digest, version) for doc, digest, version in rows}

    def drop_documents(self) -> None:
        """Every document's graph and the derived graph, in one update (the vocabulary graphs stay)."""
        names = [*self.documents(), DERIVED_GRAPH]
        self.update(" ;\n".join(f"DROP SILENT GRAPH {name.n3()}" for name in names))

    def documents(self) -> list[URIRef]:
        return sorted(g for g in self.graph_names() if g not in SERVICE_GRAPHS)

    def dataset(self) -> Dataset:
        """Every named graph in an in-memory rdflib `Dataset` (for exports, SHACL and reasoning)."""
        data = Dataset()
        for prefix, namespace in PREFIXES.items():
            data.bind(prefix, namespace)
        graphs: dict[URIRef, Graph] = {}
        for s, p, o, g in self.quads():
            if g not in graphs:
                graphs[g] = data.graph(g)
            graphs[g].add((s, p, o))
        return data

    def union(self) -> Graph:
        """Every graph of the store merged into one in-memory graph."""
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for s, p, o, _ in self.quads():
            graph.add((s, p, o))
        return graph

    def export(self, path: str | Path, fmt: str) -> None:
        """Turtle (the union of the graphs), TriG, N-Quads or JSON-LD (named graphs kept)."""
        if fmt == "turtle":
            self.union().serialize(str(path), format="turtle")
        elif fmt in ("trig", "nquads", "json-ld"):
            self.dataset().serialize(str(path), format=fmt)
        else:
            raise StoreError(f"{fmt}: not an export format ({', '.join(EXPORT_FORMATS)})")


def _value(term: object) -> str:
    """As rdflib's str() gives it: an IRI or a literal's lexical form; a blank node's id."""
    return "" if term is None else getattr(term, "value", str(term))


class GraphStore(Store):
    """The embedded store: an Oxigraph directory on disk."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path}: not a store directory")
        self._dataset = Dataset(store="Oxigraph", default_union=True)
        try:
            self._dataset.open(str(self.path), create=False)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the store ({' '.join(str(exc).split())})") from None
        for stale in self.path.glob("bulk-*.sst"):  # sorted files of a bulk load killed before it could add them
            stale.unlink(missing_ok=True)
        for prefix, namespace in PREFIXES.items():
            self._dataset.bind(prefix, namespace)

    @property
    def oxigraph(self) -> pyoxigraph.Store:
        return self._dataset.store._inner

    def flush(self) -> None:
        self.oxigraph.flush()

    def close(self) -> None:
        self.oxigraph.flush()
        self._dataset.close()

    def update(self, text: str) -> None:
        self.oxigraph.update(text)

    def execute(self, text: str) -> Result:
        return self._dataset.query(text)

    def table(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> Table:
        """Straight from pyoxigraph: strings need no rdflib terms (a tenth of a second per 10,000 cells)."""
        prepared = prepare(text, bindings)
        prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        result = self.oxigraph.query(prepared, use_default_graph_as_union=True, prefixes=prefixes)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return Table(["answer"], [[str(bool(result)).lower()]])
        if isinstance(result, pyoxigraph.QuerySolutions):
            columns = [v.value for v in result.variables]
            return Table(columns, [[_value(term) for term in solution] for solution in result])
        return Table(["subject", "predicate", "object"], [[_value(t.subject), _value(t.predicate), _value(t.object)] for t in result])

    def graph_names(self) -> list[URIRef]:
        return [URIRef(g.value) for g in self.oxigraph.named_graphs() if isinstance(g, pyoxigraph.NamedNode)]

    def quads(self) -> Iterator[Quad]:
        data = Dataset()
        data.parse(data=self.oxigraph.dump(format=pyoxigraph.RdfFormat.N_QUADS), format="nquads")
        for s, p, o, g in data.quads((None, None, None, None)):
            yield s, p, o, g.identifier if isinstance(g, Graph) else g

    def __len__(self) -> int:
        return len(self.oxigraph)

    def ntriples(self, name: URIRef) -> str:
        """One named graph as N-Triples (pyoxigraph terms print as N-Triples)."""
        quads = self.oxigraph.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(str(name)))
        return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)

    def export(self, path: str | Path, fmt: str) -> None:
        """TriG and N-Quads straight from Oxigraph (fast on large stores); the rest through rdflib."""
        native = {"trig": pyoxigraph.RdfFormat.TRIG, "nquads": pyoxigraph.RdfFormat.N_QUADS}
        if fmt in native:
            prefixes = {k: str(v) for k, v in PREFIXES.items()} if fmt == "trig" else None
            self.oxigraph.dump(str(path), format=native[fmt], prefixes=prefixes)
        else:
            super().export(path, fmt)

    def _add_graphs(self, blocks: str) -> None:
        """By Oxigraph's bulk loader: about half the CPU of a transaction per quad, and nothing left to
        flush. It parses everything and writes sorted files first, then adds them all in one RocksDB
        ingestion, which is atomic across the store's indexes, also on a crash: a batch is whole or
        absent, as with a transaction. The caller makes sure no other write runs meanwhile."""
        self.oxigraph.bulk_load(input=blocks, format=pyoxigraph.RdfFormat.TRIG)

    def _derive_in_sparql(self) -> None:
        """Constructed two at a time (Oxigraph evaluates outside the GIL: half the time), then bulk
        loaded (`_add_derived`)."""
        with ThreadPoolExecutor(max_workers=2) as pool:
            self._add_derived(b"\n".join(pool.map(self._construct, derived_queries())))

    def _construct(self, query: str) -> bytes:
        return self.oxigraph.query(query).serialize(format=pyoxigraph.RdfFormat.N_TRIPLES)

    def derive(self) -> None:
        """As `Store.derive` when there is no derived graph yet. When there is one (documents added
        to or changed in a store), only the difference between it and the new one is written:
        Oxigraph drops a graph quad by quad (2.3 s for the 170,000 derived quads of 2,000
        documents) and the new one would be loaded whole again, where reading the old one takes
        0.8 s. The derived graph holds no blank nodes, so its N-Triples lines compare as triples. A
        derivation stopped half way is redone by the next build, against what it left."""
        if not self._holds_derived():
            super().derive()
            return
        self.mark_pending()
        if self.copy:
            self.copy.spoil()
        with ThreadPoolExecutor(max_workers=3) as aside:  # the store reads the old graph and builds the SPARQL part (outside the GIL) while the Python part is worked out here
            held = aside.submit(self._construct, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {DERIVED_GRAPH.n3()} {{ ?s ?p ?o }} }}")
            in_sparql = aside.map(self._construct, derived_queries())
            python = self._derived_in_python().encode()
            new = {line for part in (*in_sparql, python) for line in part.split(b"\n") if line}
            old = {line for line in held.result().split(b"\n") if line}
        gone, added = old - new, new - old
        if gone:  # first: a triple written differently in the two may be in both
            body = b"\n".join(gone).decode()
            self.update(f"DELETE DATA {{ GRAPH {DERIVED_GRAPH.n3()} {{\n{body}\n}} }}")
        if added:
            self._insert_derived(b"\n".join(added))
        self._clear_pending()

    def _insert_derived(self, ntriples: str | bytes) -> None:
        """By Oxigraph's bulk loader: a third of the time of a transaction, and nothing left to flush.
        A load stopped half way leaves nothing, but the derived graph comes in two loads, so the
        pending mark covers it (see `derive`). Two loads may run at once
        (the SPARQL part's and the Python part's); they only add quads, to one graph nobody reads
        meanwhile, and nothing else writes."""
        self.oxigraph.bulk_load(input=ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(str(DERIVED_GRAPH)))

    def bulk_fill(self, path: str | Path, fmt: pyoxigraph.RdfFormat = pyoxigraph.RdfFormat.N_QUADS) -> None:
        """Fill an empty store fast from a file. A store that holds data is refused: the file's graphs
        would be added to what it holds, not replace it."""
        if len(self):
            raise StoreError(f"{self.path}: bulk loading needs an empty store; this one holds {len(self)} quads")
        self.oxigraph.bulk_load(path=str(path), format=fmt)
