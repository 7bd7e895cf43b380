"""Every bundled example yields exactly the relations a careful annotator would give it
(tests/data/examples.jsonl, written to ../shared/gold/GUIDELINES.md)."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, EXAMPLES
from test_relations import triples

from defence_kg.ingest import extract, read_documents

EXPECTED = {d["id"]: d["relations"] for d in map(json.loads, (DATA / "examples.jsonl").read_text().splitlines())}


@pytest.fixture(scope="module")
def extracted(nlp):
    return {document.id: found for document, found in extract(read_documents([EXAMPLES]), nlp)}


def test_every_example_has_expectations(extracted):
    assert set(extracted) == set(EXPECTED)


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_example(extracted, doc_id):
    found = triples((r.predicate, r.subject.label, r.object.label) for r in extracted[doc_id])
    assert found == triples(EXPECTED[doc_id])


def test_examples_cover_all_seven_predicates():
    predicates = {rel[0] for rels in EXPECTED.values() for rel in rels}
    assert predicates == {"meets", "invites", "coProduces", "exercisesWith", "supplies", "signsAgreementWith", "visits"}
