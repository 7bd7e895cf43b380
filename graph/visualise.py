"""The interactive HTML network (pyvis), built from the store by SPARQL.

The page inlines vis-network and drops pyvis's links to Bootstrap's CDN, so it opens offline.
Tooltips are plain text (vis-network shows a string title as text).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from pyvis.network import Network

from .sparql import run, view_queries
from .store import Store

NODE_STYLE = {  # party type -> (shape, colour)
    "Person": ("dot", "#e07a5f"),
    "Country": ("diamond", "#3d405b"),
    "Organisation": ("square", "#81b29a"),
}
EDGE_COLOUR = {
    "meets": "#e07a5f", "invites": "#f2cc8f", "visits": "#9c6644", "exercisesWith": "#3d5a80",
    "coProduces": "#81b29a", "supplies": "#6d597a", "signsAgreementWith": "#457b9d",
}
DIRECTED = {"invites", "supplies", "visits"}
_CDN_TAG = re.compile(r"<(link|script)\b[^>]*(?:href|src)=\"https?://[^\"]*\"[^>]*>(?:\s*</script>)?", re.S)


def network(store: Store) -> Network:
    """One node per party, one edge per pair and relation; the tooltip lists each act's evidence."""
    queries = view_queries()
    parties = {row[0]: (row[1], row[2]) for row in run(store, queries["parties"]).rows}
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line", heading="")
    acts: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    drawn: set[str] = set()
    for act, s, o, relation, date, evidence, _source in run(store, queries["network"]).rows:
        for node in (s, o):
            if node not in drawn:
                drawn.add(node)
                label, kind = parties.get(node, (node, ""))
                shape, colour = NODE_STYLE.get(kind, ("dot", "#999999"))
                net.add_node(node, label=label, title=f"{label} ({kind})", shape=shape, color=colour)
        acts[(s, o, relation)][act] = f"{date or 'undated'}: {evidence}"
    for (s, o, relation), by_act in acts.items():
        evidence = list(by_act.values())
        title = f"{relation} ({len(evidence)} act{'s' if len(evidence) > 1 else ''})\n" + "\n".join(evidence)
        net.add_edge(
            s, o, label=relation, title=title, value=len(evidence), color=EDGE_COLOUR.get(relation, "#999999"),
            arrows="to" if relation in DIRECTED else "",
        )
    net.toggle_physics(True)
    return net


def html(store: Store) -> str:
    """The page as one self-contained HTML string."""
    page = network(store).generate_html(notebook=False)
    return _CDN_TAG.sub("", page)


def write_html(store: Store, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(html(store), encoding="utf-8")
    return path
