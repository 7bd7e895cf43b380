"""SPARQL results written from pyoxigraph terms with a row cap and a size cap.

Our own writers (JSON, XML, CSV, TSV for solutions; Turtle, N-Triples, RDF/XML for graphs) so that a
result can be cut at a cap and say so: the SPARQL JSON and XML heads carry a `link` to
`urn:defence-kg:truncated:...`, RDF formats a comment line, and the server adds a header.
Only the standard library and pyoxigraph: this runs in the query worker processes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SOLUTION_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
CONTENT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                 "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}


class NotAcceptable(Exception):
    """No format the client accepts can carry this kind of result."""


@dataclass(frozen=True)
class Written:
    content_type: str
    body: bytes
    rows: int
    truncated: str = ""  # "", "row-cap=N" or "size-cap=N"


def negotiate(accept: str, offered: dict[str, object], default: str) -> str:
    """The offered media type the client prefers by its Accept header (q-values honoured)."""
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            choices.append((-q, index, media.lower()))
    for _, _, media in sorted(choices):
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*") and (media == "*/*" or default.startswith(media[:-1])):
            return default
    raise NotAcceptable(f"none of the accepted types ({accept}) can carry this result; offered: {', '.join(offered)}")


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return getattr(term, "value", str(term))


def _clean_xml(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped."""
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)


def _capped(parts: Iterator[str], row_cap: int, size_cap: int, used: int) -> tuple[list[str], str]:
    """Take rows until the row cap or the size cap; say which cut it."""
    taken: list[str] = []
    for part in parts:
        if len(taken) == row_cap:
            return taken, f"row-cap={row_cap}"
        used += len(part.encode("utf-8"))
        if used > size_cap:
            return taken, f"size-cap={size_cap}"
        taken.append(part)
    return taken, ""


def truncation_link(truncated: str) -> str:
    return f"urn:defence-kg:truncated:{truncated}"


def write_solutions(solutions: ox.QuerySolutions, fmt: str, row_cap: int, size_cap: int) -> Written:
    variables = [v.value for v in solutions.variables]
    rows: Iterable = ([row[v] for v in variables] for row in solutions)
    if fmt == "json":
        parts = (json.dumps({v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}, ensure_ascii=False)
                 for row in rows)
        taken, truncated = _capped(parts, row_cap, size_cap, 200)
        head: dict[str, object] = {"vars": variables}
        if truncated:
            head["link"] = [truncation_link(truncated)]
        body = '{"head": ' + json.dumps(head) + ', "results": {"bindings": [\n' + ",\n".join(taken) + "\n]}}\n"
    elif fmt == "xml":
        parts = ("<result>" + "".join(f"<binding name={quoteattr(v)}>{_clean_xml(_xml_term(t))}</binding>"
                                      for v, t in zip(variables, row, strict=True) if t is not None) + "</result>\n"
                 for row in rows)
        taken, truncated = _capped(parts, row_cap, size_cap, 300)
        link = f"<link href={quoteattr(truncation_link(truncated))}/>" if truncated else ""
        body = ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
                + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + link + "</head><results>\n"
                + "".join(taken) + "</results></sparql>\n")
    elif fmt == "csv":
        def line(values: list[str]) -> str:
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\r\n").writerow(values)
            return buffer.getvalue()
        header = line(variables)
        taken, truncated = _capped((line([_csv_value(t) for t in row]) for row in rows), row_cap, size_cap, len(header))
        body = header + "".join(taken)
    else:
        header = "\t".join(f"?{v}" for v in variables) + "\n"
        parts = ("\t".join("" if t is None else str(t) for t in row) + "\n" for row in rows)
        taken, truncated = _capped(parts, row_cap, size_cap, len(header))
        body = header + "".join(taken)
    return Written(CONTENT_TYPES[fmt], body.encode("utf-8"), len(taken), truncated)


def write_boolean(answer: bool, fmt: str) -> Written:
    value = "true" if answer else "false"
    if fmt == "json":
        body = json.dumps({"head": {}, "boolean": answer}) + "\n"
    elif fmt == "xml":
        body = f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>{value}</boolean></sparql>\n'
    else:
        body = f"{value}\n"
    return Written(CONTENT_TYPES[fmt], body.encode("utf-8"), 1)


def write_triples(triples: Iterable[ox.Triple], media: str, row_cap: int, size_cap: int) -> Written:
    fmt = GRAPH_TYPES[media]
    taken: list[ox.Triple] = []
    truncated, size = "", 0
    for triple in triples:
        if len(taken) == row_cap:
            truncated = f"row-cap={row_cap}"
            break
        size += len(str(triple)) + 3
        if size > size_cap:
            truncated = f"size-cap={size_cap}"
            break
        taken.append(triple)
    body = ox.serialize(taken, format=fmt) or b""
    if truncated and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES):
        body = f"# {truncation_link(truncated)}: the result was cut at the cap\n".encode() + body
    return Written(f"{fmt.media_type}; charset=utf-8" if fmt is not ox.RdfFormat.RDF_XML else fmt.media_type, body, len(taken), truncated)
