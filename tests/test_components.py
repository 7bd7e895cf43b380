"""The pipeline's own components: sentence boundaries set ahead of the parser."""

from __future__ import annotations

import json

import pytest

from defence_kg.ingest.components import paragraphs

from conftest import DATA

CASES = [json.loads(line) for line in (DATA / "sentence_bounds.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_sentences(nlp, case):
    assert [s.text.strip() for s in nlp(case["text"]).sents] == case["sentences"]


@pytest.mark.parametrize("text", ["", "Delhi", "\n\n", "(A) b\n\nc d\n\nE f", "He said.) Then"])
def test_short_and_odd_texts(nlp, text):
    doc = paragraphs(nlp.make_doc(text))
    assert len(doc) == len(nlp.make_doc(text))
    if text == "(A) b\n\nc d\n\nE f":
        assert [t.is_sent_start for t in doc if t.text in ("c", "E")] == [False, True]
    if text == "He said.) Then":
        assert doc[-1].is_sent_start is None  # after a closing bracket that follows a full stop: the parser decides
