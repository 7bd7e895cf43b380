"""The defence-kg vocabulary: `defence.ttl` (OWL) and the `DKG` namespace. Imports nothing of ours."""

from importlib.resources import files

from rdflib import Graph

from .namespace import DKG, ONTOLOGY_IRI

ONTOLOGY_FILE = "defence.ttl"


def ontology_text() -> str:
    return files(__package__).joinpath(ONTOLOGY_FILE).read_text(encoding="utf-8")


def load_ontology() -> Graph:
    """The ontology as an rdflib graph."""
    return Graph().parse(data=ontology_text(), format="turtle")


__all__ = ["DKG", "ONTOLOGY_IRI", "load_ontology", "ontology_text"]
