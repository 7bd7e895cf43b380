"""The network view's data and page, without a browser (tests/test_viz_browser.py opens it in Chromium)."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import networkx as nx
import pytest

from defence_kg.graph.network import to_networkx, view_rows
from defence_kg.graph.store import GraphStore
from defence_kg.graph.visualise import LAYOUT_ABOVE, ViewOptions, html, page, show, view_data


@pytest.fixture(scope="module")
def store(built):
    with GraphStore(built / "store") as s:
        yield s


def test_build_writes_both_views(built):
    for name in ("graph.html", "parties.html"):
        text = (built / name).read_text()
        assert not re.search(r"\b(src|href)\s*=", text.split('id="graph-data"')[0])
        assert "vis.Network" in text and "Content-Security-Policy" in text


def test_every_party_and_relation_is_drawn(store):
    data = view_data(to_networkx(store, "entity"))
    parties = {str(row.label) for row in store.query(
        "SELECT DISTINCT ?label WHERE { GRAPH ?g { ?act dkg:participant|dkg:subject|dkg:object ?p . ?p rdfs:label ?label } }")}
    assert {n["label"] for n in data["nodes"] if n["type"] in ("Person", "Country", "Organisation")} == parties
    things = {(n["label"], n["type"]) for n in data["nodes"] if n["type"] in ("Exercise", "Weapon")}
    assert things == {("Indra 2020", "Exercise"), ("Malabar 2023", "Exercise"), ("AK-203", "Weapon"), ("Rafale", "Weapon"),
                      ("S-400", "Weapon"), ("MH-60R", "Weapon"), ("weapon systems", "Weapon")}
    assert {e["relation"] for e in data["edges"]} == {
        "meets", "invites", "visits", "exercisesWith", "supplies", "coProduces", "signsAgreementWith", "exercise", "item"}
    singh_shoigu = [e for e in data["edges"] if e["relation"] == "meets" and {e["from"], e["to"]} == {
        "https://w3id.org/defence-kg/id/person/rajnath-singh", "https://w3id.org/defence-kg/id/person/sergei-shoigu"}]
    assert [(e["count"], e["sources"], e["first"], e["last"]) for e in singh_shoigu] == [(2, 2, "2020-09-03", "2021-12-06")]


def test_country_level_and_filters(store):
    graph = to_networkx(store, "country")
    assert all(graph.nodes[n]["type"] == "Country" for n in graph)
    only = to_networkx(store, "country", predicates=["supplies"], since="2023-01-01")
    assert {d["predicate"] for *_, d in only.edges(data=True)} == {"supplies"}
    assert all(d["date"] >= "2023-01-01" for *_, d in only.edges(data=True))
    assert {only.nodes[n]["label"] for n in only} == {"India", "France", "United States", "Russia"}
    poland = to_networkx(store, "entity", countries_=["POL"])
    assert {poland.nodes[n]["label"] for n in poland} == {"Poland", "Kim Yong-hyun", "Wladyslaw Kosiniak-Kamysz"}


def test_min_sources_keeps_edges_reported_twice(store):
    data = view_data(to_networkx(store, "entity", predicates=["meets", "coProduces", "supplies"]), min_sources=2)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    reported_twice = {(labels[e["from"]], e["relation"], labels[e["to"]], e["sources"]) for e in data["edges"]}
    assert reported_twice == {("Rajnath Singh", "meets", "Sergei Shoigu", 2), ("India", "coProduces", "Russia", 2),
                              ("Russia", "supplies", "India", 2)}


def test_data_cannot_close_its_script_block():
    data = {"nodes": [{"label": "</script><script>alert(1)</script>\u2028"}], "edges": [], "style": {}, "sizeBy": "acts"}
    text = page(data, "t")
    block = text.split('<script type="application/json" id="graph-data">')[1].split("</script>")[0]
    assert "<" not in block and "\u2028" not in block
    assert json.loads(block) == data


def test_placeholders_are_filled_once():
    text = page({"nodes": [{"label": "{{app_js}} {{csp}}"}], "edges": [], "style": {}, "sizeBy": "acts"}, "{{title}}")
    assert "{{app_js}} {{csp}}" in text and text.count("The defence-kg network view") == 1
    assert "<title>{{title}}</title>" in text


def test_the_policy_allows_exactly_the_inline_scripts_and_styles():
    text = page({"nodes": [], "edges": [], "style": {}, "sizeBy": "acts"}, "t")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)
    assert "default-src 'none'" in policy and "unsafe" not in policy
    for tag in ("script", "style"):
        for body in re.findall(rf"<{tag}>(.*?)</{tag}>", text, re.S):
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", text.split('id="graph-data"')[0], re.I)


def test_large_graphs_are_laid_out_in_python():
    graph = nx.MultiDiGraph()
    for n in range(LAYOUT_ABOVE + 50):
        graph.add_node(f"n{n}", label=f"N{n}", type="Country")
    for n in range(LAYOUT_ABOVE + 49):
        graph.add_edge(f"n{n}", f"n{n + 1}", predicate="meets", directed=False, date="2024-01-01", source="s")
    data = view_data(graph)
    assert all("x" in node and "y" in node for node in data["nodes"])
    small = view_data(graph.subgraph([f"n{n}" for n in range(10)]))
    assert not any("x" in node for node in small["nodes"])


def test_show_in_a_notebook(store):
    shown = show(store, ViewOptions(level="country"))
    markup = shown.data
    assert markup.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in markup
    assert "&lt;script&gt;" in markup and "<script>" not in markup
    assert html(store, ViewOptions(level="country")) != ""


@pytest.mark.parametrize("level", ["entity", "country"])
def test_pages_from_rows_read_once_are_the_same(store, level):
    """The build reads the view queries once for both pages; each page is what reading them itself gives."""
    rows = view_rows(store)
    assert rows["network"] and rows["parties"] and rows["things"]
    assert html(store, ViewOptions(level=level), rows) == html(store, ViewOptions(level=level))
