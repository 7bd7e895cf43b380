"""The pipeline's own components: sentence boundaries set ahead of the parser, the ruler's labels
hidden from `ner`, and `ner` decoded by its beam at width 1."""

from __future__ import annotations

import json

import pytest
import spacy

from defence_kg.ingest import MODEL
from defence_kg.ingest.components import BeamDecodedEntities, DomainRuler, paragraphs
from defence_kg.ingest.patterns import entity_patterns

from conftest import DATA, pipeline_with_stock, texts_by_source

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


@pytest.fixture(scope="module")
def greedy():
    """Our pipeline with the model's `ner` and its greedy decoding back in place."""
    return pipeline_with_stock("ner", "dkg_beam_entities")


def _entities(nlp: spacy.Language, texts: list[str]) -> list[list[tuple[str, str, str]]]:
    upto = nlp.pipe_names[:nlp.pipe_names.index("dkg_show_ruler_labels") + 1]
    with nlp.select_pipes(enable=upto):
        return [[(t.ent_iob_, t.ent_type_, t.ent_id_) for t in doc] for doc in nlp.pipe(texts, batch_size=8)]


def test_ner_is_decoded_by_the_beam(nlp):
    assert "ner" in nlp.disabled
    assert nlp.pipe_names.index("dkg_hide_ruler_labels") < nlp.pipe_names.index("dkg_beam_entities") < nlp.pipe_names.index("dkg_show_ruler_labels")


@pytest.mark.parametrize(("name", "texts"), texts_by_source(), ids=[name for name, _ in texts_by_source()])
def test_same_entities_as_the_greedy_decoder(nlp, greedy, name, texts):
    assert _entities(nlp, texts) == _entities(greedy, texts)


def test_same_entities_as_the_bare_model():
    """Without our ruler's preset spans too: the stock model's `ner` against itself, beam-decoded."""
    stock = spacy.load(MODEL)
    texts = [text for _, group in texts_by_source() for text in group]
    expected = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in stock.pipe(texts)]
    beam = BeamDecodedEntities(stock.get_pipe("ner"))
    with stock.select_pipes(disable=["ner"]):
        docs = list(beam.pipe(stock.pipe(texts), batch_size=16))
    assert [[(e.start, e.end, e.label_) for e in doc.ents] for doc in docs] == expected
    assert sum(map(len, expected)) > 100


def test_a_long_document_is_decoded_greedily_with_the_same_entities(nlp, greedy):
    """Past `BeamDecodedEntities.LONGEST` tokens the greedy loop decodes (the beam's copies grow with the document)."""
    texts = [text for _, group in texts_by_source() for text in group]
    long = "\n\n".join(texts * (1 + 60_000 // sum(map(len, texts))))
    assert len(nlp.make_doc(long)) > BeamDecodedEntities.LONGEST
    assert _entities(nlp, [long]) == _entities(greedy, [long])


def test_empty_documents_keep_their_place(nlp):
    texts = ["", "Rajnath Singh met Sergei Shoigu in Moscow.", " ", "\n\n", "India"]
    docs = list(nlp.pipe(texts, batch_size=2))
    assert [d.text for d in docs] == texts
    assert [e.text for e in docs[1].ents] == ["Rajnath Singh", "Sergei Shoigu", "Moscow"]
    assert not docs[0].ents and not docs[2].ents


def _ruled(ruler, texts: list[str]) -> list[list[tuple[int, int, str, str]]]:
    return [[(e.start, e.end, e.label_, e.ent_id_) for e in ruler(ruler.nlp.make_doc(text)).ents] for text in texts]


def _rulers(patterns: list[dict]) -> tuple[DomainRuler, object]:
    nlp = spacy.blank("en")
    ours = DomainRuler(nlp, "ours")
    ours.add_patterns(patterns)
    stock = nlp.add_pipe("entity_ruler", config={"validate": False})
    stock.add_patterns(patterns)
    return ours, stock


def test_the_domain_ruler_finds_what_spacys_finds():
    """The domain patterns, on texts with and without the words the token patterns need."""
    ours, stock = _rulers(entity_patterns())
    texts = [text for _, group in texts_by_source() for text in group] + [
        "INS Sahyadri and HMAS Ballarat sailed with the Malabar naval exercise in the Bay of Bengal.",
        "Yudh Abhyas 2022 followed; the JIMEX drills did not.",
        "India and Russia signed an agreement on AK-203 rifles.",
    ]
    assert _ruled(ours, texts) == _ruled(stock, texts)
    assert [[ent_id for *_, ent_id in doc] for doc in _ruled(ours, texts[-3:])] == [
        ["ship/IND", "ship/AUS", "exercise/malabar"], ["exercise/yudh-abhyas", "exercise/jimex"],
        ["country/IND", "country/RUS", "weapon/ak-203"]]


def test_the_domain_ruler_skips_only_where_nothing_can_match():
    ours, stock = _rulers([{"label": "SHIP", "pattern": [{"TEXT": "INS"}, {"IS_TITLE": True, "OP": "+"}]},
                           {"label": "EXERCISE", "pattern": [{"LOWER": "exercise", "OP": "?"}, {"TEXT": "Indra"}]}])
    assert sorted(ours.nlp.vocab.strings[h] for h in ours.anchors) == ["INS", "Indra"]
    texts = ["INS Vikrant sailed.", "the exercise Indra began", "Indra", "no ship here", "ins vikrant"]
    assert _ruled(ours, texts) == _ruled(stock, texts)
    assert [len(doc) for doc in _ruled(ours, texts)] == [1, 1, 1, 0, 0]
    ours.add_patterns([{"label": "X", "pattern": [{"LOWER": "ship"}]}])  # no verbatim word: never skipped
    assert ours.anchors is None
    assert _ruled(ours, ["no ship here"]) == [[(1, 2, "X", "")]]
