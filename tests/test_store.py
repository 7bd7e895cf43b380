"""The embedded Oxigraph store: idempotent loads, atomic replacement, persistence, bindings."""

from __future__ import annotations

import pytest
from test_rdf import DOC, SIGN, SUPPLY

from defence_kg.graph.rdf import document_iri, entity_iri
from defence_kg.graph.store import GraphStore, StoreError
from defence_kg.ontology import DKG


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
    query = "SELECT ?country ?partner ?p WHERE { ?country ?p ?partner . ?partner a dkg:Country }"
    rows = {(str(r.partner), str(r.p)) for r in store.query(query, {"country": entity_iri("country/FRA")})}
    # France supplies India; the symmetric agreement answers from France's side too
    assert rows == {(str(entity_iri("country/IND")), str(DKG.supplies)), (str(entity_iri("country/IND")), str(DKG.signsAgreementWith))}
    labels = store.query("SELECT ?l WHERE { ?x a dkg:Country ; rdfs:label ?l } ORDER BY ?l")
    assert [str(row.l) for row in labels] == ["France", "India"]


def test_a_file_is_not_a_store(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="not a store directory"):
        GraphStore(tmp_path / "file")
