"""Network measures on a small graph with known answers, and on the examples' graph against SPARQL."""

from __future__ import annotations

import networkx as nx
import pytest

from defence_kg.graph import analysis, sparql
from defence_kg.graph.network import to_networkx
from defence_kg.graph.rdf import country_iri
from defence_kg.graph.store import GraphStore


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    """A-B meet (2020), exercise (2021) and supply each other (2021, 2022); A-C and C-D meet (2022); D visits A (undated)."""
    g = nx.MultiDiGraph()
    for node in "ABCD":
        g.add_node(node, label=f"Country {node}", type="Country")
    for u, v, predicate, date in [("A", "B", "meets", "2020-03-01"), ("A", "B", "exercisesWith", "2021-05-01"),
                                  ("A", "B", "supplies", "2021-06-01"), ("B", "A", "supplies", "2022-01-01"),
                                  ("A", "C", "meets", "2022-02-01"), ("C", "D", "meets", "2022-07-01"), ("D", "A", "visits", "")]:
        g.add_edge(u, v, predicate=predicate, date=date, source=f"doc-{u}{v}")
    return g


def test_degrees(graph):
    table = analysis.degrees(graph)
    assert table[["label", "partners", "acts"]].values.tolist() == [
        ["Country A", 3, 6], ["Country B", 1, 4], ["Country C", 2, 2], ["Country D", 2, 2]]


def test_betweenness(graph):
    scores = dict(zip(analysis.betweenness(graph)["label"], analysis.betweenness(graph)["betweenness"], strict=True))
    assert scores == pytest.approx({"Country A": 2 / 3, "Country B": 0, "Country C": 0, "Country D": 0})


def test_partner_ranking(graph):
    table = analysis.partner_ranking(graph, "A")
    assert table[["label", "acts", "meets", "exercisesWith", "supplies", "visits"]].values.tolist() == [
        ["Country B", 4, 1, 1, 2, 0], ["Country C", 1, 1, 0, 0, 0], ["Country D", 1, 0, 0, 0, 1]]


def test_communities(graph):
    table = analysis.communities(graph)
    groups = table.groupby("community")["node"].apply(set).tolist()
    assert sorted(groups, key=sorted) == [{"A", "B"}, {"C", "D"}]


def test_ego(graph):
    around = analysis.ego(graph, "C")
    assert set(around) == {"A", "C", "D"}
    assert sorted((u, v, d["predicate"]) for u, v, d in around.edges(data=True)) == [
        ("A", "C", "meets"), ("C", "D", "meets"), ("D", "A", "visits")]


def test_intensity(graph):
    assert analysis.intensity(graph, "B", "A").values.tolist() == [
        [2020, "meets", 1], [2021, "exercisesWith", 1], [2021, "supplies", 1], [2022, "supplies", 1]]


def test_reciprocity(graph):
    assert analysis.reciprocity(graph, "supplies").values.tolist() == [["Country A", "Country B", 1, 1, True]]
    graph.remove_edge("B", "A")
    assert analysis.reciprocity(graph, "supplies").values.tolist() == [["Country A", "Country B", 1, 0, False]]
    with pytest.raises(ValueError, match="meets: not a directed relation"):
        analysis.reciprocity(graph, "meets")


def test_new_partners(graph):
    assert analysis.new_partners(graph, 2022).values.tolist() == [["Country A", "Country C", 2022], ["Country C", "Country D", 2022]]
    assert analysis.new_partners(graph, 2021).empty


def test_the_examples_agree_with_sparql(built):
    with GraphStore(built / "store") as store:
        graph = to_networkx(store, "country")
        expected = {row[3]: int(row[4]) for row in sparql.run(store, "partners", {"country": "India"}).rows}
        symmetric = to_networkx(store, "entity", predicates=["meets", "exercisesWith"])
    ranking = analysis.partner_ranking(graph, str(country_iri("IND")))
    assert dict(zip(ranking["label"], ranking["acts"], strict=True)) == expected
    assert isinstance(symmetric, nx.MultiGraph) and not symmetric.is_directed()
    timeline = analysis.intensity(graph, str(country_iri("IND")), str(country_iri("RUS")))
    assert timeline[timeline.year == 2021].values.tolist() == [[2021, "coProduces", 1], [2021, "meets", 1], [2021, "visits", 1]]
