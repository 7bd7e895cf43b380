"""Scoring extraction against gold files written to ../shared/gold/GUIDELINES.md.

Relations are compared as sets per document, at two levels: entity level (predicate, subject,
object, parties matched to gold entities by name, alias or unique surname) and country level
(predicate and the parties' countries; same-country pairs dropped). Precision, recall and F1 are
counted per predicate over all documents; the headline is their macro average.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any

from .errors import InputError
from .records import PREDICATES, SYMMETRIC
from .vocab import data_text

LEVELS = ("country", "entity")
Key = tuple[str, str, str]


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    lines = (line for line in data_text("title_words.txt").splitlines() if not line.startswith("#"))
    return frozenset(word for line in lines for word in line.split())


def normalise(label: str) -> str:
    """Lower-case, punctuation and possessive "'s" removed, leading titles dropped."""
    text = re.sub(r"['\u2019]s\b", "", (label or "").lower())
    words = re.sub(r"[^\w\s]", " ", text).split()
    start = 0
    while start < len(words) - 1 and words[start] in _title_words():
        start += 1
    return " ".join(words[start:])


def _pair(predicate: str, a: str, b: str) -> Key:
    if predicate in SYMMETRIC and b < a:
        a, b = b, a
    return (predicate, a, b)


class _GoldParties:
    """Matches predicted party labels to the gold entities of one document."""

    def __init__(self, entities: list[dict[str, Any]]) -> None:
        self.by_name = {e["name"]: e for e in entities}
        self.names: dict[str, str] = {}
        for entity in entities:
            for label in (entity["name"], *entity.get("aliases", [])):
                self.names.setdefault(normalise(label), entity["name"])
        surnames: dict[str, set[str]] = defaultdict(set)
        for entity in entities:
            if entity["type"] == "Person":
                surnames[normalise(entity["name"]).split()[-1]].add(entity["name"])
        self.surnames = {s: next(iter(n)) for s, n in surnames.items() if len(n) == 1}

    def match(self, party: dict[str, Any]) -> str | None:
        key = normalise(party.get("label", ""))
        if key in self.names:
            return self.names[key]
        if party.get("type") in (None, "Person") and key:
            return self.surnames.get(key.split()[-1])
        return None


def gold_pairs(document: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """A gold document's relations as (predicate, subject name, object name), every pair of a group."""
    for relation in document.get("relations", []):
        predicate = relation["predicate"]
        if predicate in SYMMETRIC:
            for a, b in combinations(relation["parties"], 2):
                yield predicate, a, b
        else:
            yield predicate, relation["subject"], relation["object"]


@dataclass
class Counts:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def scores(self) -> dict[str, float]:
        p = self.tp / self.predicted if self.predicted else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


@dataclass
class Evaluation:
    counts: dict[str, dict[str, Counts]] = field(default_factory=lambda: {lvl: defaultdict(Counts) for lvl in LEVELS})
    misses: list[dict[str, Any]] = field(default_factory=list)

    def row(self, level: str, predicate: str) -> dict[str, float]:
        counts = self.counts[level][predicate]
        return {"tp": counts.tp, "predicted": counts.predicted, "gold": counts.gold, **counts.scores()}

    def total(self, level: str) -> dict[str, float]:
        total = Counts()
        for predicate in PREDICATES:
            c = self.counts[level][predicate]
            total.tp, total.predicted, total.gold = total.tp + c.tp, total.predicted + c.predicted, total.gold + c.gold
        return {"tp": total.tp, "predicted": total.predicted, "gold": total.gold, **total.scores()}

    def macro(self, level: str) -> dict[str, float]:
        present = [self.row(level, p) for p in PREDICATES if self.counts[level][p].gold or self.counts[level][p].predicted]
        # averaged over per-predicate figures rounded to four places, as the reference scorer does
        return {key: sum(round(r[key], 4) for r in present) / len(present) if present else 0.0
                for key in ("precision", "recall", "f1")}


def evaluate(gold: Iterable[dict[str, Any]], predicted: Iterable[dict[str, Any]]) -> Evaluation:
    """Score predicted documents (the `extract --format jsonl` contract) against gold documents."""
    by_id = {d["id"]: d.get("relations", []) for d in predicted}
    result = Evaluation()
    for document in gold:
        entities = {e["name"]: e for e in document.get("entities", [])}
        parties = _GoldParties(document.get("entities", []))
        gold_entity = {_pair(p, a, b) for p, a, b in gold_pairs(document)}
        gold_country = set()
        for p, a, b in gold_pairs(document):
            ca = entities[a].get("country") or normalise(a)
            cb = entities[b].get("country") or normalise(b)
            if ca != cb:
                gold_country.add(_pair(p, ca, cb))
        found_entity, found_country = set(), set()
        for relation in by_id.get(document["id"], []):
            predicate = relation.get("predicate")
            if predicate not in PREDICATES:
                continue
            subject, object_ = relation.get("subject", {}), relation.get("object", {})
            ms, mo = parties.match(subject), parties.match(object_)
            cs = subject.get("country") or normalise(ms or subject.get("label", ""))
            co = object_.get("country") or normalise(mo or object_.get("label", ""))
            if cs and co and cs != co:
                found_country.add(_pair(predicate, cs, co))
            found_entity.add(_pair(
                predicate, ms or "?" + normalise(subject.get("label", "")), mo or "?" + normalise(object_.get("label", ""))
            ))
        for level, expected, found in (("country", gold_country, found_country), ("entity", gold_entity, found_entity)):
            for key in expected | found:
                counts = result.counts[level][key[0]]
                counts.tp += key in expected and key in found
                counts.predicted += key in found
                counts.gold += key in expected
        result.misses.append({
            "id": document["id"],
            "missed": sorted(map(list, gold_entity - found_entity)),
            "spurious": sorted(map(list, found_entity - gold_entity)),
        })
    return result


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    """A gold file; a malformed line or a record without relations is a one-line error."""
    out = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}", f"malformed JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(record, dict) or "relations" not in record or "entities" not in record:
            raise InputError(f"{path}:{number}", "not a gold record (needs 'entities' and 'relations')")
        out.append(record)
    return out
