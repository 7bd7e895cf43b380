"""SPARQL for users: queries named from the library in `queries/`, read from a file, or given as
text, with named parameters; results as rows of plain strings for tables, CSV and JSON.

A library query declares its parameters in its header comment, one per line:
`# param country: country. The country whose partners are ranked.` The kind (country, person,
party, relation, iri, text) says how a user's value becomes an RDF term; the term is then bound
to the variable of the same name by the store (`initBindings` locally, a `VALUES` block on an
endpoint), never pasted into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from defence_kg.ingest.countries import countries, by_name
from defence_kg.ingest.records import PREDICATES
from defence_kg.ontology import DKG

from .rdf import PREFIXES, country_iri
from .store import Store, StoreError, Table

QUERY_SUFFIX = ".rq"
PARAM_LINE = re.compile(r"^#\s*param\s+(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<kind>[a-z]+)\.?\s*(?P<help>.*)$")
KINDS = ("country", "person", "party", "relation", "iri", "text")


class QueryError(Exception):
    """A query that cannot be found or run; the message is for the user."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    help: str


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    description: str
    params: tuple[Param, ...] = field(default=())


def parse_query(name: str, text: str) -> Query:
    """A query with the description and parameters its header comment declares."""
    described: list[str] = []
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = PARAM_LINE.match(line)
        if match:
            if match["kind"] not in KINDS:
                raise QueryError(f"{name}: parameter {match['name']} has an unknown kind {match['kind']!r} ({', '.join(KINDS)})")
            params.append(Param(match["name"], match["kind"], match["help"].strip()))
        else:
            described.append(line.lstrip("# ").rstrip())
    return Query(name, text, " ".join(described).strip(), tuple(params))


def _read(folder: str) -> dict[str, Query]:
    entries = sorted((e for e in files(__package__).joinpath(folder).iterdir() if e.name.endswith(QUERY_SUFFIX)), key=lambda e: e.name)
    return {
        (name := entry.name.removesuffix(QUERY_SUFFIX)): parse_query(name, entry.read_text(encoding="utf-8"))
        for entry in entries
    }


def library() -> dict[str, Query]:
    """The analysts' questions shipped with defence-kg (`defence-kg queries` lists them)."""
    return _read("queries")


def view_queries() -> dict[str, Query]:
    """What the network view and the GraphML export read: every party, every edge. Runnable by name too."""
    return _read("queries/view")


def resolve_query(spec: str) -> Query:
    """A library name, a path to a `.rq` file, or the SPARQL text itself."""
    named = {**view_queries(), **library()}
    if spec in named:
        return named[spec]
    if spec.endswith(QUERY_SUFFIX) or (len(spec) < 256 and "\n" not in spec and Path(spec).is_file()):
        path = Path(spec)
        if not path.is_file():
            raise QueryError(f"{spec}: no such query file")
        return parse_query(path.stem, path.read_text(encoding="utf-8"))
    if "{" not in spec:
        raise QueryError(f"{spec}: not a query of the library ({', '.join(sorted(named))}), a file or SPARQL text")
    return parse_query("query", spec)


def parse_params(pairs: list[str]) -> dict[str, str]:
    """`["country=India", "partner=Russia"]` -> {"country": "India", "partner": "Russia"}."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise QueryError(f"{pair}: a parameter is NAME=VALUE")
        params[name.strip()] = value.strip()
    return params


def bind(store: Store, query: Query, values: dict[str, str]) -> dict[str, Identifier]:
    """Each user value as the RDF term its parameter's kind calls for."""
    declared = {p.name: p for p in query.params}
    bindings: dict[str, Identifier] = {}
    for name, value in values.items():
        param = declared.get(name)
        if param is None and declared:
            raise QueryError(f"{name}: not a parameter of {query.name} ({', '.join(declared)})")
        kind = param.kind if param else ("iri" if _looks_like_iri(value) else "text")
        bindings[name] = _term(store, kind, name, value)
    return bindings


def _looks_like_iri(value: str) -> bool:
    return value.startswith(("http://", "https://", "urn:")) or (value.startswith("<") and value.endswith(">"))


def _term(store: Store, kind: str, name: str, value: str) -> Identifier:
    if kind == "country":
        return country_term(name, value)
    if kind in ("person", "party"):
        return _party(store, kind, name, value)
    if kind == "relation":
        if value not in PREDICATES:
            raise QueryError(f"{name}={value}: not a relation ({', '.join(PREDICATES)})")
        return DKG[value]
    if kind == "iri":
        return URIRef(_expand(value.strip("<>")))
    return Literal(value)


def _expand(value: str) -> str:
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return str(PREFIXES[prefix]) + local
    return value


def country_term(name: str, value: str) -> URIRef:
    if _looks_like_iri(value):
        return URIRef(_expand(value.strip("<>")))
    code = value.upper()
    if code in countries():
        return country_iri(code)
    wanted = " ".join(value.split()).casefold()
    found = next((c for label, c in by_name().items() if label.casefold() == wanted), None)
    if found is None:
        raise QueryError(f"{name}={value}: not a country (give a name, an ISO 3166 alpha-3 code or an IRI)")
    return country_iri(found.iso3)


PARTIES = """
PREFIX dkg: <https://w3id.org/defence-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?party ?name ?class WHERE {
  VALUES ?class { dkg:Person dkg:Country dkg:Organisation }
  ?party a ?class ; rdfs:label|skos:altLabel ?name .
}"""


def _party(store: Store, kind: str, name: str, value: str) -> URIRef:
    """A party of the store by its name or an alias, case-insensitively; a unique part of a name will do."""
    if _looks_like_iri(value):
        return URIRef(_expand(value.strip("<>")))
    wanted = " ".join(value.split()).casefold()
    exact: set[URIRef] = set()
    partial: set[URIRef] = set()
    for row in store.query(PARTIES):
        if kind == "person" and row["class"] != DKG.Person:
            continue
        label = str(row["name"]).casefold()
        if label == wanted:
            exact.add(row["party"])
        elif re.search(rf"\b{re.escape(wanted)}\b", label):
            partial.add(row["party"])
    found = exact or partial
    if len(found) == 1:
        return found.pop()
    if not found:
        raise QueryError(f"{name}={value}: no {kind} of that name in the store")
    names = ", ".join(sorted(str(iri).rsplit("/", 1)[-1] for iri in found)[:5])
    raise QueryError(f"{name}={value}: ambiguous, {len(found)} parties match ({names}); give the full name or the IRI")


def run(store: Store, spec: str | Query, params: dict[str, str] | None = None) -> Table:
    query = spec if isinstance(spec, Query) else resolve_query(spec)
    bindings = bind(store, query, params or {})
    try:
        return store.table(query.text, bindings)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {' '.join(str(exc).split())}") from None
    except (StoreError, QueryError):
        raise
    except Exception as exc:  # noqa: BLE001 - the engines raise many kinds for a bad query; the user gets one line
        raise QueryError(f"{query.name}: the query failed: {' '.join(str(exc).split())[:300]}") from None
