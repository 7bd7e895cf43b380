"""`defence-kg evaluate`: the same figures as the reference scorer, and the regression guard on the dev set."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import DATA, SHARED

from defence_kg.graph.cli import app
from defence_kg.ingest.evaluate import evaluate, normalise

DEV = SHARED / "gold" / "dev.jsonl"
SCORER = SHARED / "gold" / "score.py"
RECORDED = json.loads((DATA / "extraction_scores.json").read_text())
TOLERANCE = 0.02

needs_gold = pytest.mark.skipif(not DEV.is_file(), reason="../shared/gold is not beside the project")


@pytest.mark.parametrize(
    ("label", "expected"),
    [("Raksha Mantri Shri Rajnath Singh", "rajnath singh"), ("Gen. Sergei Shoigu", "sergei shoigu"),
     ("Indian Army", "indian army"), ("the Russian side", "russian side"), ("India's", "india")],
)
def test_normalise(label, expected):
    assert normalise(label) == expected


def test_symmetric_order_and_surname_matching():
    gold = [{"id": "d", "entities": [
        {"name": "Rajnath Singh", "type": "Person", "country": "IND", "aliases": []},
        {"name": "Sergei Shoigu", "type": "Person", "country": "RUS", "aliases": []}],
        "relations": [{"predicate": "meets", "parties": ["Rajnath Singh", "Sergei Shoigu"]}]}]
    predicted = [{"id": "d", "relations": [{"predicate": "meets",
        "subject": {"label": "General Shoigu", "type": "Person", "country": "RUS"},
        "object": {"label": "Rajnath Singh", "type": "Person", "country": "IND"}}]}]
    result = evaluate(gold, predicted)
    for level in ("entity", "country"):
        assert result.row(level, "meets")["f1"] == 1.0


@pytest.fixture(scope="module")
def dev_report(runner):
    result = runner.invoke(app, ["evaluate", str(DEV), "--format", "json", "--misses"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@needs_gold
def test_figures_equal_the_reference_scorer(dev_report, runner, tmp_path):
    extracted = runner.invoke(app, ["extract", str(DEV)])
    (tmp_path / "pred.jsonl").write_text(extracted.stdout)
    reference = json.loads(subprocess.run(
        [sys.executable, str(SCORER), str(DEV), str(tmp_path / "pred.jsonl"), "--json", "--misses"],
        capture_output=True, text=True, check=True,
    ).stdout)
    for level in ("country", "entity"):
        for name, row in reference["report"][level].items():
            ours = dev_report["report"][level][name]
            for key in ("precision", "recall", "f1"):
                assert round(ours[key], 4) == row[key], (level, name, key)
            if name != "MACRO":
                assert (ours["tp"], ours["predicted"], ours["gold"]) == (row["tp"], row["predicted"], row["gold"])
    assert dev_report["misses"] == reference["misses"]


@needs_gold
def test_no_regression_on_the_dev_set(dev_report):
    country = dev_report["report"]["country"]["MACRO"]["f1"]
    entity = dev_report["report"]["entity"]["MACRO"]["f1"]
    assert country >= RECORDED["country_macro_f1"] - TOLERANCE, f"country-level macro-F1 fell to {country:.3f}"
    assert entity >= RECORDED["entity_macro_f1"] - TOLERANCE, f"entity-level macro-F1 fell to {entity:.3f}"


def test_bad_gold_file_is_one_line(tmp_path, runner):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n')
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 1 and "gold.jsonl:1: not a gold record" in result.output
