"""Each SHACL shape: the base graph conforms (with a focus node for every shape), and an edit that
breaks the shape is reported by that shape. Cases in tests/data/shapes/violations.jsonl."""

from __future__ import annotations

import json

import pytest
from conftest import DATA
from rdflib import Graph
from rdflib.namespace import SH

from defence_kg.graph.validate import inconsistencies, validate
from defence_kg.ontology import load_shapes

FOLDER = DATA / "shapes"
BASE = (FOLDER / "base.ttl").read_text()
PREFIXES = "\n".join(line for line in BASE.splitlines() if line.startswith("@prefix"))
CASES = [json.loads(line) for line in (FOLDER / "violations.jsonl").read_text().splitlines() if line.strip()]
SHAPES = sorted(str(s).rsplit("#", 1)[1] for s in load_shapes().subjects(SH.targetClass | SH.targetSubjectsOf, None))


def base() -> Graph:
    return Graph().parse(data=BASE, format="turtle")


def test_base_conforms_and_is_consistent():
    report = validate(base())
    assert report.conforms, report.violations
    assert inconsistencies(base()) == []


def test_every_shape_has_a_violation_case():
    assert {case["shape"] for case in CASES} == set(SHAPES)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['shape']}: {c['case']}" for c in CASES])
def test_violation_is_reported_by_its_shape(case):
    graph = base()
    removed = Graph().parse(data=PREFIXES + "\n" + case["remove"], format="turtle")
    assert len(removed) == (1 if case["remove"] else 0), "the triple to remove must parse"
    for triple in removed:
        assert triple in graph, f"not in the base graph: {triple}"
        graph.remove(triple)
    graph.parse(data=PREFIXES + "\n" + case["add"], format="turtle")
    report = validate(graph)
    assert not report.conforms
    assert {v.shape for v in report.violations} == {case["shape"]}


def test_a_person_typed_as_a_country_is_inconsistent():
    graph = base()
    graph.parse(data=PREFIXES + "\nid:person\\/rajnath-singh a dkg:Country .", format="turtle")
    assert inconsistencies(graph)
