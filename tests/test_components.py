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


@pytest.mark.parametrize(("text", "starts"), [
    ("", []),
    ("Delhi", [True]),
    ("\n\n", [True]),
    # a blank line before lower case goes on; before upper case it starts; a bracket inside a sentence does not end it
    ("(A) b\n\nc d\n\nE f", [True, False, False, False, None, False, False, None, True, False]),
    # after a bracket that closes a sentence ('said.)') the parser decides
    ("He said.) Then", [True, False, False, None, None]),
])
def test_short_and_odd_texts(nlp, text, starts):
    assert [t.is_sent_start for t in paragraphs(nlp.make_doc(text))] == starts


def test_ner_learns_no_labels_from_the_ruler(nlp):
    """The ruler's labels are hidden from `ner` and given back after it: `ner` keeps the model's own
    transitions (spaCy would add some for every new label, and run a fifth slower)."""
    doc = nlp("Raksha Mantri Shri Rajnath Singh met Russian Defence Minister Sergei Shoigu during the Indra exercise.")
    labels = {e.text: (e.label_, e.ent_id_) for e in doc.ents}
    assert labels["Raksha Mantri"] == ("POST", "post/ind-defence-minister")
    assert labels["Russian"] == ("DEMONYM", "country/RUS")
    assert labels["Indra exercise"][0] == "EXERCISE"
    assert labels["Sergei Shoigu"] == ("PERSON", "")
    assert not {"POST", "DEMONYM", "COUNTRY", "EXERCISE", "WEAPON", "SHIP"} & set(nlp.get_pipe("ner").labels)
    assert not doc._.hidden_labels
