"""Binding parameters by substitution, and finding SERVICE, with a lexer that skips IRIs, strings and comments."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from defence_kg.graph.sparqltext import SparqlTextError, mentions_service, substitute

IND = "<https://w3id.org/defence-kg/id/country/IND>"


@pytest.mark.parametrize("query, expected", [
    ("SELECT ?c ?n WHERE { ?c <p:name> ?n }", f"SELECT ({IND} AS ?c) ?n WHERE {{ {IND} <p:name> ?n }}"),
    ("SELECT ?n WHERE { ?c <p:name> ?n FILTER (?c != ?n) }", f"SELECT ?n WHERE {{ {IND} <p:name> ?n FILTER ({IND} != ?n) }}"),
    ("SELECT ?c (COUNT(?x) AS ?k) WHERE { ?x <p:in> ?c } GROUP BY ?c ORDER BY ?c DESC(?k)",
     f"SELECT ({IND} AS ?c) (COUNT(?x) AS ?k) WHERE {{ ?x <p:in> {IND} }} ORDER BY  DESC(?k)"),
    ("SELECT ?c (COUNT(?x) AS ?k) WHERE { ?x <p:in> ?c } GROUP BY ?c ?x ORDER BY ?c",
     f"SELECT ({IND} AS ?c) (COUNT(?x) AS ?k) WHERE {{ ?x <p:in> {IND} }} GROUP BY  ?x "),
    ("SELECT ?c ?k { { SELECT DISTINCT ?c ?k WHERE { ?k <p:in> ?c } } }",
     f"SELECT ({IND} AS ?c) ?k {{ {{ SELECT DISTINCT  ?k WHERE {{ ?k <p:in> {IND} }} }} }}"),
    ("SELECT * WHERE { ?x <p:note> '?c is a variable' . ?x <p:c> ?cc } # ?c here too",
     "SELECT * WHERE { ?x <p:note> '?c is a variable' . ?x <p:c> ?cc } # ?c here too"),
    ("ASK { GRAPH ?c { ?s ?p $c } }", f"ASK {{ GRAPH {IND} {{ ?s ?p {IND} }} }}"),
])
def test_substitute(query, expected):
    assert substitute(query, {"c": IND}) == expected


@pytest.mark.parametrize("query", ["SELECT ?x WHERE { BIND (1 AS ?c) }", "SELECT ?x WHERE { VALUES ?c { 1 } }",
                                   "SELECT ?x WHERE { VALUES (?a ?c) { (1 2) } }"])
def test_a_variable_the_query_assigns_cannot_be_bound(query):
    with pytest.raises(SparqlTextError, match=r"\?c is assigned by the query"):
        substitute(query, {"c": IND})


def test_a_hostile_value_stays_one_term():
    graph = Graph()
    graph.add((URIRef("https://x.test/a"), URIRef("https://x.test/name"), Literal("India")))
    hostile = Literal('India" } UNION { ?s ?p ?name } #')
    text = substitute("SELECT ?s WHERE { ?s <https://x.test/name> ?name }", {"name": hostile.n3()})
    assert list(graph.query(text)) == []
    assert list(graph.query(substitute("SELECT ?s WHERE { ?s <https://x.test/name> ?name }", {"name": Literal("India").n3()})))


@pytest.mark.parametrize("text, found", [
    ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ("select * where { service silent <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", True),
    ("SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * WHERE { FILTER (1 < 2) SERVICE <http://x/> { } FILTER (2 > 1) }", True),
    ("SELECT * WHERE { ?s <https://x.test/service> 'SERVICE' }", False),
    ("SELECT ?service WHERE { ?service a ?type } # SERVICE <http://x>", False),
    ("PREFIX service: <https://x.test/> SELECT * WHERE { ?s service:p ?o }", False),
    ("SELECT * WHERE { ?s ?p '''multi\nSERVICE''' }", False),
])
def test_mentions_service(text, found):
    assert mentions_service(text) is found
