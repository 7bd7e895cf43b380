"""The vocabulary: the Turtle file and the DefinedNamespace name the same terms."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF

from defence_kg.ingest.records import PREDICATES, SYMMETRIC
from defence_kg.ontology import DKG, load_ontology

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
