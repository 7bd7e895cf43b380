"""The model answers the questions it is for, by SPARQL on the store built from examples/."""

from __future__ import annotations

import pytest
from conftest import SEED

from defence_kg.graph.rdf import entity_iri
from defence_kg.graph.store import GraphStore

SEED_MEETING = """
SELECT ?a ?b ?date ?evidence ?start ?end ?url WHERE {
  ?act a dkg:Meeting ; dkg:participant ?a, ?b ; dkg:date ?date ; dkg:evidence ?evidence ;
       dkg:startOffset ?start ; dkg:endOffset ?end ;
       prov:wasDerivedFrom ?doc .
  GRAPH ?doc { ?doc dkg:sourceUrl ?url . }  # the derived graph repeats it
  FILTER (STR(?a) < STR(?b))
  FILTER (?doc = <https://w3id.org/defence-kg/doc/pib-1651150-rajnath-singh-meets-shoigu>)
}"""

INDRA = """
SELECT ?edition ?party ?modality WHERE {
  ?act dkg:exercise ?edition ; dkg:participant/rdfs:label ?party ; dkg:modality ?modality .
  ?edition dkg:editionOf/rdfs:label "Indra" .
}"""


@pytest.fixture(scope="module")
def store(built):
    with GraphStore(built / "store") as s:
        yield s


def test_seed_meeting_event(store):
    (row,) = list(store.query(SEED_MEETING))
    assert {row.a, row.b} == {entity_iri("person/rajnath-singh"), entity_iri("person/sergei-shoigu")}
    assert row.date.toPython().isoformat() == "2020-09-03"
    assert "meeting with Russian Defence Minister" in str(row.evidence)
    assert SEED.read_text(encoding="utf-8")[int(row.start):int(row.end)] == str(row.evidence)
    assert str(row.url) == "https://pib.gov.in/PressReleasePage.aspx?PRID=1651150"


def test_indra_exercise_with_participants(store):
    rows = list(store.query(INDRA))
    assert {str(r.party) for r in rows} == {"Indian Navy", "Russian Navy"}
    assert {r.edition for r in rows} == {entity_iri("exercise/indra-2020")}
    assert {str(r.modality).rsplit("#")[-1] for r in rows} == {"Announced"}


def test_symmetric_relations_answer_from_both_sides(store):
    singh, shoigu = entity_iri("person/rajnath-singh"), entity_iri("person/sergei-shoigu")
    assert store.query("ASK { ?a dkg:meets ?b }", {"a": shoigu, "b": singh}).askAnswer
    assert store.query("ASK { ?a dkg:meets ?b }", {"a": singh, "b": shoigu}).askAnswer
    # directed ones do not
    assert not store.query("ASK { ?a dkg:invites ?b }", {"a": shoigu, "b": singh}).askAnswer
