"""The HTML network: every party drawn, every script inline (opens offline)."""

from __future__ import annotations

import json
import re

from defence_kg.graph.store import GraphStore
from defence_kg.graph.visualise import network


def test_page_is_self_contained(built):
    page = (built / "graph.html").read_text()
    assert not re.search(r"<(script|link)\b[^>]*(src|href)=\"https?:", page)
    assert "vis.Network" in page and "new vis.DataSet" in page


def test_every_party_and_relation_is_drawn(built):
    with GraphStore(built / "store") as store:
        net = network(store)
        parties = {row[0] for row in store.query(
            "SELECT DISTINCT ?label WHERE { ?act dkg:participant|dkg:subject|dkg:object ?p . ?p rdfs:label ?label }"
        )}
    labels = {node["label"] for node in net.nodes}
    assert {str(p) for p in parties} == labels
    assert {"Rajnath Singh", "Sergei Shoigu", "Indian Navy", "Russian Navy"} <= labels
    edges = {(e["label"]) for e in net.edges}
    assert edges == {"meets", "invites", "visits", "exercisesWith", "supplies", "coProduces", "signsAgreementWith"}
    page = (built / "graph.html").read_text()
    assert json.dumps("Sergei Shoigu")[1:-1] in page
