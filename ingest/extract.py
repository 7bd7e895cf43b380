"""Extraction over many documents: `nlp.pipe` in batches, relations dated by their release."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.language import Language

from .records import Document, Relation
from .pipeline import shared_pipeline

BATCH_SIZE = 32


def extract(documents: Iterable[Document], nlp: Language | None = None) -> Iterator[tuple[Document, list[Relation]]]:
    """Each document with the relations it states, in input order."""
    nlp = nlp or shared_pipeline()
    pairs = ((document.text, document) for document in documents)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=BATCH_SIZE):
        relations = [r if r.date else replace(r, date=document.date) for r in doc._.relations]
        yield document, relations
