"""The seed release scored by the reference scorer of ../shared/gold: all six relations, nothing else."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import SEED, SHARED

from defence_kg.graph.cli import app

GOLD = SHARED / "gold" / "dev.jsonl"
SCORER = SHARED / "gold" / "score.py"
SEED_ID = "seed-1651150"

pytestmark = pytest.mark.skipif(not GOLD.is_file(), reason="../shared/gold is not beside the project")


def test_seed_scores_perfectly(tmp_path, runner):
    result = runner.invoke(app, ["extract", str(SEED), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    predicted = json.loads(result.stdout)
    assert predicted["id"] == SEED.stem
    predicted["id"] = SEED_ID  # the gold file names the seed by its release
    gold = next(line for line in GOLD.read_text().splitlines() if json.loads(line)["id"] == SEED_ID)
    (tmp_path / "gold.jsonl").write_text(gold + "\n")
    (tmp_path / "pred.jsonl").write_text(json.dumps(predicted) + "\n")
    scored = subprocess.run(
        [sys.executable, str(SCORER), str(tmp_path / "gold.jsonl"), str(tmp_path / "pred.jsonl"), "--json", "--misses"],
        capture_output=True, text=True, check=True,
    )
    report = json.loads(scored.stdout)
    entity = report["report"]["entity"]["TOTAL"]
    assert (entity["tp"], entity["predicted"], entity["gold"]) == (6, 6, 6)
    assert report["report"]["country"]["TOTAL"]["f1"] == 1.0
    assert report["misses"][0]["spurious"] == [] and report["misses"][0]["missed"] == []


def test_extract_output_contract(runner):
    result = runner.invoke(app, ["extract", str(SEED)])
    relation = json.loads(result.stdout)["relations"][0]
    assert set(relation) >= {"predicate", "subject", "object", "evidence", "start", "end", "confidence", "rule"}
    assert set(relation["subject"]) == {"label", "type", "country", "id"}
    text = SEED.read_text(encoding="utf-8")
    assert text[relation["start"]:relation["end"]] == relation["evidence"]
