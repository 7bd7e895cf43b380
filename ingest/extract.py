"""Extraction over many documents: `nlp.pipe` in batches, relations dated by their release."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from .dates import relative_date
from .home import (
    dateline_place, home_country, named_countries, with_dateline_place, with_home_country, with_host_country,
)
from .records import Document, Relation
from .pipeline import shared_pipeline

BATCH_SIZE = 32
CHUNK_CHARS = 100_000  # the small model takes about 470 MB per 100,000 characters; spaCy refuses 1,000,000


def chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pieces of at most `size` characters, cut at paragraph breaks (else line breaks, else anywhere)."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = max(window.rfind("\n\n"), window.rfind("\n")) if "\n" in window else -1
        end = start + (cut + 1 if cut > 0 else size)
        pieces.append((start, text[start:end]))
        start = end
    pieces.append((start, text[start:]))
    return pieces


def extract(documents: Iterable[Document], nlp: Language | None = None) -> Iterator[tuple[Document, list[Relation]]]:
    """Each document with the relations it states, in input order. A long document is read in
    chunks (`chunks`) and its relations' offsets are made relative to the whole text again."""
    nlp = nlp or shared_pipeline()
    derive = nlp.get_pipe("dkg_relations").derive
    def pairs() -> Iterator[tuple[str, tuple[Document, int, bool]]]:
        for document in documents:
            parts = chunks(document.text)
            for number, (offset, piece) in enumerate(parts):
                yield piece, (document, offset, number == len(parts) - 1)

    gathered: dict[tuple, Relation] = {}
    for doc, (document, offset, last) in nlp.pipe(pairs(), as_tuples=True, batch_size=BATCH_SIZE):
        dateline = dateline_place(doc)
        home = home_country(document, doc._.mentions, doc._.entities, dateline)
        named = named_countries(doc._.mentions, doc._.entities)
        relations = with_host_country(doc._.relations)
        relations = with_dateline_place(with_home_country(relations, home, dateline, named), dateline)
        found = {r.key: r for r in relations}
        for derived in derive(doc, relations):  # again, now that more countries are known
            found.setdefault(derived.key, derived)
        for relation in found.values():
            if not relation.date and document.date:  # "February next year", "over the next two days"
                relation = replace(relation, date=_relative_date(doc, relation, document.date))
            moved = replace(relation, start=relation.start + offset, end=relation.end + offset) if offset else relation
            gathered.setdefault(moved.key, moved)
        if last:
            yield document, [r if r.date else replace(r, date=document.date) for r in gathered.values()]
            gathered = {}


def _relative_date(doc: Doc, relation: Relation, base: str) -> str:
    """The first date of the relation's sentence that reads against the release date."""
    sentence = doc.char_span(relation.start, relation.end, alignment_mode="expand")
    for ent in sentence.ents if sentence is not None else ():
        if ent.label_ == "DATE" and (found := relative_date(ent.text, base)):
            return found
    return ""
