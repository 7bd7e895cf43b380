"""Events: the same act reported by several documents is one event with every source and a count."""

from __future__ import annotations

import pytest

from defence_kg.graph.build import build
from defence_kg.graph.events import ActRow, events
from defence_kg.graph.store import GraphStore
from defence_kg.ingest import Document

MEETS = "https://w3id.org/defence-kg/ontology#meets"
EXERCISES = "https://w3id.org/defence-kg/ontology#exercisesWith"


def row(act: str, doc: str, day: str, *parties: str, relation: str = MEETS, exercise: str = "") -> ActRow:
    return ActRow(act, doc, relation, day, frozenset(parties), exercise=exercise)


@pytest.mark.parametrize(("days", "expected"), [
    (["2020-09-04", "2020-09-05"], [2]),                 # the next day's report
    (["2020-09-04", "2020-09-10", "2020-09-16"], [3]),   # each within a week of the one before
    (["2020-09-04", "2020-10-04"], [1, 1]),              # a month apart: two meetings
    (["2020-09-04", ""], [1, 1]),                        # an undated report stands apart
])
def test_reports_within_a_week_of_each_other_are_one_event(days, expected):
    rows = [row(f"a{i}", f"d{i}", day, "IND", "RUS") for i, day in enumerate(days)]
    assert [len(e.acts) for e in events(rows)] == expected


def test_other_parties_or_relations_are_other_events():
    rows = [row("a1", "d1", "2020-09-04", "IND", "RUS"), row("a2", "d2", "2020-09-04", "IND", "CHN"),
            row("a3", "d3", "2020-09-04", "IND", "RUS", relation=EXERCISES)]
    assert len(events(rows)) == 3


def test_one_exercise_edition_is_one_event_whoever_each_report_names():
    rows = [row("a1", "d1", "2020-11-03", "IND", "USA", "JPN", "AUS", relation=EXERCISES, exercise="x/malabar-2020"),
            row("a2", "d2", "2020-11-04", "IND", "USA", relation=EXERCISES, exercise="x/malabar-2020")]
    assert [len(e.acts) for e in events(rows)] == [2]


REPORTS = [
    Document("release", "Raksha Mantri Shri Rajnath Singh met Russian Defence Minister Sergei Shoigu in Moscow today.",
             date="2020-09-04"),
    Document("news", "India's Defence Minister Rajnath Singh held talks with Russian Defence Minister Sergei Shoigu in Moscow on Friday.",
             date="2020-09-05"),
    Document("later", "Indian Defence Minister Rajnath Singh met Russian Defence Minister Sergei Shoigu in New Delhi.",
             date="2021-12-06"),
]


def test_a_meeting_reported_twice_is_one_event_with_two_sources(tmp_path):
    with GraphStore(tmp_path / "store") as store:
        build(REPORTS, store)
        counts = store.table("""
            SELECT ?sources (COUNT(DISTINCT ?act) AS ?acts) WHERE {
              GRAPH <https://w3id.org/defence-kg/graph/derived> {
                ?event a dkg:Event ; dkg:eventRelation dkg:meets ; dkg:sourceCount ?sources ; dkg:reportedBy ?act .
              }
            } GROUP BY ?event ?sources ORDER BY ?sources""").rows
        partners = store.table("""
            SELECT (SUM(?e) AS ?events) (SUM(?n) AS ?acts) WHERE {
              GRAPH <https://w3id.org/defence-kg/graph/derived> {
                ?c dkg:ofCountry <https://w3id.org/defence-kg/id/country/IND> ;
                   dkg:withCountry <https://w3id.org/defence-kg/id/country/RUS> ;
                   dkg:countedRelation dkg:meets ; dkg:actCount ?n ; dkg:eventCount ?e .
              }
            }""").rows
        dangling = store.table("ASK { ?c dkg:eventCount ?n FILTER NOT EXISTS { ?c a dkg:PairCount } }").rows
    assert dangling == [["false"]]
    assert counts == [["1", "1"], ["2", "2"]]
    assert partners == [["2", "3"]]
