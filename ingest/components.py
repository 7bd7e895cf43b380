"""Registered spaCy components of defence-kg. Extensions are registered inside the factories so
that worker processes (`n_process > 1`) have them too (spaCy #4903)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import numpy
from spacy.attrs import IS_BRACKET, IS_QUOTE, IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import EntityRecognizer, EntityRuler
from spacy.tokens import Doc, Span
from spacy.util import minibatch

if TYPE_CHECKING:
    from .attributes import TagAttributes
    from .relations import RelationExtractor
    from .resolve import PartyResolver


def _extension(name: str, default: object) -> None:
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=default)


SENTENCE_END = frozenset(".!?;:…")


@Language.component("dkg_paragraphs", assigns=["token.is_sent_start"])
def paragraphs(doc: Doc) -> Doc:
    """Sentence boundaries the parser may not move. A blank line ends a sentence unless the next
    paragraph goes on in lower case (a sentence broken across lines, as copied releases often are);
    elsewhere a sentence starts only after a line break or terminal punctuation, which keeps the
    parser from cutting "Raksha | Mantri" apart. A quote or bracket after terminal punctuation
    ('... he said.)') ends a sentence too; one inside a sentence ("Chief of Army Staff (COAS)
    General ...") does not. Read from and written to arrays: Token objects cost more than the rule."""
    if len(doc) < 2:
        return doc
    columns = doc.to_array([ORTH, IS_SPACE, IS_QUOTE, IS_BRACKET]).tolist()
    texts = [doc.vocab.strings[row[0]] for row in columns]
    marks = [bool(row[2] or row[3]) for row in columns]  # quote or bracket
    ends = [text[-1:] in SENTENCE_END for text in texts]
    starts = doc.to_array([SENT_START]).view(numpy.int64)
    for i in range(1, len(doc)):
        if columns[i][1]:  # a space token
            continue
        j = i - 1
        if columns[j][1] and "\n" in texts[j]:
            if texts[j].count("\n") >= 2:
                starts[i] = -1 if texts[i][:1].islower() else 1
        elif not (ends[j] or (marks[j] and j > 0 and (ends[j - 1] or marks[j - 1]))):
            starts[i] = -1
    doc.from_array([SENT_START], starts.view(numpy.uint64))
    return doc


@Language.factory("dkg_tag_attributes", assigns=["token.pos", "token.morph", "token.lemma"], requires=["token.tag"])
def make_tag_attributes(nlp: Language, name: str, ruler: str = "attribute_ruler") -> "TagAttributes":
    """The patterns of the pipeline's `ruler` (which the caller then disables), by table lookup."""
    from .attributes import TagAttributes

    return TagAttributes(nlp.get_pipe(ruler))


class HiddenLabels:
    """Around `ner`: spans whose labels the model does not know (the domain ruler's COUNTRY, POST,
    ...) are shown to it under a label it knows, then given their own back. Otherwise `ner` adds
    transitions for every new label it meets in preset entities (spaCy's `_ensure_labels_are_added`)
    and, with 98 instead of 74, runs a fifth slower; it still works around the spans either way."""

    def __init__(self, known: frozenset[str], stand_in: str, restore: bool) -> None:
        self.known, self.stand_in, self.restore = known, stand_in, restore

    def __call__(self, doc: Doc) -> Doc:
        if self.restore:
            hidden = {(start, end): (label, span_id) for start, end, label, span_id in doc._.hidden_labels}
            if hidden:
                doc.ents = [Span(doc, e.start, e.end, label=hidden[e.start, e.end][0], span_id=hidden[e.start, e.end][1])
                            if (e.start, e.end) in hidden else e for e in doc.ents]
                doc._.hidden_labels = []
            return doc
        hidden_spans = [(e.start, e.end, e.label, e.id) for e in doc.ents if e.label_ not in self.known]
        if hidden_spans:
            doc._.hidden_labels = hidden_spans
            doc.ents = [Span(doc, e.start, e.end, label=self.stand_in, span_id=e.id) if e.label_ not in self.known else e
                        for e in doc.ents]
        return doc


@Language.factory("dkg_hide_labels", assigns=["doc.ents"], default_config={"ner": "ner", "restore": False})
def make_hide_labels(nlp: Language, name: str, ner: str, restore: bool) -> HiddenLabels:
    """`restore: false` before `ner` (hide), `true` after it (give the labels back)."""
    _extension("hidden_labels", [])
    labels = nlp.get_pipe(ner).labels
    return HiddenLabels(frozenset(labels), labels[0], restore)


class DomainRuler(EntityRuler):
    """spaCy's EntityRuler that skips its token-pattern Matcher on a document holding no word those
    patterns need: each token pattern (exercises, ship prefixes) has a word it must match verbatim
    ("Malabar", "INS"), and two documents in three have none of them. Where one is present, the
    ruler runs as ever; where none is, the Matcher could match nothing, so the entities are the same."""

    anchors: numpy.ndarray | None = None  # ORTH ids of the words the token patterns need; None: a pattern needs none

    def add_patterns(self, patterns: list[dict]) -> None:
        super().add_patterns(patterns)
        words = [_anchor(pattern) for group in self.token_patterns.values() for pattern in group]
        self.anchors = None if None in words else numpy.array(
            [self.nlp.vocab.strings.add(w) for w in set().union(*words)], dtype=numpy.uint64)

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        if self.anchors is None or numpy.isin(doc.to_array(ORTH), self.anchors).any():
            return super().match(doc)
        self._require_patterns()
        found = {(m_id, start, end) for m_id, start, end in self.phrase_matcher(doc) if start != end}
        return sorted(found, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)


def _anchor(pattern: list[dict]) -> frozenset[str] | None:
    """Words one of which a token pattern matches verbatim, at a token it cannot skip."""
    from .patterns import token_words

    for spec in pattern:
        attr, words = token_words(spec)
        if attr == "TEXT" and "OP" not in spec:
            return words
    return None


@Language.factory("dkg_domain_ruler", assigns=["doc.ents"], default_config={"validate": False})
def make_domain_ruler(nlp: Language, name: str, validate: bool) -> DomainRuler:
    return DomainRuler(nlp, name, validate=validate)


class BeamDecodedEntities:
    """The model's `ner`, decoded by its own beam search at width 1 instead of its greedy loop. Both
    take the best-scoring valid move at every step, so the entities are the same; but in this spaCy
    build the greedy loop runs without the GIL and takes it back for each of the 74 moves' validity
    checks at every token (Cython's code for `StateC.safe_get`), which makes it twice as slow as the
    beam, whose checks run with the GIL held. The beam copies each state at every step, which costs
    more the longer the document: past `LONGEST` tokens (about 50,000 characters of prose) the
    greedy loop is the faster, and decodes. Documents are sorted by length in sub-batches, as
    `ner.pipe` does."""

    LONGEST = 10_000  # tokens

    def __init__(self, ner: EntityRecognizer) -> None:
        self.ner = ner

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            for part in minibatch(sorted(batch, key=len), size=max(batch_size // 4, 2)):
                if 0 < max(len(doc) for doc in part) <= self.LONGEST:
                    self.ner.set_annotations(part, self.ner.beam_parse(part, beam_width=1, beam_density=0.0))
                else:
                    self.ner.set_annotations(part, self.ner.predict(part))
            yield from batch


@Language.factory("dkg_beam_entities", assigns=["doc.ents"], default_config={"ner": "ner"})
def make_beam_entities(nlp: Language, name: str, ner: str) -> BeamDecodedEntities:
    """In place of the pipeline's `ner` (which the caller then disables)."""
    return BeamDecodedEntities(nlp.get_pipe(ner))


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
