"""The defence-kg vocabulary: `defence.ttl` (OWL), `relations.ttl` (SKOS crosswalks to CAMEO and
PLOVER), `shapes.ttl` (SHACL) and the `DKG`/`REL` namespaces. Imports nothing of ours."""

from importlib.resources import files

from rdflib import Graph

from .namespace import DKG, ONTOLOGY_IRI, REL, RELATIONS_IRI

ONTOLOGY_FILES = ("defence.ttl", "relations.ttl")
SHAPES_FILE = "shapes.ttl"


def text(name: str) -> str:
    """The Turtle text of one of the vocabulary's files."""
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def load_ontology() -> Graph:
    """The OWL ontology with the SKOS relation scheme, as one rdflib graph."""
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(data=text(name), format="turtle")
    return graph


def load_shapes() -> Graph:
    return Graph().parse(data=text(SHAPES_FILE), format="turtle")


__all__ = ["DKG", "ONTOLOGY_IRI", "REL", "RELATIONS_IRI", "load_ontology", "load_shapes", "text"]
