"""Documents into a store: read, extract, load each document's graph, recompute the derived graph.

The one path from files to a graph, for the CLI and for notebooks and scripts:

>>> from defence_kg.ingest import read_documents
>>> from defence_kg.graph.build import build
>>> from defence_kg.graph.store import GraphStore
>>> with GraphStore("build/demo/store") as store:            # doctest: +SKIP
...     build(read_documents(["examples"]), store)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from defence_kg.ingest import Document, Relation, extract

from .store import Store


@dataclass(frozen=True)
class Built:
    documents: int
    relations: int


def build(documents: Iterable[Document], store: Store,
          extracted: Callable[[list[Document]], Iterator[tuple[Document, list[Relation]]]] | None = None) -> Built:
    """Every document is read (and so checked) before the store is touched; then each document's graph
    is replaced in one update, and the derived graph recomputed. `extracted` lets a caller wrap the
    extraction (the CLI adds its progress bar)."""
    documents = list(documents)
    store.put_vocabulary()
    relations = 0
    for document, found in (extracted or extract)(documents):
        store.put_document(document, found)
        relations += len(found)
    store.derive()
    return Built(len(documents), relations)
