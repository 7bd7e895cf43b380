"""Registered spaCy components of defence-kg. Extensions are registered inside the factories so
that worker processes (`n_process > 1`) have them too (spaCy #4903)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

if TYPE_CHECKING:
    from .attributes import TagAttributes
    from .relations import RelationExtractor
    from .resolve import PartyResolver


def _extension(name: str, default: object) -> None:
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=default)


SENTENCE_END = frozenset(".!?;:…")


def _closes_sentence(token) -> bool:
    """A quote or bracket after terminal punctuation ('... he said.)'), not one inside a sentence
    ("Chief of Army Staff (COAS) General ...")."""
    if not (token.is_quote or token.is_bracket) or token.i == 0:
        return False
    before = token.doc[token.i - 1]
    return bool(set(before.text[-1:]) & SENTENCE_END) or before.is_quote or before.is_bracket


@Language.component("dkg_paragraphs", assigns=["token.is_sent_start"])
def paragraphs(doc: Doc) -> Doc:
    """Sentence boundaries the parser may not move. A blank line ends a sentence unless the next
    paragraph goes on in lower case (a sentence broken across lines, as copied releases often are);
    elsewhere a sentence starts only after a line break or terminal punctuation, which keeps the
    parser from cutting "Raksha | Mantri" apart."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if token.is_space:
            continue
        if previous.is_space and "\n" in previous.text:
            if previous.text.count("\n") >= 2:
                token.is_sent_start = not token.text[:1].islower()
        elif not (set(previous.text[-1:]) & SENTENCE_END or _closes_sentence(previous)):
            token.is_sent_start = False
    return doc


@Language.factory("dkg_tag_attributes", assigns=["token.pos", "token.morph", "token.lemma"], requires=["token.tag"])
def make_tag_attributes(nlp: Language, name: str, ruler: str = "attribute_ruler") -> "TagAttributes":
    """The patterns of the pipeline's `ruler` (which the caller then disables), by table lookup."""
    from .attributes import TagAttributes

    return TagAttributes(nlp.get_pipe(ruler))


@Language.factory("dkg_parties", assigns=["doc._.mentions", "doc._.entities"], requires=["doc.ents"])
def make_parties(nlp: Language, name: str) -> "PartyResolver":
    from . import places
    from .resolve import PartyResolver

    places.load()
    _extension("mentions", [])
    _extension("entities", {})
    return PartyResolver()


@Language.factory(
    "dkg_relations",
    assigns=["doc._.relations"],
    requires=["doc._.mentions", "token.dep"],
    default_config={"min_confidence": 0.5},
)
def make_relations(nlp: Language, name: str, min_confidence: float) -> "RelationExtractor":
    from .relations import RelationExtractor

    _extension("relations", [])
    return RelationExtractor(nlp.vocab, min_confidence=min_confidence)
