"""The RDF mapping of records: direct triples, act nodes with evidence and provenance, posts,
exercise editions, the reference graph; no blank nodes."""

from __future__ import annotations

import hashlib

from rdflib import ORG, OWL, RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV

from defence_kg.graph.rdf import (
    WIKIDATA, act_iri, acts, country_iri, document_iri, document_triples, entity_iri, extractor_iri, reference_triples,
)
from defence_kg.ingest.records import ANNOUNCED, Document, Entity, Relation
from defence_kg.ontology import DKG

INDIA = Entity("country/IND", "India", "Country", "IND")
FRANCE = Entity("country/FRA", "France", "Country", "FRA")
JAPAN = Entity("country/JPN", "Japan", "Country", "JPN")
SINGH = Entity("person/rajnath-singh", "Rajnath Singh", "Person", "IND", ("Raksha Mantri",), "Defence Minister")
DOC = Document("d1", "India and France signed an agreement. France delivered jets to India.", "T", "2023-07-14", "https://x.test/1")
SIGN = Relation("signsAgreementWith", INDIA, FRANCE, "India and France signed an agreement.", 0, 37, "sign-agreement", 0.9, "2023-07-14",
                (("agreement", "agreement on a roadmap"),), place="country/IND")
SUPPLY = Relation("supplies", FRANCE, INDIA, "France delivered jets to India.", 38, 69, "supply-verb", 0.85, "", (("item", "Rafale"),))
EXERCISE = [
    Relation("exercisesWith", a, b, "India, France and Japan will hold Exercise Varuna.", 0, 50, "exercise-conduct", 0.85, "2024-03-01",
             (("exercise", "Varuna"),), ANNOUNCED, act="exercise-conduct@7")
    for a, b in ((INDIA, FRANCE), (INDIA, JAPAN), (FRANCE, JAPAN))
]
VISIT = Relation("visits", SINGH, FRANCE, "Raksha Mantri is visiting Paris.", 0, 32, "visit-verb", 0.85, "2023-07-14", place="country/FRA")


def graph(*relations: Relation) -> Graph:
    g = Graph()
    for triple in document_triples(DOC, relations or (SIGN, SUPPLY)):
        g.add(triple)
    return g


def test_direct_triples_symmetric_both_ways():
    g = graph()
    assert (entity_iri("country/IND"), DKG.signsAgreementWith, entity_iri("country/FRA")) in g
    assert (entity_iri("country/FRA"), DKG.signsAgreementWith, entity_iri("country/IND")) in g
    assert (entity_iri("country/FRA"), DKG.supplies, entity_iri("country/IND")) in g
    assert (entity_iri("country/IND"), DKG.supplies, entity_iri("country/FRA")) not in g


def test_act_nodes_carry_evidence_and_provenance():
    g = graph()
    act = act_iri("d1", [SUPPLY])
    assert (act, RDF.type, DKG.Supply) in g and (act, RDF.type, DKG.Act) in g
    assert (act, DKG.subject, entity_iri("country/FRA")) in g
    assert (act, DKG.object, entity_iri("country/IND")) in g
    assert g.value(act, DKG.evidence) == Literal(SUPPLY.evidence)
    assert (g.value(act, DKG.startOffset).toPython(), g.value(act, DKG.endOffset).toPython()) == (38, 69)
    assert g.value(act, DKG.rule) == Literal("supply-verb")
    assert g.value(act, DKG.modality) == DKG.Happened
    assert (act, PROV.wasDerivedFrom, document_iri("d1")) in g
    extraction = g.value(act, PROV.wasGeneratedBy)
    assert (extraction, PROV.used, document_iri("d1")) in g
    assert (extraction, PROV.wasAssociatedWith, extractor_iri()) in g
    assert g.value(extractor_iri(), DKG.version) is not None
    assert g.value(g.value(act, DKG.item), RDF.type) == DKG.WeaponSystem


def test_document_is_described():
    g = graph()
    doc = document_iri("d1")
    assert (doc, RDF.type, PROV.Entity) in g
    assert g.value(doc, DKG.sourceUrl).toPython() == "https://x.test/1"
    assert str(g.value(doc, DKG.contentHash)) == hashlib.sha256(DOC.text.encode()).hexdigest()
    assert g.value(doc, URIRef("http://purl.org/dc/terms/date")).toPython().isoformat() == "2023-07-14"
    assert str(g.value(doc, URIRef("http://purl.org/dc/terms/language"))) == "en"


def test_symmetric_act_lists_participants_place_and_agreement():
    g = graph()
    act = act_iri("d1", [SIGN])
    assert set(g.objects(act, DKG.participant)) == {entity_iri("country/IND"), entity_iri("country/FRA")}
    assert g.value(act, DKG.date).toPython().isoformat() == "2023-07-14"
    assert g.value(act, DKG.place) == country_iri("IND")
    assert g.value(g.value(act, DKG.agreement), RDF.type) == DKG.Agreement


def test_multilateral_act_is_one_node_with_every_participant():
    g = graph(*EXERCISE)
    assert acts(EXERCISE) == [EXERCISE]
    (act,) = g.subjects(RDF.type, DKG.ExerciseParticipation)
    assert len(set(g.objects(act, DKG.participant))) == 3
    assert g.value(act, DKG.modality) == DKG.Announced
    edition = g.value(act, DKG.exercise)
    assert edition == entity_iri("exercise/varuna-2024")
    assert g.value(edition, DKG.editionOf) == entity_iri("exercise/varuna")
    assert str(g.value(edition, DKG.year)) == "2024"
    assert (entity_iri("country/JPN"), DKG.participatesIn, edition) in g


def test_person_holds_a_post_in_a_country():
    g = graph(VISIT)
    post = g.value(entity_iri("person/rajnath-singh"), ORG.holds)
    assert g.value(post, ORG.postIn) == country_iri("IND")
    assert str(g.value(post, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == "Defence Minister of India"
    assert g.value(entity_iri("person/rajnath-singh"), DKG.country) == country_iri("IND")
    assert g.value(country_iri("IND"), DKG.countryCode) == Literal("IND")


def test_reference_graph_has_codes_wikidata_and_memberships():
    g = Graph()
    for triple in reference_triples():
        g.add(triple)
    assert len(set(g.subjects(RDF.type, DKG.Country))) >= 249
    assert g.value(country_iri("IND"), OWL.sameAs) == WIKIDATA.Q668
    assert (country_iri("JPN"), DKG.memberOf, entity_iri("org/quad")) in g
    assert (entity_iri("org/quad"), RDF.type, DKG.MultilateralBody) in g


def test_no_blank_nodes():
    for triple in graph(SIGN, SUPPLY, VISIT, *EXERCISE):
        assert not any(isinstance(term, BNode) for term in triple)


def test_document_iri_escapes_ids():
    assert str(document_iri("a b/c")) == "https://w3id.org/defence-kg/doc/a%20b%2Fc"


def test_source_fields_become_named_nodes():
    document = Document("d9", "Text.", metadata=(("desk", "south asia"), ("tags", '["arms"]')))
    g = Graph()
    for triple in document_triples(document, []):
        g.add(triple)
    rows = sorted((str(r.key), str(r.value)) for r in g.query(
        "SELECT ?key ?value WHERE { ?d <https://w3id.org/defence-kg/ontology#field> ?f . ?f "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?key ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?value }"))
    assert rows == [("desk", "south asia"), ("tags", '["arms"]')]
    assert not any(isinstance(term, BNode) for triple in g for term in triple)
