"""Checking a graph: the SHACL shapes of `ontology/shapes.ttl` (pySHACL) and consistency under
OWL 2 RL reasoning (owlrl)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Dataset, Graph, Namespace
from rdflib.namespace import SH

from defence_kg.ingest.errors import InputError
from defence_kg.ontology import load_ontology, load_shapes

# owlrl writes what makes a graph inconsistent as messages in this vocabulary.
OWLRL_ERRORS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
QUAD_FORMATS = {".trig": "trig", ".nq": "nquads"}
TRIPLE_FORMATS = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".owl": "xml", ".jsonld": "json-ld", ".n3": "n3"}


@dataclass(frozen=True)
class Violation:
    shape: str  # the node shape, e.g. "ActShape"
    focus: str
    path: str
    value: str
    message: str
    severity: str


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: list[Violation]


def read_graph(path: str | Path) -> Graph:
    """An RDF file (TriG and N-Quads merged into one graph) as an rdflib graph."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(str(path), "no such file")
    if suffix not in QUAD_FORMATS and suffix not in TRIPLE_FORMATS:
        known = ", ".join(sorted({*QUAD_FORMATS, *TRIPLE_FORMATS}))
        raise InputError(str(path), f"unsupported RDF file type {suffix or '(none)'}; expected one of {known}")
    if suffix == ".jsonld":
        raise InputError(str(path), "JSON-LD is not read here (its @context may fetch remote documents); use TriG or Turtle")
    try:
        if suffix in QUAD_FORMATS:
            dataset = Dataset()
            dataset.parse(path, format=QUAD_FORMATS[suffix])
            graph = Graph()
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
            return graph
        return Graph().parse(path, format=TRIPLE_FORMATS[suffix])
    except Exception as exc:  # the parsers raise many types; all mean the same to the user
        raise InputError(str(path), f"cannot be read as RDF ({' '.join(str(exc).split())[:200]})") from None


def validate(data: Graph) -> Report:
    """Run the shapes over `data`, with the ontology's class hierarchy mixed in."""
    import pyshacl

    shapes = load_shapes()
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=load_ontology(), inference="none", allow_warnings=False,
    )
    owners = {prop: node for node, prop in shapes.subject_objects(SH.property)}
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        source = results.value(result, SH.sourceShape)
        shape = owners.get(source, source)
        violations.append(Violation(
            shape=_local(shape),
            focus=_text(results.value(result, SH.focusNode)),
            path=_text(results.value(result, SH.resultPath)),
            value=_text(results.value(result, SH.value)),
            message=_text(results.value(result, SH.resultMessage)),
            severity=_local(results.value(result, SH.resultSeverity)),
        ))
    violations.sort(key=lambda v: (v.shape, v.focus, v.path))
    return Report(bool(conforms), violations)


def inconsistencies(data: Graph) -> list[str]:
    """What makes `data` plus the ontology inconsistent under OWL 2 RL; [] when consistent."""
    import owlrl

    closure = Graph()
    for triple in data:
        closure.add(triple)
    for triple in load_ontology():
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return sorted(str(message) for message in closure.objects(None, OWLRL_ERRORS.error))


def _local(term: object) -> str:
    text = str(term or "")
    return text.rsplit("#", 1)[-1] if "#" in text else text


def _text(term: object) -> str:
    return "" if term is None else str(term)
