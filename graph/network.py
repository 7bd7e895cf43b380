"""The graph as a networkx network, built from SPARQL results (the store stays the one source).

Entity level: one node per party (person, country, organisation), plus the exercises and weapon
systems acts name (edges `exercise` and `item` from each party of the act); country level: one node
per country, each party counted for its country. Every act between two parties is one edge, keyed by
the act's IRI and carrying the relation, date, evidence and source, so GraphML exports open in
Gephi with everything an analyst needs to filter on.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import networkx as nx

from defence_kg.ingest.countries import countries
from defence_kg.ingest.records import DIRECTED, SYMMETRIC

from .rdf import country_iri
from .sparql import run, view_queries
from .store import Store

LEVELS = ("entity", "country")


def to_networkx(
    store: Store,
    level: str = "entity",
    predicates: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    countries_: Iterable[str] | None = None,
    rows: dict[str, list[list[str]]] | None = None,
) -> nx.MultiDiGraph:
    """A `MultiDiGraph` of the store's acts (a `MultiGraph` when only symmetric predicates are asked for),
    built from SPARQL results: nodes carry label, type and country, edges predicate, date, evidence,
    source and act; a symmetric relation's edge has `directed=False`.

    Filters: `predicates` (relation names), `since`/`until` (ISO dates, inclusive; undated acts are
    left out when either is given), `countries_` (ISO codes: acts with a party of one of them).
    `rows`: the view queries' answers (`view_rows`), when several views are drawn from one store.
    """
    if level not in LEVELS:
        raise ValueError(f"{level}: not a level ({', '.join(LEVELS)})")
    wanted = set(predicates) if predicates else None
    among = {c.upper() for c in countries_} if countries_ else None
    if rows is None:
        rows = view_rows(store, ("parties", "network", "things") if level == "entity" else ("parties", "network"))
    graph = nx.MultiDiGraph(level=level)
    node_of: dict[str, str] = {}
    code_of: dict[str, str] = {}
    for party, label, kind, code in rows["parties"]:
        code_of[party] = code
        if level == "entity":
            node_of[party] = party
            graph.add_node(party, **_present(label=label, type=kind, country=code))
        elif code in countries():
            node = str(country_iri(code))
            node_of[party] = node
            graph.add_node(node, label=countries()[code].label, type="Country", country=code)
    for act, s, o, relation, date, evidence, source in rows["network"]:
        a, b = node_of.get(s), node_of.get(o)
        if a is None or b is None or a == b or (wanted is not None and relation not in wanted):
            continue
        if not _in_period(date, since, until) or (among is not None and not ({code_of.get(s), code_of.get(o)} & among)):
            continue
        graph.add_edge(a, b, key=f"{act} {s} {o}", **_present(
            predicate=relation, directed=relation in DIRECTED, date=date, evidence=evidence, source=source, act=act,
        ))
    if level == "entity":
        _add_things(graph, rows["things"], node_of, wanted, since, until, among, code_of)
    if wanted is not None or since or until or among is not None:
        graph.remove_nodes_from(list(nx.isolates(graph)))
    if wanted is not None and wanted <= SYMMETRIC:
        return nx.MultiGraph(graph)  # only symmetric relations asked for: direction means nothing
    return graph


DOCUMENT_VIEWS = ("network", "things")  # the view queries that read document graphs only, not the derived graph


def view_rows(store: Store, names: Iterable[str] = ("parties", *DOCUMENT_VIEWS)) -> dict[str, list[list[str]]]:
    """The answers of the view queries, by name: read once, they serve every view of the same store.
    They run at the same time: the store evaluates them outside the GIL."""
    queries = view_queries()
    names = list(names)
    with ThreadPoolExecutor(max_workers=len(names) or 1) as pool:
        answers = pool.map(lambda name: run(store, queries[name]).rows, names)
        return dict(zip(names, answers, strict=True))


THING_RELATIONS = {"Exercise": "exercise", "Weapon": "item"}


def _add_things(graph: nx.MultiDiGraph, rows: list[list[str]], node_of: dict[str, str], wanted: set[str] | None,
                since: str | None, until: str | None, among: set[str] | None, code_of: dict[str, str]) -> None:
    """Exercises and weapon systems as nodes, each linked to the parties of the acts that name it."""
    for act, party, thing, label, kind, date, evidence, source in rows:
        relation = THING_RELATIONS[kind]
        if party not in node_of or (wanted is not None and relation not in wanted):
            continue
        if not _in_period(date, since, until) or (among is not None and code_of.get(party) not in among):
            continue
        graph.add_node(thing, label=label, type=kind)
        graph.add_edge(node_of[party], thing, key=f"{act} {party} {thing}", **_present(
            predicate=relation, directed=True, date=date, evidence=evidence, source=source, act=act))


def _in_period(date: str, since: str | None, until: str | None) -> bool:
    """Within [since, until]; an undated act is in no period, but in the view when none is asked for."""
    if not (since or until):
        return True
    return bool(date) and not (since and date < since) and not (until and date > until)


def _present(**attributes: object) -> dict[str, object]:
    """Attributes with a value: GraphML has no null."""
    return {k: v for k, v in attributes.items() if v not in (None, "")}


def write_graphml(store: Store, path: str | Path, level: str = "entity") -> nx.MultiDiGraph:
    graph = to_networkx(store, level)
    nx.write_graphml(graph, str(path))
    return graph
