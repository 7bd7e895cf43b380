"""Measures of the cooperation network, as plain functions over the graph `network.to_networkx` builds
(networkx style); tabular answers are pandas DataFrames.

Every edge of that graph is one act between two parties (or countries), with its `predicate`,
`date` and `source`; the measures count acts, partners and years from those edges.

>>> from defence_kg.graph.network import to_networkx
>>> graph = to_networkx(store, level="country")               # doctest: +SKIP
>>> partner_ranking(graph, "https://w3id.org/defence-kg/id/country/IND").head()   # doctest: +SKIP
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx
import pandas as pd

from defence_kg.ingest.records import DIRECTED, PREDICATES


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node].get("label", node)


def simple(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected graph of who has any act with whom, each edge weighted by its number of acts."""
    out = nx.Graph()
    out.add_nodes_from(graph.nodes(data=True))
    for u, v in graph.edges():
        if u != v:
            weight = out.get_edge_data(u, v, {"weight": 0})["weight"]
            out.add_edge(u, v, weight=weight + 1)
    return out


def degrees(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Per node: partners (degree), acts (weighted degree), most first."""
    flat = simple(graph)
    rows = [{"node": n, "label": _label(graph, n), "type": graph.nodes[n].get("type", ""),
             "partners": flat.degree(n), "acts": flat.degree(n, weight="weight")} for n in flat]
    frame = pd.DataFrame(rows, columns=["node", "label", "type", "partners", "acts"])
    return frame.sort_values(["acts", "partners", "label"], ascending=[False, False, True], ignore_index=True)


def betweenness(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Betweenness centrality on the who-with-whom graph (unweighted: a tie is a tie)."""
    flat = simple(graph)
    scores = nx.betweenness_centrality(flat, normalized=True)
    frame = pd.DataFrame([{"node": n, "label": _label(graph, n), "betweenness": s} for n, s in scores.items()],
                         columns=["node", "label", "betweenness"])
    return frame.sort_values(["betweenness", "label"], ascending=[False, True], ignore_index=True)


def partner_ranking(graph: nx.MultiDiGraph, node: str) -> pd.DataFrame:
    """The partners of `node` ranked by number of acts, with the acts of each predicate."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for u, v, data in graph.edges(data=True):
        if node in (u, v) and u != v:
            counts[v if u == node else u][data["predicate"]] += 1
    rows = [{"partner": p, "label": _label(graph, p), "acts": sum(c.values()), **{k: c.get(k, 0) for k in PREDICATES}}
            for p, c in counts.items()]
    frame = pd.DataFrame(rows, columns=["partner", "label", "acts", *PREDICATES])
    return frame.sort_values(["acts", "label"], ascending=[False, True], ignore_index=True)


def communities(graph: nx.MultiDiGraph, seed: int = 7) -> pd.DataFrame:
    """Louvain communities of the act-weighted who-with-whom graph: one row per node, largest community first."""
    flat = simple(graph)
    found = sorted(nx.community.louvain_communities(flat, weight="weight", seed=seed), key=lambda c: (-len(c), sorted(c)))
    rows = [{"community": i, "node": n, "label": _label(graph, n)} for i, members in enumerate(found) for n in sorted(members)]
    return pd.DataFrame(rows, columns=["community", "node", "label"])


def ego(graph: nx.MultiDiGraph, node: str, radius: int = 1) -> nx.MultiDiGraph:
    """The party and everyone within `radius` acts of it, with every act among them."""
    return graph.subgraph(nx.ego_graph(simple(graph), node, radius=radius)).copy()


def intensity(graph: nx.MultiDiGraph, a: str, b: str) -> pd.DataFrame:
    """Acts per year and predicate between two nodes (undated acts left out)."""
    counts: Counter = Counter()
    for u, v, data in graph.edges(data=True):
        if {u, v} == {a, b} and data.get("date"):
            counts[(int(data["date"][:4]), data["predicate"])] += 1
    rows = [{"year": y, "predicate": p, "acts": n} for (y, p), n in sorted(counts.items())]
    return pd.DataFrame(rows, columns=["year", "predicate", "acts"])


def reciprocity(graph: nx.MultiDiGraph, predicate: str = "supplies") -> pd.DataFrame:
    """For a directed predicate, each pair's acts each way and whether both ways occur."""
    if predicate not in DIRECTED:
        raise ValueError(f"{predicate}: not a directed relation ({', '.join(sorted(DIRECTED))})")
    counts: Counter = Counter((u, v) for u, v, data in graph.edges(data=True) if data["predicate"] == predicate and u != v)
    rows = []
    for a, b in sorted({tuple(sorted(pair)) for pair in counts}):
        forward, back = counts[(a, b)], counts[(b, a)]
        rows.append({"a": _label(graph, a), "b": _label(graph, b), "a_to_b": forward, "b_to_a": back,
                     "reciprocal": forward > 0 and back > 0})
    return pd.DataFrame(rows, columns=["a", "b", "a_to_b", "b_to_a", "reciprocal"])


def new_partners(graph: nx.MultiDiGraph, year: int) -> pd.DataFrame:
    """Pairs whose first dated act falls in `year`: who gained which partner that year."""
    first: dict[tuple[str, str], int] = {}
    for u, v, data in graph.edges(data=True):
        if u != v and data.get("date"):
            pair = tuple(sorted((u, v)))
            first[pair] = min(first.get(pair, 9999), int(data["date"][:4]))
    rows = [{"a": _label(graph, a), "b": _label(graph, b), "first_year": y} for (a, b), y in sorted(first.items()) if y == year]
    return pd.DataFrame(rows, columns=["a", "b", "first_year"]).sort_values(["a", "b"], ignore_index=True)
