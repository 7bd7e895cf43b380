"""SPARQL for users: queries named from the library in `queries/`, read from a file, or given
as text; results as rows of plain strings for tables, CSV and JSON."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from .store import GraphStore

QUERY_SUFFIX = ".rq"


class QueryError(Exception):
    """A query that cannot be found or run; the message is for the user."""


def library() -> dict[str, str]:
    """The named queries shipped with defence-kg: name -> SPARQL text."""
    folder = files(__package__).joinpath("queries")
    return {
        entry.name.removesuffix(QUERY_SUFFIX): entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(QUERY_SUFFIX)
    }


def description(text: str) -> str:
    """The header comment of a library query."""
    lines = [line.lstrip("# ").rstrip() for line in text.splitlines() if line.startswith("#")]
    return " ".join(lines)


def resolve_query(spec: str) -> str:
    """A library name, a path to a `.rq` file, or the SPARQL text itself."""
    named = library()
    if spec in named:
        return named[spec]
    if spec.endswith(QUERY_SUFFIX) or (len(spec) < 256 and "\n" not in spec and Path(spec).is_file()):
        path = Path(spec)
        if not path.is_file():
            raise QueryError(f"{spec}: no such query file")
        return path.read_text(encoding="utf-8")
    if "{" not in spec:
        raise QueryError(f"{spec}: not a query of the library ({', '.join(sorted(named))}), a file or SPARQL text")
    return spec


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]


def run(store: GraphStore, spec: str) -> Table:
    text = resolve_query(spec)
    try:
        result = store.query(text)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {' '.join(str(exc).split())}") from None
    if result.type == "ASK":
        return Table(["answer"], [[str(result.askAnswer).lower()]])
    if result.type == "CONSTRUCT":
        return Table(["subject", "predicate", "object"], [[_text(t) for t in triple] for triple in result.graph])
    columns = [str(v) for v in result.vars]
    return Table(columns, [[_text(row.get(v)) for v in result.vars] for row in result.bindings])


def _text(term: object) -> str:
    return "" if term is None else str(term)
