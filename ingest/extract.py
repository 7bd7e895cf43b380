"""Extraction over many documents: `nlp.pipe` in batches, relations dated by their release."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.language import Language

from .home import dateline_place, home_country, with_dateline_place, with_home_country
from .records import Document, Relation
from .pipeline import shared_pipeline

BATCH_SIZE = 32


def extract(documents: Iterable[Document], nlp: Language | None = None) -> Iterator[tuple[Document, list[Relation]]]:
    """Each document with the relations it states, in input order."""
    nlp = nlp or shared_pipeline()
    derive = nlp.get_pipe("dkg_relations").derive
    pairs = ((document.text, document) for document in documents)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=BATCH_SIZE):
        home = home_country(document, doc._.mentions, doc._.entities)
        relations = with_dateline_place(with_home_country(doc._.relations, home), dateline_place(doc))
        found = {r.key: r for r in relations}
        for derived in derive(doc, relations):  # again, now that more countries are known
            found.setdefault(derived.key, derived)
        relations = list(found.values())
        yield document, [r if r.date else replace(r, date=document.date) for r in relations]
