"""The lookup in place of the model's attribute ruler gives the same annotations, token for token."""

from __future__ import annotations

import pytest
import spacy
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from defence_kg.ingest.attributes import TagAttributes, UnsupportedPattern
from defence_kg.ingest.pipeline import load_pipeline

from conftest import pipeline_with_stock, texts_by_source

UP_TO_LEMMAS = ["tok2vec", "tagger", "dkg_paragraphs", "parser", "lemmatizer"]


@pytest.fixture(scope="module")
def stock():
    """Our pipeline with the model's own attribute ruler back in place of the lookup."""
    return pipeline_with_stock("attribute_ruler", "dkg_tag_attributes")


def _annotations(nlp: spacy.Language, ruler: str, texts: list[str]) -> list[list[tuple[str, str, str, str]]]:
    with nlp.select_pipes(enable=[*UP_TO_LEMMAS, ruler]):
        return [[(t.text, t.pos_, str(t.morph), t.lemma_) for t in doc] for doc in nlp.pipe(texts)]


def test_the_lookup_replaces_the_stock_ruler(nlp):
    assert "dkg_tag_attributes" in nlp.pipe_names
    assert "attribute_ruler" in nlp.disabled


@pytest.mark.parametrize(("name", "texts"), texts_by_source(), ids=[name for name, _ in texts_by_source()])
def test_same_annotations_as_the_stock_ruler(nlp, stock, name, texts):
    assert _annotations(nlp, "dkg_tag_attributes", texts) == _annotations(stock, "attribute_ruler", texts)


def _tagged(nlp: spacy.Language, words: list[str], tags: list[str], deps: list[str]) -> Doc:
    return Doc(nlp.vocab, words=words, tags=tags, deps=deps, heads=[0] * len(words))


def test_order_sequences_and_operators_as_the_stock_ruler():
    """Later patterns win; a sequence sets the token at its index; IN, NOT_IN and REGEX read as spaCy reads them."""
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN", "MORPH": "Number=Sing"})
    ruler.add([[{"TAG": "NN", "LOWER": {"IN": ["talks", "meeting"]}}]], {"POS": "VERB"})
    ruler.add([[{"LOWER": {"REGEX": "^gon$"}}, {"LOWER": "na"}]], {"LEMMA": "to"}, index=-1)
    ruler.add([[{"TAG": {"NOT_IN": ["NN"]}, "DEP": "nsubj"}]], {"LEMMA": "subject"})
    ruler.add([[{"TAG": "NN"}]], {"MORPH": "Number=Plur"})
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}], [{"LOWER": "gon"}, {"LOWER": {"REGEX": "^n"}}]], {"LEMMA": "go"})  # both at once
    words, tags, deps = ["meeting", "gon", "na", "talks", "Shoigu"], ["NN", "VBG", "TO", "NN", "NNP"], ["ROOT", "aux", "aux", "dobj", "nsubj"]
    expected = ruler(_tagged(nlp, words, tags, deps))
    found = TagAttributes(ruler)(_tagged(nlp, words, tags, deps))
    seen = [[(t.pos_, str(t.morph), t.lemma_) for t in doc] for doc in (expected, found)]
    assert seen[0] == seen[1]
    assert seen[1][0] == ("VERB", "Number=Plur", "") and seen[1][2][2] == "to" and seen[1][4][2] == "subject"
    assert seen[1][1][2] == "go"


def test_a_pattern_it_cannot_decide_is_refused():
    ruler = AttributeRuler(spacy.blank("en").vocab)
    ruler.add([[{"TAG": "NN", "OP": "+"}]], {"POS": "NOUN"})
    with pytest.raises(UnsupportedPattern):
        TagAttributes(ruler)


def test_a_model_whose_rules_the_lookup_cannot_decide_keeps_its_own_ruler(monkeypatch):
    def refuse(self, ruler):
        raise UnsupportedPattern("quantifier")

    monkeypatch.setattr(TagAttributes, "__init__", refuse)
    nlp = load_pipeline()
    assert "attribute_ruler" in nlp.pipe_names and "dkg_tag_attributes" not in nlp.pipe_names
    assert nlp("He met them.")[1].pos_ == "VERB"
