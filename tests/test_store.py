"""The embedded Oxigraph store: idempotent loads, atomic replacement, persistence, bindings."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import NamedNode
from rdflib import Dataset, URIRef
from test_rdf import DOC, SIGN, SUPPLY

from defence_kg.ingest.records import Document

from defence_kg.graph.rdf import DERIVED_GRAPH, document_iri, entity_iri
from defence_kg.graph.store import GraphStore, Store, StoreError, as_insert
from defence_kg.ontology import DKG

DOC_IRI = document_iri("d1").n3()


@pytest.fixture
def store(tmp_path):
    with GraphStore(tmp_path / "store") as s:
        yield s


def test_loading_the_same_document_twice_changes_nothing(store):
    store.put_document(DOC, [SIGN, SUPPLY])
    size = len(store)
    store.put_document(DOC, [SIGN, SUPPLY])
    assert len(store) == size > 0
    assert store.documents() == [document_iri("d1")]


def test_a_new_version_replaces_the_old_graph(store):
    store.put_document(DOC, [SIGN, SUPPLY])
    store.put_document(DOC, [SIGN])
    assert not store.query("ASK { ?a dkg:supplies ?b }").askAnswer
    assert store.query("ASK { ?a dkg:signsAgreementWith ?b }").askAnswer


def test_store_persists(tmp_path):
    with GraphStore(tmp_path / "s") as s:
        s.put_vocabulary()
        s.put_document(DOC, [SIGN])
        size = len(s)
    with GraphStore(tmp_path / "s") as s:
        assert len(s) == size


def test_query_with_bindings(store):
    store.put_document(DOC, [SIGN, SUPPLY])
    query = "SELECT ?country ?partner ?p WHERE { ?country ?p ?partner . ?partner a dkg:Country FILTER (?p != dkg:country) }"
    rows = {(str(r.partner), str(r.p)) for r in store.query(query, {"country": entity_iri("country/FRA")})}
    # France supplies India; the symmetric agreement answers from France's side too
    assert rows == {(str(entity_iri("country/IND")), str(DKG.supplies)), (str(entity_iri("country/IND")), str(DKG.signsAgreementWith))}
    labels = store.query("SELECT ?l WHERE { ?x a dkg:Country ; rdfs:label ?l } ORDER BY ?l")
    assert [str(row.l) for row in labels] == ["France", "India"]


def test_a_file_is_not_a_store(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="not a store directory"):
        GraphStore(tmp_path / "file")


def test_derived_facts_count_documents_not_sentences(store):
    second = Document("d2", "France supplied jets to India.", "T2", "2024-01-02", "https://x.test/2")
    store.put_document(DOC, [SIGN, SUPPLY])
    store.put_document(second, [SUPPLY])
    store.derive()
    rows = {(str(r.p), int(r.n)) for r in store.query(
        "SELECT ?s ?p ?n WHERE { ?f a dkg:Fact ; rdf:predicate ?p ; rdf:subject ?s ; dkg:sourceCount ?n }",
        {"s": entity_iri("country/FRA")})}
    assert rows == {(str(DKG.supplies), 2), (str(DKG.signsAgreementWith), 1)}
    # the derived graph is recomputed whole: a document that no longer states a fact drops its source
    store.put_document(second, [])
    store.derive()
    (row,) = list(store.query("SELECT ?n WHERE { ?f rdf:predicate dkg:supplies ; dkg:sourceCount ?n }"))
    assert int(row.n) == 1


def test_a_failed_replacement_leaves_the_old_graph(store):
    store.put_document(DOC, [SIGN, SUPPLY])
    before = len(store)
    broken = '<https://x.test/a> <https://x.test/p> "new" .\n<https://x.test/a> <https://x.test/p> .'
    with pytest.raises(SyntaxError):
        store.put_ntriples(document_iri("d1"), broken)
    assert len(store) == before
    assert store.query("ASK { ?a dkg:supplies ?b }").askAnswer


def test_bulk_loading_only_fills_an_empty_store(store, tmp_path):
    data = tmp_path / "data.nq"
    data.write_text('<https://x.test/a> <https://x.test/p> "1" <https://x.test/g> .\n')
    store.bulk_fill(data)
    assert len(store) == 1
    with pytest.raises(StoreError, match="bulk loading needs an empty store; this one holds 1 quads"):
        store.bulk_fill(data)


KILLED_LOADER = """
import sys
from defence_kg.graph.store import GraphStore
from defence_kg.ingest.records import Document
from test_rdf import SIGN, SUPPLY
size = int(sys.argv[2])
with GraphStore(sys.argv[1]) as store:
    for i in range(0, 100000, size):
        batch = [(Document(f"k{j}", "x" * 5000, "T", "2024-01-01", ""), [SIGN, SUPPLY] * 50) for j in range(i, i + size)]
        if size == 1:
            store.put_document(*batch[0])
        else:
            store.add_documents(batch)
        print(i, flush=True)
"""


@pytest.mark.parametrize("batch", [1, 8], ids=["replaced one by one", "added in batches"])
def test_a_killed_load_leaves_every_document_whole_or_absent(tmp_path, batch):
    """kill -9 in the middle of a long load: the store reopens, and each document's graph is all
    there or not at all; a batch added in one load is all there or not at all."""
    path = tmp_path / "store"
    with GraphStore(path) as s:
        s.put_document(Document("k-first", "y", "T", "2024-01-01", ""), [SIGN])
        whole = len(s)
    loader = subprocess.Popen([sys.executable, "-c", KILLED_LOADER, str(path), str(batch)], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).parent)
    for _ in range(20):  # let it acknowledge some writes, then kill it mid-write
        loader.stdout.readline()
    loader.send_signal(signal.SIGKILL)
    loader.wait()
    loader.stdout.close()
    with GraphStore(path) as s:
        assert not list(path.glob("bulk-*.sst")), "the files of a killed bulk load were left in the store"
        sizes = {str(g): len(list(s.oxigraph.quads_for_pattern(None, None, None, NamedNode(str(g))))) for g in s.documents()}
        assert sizes.pop(str(document_iri("k-first"))) == whole
        assert len(sizes) >= 20 * batch
        assert len(set(sizes.values())) == 1, "a document graph was left half-written"
        assert len(sizes) % batch == 0, "a batch was left half-written"
        assert set(sizes) == {str(document_iri(f"k{i}")) for i in range(len(sizes))}


@pytest.mark.parametrize("fmt, parse_as", [("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads"), ("json-ld", "json-ld")])
def test_exports_read_back(store, tmp_path, fmt, parse_as):
    store.put_vocabulary()
    store.put_document(DOC, [SIGN, SUPPLY])
    out = tmp_path / f"graph.{fmt}"
    store.export(out, fmt)
    data = Dataset()
    data.parse(out, format=parse_as)
    if fmt == "turtle":  # the union of the graphs, as triples
        assert len(data.default_graph) == len(store.union())
    else:
        assert len(list(data.quads((None, None, None, None)))) == len(store)
        assert {URIRef(g.identifier) for g in data.graphs() if len(g)} == set(store.graph_names())


class InPlace(GraphStore):
    """Derives as a SPARQL endpoint does: every part inserted by updates, none bulk loaded."""

    derive = Store.derive
    _derive_in_sparql = Store._derive_in_sparql
    _insert_derived = Store._insert_derived


class Written(GraphStore):
    """Records the derived triples it deletes and inserts."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.deleted: list[str] = []
        self.inserted: list[str] = []

    def update(self, text: str) -> None:
        if text.startswith("DELETE DATA"):
            self.deleted += text.splitlines()[1:-1]
        super().update(text)

    def _insert_derived(self, ntriples: str | bytes) -> None:
        self.inserted += (ntriples.decode() if isinstance(ntriples, bytes) else ntriples).splitlines()
        super()._insert_derived(ntriples)


def derived(store: GraphStore) -> set[str]:
    return set(store.ntriples(DERIVED_GRAPH).splitlines())


def test_the_bulk_loaded_derived_graph_equals_the_one_derived_in_place(built, tmp_path):
    for name in ("bulk", "in-place"):
        shutil.copytree(built / "store", tmp_path / name)
    with GraphStore(tmp_path / "bulk") as bulk, InPlace(tmp_path / "in-place") as in_place:
        for store in (bulk, in_place):
            store.update(f"DROP GRAPH {DERIVED_GRAPH.n3()}")
        bulk.derive()
        in_place.derive()
        assert len(derived(bulk)) > 100
        assert derived(bulk) == derived(in_place)
        assert not bulk.pending() and len(bulk) == len(in_place)


def test_a_derived_graph_already_there_gets_only_the_difference_written(built, tmp_path):
    shutil.copytree(built / "store", tmp_path / "store")
    with Written(tmp_path / "store") as store:
        whole = derived(store)
        lost = sorted(whole)[:3]
        bogus = f"{DOC_IRI} {DKG.sourceCount.n3()} \"7\"^^<http://www.w3.org/2001/XMLSchema#integer> ."
        store.update(f"DELETE DATA {{ GRAPH {DERIVED_GRAPH.n3()} {{ {' '.join(lost)} }} }} ;\n"
                     f"INSERT DATA {{ GRAPH {DERIVED_GRAPH.n3()} {{ {bogus} }} }}")
        store.mark_pending()
        store.derive()
        assert derived(store) == whole and len(whole) > 100
        assert store.deleted == [bogus]
        assert sorted(store.inserted) == lost
        assert not store.pending()
        store.deleted.clear()
        store.inserted.clear()
        store.derive()  # nothing changed: nothing written
        assert derived(store) == whole and store.deleted == store.inserted == []


def test_a_construct_becomes_the_update_that_inserts_it():
    graph = URIRef("https://x.test/g")
    update = as_insert("PREFIX x: <https://x.test/>\nCONSTRUCT { ?s x:p ?o . }\nWHERE { ?s x:q ?o }", graph)
    assert update == "PREFIX x: <https://x.test/>\nINSERT { GRAPH <https://x.test/g> { ?s x:p ?o . } }\nWHERE { ?s x:q ?o }"
    with pytest.raises(StoreError, match="not a CONSTRUCT query"):
        as_insert("SELECT * WHERE { ?s ?p ?o }", graph)
