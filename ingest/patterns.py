"""EntityRuler patterns built from the vocabulary; each carries the canonical id as its `id`."""

from __future__ import annotations

from typing import Any

from .countries import by_name, demonyms
from .places import large_capitals
from .vocab import exercises, organisations, posts, read_csv, weapons

COUNTRY, DEMONYM, ORG, POST, EXERCISE, WEAPON, SHIP = "COUNTRY", "DEMONYM", "ORG", "POST", "EXERCISE", "WEAPON", "SHIP"
RULER_LABELS = frozenset({COUNTRY, DEMONYM, ORG, POST, EXERCISE, WEAPON, SHIP})

EXERCISE_WORDS = ["exercise", "exercises", "drill", "drills", "wargame", "wargames"]
EXERCISE_QUALIFIERS = ["naval", "navy", "army", "air", "joint", "military", "bilateral", "maritime", "combined"]


def entity_patterns() -> list[dict[str, Any]]:
    """All patterns for the ruler that runs ahead of spaCy's statistical NER."""
    patterns: list[dict[str, Any]] = []
    adjectives = demonyms()
    for name, country in by_name().items():
        patterns.append({"label": DEMONYM if name in adjectives else COUNTRY, "pattern": name, "id": country.id})
    for label, terms in ((ORG, organisations()), (POST, posts()), (WEAPON, weapons())):
        for term in terms.values():
            patterns += [{"label": label, "pattern": name, "id": term.id} for name in term.names]
    for term in posts().values():  # "the defence minister is in Bishkek": posts are written in lower case too
        lower = {name.lower() for name in term.names if len(name) > 3 and not name.isupper()} - set(term.names)
        patterns += [{"label": POST, "pattern": name, "id": term.id} for name in sorted(lower)]
    for term in exercises().values():
        patterns += _exercise_patterns(term.id, term.names, term.standalone)
    for row in read_csv("ship_prefixes.csv"):  # "INS Sahyadri", "Indian Naval Ship Sahyadri"
        name = [{"IS_TITLE": True, "OP": "+"}]
        for prefix in (row["prefix"], row["long_form"]):
            form = [{"TEXT": word} for word in prefix.split()] + name
            patterns.append({"label": SHIP, "pattern": form, "id": f"ship/{row['iso3']}"})
    # capitals spaCy's NER sometimes misses ("Kyiv"); resolution decides whether one is a place or a government
    patterns += [{"label": "GPE", "pattern": form, "id": f"country/{iso3}"}
                 for name, iso3 in large_capitals().items() for form in {name, name.upper()}]  # datelines: "ISLAMABAD -"
    return patterns


def _exercise_patterns(term_id: str, names: tuple[str, ...], standalone: bool) -> list[dict[str, Any]]:
    """ "Indra Naval Exercises", "Exercise Indra", "Indra-2020", and the bare name where it is unambiguous."""
    out = []
    for name in names:
        tokens = [{"TEXT": word} for word in name.split()]
        word = {"LOWER": {"IN": EXERCISE_WORDS}}
        qualifier = {"LOWER": {"IN": EXERCISE_QUALIFIERS}, "OP": "*"}
        year = [{"TEXT": "-", "OP": "?"}, {"SHAPE": "dddd"}]
        forms = [tokens + [qualifier, word], [word] + tokens, tokens + year]
        if standalone:
            forms.append(tokens)
        out += [{"label": EXERCISE, "pattern": form, "id": term_id} for form in forms]
    return out


def token_words(spec: dict[str, Any]) -> tuple[str, frozenset[str]]:
    """The words a token pattern (a Matcher spec, a DependencyMatcher node's RIGHT_ATTRS) must be:
    its LEMMA, LOWER or TEXT, one value or an IN set; ("", {}) for one not tied to words. Rules are
    tried only on text holding such words."""
    for attr in ("LEMMA", "LOWER", "TEXT"):
        value = spec.get(attr)
        if isinstance(value, str):
            return attr, frozenset({value})
        if isinstance(value, dict) and set(value) == {"IN"}:
            return attr, frozenset(value["IN"])
    return "", frozenset()
