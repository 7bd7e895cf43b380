"""The vocabulary: the Turtle file and the DefinedNamespace name the same terms."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, SKOS

from defence_kg.ingest.records import PREDICATES, SYMMETRIC
from defence_kg.ontology import DKG, REL, load_ontology

NS = str(DKG._NS)


def test_namespace_and_turtle_define_the_same_terms():
    graph = load_ontology()
    in_turtle = {str(s)[len(NS):] for s in graph.subjects(RDF.type, None) if str(s).startswith(NS)}
    assert in_turtle == set(DKG.__annotations__)


def test_a_typo_is_an_error():
    with pytest.raises(AttributeError):
        DKG.meet  # noqa: B018


@pytest.mark.parametrize("predicate", PREDICATES)
def test_every_predicate_is_a_property_symmetric_where_the_guidelines_say(predicate):
    graph = load_ontology()
    assert (DKG[predicate], RDF.type, OWL.ObjectProperty) in graph
    assert ((DKG[predicate], RDF.type, OWL.SymmetricProperty) in graph) == (predicate in SYMMETRIC)


def test_relation_concepts_match_the_scheme_and_the_properties():
    graph = load_ontology()
    concepts = {str(c)[len(str(REL._NS)):] for c in graph.objects(REL.scheme, SKOS.hasTopConcept)}
    assert concepts == set(PREDICATES) == set(REL.__annotations__) - {"scheme"}
    for predicate in PREDICATES:
        assert graph.value(REL[predicate], RDFS.seeAlso) == DKG[predicate]
        assert list(graph.objects(REL[predicate], SKOS.closeMatch | SKOS.broadMatch))


def test_every_term_has_a_label_and_a_definition():
    graph = load_ontology()
    for name in DKG.__annotations__:
        assert graph.value(DKG[name], RDFS.label) is not None, name
        assert graph.value(DKG[name], SKOS.definition) is not None, name


def test_relations_have_domains_and_ranges():
    graph = load_ontology()
    for predicate in PREDICATES:
        assert graph.value(DKG[predicate], RDFS.domain) is not None
        assert graph.value(DKG[predicate], RDFS.range) is not None
