"""Relation rules on small sentences, positive and negative, read from tests/data/sentences.jsonl."""

from __future__ import annotations

import json

import pytest
from conftest import DATA

from defence_kg.ingest.records import SYMMETRIC

CASES = [json.loads(line) for line in (DATA / "sentences.jsonl").read_text().splitlines() if line.strip()]


def triples(relations) -> set[tuple[str, str, str]]:
    out = set()
    for predicate, subject, object_ in relations:
        if predicate in SYMMETRIC:
            subject, object_ = sorted((subject, object_))
        out.add((predicate, subject, object_))
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_sentence(nlp, case):
    doc = nlp(case["text"])
    found = triples((r.predicate, r.subject.label, r.object.label) for r in doc._.relations)
    assert found == triples(case["relations"])


def test_relation_keeps_its_evidence(nlp):
    text = "Intro line.\n\nRussia delivered two S-400 squadrons to India last year."
    (relation,) = nlp(text)._.relations
    assert text[relation.start:relation.end] == relation.evidence == text.split("\n\n")[1]
    assert relation.rule == "supply-verb"
    assert 0 < relation.confidence <= 1
    assert dict(relation.attributes) == {"item": "S-400"}


def test_symmetric_group_gives_every_pair(nlp):
    doc = nlp("India, Japan, Australia and the United States conducted a joint exercise in the Bay of Bengal.")
    pairs = {frozenset((r.subject.label, r.object.label)) for r in doc._.relations if r.predicate == "exercisesWith"}
    assert len(pairs) == 6
