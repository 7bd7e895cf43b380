"""The RDF mapping of records: direct triples, act nodes with evidence, no blank nodes."""

from __future__ import annotations

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV

from defence_kg.graph.rdf import act_iri, document_iri, document_triples, entity_iri
from defence_kg.ingest.records import Document, Entity, Relation
from defence_kg.ontology import DKG

INDIA = Entity("country/IND", "India", "Country", "IND")
FRANCE = Entity("country/FRA", "France", "Country", "FRA")
DOC = Document("d1", "India and France signed an agreement. France delivered jets to India.", "T", "2023-07-14", "https://x.test/1")
SIGN = Relation("signsAgreementWith", INDIA, FRANCE, "India and France signed an agreement.", 0, 37, "sign-agreement", 0.9, "2023-07-14")
SUPPLY = Relation("supplies", FRANCE, INDIA, "France delivered jets to India.", 38, 69, "supply-verb", 0.85, "", (("item", "Rafale"),))


def graph() -> Graph:
    g = Graph()
    for triple in document_triples(DOC, [SIGN, SUPPLY]):
        g.add(triple)
    return g


def test_direct_triples():
    g = graph()
    assert (entity_iri("country/IND"), DKG.signsAgreementWith, entity_iri("country/FRA")) in g
    assert (entity_iri("country/FRA"), DKG.supplies, entity_iri("country/IND")) in g


def test_act_nodes_carry_evidence_and_provenance():
    g = graph()
    act = act_iri("d1", SUPPLY)
    assert (act, RDF.type, DKG.Supply) in g
    assert (act, DKG.subject, entity_iri("country/FRA")) in g
    assert (act, DKG.object, entity_iri("country/IND")) in g
    assert g.value(act, DKG.evidence) == Literal(SUPPLY.evidence)
    assert (g.value(act, DKG.startOffset).toPython(), g.value(act, DKG.endOffset).toPython()) == (38, 69)
    assert g.value(act, DKG.rule) == Literal("supply-verb")
    assert (act, PROV.wasDerivedFrom, document_iri("d1")) in g
    assert g.value(g.value(act, DKG.item), RDF.type) == DKG.WeaponSystem


def test_symmetric_act_lists_participants():
    g = graph()
    act = act_iri("d1", SIGN)
    assert set(g.objects(act, DKG.participant)) == {entity_iri("country/IND"), entity_iri("country/FRA")}
    assert g.value(act, DKG.date).toPython().isoformat() == "2023-07-14"


def test_no_blank_nodes_and_every_term_is_ours_or_standard():
    for triple in graph():
        assert not any(isinstance(term, BNode) for term in triple)
        assert isinstance(triple[0], URIRef)


def test_document_iri_escapes_ids():
    assert str(document_iri("a b/c")) == "https://w3id.org/defence-kg/doc/a%20b%2Fc"
