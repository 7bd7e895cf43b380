"""The interactive HTML network: who cooperates with whom, from the store, offline and safe.

pyvis 0.3.2 is where vis-network comes from (its bundled `vis-network.min.js` and CSS are inlined),
but not its page template: that template links Bootstrap from a CDN, has inline `on...=` handlers,
and switches every tooltip to `innerHTML` once one title contains `href` (pyvis #228, #229). Here
every string from a document travels as JSON data in a `<script type="application/json">` block
(with `<`, `>`, `&`, U+2028 and U+2029 escaped) and reaches the page through `textContent` in our own
script (`page/network.js`); the page's Content-Security-Policy allows its two scripts and two styles
by hash and nothing else. Graphs over `LAYOUT_ABOVE` nodes get positions from networkx and no
physics, so large views open at once.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import networkx as nx

from .csp import source_hash
from .network import to_networkx
from .store import Store

LAYOUT_ABOVE = 300
STYLE = {
    "types": {
        "Person": {"shape": "dot", "colour": "#e07a5f"},
        "Country": {"shape": "diamond", "colour": "#3d405b"},
        "Organisation": {"shape": "square", "colour": "#81b29a"},
        "Exercise": {"shape": "triangle", "colour": "#e9c46a"},
        "Weapon": {"shape": "star", "colour": "#8d99ae"},
    },
    "relations": {
        "meets": "#e07a5f", "visits": "#9c6644", "invites": "#f2cc8f", "signsAgreementWith": "#457b9d",
        "exercisesWith": "#3d5a80", "coProduces": "#81b29a", "supplies": "#6d597a",
        "exercise": "#e9c46a", "item": "#8d99ae",
    },
}
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class ViewOptions:
    level: str = "country"
    predicates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    min_sources: int = 1
    size_by: str = "acts"
    title: str = "defence-kg: who cooperates with whom"


def view_data(graph: nx.MultiDiGraph, min_sources: int = 1, size_by: str = "acts") -> dict:
    """Nodes and one edge per pair and relation (its acts, dates and sources), ready for the page."""
    grouped: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        a, b = (u, v) if data.get("directed") or u <= v else (v, u)
        grouped[(a, b, data["predicate"])].append(data)
    edges, acts_of, partners = [], defaultdict(int), defaultdict(set)
    for number, ((a, b, relation), acts) in enumerate(sorted(grouped.items())):
        sources = {act.get("source", "") for act in acts}
        if len(sources) < min_sources:
            continue
        acts = sorted(acts, key=lambda act: act.get("date", ""))
        dates = [act["date"] for act in acts if act.get("date")]
        edges.append({
            "id": f"e{number}", "from": a, "to": b, "relation": relation, "directed": bool(acts[0].get("directed")),
            "count": len(acts), "sources": len(sources), "first": dates[0] if dates else "", "last": dates[-1] if dates else "",
            "acts": [{"date": act.get("date", ""), "evidence": act.get("evidence", ""), "source": act.get("source", "")} for act in acts],
        })
        for x, y in ((a, b), (b, a)):
            acts_of[x] += len(acts)
            partners[x].add(y)
    drawn = set(partners)
    positions = _layout(graph, drawn) if len(drawn) > LAYOUT_ABOVE else {}
    nodes = []
    for node in sorted(drawn):
        attributes = graph.nodes[node]
        item = {"id": node, "label": attributes.get("label", node), "type": attributes.get("type", "Organisation"),
                "country": attributes.get("country", ""), "degree": len(partners[node]), "acts": acts_of[node]}
        if node in positions:
            item["x"], item["y"] = positions[node]
        nodes.append(item)
    return {"nodes": nodes, "edges": edges, "style": STYLE, "sizeBy": size_by}


def _layout(graph: nx.MultiDiGraph, drawn: set[str]) -> dict[str, tuple[float, float]]:
    """Positions of the `drawn` nodes in screen units, so the browser needs no physics for a large graph."""
    simple = nx.Graph()
    simple.add_nodes_from(node for node in graph if node in drawn)
    # the shape only, filtered here: copying every edge's data, or a subgraph view's filters, costs more than the layout
    simple.add_edges_from((u, v) for u, v in graph.edges() if u in drawn and v in drawn)
    if len(simple) <= 1500:
        positions = nx.spring_layout(simple, seed=7, iterations=40)
    else:  # each spring iteration is quadratic: start from the spectral layout and refine a little
        positions = nx.spring_layout(simple, pos=nx.spectral_layout(simple), seed=7, iterations=12)
    scale = 60.0 * max(1.0, len(simple) ** 0.5)
    return {node: (round(x * scale, 1), round(y * scale, 1)) for node, (x, y) in positions.items()}


def _asset(path: str) -> str:
    return files(__package__).joinpath("page", path).read_text(encoding="utf-8")


def _vis(name: str) -> str:
    return files("pyvis").joinpath("lib", "vis-9.1.2", name).read_text(encoding="utf-8")


def page(data: dict, title: str) -> str:
    """The self-contained HTML page for `view_data`'s result."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES.items():  # no escape holds a character escaped after it
        payload = payload.replace(char, escape)
    parts = {"vis_css": _vis("vis-network.css"), "css": _asset("network.css"), "vis_js": _vis("vis-network.min.js"),
             "app_js": _asset("network.js"), "data": payload, "title": html_lib.escape(title)}
    parts["csp"] = (f"default-src 'none'; script-src {source_hash(parts['vis_js'])} {source_hash(parts['app_js'])}; "
                    f"style-src {source_hash(parts['vis_css'])} {source_hash(parts['css'])}; img-src data:; base-uri 'none'; form-action 'none'")
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("network.html"))  # one pass: nothing inserted is read again


def html(store: Store, options: ViewOptions = ViewOptions(), rows: dict[str, list[list[str]]] | None = None) -> str:
    """`rows`: the view queries' answers (`network.view_rows`), when several views are drawn from one store."""
    graph = to_networkx(store, options.level, options.predicates or None, options.since, options.until, options.countries or None, rows)
    return page(view_data(graph, options.min_sources, options.size_by), options.title)


def write_html(store: Store, path: str | Path, options: ViewOptions = ViewOptions(),
               rows: dict[str, list[list[str]]] | None = None) -> Path:
    path = Path(path)
    path.write_text(html(store, options, rows), encoding="utf-8")
    return path


def show(store: Store, options: ViewOptions = ViewOptions(), height: int = 700):
    """The view inside Jupyter: the page in a sandboxed iframe (its policy and scripts stay its own)."""
    from IPython.display import HTML

    document = html_lib.escape(html(store, options), quote=True)
    return HTML(f'<iframe srcdoc="{document}" style="width:100%;height:{height}px;border:0" '
                'sandbox="allow-scripts"></iframe>')
