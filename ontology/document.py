"""A human-readable HTML page of the vocabulary: classes, properties, crosswalks, shapes.

Every string from the Turtle files is escaped; the page needs no script and no network.
"""

from __future__ import annotations

from html import escape

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import SH

from . import load_ontology, load_shapes
from .namespace import DKG, REL

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 70em; margin: 2em auto; color: #222; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; } code { background: #f6f6f6; padding: 0 0.2em; }
"""


def html_page() -> str:
    ontology = load_ontology()
    sections = [
        ("Classes", ["class", "label", "subclass of", "definition"], _classes(ontology)),
        ("Properties", ["property", "label", "kind", "domain", "range", "definition"], _properties(ontology)),
        ("Relations and their crosswalks", ["relation", "definition", "CAMEO", "PLOVER"], _crosswalks(ontology)),
        ("SHACL shapes", ["shape", "applies to", "what it requires"], _shapes(load_shapes())),
    ]
    body = "".join(_table(title, header, rows) for title, header, rows in sections)
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>defence-kg ontology</title><style>{STYLE}</style></head><body>"
        f"<h1>defence-kg ontology</h1><p>Namespace <code>{escape(str(DKG._NS))}</code>; relation concepts "
        f"<code>{escape(str(REL._NS))}</code>.</p>{body}</body></html>\n"
    )


def _table(title: str, header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    cells = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<h2>{escape(title)}</h2><table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>"


def _name(graph: Graph, term: object) -> str:
    if not isinstance(term, URIRef):
        return ""
    return graph.namespace_manager.normalizeUri(term)


def _ours(graph: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef) and s.startswith(str(DKG._NS)))


def _classes(graph: Graph) -> list[list[str]]:
    return [
        [_name(graph, c), str(graph.value(c, RDFS.label) or ""),
         ", ".join(sorted(_name(graph, p) for p in graph.objects(c, RDFS.subClassOf))),
         str(graph.value(c, SKOS.definition) or "")]
        for c in _ours(graph, OWL.Class)
    ]


def _properties(graph: Graph) -> list[list[str]]:
    rows = []
    for kind, name in ((OWL.ObjectProperty, "object"), (OWL.DatatypeProperty, "datatype")):
        for p in _ours(graph, kind):
            traits = [t for t, cls in (("symmetric", OWL.SymmetricProperty), ("functional", OWL.FunctionalProperty))
                      if (p, RDF.type, cls) in graph]
            rows.append([
                _name(graph, p), str(graph.value(p, RDFS.label) or ""), ", ".join([name, *traits]),
                _name(graph, graph.value(p, RDFS.domain)), _name(graph, graph.value(p, RDFS.range)),
                str(graph.value(p, SKOS.definition) or ""),
            ])
    return rows


def _crosswalks(graph: Graph) -> list[list[str]]:
    rows = []
    for concept in sorted(graph.objects(REL.scheme, SKOS.hasTopConcept)):
        matches: dict[str, list[str]] = {"cameo": [], "plover": []}
        for relation, word in ((SKOS.closeMatch, "close"), (SKOS.broadMatch, "broad"), (SKOS.narrowMatch, "narrow"),
                               (SKOS.relatedMatch, "related")):
            for target in sorted(graph.objects(concept, relation)):
                family = "cameo" if "/cameo/" in str(target) else "plover"
                matches[family].append(f"{word}: {graph.value(target, SKOS.notation)} {graph.value(target, SKOS.prefLabel)}")
        rows.append([str(graph.value(concept, SKOS.notation)), str(graph.value(concept, SKOS.definition) or ""),
                     "; ".join(matches["cameo"]), "; ".join(matches["plover"])])
    return rows


def _shapes(shapes: Graph) -> list[list[str]]:
    rows = []
    for shape in sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)):
        targets = [*shapes.objects(shape, SH.targetClass), *shapes.objects(shape, SH.targetSubjectsOf)]
        rows.append([str(shape).rsplit("#", 1)[-1], ", ".join(sorted(_name(shapes, t) for t in targets)),
                     str(shapes.value(shape, RDFS.comment) or "")])
    return rows
