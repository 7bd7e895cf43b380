"""Ingest: read documents, run the spaCy pipeline, yield plain records (no RDF here)."""

from .errors import InputError
from .extract import extract
from .pipeline import MODEL, load_pipeline
from .records import PREDICATES, SYMMETRIC, Document, Entity, Mention, Relation
from .sources import read_documents

__all__ = [
    "MODEL", "PREDICATES", "SYMMETRIC", "Document", "Entity", "InputError", "Mention", "Relation",
    "extract", "load_pipeline", "read_documents",
]
