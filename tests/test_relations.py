"""Relation rules on small sentences, positive and negative, read from tests/data/sentences.jsonl."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, texts_by_source
from spacy.matcher import DependencyMatcher

from defence_kg.ingest.records import SYMMETRIC
from defence_kg.ingest.relations import TreeMatcher

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


def test_the_tree_matcher_finds_what_spacys_dependency_matcher_finds(nlp):
    """On sentences (one tree each, as the rules run) and whole documents (a tree per sentence)."""
    patterns = nlp.get_pipe("dkg_relations").patterns
    ours, stock = TreeMatcher(nlp.vocab, validate=True), DependencyMatcher(nlp.vocab, validate=True)
    for name, pattern in patterns.items():
        ours.add(name, [pattern])
        stock.add(name, [pattern])
    found = 0
    for _, texts in texts_by_source():
        for doc in nlp.pipe(texts):
            for part in [doc, *(sentence.as_doc() for sentence in doc.sents)]:
                expected = stock(part)
                assert ours(part) == expected
                found += len(expected)
    assert found > 300
