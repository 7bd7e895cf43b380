"""The `defence-kg` command: build a graph from documents, extract relations, query the store.

Results go to stdout, progress and errors to stderr. A user's mistake (a missing file, bad JSON,
a malformed query) is one line on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn
from rich.text import Text
from rich.table import Table as RichTable

from defence_kg.ingest import Document, InputError, read_documents
from defence_kg.ingest.sources import MAX_CHARS
from defence_kg.ingest.workers import extract_parallel

from . import sparql
from .build import build as build_graph
from .network import DOCUMENT_VIEWS, view_rows, write_graphml
from .rdf import PREFIXES, content_hash
from .remote import EndpointStore
from .store import GraphStore, Store, StoreError
from .trigcopy import TrigCopy
from .validate import inconsistencies, read_graph
from .validate import validate as shacl_validate
from .visualise import ViewOptions, write_html

app = typer.Typer(
    help="Turn defence press releases and news into a knowledge graph of who cooperates with whom.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
err = Console(stderr=True)


def _stdout() -> Console:
    """Made per command, so the width follows the terminal (or COLUMNS) of this run."""
    return Console()

Paths = Annotated[list[str], typer.Argument(help="Files (.txt, .md, .jsonl) or directories to read.")]
StoreDir = Annotated[Path, typer.Option("--store", help="The store directory (DIR/store of `build --out DIR`).")]
Endpoint = Annotated[str | None, typer.Option(
    "--endpoint", envvar="DEFENCE_KG_ENDPOINT", show_envvar=True,
    help="A SPARQL 1.1 query endpoint to use instead of the store directory (credentials: DEFENCE_KG_ENDPOINT_TOKEN, "
         "or DEFENCE_KG_ENDPOINT_USER and DEFENCE_KG_ENDPOINT_PASSWORD).")]
UpdateEndpoint = Annotated[str | None, typer.Option(
    "--update-endpoint", envvar="DEFENCE_KG_UPDATE_ENDPOINT", show_envvar=True,
    help="Its SPARQL 1.1 Update endpoint (default: the query URL's `update` sibling, as Oxigraph and Fuseki name it).")]
MaxChars = Annotated[int, typer.Option("--max-chars", min=1, help="Refuse documents longer than this (characters).")]
Workers = Annotated[int, typer.Option("--workers", "-j", min=1, help="Extraction processes (one per core is fastest).")]
Params = Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE for a parameter of the query (repeatable).")]


def open_store(store_dir: Path, endpoint: str | None = None, update_endpoint: str | None = None, create: bool = False) -> Store:
    """The endpoint when one is given, else the store directory (which must exist unless `create`)."""
    if endpoint:
        return EndpointStore(endpoint, update_endpoint)
    if not create and not store_dir.is_dir():
        raise StoreError(f"{store_dir}: no store here (build one with `defence-kg build PATH --out DIR`)")
    return GraphStore(store_dir)


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


class OntologyFormat(str, Enum):
    html = "html"
    ttl = "ttl"


class ExportFormat(str, Enum):
    turtle = "turtle"
    trig = "trig"
    nquads = "nquads"
    jsonld = "json-ld"
    graphml = "graphml"


class Level(str, Enum):
    entity = "entity"
    country = "country"


class TableFormat(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the project's own errors into one line on stderr and a non-zero exit."""
    try:
        yield
    except (InputError, StoreError, sparql.QueryError) as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(1) from None


PARTIAL = 3  # the exit status when some inputs were skipped and the rest was done


def _read(paths: list[str], max_chars: int = MAX_CHARS) -> tuple[list[Document], list[InputError]]:
    """Every readable document; each unreadable input (a file, a line, an item) is set aside.

    Nothing readable at all is an error (exit 1, nothing touched); otherwise each skipped input is one
    line on stderr, the work goes on, and the command ends with exit status 3."""
    skipped: list[InputError] = []
    documents = list(read_documents(paths, skipped.append, max_chars))
    if not documents:
        for problem in skipped[:-1]:
            err.print(f"[bold red]error:[/] {problem}", highlight=False, markup=True, soft_wrap=True)
        raise skipped[-1] if skipped else InputError(" ".join(paths), "no documents")
    for problem in skipped:
        err.print(f"[yellow]skipped:[/] {problem}", highlight=False, markup=True, soft_wrap=True)
    for document in documents:
        if not document.date:
            err.print(f"[yellow]undated:[/] {document.source or document.id}: no date found; its acts stay undated unless a "
                      "sentence dates them", highlight=False, markup=True, soft_wrap=True)
    return documents, skipped


class _Rate(ProgressColumn):
    """Items per second, in the unit given: "12.3 docs/s"."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:.1f} {self.unit}/s", style="progress.data.speed")


def _progress(unit: str = "") -> Progress:
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    return Progress(*columns, *([_Rate(unit)] if unit else []), console=err, disable=not err.is_terminal, transient=True)


def _extractor(workers: int):
    """Extraction with a progress bar in documents per second, in `workers` processes."""
    def extract_all(documents: list[Document]) -> Iterator:
        with _progress("docs") as progress:
            task = progress.add_task("extracting", total=len(documents))
            for item in extract_parallel(documents, workers):
                progress.advance(task)
                yield item
    return extract_all


@app.command()
def build(
    paths: Paths,
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write store/, graph.trig and graph.html.")] = Path("build"),
    endpoint: Endpoint = None,
    update_endpoint: UpdateEndpoint = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Drop every document already in the store and read all again.")] = False,
    max_chars: MaxChars = MAX_CHARS,
    workers: Workers = 1,
) -> None:
    """Read documents, extract their relations and build the graph: store, TriG file and HTML network.

    A store that already holds documents gets only what is new or changed (same text, same extractor: skipped).

    With --endpoint the graph goes to that SPARQL endpoint instead of DIR/store (and no TriG file is written)."""
    with user_errors():
        documents, skipped = _read(paths, max_chars)  # every input checked before the store is touched
        out_dir.mkdir(parents=True, exist_ok=True)
        with open_store(out_dir / "store", endpoint, update_endpoint, create=True) as store:
            trig = out_dir / "graph.trig"
            store.copy = None if endpoint else TrigCopy(trig)
            with ThreadPoolExecutor(max_workers=1) as early:  # the views of the documents are read while the derived graph is made
                documents_views: list[Future] = []
                try:
                    built = build_graph(documents, store, _extractor(workers), rebuild,
                                        loaded=lambda: documents_views.append(early.submit(view_rows, store, DOCUMENT_VIEWS)))
                    copied = store.copy is not None and store.copy.finish(store.graph_names())
                finally:
                    if store.copy:
                        store.copy.discard()
                    store.copy = None
                rows = {**documents_views[0].result(), **view_rows(store, ("parties",))}  # both pages from one reading
            with ThreadPoolExecutor(max_workers=3) as aside:  # Oxigraph counts, writes the TriG file and flushes, outside the GIL, while the pages are drawn
                flushed = aside.submit(store.flush)  # so that closing the store has nothing left to write
                counted = aside.submit(len, store)
                exported = None if endpoint or copied else aside.submit(store.export, trig, "trig")
                written = [("network (HTML)", write_html(store, out_dir / "graph.html", rows=rows)),
                           ("parties (HTML)", write_html(store, out_dir / "parties.html", ViewOptions(level="entity"), rows))]
                _write_manifest(out_dir / "manifest.jsonl", documents, skipped, built.changed)
                written.append(("manifest", out_dir / "manifest.jsonl"))
                flushed.result()
                if exported is not None:
                    exported.result()
                if not endpoint:
                    written.insert(0, ("graph (TriG)", trig))
                quads = counted.result()
        summary = RichTable(title="defence-kg build", show_header=False)
        rows = [("documents", built.documents), ("of them undated", sum(not d.date for d in documents)),
                ("inputs skipped", len(skipped)), ("new or changed, extracted", built.extracted),
                ("relations found in them", built.relations), ("quads in store", quads),
                ("store", endpoint or out_dir / "store"), *written]
        for key, value in rows:
            summary.add_row(key, str(value))
        _stdout().print(summary)
    if skipped:
        raise typer.Exit(PARTIAL)


def _write_manifest(path: Path, documents: list[Document], skipped: list[InputError], changed: frozenset[str]) -> None:
    """What this build read: one JSON line per document (extracted, or unchanged and left) and per skipped input."""
    with path.open("w", encoding="utf-8") as out:
        for d in documents:
            line = {"id": d.id, "source": d.source, "title": d.title, "date": d.date, "url": d.url, "language": d.language,
                    "sha256": content_hash(d.text), "status": "extracted" if d.id in changed else "unchanged"}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        for problem in skipped:
            out.write(json.dumps({"source": problem.where, "problem": problem.problem, "status": "skipped"}, ensure_ascii=False) + "\n")


@app.command("extract")
def extract_command(
    paths: Paths,
    fmt: Annotated[ExtractFormat, typer.Option("--format", help="jsonl: one JSON object per document.")] = ExtractFormat.jsonl,
    max_chars: MaxChars = MAX_CHARS,
    workers: Workers = 1,
) -> None:
    """Print the relations each document states (the scoring contract: one JSON object per document)."""
    with user_errors():
        documents, skipped = _read(paths, max_chars)
        if fmt is ExtractFormat.jsonl:
            for document, found in _extractor(workers)(documents):
                line = {"id": document.id, "relations": [r.to_json() for r in found]}
                sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
            if skipped:
                raise typer.Exit(PARTIAL)
            return
        table = RichTable()
        for column in ("document", "predicate", "subject", "object", "rule", "confidence"):
            table.add_column(column, no_wrap=True)
        table.add_column("evidence", overflow="ellipsis", no_wrap=True, max_width=60)
        for document, found in _extractor(workers)(documents):
            for r in found:
                table.add_row(document.id, r.predicate, r.subject.label, r.object.label, r.rule, f"{r.confidence:.2f}", " ".join(r.evidence.split()))
        _stdout().print(table)
    if skipped:
        raise typer.Exit(PARTIAL)


@app.command()
def query(
    sparql_query: Annotated[str, typer.Argument(metavar="SPARQL", help="A library query's name, a .rq file, or SPARQL text.")],
    params: Params = None,
    store_dir: StoreDir = Path("build/store"),
    endpoint: Endpoint = None,
    update_endpoint: UpdateEndpoint = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = TableFormat.table,
) -> None:
    """Answer a SPARQL query from the store or an endpoint; `--param country=India` fills a named parameter."""
    with user_errors():
        values = sparql.parse_params(params or [])
        with open_store(store_dir, endpoint, update_endpoint) as store:
            result = sparql.run(store, sparql_query, values)
        _print_table(result, fmt)


@app.command()
def queries() -> None:
    """List the library of named queries and their parameters."""
    table = RichTable("name", "question", "parameters")
    for name, item in sorted(sparql.library().items()):
        table.add_row(name, item.description, "\n".join(f"{p.name} ({p.kind}): {p.help}" for p in item.params))
    _stdout().print(table)


@app.command()
def push(
    endpoint: Annotated[str, typer.Option("--endpoint", envvar="DEFENCE_KG_ENDPOINT", show_envvar=True,
                                          help="The SPARQL 1.1 query endpoint to load into.")],
    store_dir: StoreDir = Path("build/store"),
    update_endpoint: UpdateEndpoint = None,
) -> None:
    """Load a local store into a SPARQL endpoint: each named graph replaced whole, then the derived facts recomputed there."""
    with user_errors():
        remote = EndpointStore(endpoint, update_endpoint)
        open_store(store_dir).close()  # the same message as every command when there is no store
        with GraphStore(store_dir) as local:
            names = local.graph_names()
            with _progress() as progress:
                task = progress.add_task("pushing", total=len(names))
                for name in names:
                    remote.put_ntriples(name, local.ntriples(name))
                    progress.advance(task)
        remote.derive()
        _stdout().print(f"pushed {len(names)} graphs to {endpoint}; it now holds {len(remote)} quads", highlight=False)


class SizeBy(str, Enum):
    degree = "degree"
    acts = "acts"


@app.command()
def viz(
    store_dir: StoreDir = Path("build/store"),
    endpoint: Endpoint = None,
    update_endpoint: UpdateEndpoint = None,
    out_file: Annotated[Path, typer.Option("--out", help="The HTML file to write.")] = Path("build/graph.html"),
    level: Annotated[Level, typer.Option("--level", help="One node per party (entity) or per country.")] = Level.country,
    predicate: Annotated[list[str] | None, typer.Option("--predicate", help="Only this relation (repeatable).")] = None,
    country: Annotated[list[str] | None, typer.Option("--country", help="Only acts with a party of this country (name or ISO code; repeatable).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only acts on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only acts on or before this date (YYYY-MM-DD).")] = None,
    min_sources: Annotated[int, typer.Option("--min-sources", min=1, help="Only edges reported by at least N documents.")] = 1,
    size_by: Annotated[SizeBy, typer.Option("--size-by", help="Node size by number of partners (degree) or of acts.")] = SizeBy.acts,
) -> None:
    """Write the interactive network as one HTML file that opens offline."""
    with user_errors():
        options = ViewOptions(level.value, tuple(_relations(predicate or [])), tuple(_countries(country or [])),
                              _date("--since", since), _date("--until", until), min_sources, size_by.value)
        with open_store(store_dir, endpoint, update_endpoint) as store:
            write_html(store, out_file, options)
    _stdout().print(f"wrote {out_file}", highlight=False)


def _relations(values: list[str]) -> list[str]:
    from defence_kg.ingest.records import PREDICATES

    for value in values:
        if value not in PREDICATES:
            raise sparql.QueryError(f"--predicate {value}: not a relation ({', '.join(PREDICATES)})")
    return values


def _countries(values: list[str]) -> list[str]:
    return [str(sparql.country_term("--country", value)).rsplit("/", 1)[-1] for value in values]


def _date(option: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise sparql.QueryError(f"{option} {value}: not a date (YYYY-MM-DD)")
    return value


@app.command()
def serve(
    store_dir: StoreDir = Path("build/store"),
    host: Annotated[str, typer.Option("--host", help="The address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port to listen on.")] = 7878,
    allow_update: Annotated[bool, typer.Option("--allow-update", help="Accept SPARQL Update (and LOAD); refused otherwise.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds a query may run before it is stopped.")] = 30.0,
    row_cap: Annotated[int, typer.Option("--row-cap", min=1, help="Rows (or triples) at most per answer; more is cut and flagged.")] = 10_000,
    size_cap: Annotated[int, typer.Option("--size-cap", min=1024, help="Bytes at most per answer; more is cut and flagged.")] = 16_000_000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Query processes (one when updates are allowed).")] = 2,
) -> None:
    """Serve the store as a SPARQL 1.1 endpoint at /sparql, with a query page at /."""
    from .server import QueryPool, attach, make_server

    with user_errors():
        open_store(store_dir).close()
        try:
            server = make_server(host, port)
        except OSError as exc:
            raise StoreError(f"{host}:{port}: cannot listen ({exc.strerror or exc})") from None
        try:
            pool = QueryPool(store_dir, workers, allow_update, timeout, row_cap, size_cap)
        except RuntimeError as exc:
            server.server_close()
            raise StoreError(f"{store_dir}: {exc}") from None
        attach(server, pool)
    mode = "read-write" if allow_update else "read-only"
    err.print(f"SPARQL endpoint http://{host}:{server.server_address[1]}/sparql ({mode}, {pool.size} worker(s), "
              f"{timeout:g} s limit, {row_cap} rows at most); query page at /. Ctrl-C stops it.", highlight=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="turtle (all graphs merged), trig, nquads, json-ld, or graphml (the network, for Gephi).")],
    out_file: Annotated[Path, typer.Option("--out", help="The file to write.")],
    level: Annotated[Level, typer.Option("--level", help="graphml: one node per party (entity) or per country.")] = Level.entity,
    store_dir: StoreDir = Path("build/store"),
    endpoint: Endpoint = None,
    update_endpoint: UpdateEndpoint = None,
) -> None:
    """Write the graph out in a standard format."""
    with user_errors():
        with open_store(store_dir, endpoint, update_endpoint) as store:
            if fmt is ExportFormat.graphml:
                network = write_graphml(store, out_file, level.value)
                what = f"{network.number_of_nodes()} nodes and {network.number_of_edges()} edges"
            else:
                store.export(out_file, fmt.value)
                what = f"{len(store)} quads"
        _stdout().print(f"wrote {what} to {out_file}", highlight=False)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="A gold file (JSON Lines, ../shared/gold/GUIDELINES.md).")],
    misses: Annotated[bool, typer.Option("--misses", help="Also list missed and spurious relations per document.")] = False,
    fmt: Annotated[TableFormat, typer.Option("--format", help="table or json.")] = TableFormat.table,
    workers: Workers = 1,
) -> None:
    """Extract from a gold file's texts and score the result: P/R/F1 per predicate, country and entity level."""
    from defence_kg.ingest.evaluate import LEVELS, evaluate as score, read_gold
    from defence_kg.ingest.records import PREDICATES

    with user_errors():
        if not gold.is_file():
            raise InputError(str(gold), "no such file")
        gold_docs = read_gold(gold)
        documents = list(read_documents([gold]))
        predicted = [{"id": d.id, "relations": [r.to_json() for r in found]} for d, found in _extractor(workers)(documents)]
    result = score(gold_docs, predicted)
    if fmt is TableFormat.json:
        report = {level: {**{p: result.row(level, p) for p in PREDICATES}, "TOTAL": result.total(level), "MACRO": result.macro(level)}
                  for level in LEVELS}
        sys.stdout.write(json.dumps({"report": report, "misses": result.misses if misses else None}, indent=1) + "\n")
        return
    console = _stdout()
    for level in LEVELS:
        table = RichTable("predicate", "gold", "pred", "tp", "P", "R", "F1", title=f"{level} level")
        rows = [(p, result.row(level, p)) for p in PREDICATES] + [("TOTAL", result.total(level))]
        for name, row in rows:
            table.add_row(name, str(row["gold"]), str(row["predicted"]), str(row["tp"]),
                          f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}")
        macro = result.macro(level)
        table.add_row("MACRO", "", "", "", f"{macro['precision']:.3f}", f"{macro['recall']:.3f}", f"{macro['f1']:.3f}", style="bold")
        console.print(table)
    if misses:
        for miss in result.misses:
            if miss["missed"] or miss["spurious"]:
                console.print(f"{miss['id']} missed: {miss['missed']} spurious: {miss['spurious']}", highlight=False)
    c, e = result.macro("country")["f1"], result.macro("entity")["f1"]
    console.print(f"country-level macro-F1 {c:.3f}; entity-level macro-F1 {e:.3f}", highlight=False)


@app.command()
def validate(
    file: Annotated[Path | None, typer.Argument(help="An RDF file (.trig, .ttl, .nq, .nt) instead of a store.")] = None,
    store_dir: StoreDir = Path("build/store"),
    endpoint: Endpoint = None,
    update_endpoint: UpdateEndpoint = None,
    owl: Annotated[bool, typer.Option("--owl", help="Also check consistency under OWL 2 RL reasoning.")] = False,
) -> None:
    """Check a graph against the SHACL shapes; exit status 1 when it does not conform."""
    with user_errors():
        if file is not None:
            data = read_graph(file)
        else:
            with open_store(store_dir, endpoint, update_endpoint) as store:
                data = store.union()
        report = shacl_validate(data)
        problems = inconsistencies(data) if owl else []
    console = _stdout()
    if report.violations:
        table = RichTable("shape", "focus node", "path", "value", "message", caption=f"{len(report.violations)} violations")
        for v in report.violations:
            table.add_row(v.shape, v.focus, v.path, v.value, v.message)
        console.print(table)
    for problem in problems:
        console.print(f"inconsistent: {problem}", highlight=False)
    verdict = "conform" if report.conforms else "do not conform"
    console.print(f"{len(data)} triples {verdict} to the defence-kg shapes" + (
        f"; OWL 2 RL: {'consistent' if not problems else 'inconsistent'}" if owl else ""), highlight=False)
    if not report.conforms or problems:
        raise typer.Exit(1)


@app.command()
def ontology(
    fmt: Annotated[OntologyFormat, typer.Option("--format", help="html: a readable page; ttl: the vocabulary in Turtle.")] = OntologyFormat.html,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of stdout.")] = None,
) -> None:
    """The vocabulary: classes, properties, definitions and crosswalks to CAMEO and PLOVER."""
    from defence_kg.ontology import load_ontology
    from defence_kg.ontology.document import html_page

    text = html_page() if fmt is OntologyFormat.html else load_ontology().serialize(format="turtle")
    if out_file is None:
        sys.stdout.write(text)
    else:
        out_file.write_text(text, encoding="utf-8")


def _print_table(result: sparql.Table, fmt: TableFormat) -> None:
    if fmt is TableFormat.json:
        sys.stdout.write(json.dumps([dict(zip(result.columns, row, strict=True)) for row in result.rows], ensure_ascii=False, indent=1) + "\n")
    elif fmt in (TableFormat.csv, TableFormat.tsv):
        writer = csv.writer(sys.stdout, delimiter="," if fmt is TableFormat.csv else "\t", lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
    else:
        table = RichTable(*result.columns, caption=f"{len(result.rows)} rows")
        for row in result.rows:
            table.add_row(*(_compact(cell) for cell in row))
        _stdout().print(table)


def _compact(cell: str) -> str:
    """IRIs in a table read better as prefixed names (id:country/IND); machine formats keep them whole."""
    for prefix, namespace in PREFIXES.items():
        if cell.startswith(str(namespace)) and " " not in cell:
            return f"{prefix}:{cell[len(str(namespace)):]}"
    return cell


def main() -> None:
    app()
