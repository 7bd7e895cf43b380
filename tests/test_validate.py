"""`defence-kg validate` and `defence-kg ontology` on real graphs: the examples, the dev set, broken files."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from conftest import DATA, SHARED
from rdflib import Graph

from defence_kg.graph.cli import app
from defence_kg.graph.store import GraphStore
from defence_kg.graph.validate import inconsistencies
from defence_kg.ontology import load_ontology

DEV = SHARED / "gold" / "dev.jsonl"


def test_examples_conform_and_are_consistent(built, runner):
    result = runner.invoke(app, ["validate", "--store", str(built / "store"), "--owl"])
    assert result.exit_code == 0, result.output
    assert "conform to the defence-kg shapes; OWL 2 RL: consistent" in result.output


def test_trig_export_validates_too(built, runner):
    result = runner.invoke(app, ["validate", str(built / "graph.trig")])
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(not DEV.is_file(), reason="../shared/gold is not beside the project")
def test_dev_set_graph_conforms(tmp_path, runner):
    """SHACL only: owlrl takes minutes on a graph this size; OWL RL runs on the examples above."""
    out = tmp_path / "dev"
    assert runner.invoke(app, ["build", str(DEV), "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["validate", "--store", str(out / "store")])
    assert result.exit_code == 0, result.output
    with GraphStore(out / "store") as store:
        assert len(store.documents()) == 85


def test_violations_are_listed_and_exit_is_nonzero(tmp_path, runner):
    broken = (DATA / "shapes" / "base.ttl").read_text().replace('dkg:countryCode "IND"', 'dkg:countryCode "India"')
    path = tmp_path / "broken.ttl"
    path.write_text(broken)
    result = runner.invoke(app, ["validate", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "CountryShape" in result.output and "do not conform" in result.output


def test_unreadable_file_is_one_line(tmp_path, runner):
    path = tmp_path / "bad.ttl"
    path.write_text("<a> <b> .")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "bad.ttl: cannot be read as RDF" in result.output and "Traceback" not in result.output


def test_ontology_alone_is_consistent():
    assert inconsistencies(Graph()) == []
    assert len(load_ontology()) > 300


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_ontology_page(runner):
    result = runner.invoke(app, ["ontology", "--format", "html"])
    assert result.exit_code == 0
    page = _Text()
    page.feed(result.stdout)
    text = " ".join(page.text)
    assert "script" not in page.tags
    for expected in ("dkg:ExerciseEdition", "dkg:meets", "symmetric", "close: 057 Sign formal agreement", "ActShape"):
        assert expected in text


def test_ontology_turtle_round_trips(runner):
    result = runner.invoke(app, ["ontology", "--format", "ttl"])
    assert len(Graph().parse(data=result.stdout, format="turtle")) == len(load_ontology())
