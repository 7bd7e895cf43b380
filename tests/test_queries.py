"""Every library query, on the examples' graph, in the embedded store and behind a real `oxigraph serve`."""

from __future__ import annotations

import json
import re

import pytest
from conftest import DATA

from defence_kg.graph import sparql
from defence_kg.graph.remote import EndpointStore
from defence_kg.graph.rdf import ID
from defence_kg.graph.store import GraphStore

CASES = [json.loads(line) for line in (DATA / "queries.jsonl").read_text(encoding="utf-8").splitlines()]
UNORDERED = {"participants": ", ", "countries": ", ", "parties": ", ", "items": ", ", "sources": " "}  # GROUP_CONCAT


@pytest.fixture(scope="module", params=["embedded", "endpoint"])
def store(request, built):
    if request.param == "embedded":
        with GraphStore(built / "store") as s:
            yield s
    else:
        yield EndpointStore(request.getfixturevalue("endpoint"))


def _cell(column: str, value: str) -> str:
    if column in UNORDERED and value:
        value = UNORDERED[column].join(sorted(value.split(UNORDERED[column])))
    return value.replace(str(ID), "id:")


def test_every_library_query_has_a_case():
    assert {case["query"] for case in CASES} == set(sparql.library()) | set(sparql.view_queries())


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['query']}-{'-'.join(c['params'].values()) or 'all'}")
def test_library_query_rows(store, case):
    table = sparql.run(store, case["query"], case["params"])
    columns = [table.columns.index(c) for c in case["columns"]]
    rows = [[_cell(c, row[i]) for c, i in zip(case["columns"], columns, strict=True)] for row in table.rows]
    assert rows == case["rows"]


def test_every_parameter_is_declared_and_used():
    for query in sparql.library().values():
        for param in query.params:
            assert f"?{param.name} " in query.text, (query.name, param.name)
            assert param.help, (query.name, param.name)


@pytest.mark.parametrize("params, message", [
    ({"country": "Atlantis"}, "country=Atlantis: not a country"),
    ({"nation": "India"}, "nation: not a parameter of partners (country)"),
])
def test_bad_parameters_are_named(store, params, message):
    with pytest.raises(sparql.QueryError, match=re.escape(message)):
        sparql.run(store, "partners", params)


def test_an_ambiguous_name_lists_the_candidates(store):
    with pytest.raises(sparql.QueryError, match=r"subject=navy: ambiguous, \d+ parties match \(aus-navy, "):
        sparql.run(store, "facts", {"subject": "navy"})


def test_a_value_is_bound_not_pasted(store):
    """A quote or brace in a value cannot change the query: it is one term, and matches nothing."""
    table = sparql.run(store, "SELECT ?name WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?name }",
                       {"name": 'India" } UNION { ?p ?x ?name'})
    assert table.rows == []
