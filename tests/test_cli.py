"""The command line, end to end on the bundled examples, and its one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset
from conftest import EXAMPLES, SEED

from defence_kg.graph.cli import app
from defence_kg.graph.rdf import DERIVED_GRAPH, acts, country_iri
from defence_kg.graph.store import GraphStore
from defence_kg.ingest import extract, read_documents
from defence_kg.ontology import DKG


def test_build_writes_store_trig_and_html(built):
    assert (built / "store").is_dir()
    trig = Dataset().parse(built / "graph.trig", format="trig")
    assert any(trig.quads((None, DKG.meets, None, None)))
    assert (built / "graph.html").stat().st_size > 10_000


def test_query_who_met_whom_with_evidence(built, runner):
    result = runner.invoke(app, ["query", "who-met-whom", "--store", str(built / "store"), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    seed = [r for r in rows if {r["party"], r["other"]} == {"Rajnath Singh", "Sergei Shoigu"} and r["date"] == "2020-09-03"]
    assert len(seed) == 1
    assert seed[0]["date"] == "2020-09-03"
    assert "meeting with Russian Defence Minister" in seed[0]["evidence"]
    assert seed[0]["source"] == "https://pib.gov.in/PressReleasePage.aspx?PRID=1651150"


def test_query_text_and_csv(built, runner):
    query = "PREFIX dkg: <https://w3id.org/defence-kg/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?a a dkg:Act }"
    result = runner.invoke(app, ["query", query, "--store", str(built / "store"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    header, count = result.stdout.split()
    expected = sum(len(acts(found)) for _, found in extract(read_documents([EXAMPLES])))
    assert header == "n" and int(count) == expected


def test_rebuilding_into_the_same_store_adds_nothing(built, runner, tmp_path):
    out = tmp_path / "again"
    shutil.copytree(built, out)
    before = (out / "graph.trig").read_text()
    assert runner.invoke(app, ["build", str(EXAMPLES), "--out", str(out)]).exit_code == 0
    assert (out / "graph.trig").read_text().count(" a dkg:Meeting") == before.count(" a dkg:Meeting")


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda d: d / "missing.txt", "missing.txt: no such file or directory"),
        (lambda d: (d / "empty.txt").write_text("") and d / "empty.txt" or d / "empty.txt", "empty.txt: the file is empty"),
        (lambda d: (d / "docs").mkdir() or d / "docs", "docs: no readable documents"),
        (lambda d: (d / "bad.jsonl").write_text('\n{oops\n') and d / "bad.jsonl", "bad.jsonl:2: malformed JSON"),
    ],
    ids=["missing", "empty", "no-documents", "malformed-json"],
)
def test_bad_input_is_one_line_and_nothing_is_lost(tmp_path, built, setup, expected):
    """Run the installed command for real: exit status, stderr, and the store left as it was."""
    path = setup(tmp_path)
    out = tmp_path / "out"
    shutil.copytree(built, out)
    size = (out / "graph.trig").read_text()
    cli = Path(sys.executable).with_name("defence-kg")  # the console script of this environment
    for args in (["extract", str(path)], ["build", str(path), "--out", str(out)]):
        done = subprocess.run([cli, *args], capture_output=True, text=True)
        assert done.returncode == 1
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], done.stderr
        assert "Traceback" not in done.stderr and done.stdout == ""
    assert (out / "graph.trig").read_text() == size


def test_bad_inputs_are_skipped_and_the_rest_goes_in(tmp_path):
    """Each bad file, line or item is one line on stderr; the good ones are built; exit status 3."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus)
    (corpus / "empty.txt").write_text("")
    (corpus / "photo.txt").write_bytes(bytes(range(32)) * 64)
    (corpus / "mixed.jsonl").write_text('{"id": "ok", "text": "India and France signed an agreement."}\n{oops\n{"id": "x"}\n')
    (corpus / "latin1.txt").write_bytes("Défense: Russia supplied rifles to India.".encode("latin-1"))
    cli = Path(sys.executable).with_name("defence-kg")
    done = subprocess.run([cli, "build", str(corpus), tmp_path / "missing.txt", "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, env={"COLUMNS": "200", "PATH": ""})
    assert done.returncode == 3, done.stderr
    lines = [line for line in done.stderr.strip().splitlines() if not line.startswith("undated: ")]
    undated = [line for line in done.stderr.strip().splitlines() if line.startswith("undated: ")]
    assert [line.split(": ", 2)[1].rsplit("/", 1)[-1] for line in undated] == ["latin1.txt", "mixed.jsonl:1"]
    assert sorted(line.split(": ", 2)[1].rsplit("/", 1)[-1] for line in lines) == [
        "empty.txt", "missing.txt", "mixed.jsonl:2", "mixed.jsonl:3", "photo.txt"]
    assert all(line.startswith("skipped: ") for line in lines) and "Traceback" not in done.stderr
    summary = _summary(done.stdout)
    assert summary["documents"] == "3" and summary["inputs skipped"] == "5" and summary["of them undated"] == "2"
    with GraphStore(tmp_path / "out" / "store") as store:
        assert len(store.documents()) == 3
    manifest = [json.loads(line) for line in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()]
    assert sorted(m["status"] for m in manifest) == ["extracted"] * 3 + ["skipped"] * 5
    assert {m["id"] for m in manifest if "id" in m} == {SEED.stem, "ok", "latin1"}
    assert all(len(m["sha256"]) == 64 for m in manifest if "sha256" in m)


def test_bad_query_is_one_line(built, runner):
    result = runner.invoke(app, ["query", "SELECT ?x WHERE { ?x", "--store", str(built / "store")])
    assert result.exit_code == 1
    assert "SPARQL syntax error" in result.output and "Traceback" not in result.output


def test_query_without_store(tmp_path, runner):
    result = runner.invoke(app, ["query", "who-met-whom", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no store here" in result.output


def test_queries_lists_the_library_and_its_parameters(runner):
    result = runner.invoke(app, ["queries"], env={"COLUMNS": "250"})
    assert "who-met-whom" in result.output and "Who met whom" in result.output
    assert "country (country): The country whose partners are ranked" in result.output


def test_query_with_a_parameter(built, runner):
    result = runner.invoke(app, ["query", "partners", "--param", "country=India", "--store", str(built / "store"), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["countryName"] for r in rows} == {"India"} and rows[0]["partnerName"] == "Russia"


@pytest.mark.parametrize("args, message", [
    (["--param", "country=Atlantis"], "error: country=Atlantis: not a country"),
    (["--param", "country"], "error: country: a parameter is NAME=VALUE"),
    (["-p", "nation=India"], "error: nation: not a parameter of partners (country)"),
])
def test_bad_parameters_are_one_line(built, runner, args, message):
    result = runner.invoke(app, ["query", "partners", *args, "--store", str(built / "store")])
    assert result.exit_code == 1 and result.stderr.startswith(message) and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt, parse_as", [("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads"), ("json-ld", "json-ld")])
def test_export_rdf(built, runner, tmp_path, fmt, parse_as):
    out = tmp_path / f"graph.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "--out", str(out), "--store", str(built / "store")])
    assert result.exit_code == 0, result.output
    with GraphStore(built / "store") as store:
        triples, quads = len(store.union()), len(store)
    data = Dataset().parse(out, format=parse_as)
    assert len(list(data.quads())) == (triples if fmt == "turtle" else quads)


@pytest.mark.parametrize("level", ["entity", "country"])
def test_export_graphml_opens_in_networkx(built, runner, tmp_path, level):
    out = tmp_path / "network.graphml"
    result = runner.invoke(app, ["export", "--format", "graphml", "--level", level, "--out", str(out), "--store", str(built / "store")])
    assert result.exit_code == 0, result.output
    network = nx.read_graphml(out)
    relations = runner.invoke(app, ["query", "network", "--store", str(built / "store"), "--format", "json"])
    edges = json.loads(relations.stdout)
    if level == "entity":  # every act's pair of parties, and every party of an act naming an exercise or a weapon
        things = json.loads(runner.invoke(app, ["query", "things", "--store", str(built / "store"), "--format", "json"]).stdout)
        assert network.number_of_edges() == len(edges) + len(things)
    else:
        assert set(network.nodes) >= {str(country_iri(c)) for c in ("IND", "RUS", "FRA", "USA", "JPN")}
        assert all(network.nodes[n]["type"] == "Country" for n in network.nodes)
        assert {d["predicate"] for _, _, d in network.edges(data=True)} == {"meets", "visits", "invites", "exercisesWith", "coProduces", "supplies", "signsAgreementWith"}


def test_extract_table(runner):
    result = runner.invoke(app, ["extract", str(SEED), "--format", "table"], env={"COLUMNS": "200"})
    rows = [line for line in result.output.splitlines() if line.startswith("│")]
    assert result.exit_code == 0 and "evidence" in result.output and len(rows) == 6


def test_viz_with_filters(built, runner, tmp_path):
    out = tmp_path / "view.html"
    result = runner.invoke(app, ["viz", "--store", str(built / "store"), "--out", str(out), "--level", "entity",
                                 "--predicate", "meets", "--country", "Russia", "--since", "2021-01-01", "--size-by", "degree"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text().split('id="graph-data">')[1].split("</script>")[0])
    assert {e["relation"] for e in data["edges"]} == {"meets"}
    assert {n["label"] for n in data["nodes"]} == {"Rajnath Singh", "Sergei Shoigu", "India", "Russia", "China", "Kazakhstan"}
    assert data["sizeBy"] == "degree"


@pytest.mark.parametrize("args, message", [
    (["--since", "last year"], "error: --since last year: not a date (YYYY-MM-DD)"),
    (["--predicate", "befriends"], "error: --predicate befriends: not a relation"),
    (["--country", "Atlantis"], "error: --country=Atlantis: not a country"),
])
def test_viz_bad_options_are_one_line(built, runner, tmp_path, args, message):
    result = runner.invoke(app, ["viz", "--store", str(built / "store"), "--out", str(tmp_path / "v.html"), *args])
    assert result.exit_code == 1 and result.stderr.startswith(message), result.output


def _summary(output: str) -> dict[str, str]:
    return {cells[1].strip(): cells[2].strip() for line in output.splitlines() if (cells := line.split("│")) and len(cells) == 4}


def test_a_store_that_holds_a_corpus_gets_only_what_is_new(runner, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, corpus)
    out = tmp_path / "out"
    args = ["build", str(corpus), "--out", str(out)]
    first = _summary(runner.invoke(app, args, env={"COLUMNS": "200"}).stdout)
    again = _summary(runner.invoke(app, args, env={"COLUMNS": "200"}).stdout)
    statuses = {json.loads(line)["status"] for line in (out / "manifest.jsonl").read_text().splitlines()}
    assert statuses == {"unchanged"}
    assert first["new or changed, extracted"] == first["documents"] == again["documents"] == "11"
    assert again["new or changed, extracted"] == "0" and again["quads in store"] == first["quads in store"]
    release = corpus / "pib-team-01-india-france-agreement.txt"
    release.write_text(release.read_text().replace("Rafale", "Mirage"))
    changed = _summary(runner.invoke(app, args, env={"COLUMNS": "200"}).stdout)
    assert changed["new or changed, extracted"] == "1"
    with GraphStore(out / "store") as store:
        items = {row[0] for row in store.table("SELECT ?label WHERE { GRAPH ?g { ?act dkg:item/rdfs:label ?label } }").rows}
        evidence = " ".join(row[0] for row in store.table("SELECT ?e WHERE { GRAPH ?g { ?act dkg:evidence ?e } }").rows)
        updated = set(store.ntriples(DERIVED_GRAPH).splitlines())  # only the difference written
    assert "Rafale" not in items and "Mirage fighter jets" in evidence and "Rafale" not in evidence
    rebuilt = _summary(runner.invoke(app, [*args, "--rebuild"], env={"COLUMNS": "200"}).stdout)
    assert rebuilt["new or changed, extracted"] == "11" and rebuilt["quads in store"] == changed["quads in store"]
    with GraphStore(out / "store") as store:
        assert set(store.ntriples(DERIVED_GRAPH).splitlines()) == updated


def test_query_text_may_use_the_usual_prefixes_undeclared(built, runner):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?act rdf:type dkg:Meeting ; prov:wasDerivedFrom ?doc . ?doc dct:title ?t }"
    result = runner.invoke(app, ["query", query, "--store", str(built / "store"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert int(result.stdout.split()[1]) > 5
