"""The wheel installs the three packages under defence_kg and no generic top-level module."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_holds_only_the_defence_kg_namespace(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("defence_kg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"defence_kg"}
    for data in ("ontology/defence.ttl", "graph/queries/who-met-whom.rq", "ingest/data/relations.json"):
        assert f"defence_kg/{data}" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "defence-kg = defence_kg.graph.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
