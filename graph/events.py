"""Events: the same act reported by several documents, merged into one.

Each document's graph holds the acts it states; two releases about one meeting hold two acts. An
event gathers the acts of one relation between the same parties (for an exercise: the same
edition, whoever took part) whose dates lie within `WINDOW_DAYS` of the one before, and counts its
sources once per document. Counting events rather than reports is what keeps a much-reported
meeting from outweighing three quiet ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.resources import files

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from defence_kg.ontology import DKG

from .rdf import BASE, Triple

WINDOW_DAYS = 7
EVENT = BASE + "event/"
COUNT = BASE + "count/"


def _derive_text(name: str) -> str:
    return files(__package__).joinpath("queries", "events", name).read_text(encoding="utf-8")


def event_acts_query() -> str:
    return _derive_text("event-acts.rq")


def party_countries_query() -> str:
    return _derive_text("party-countries.rq")


def act_rows(table_rows: list[list[str]]) -> list[ActRow]:
    """The rows of `event_acts_query` (act, doc, relation, date, exercise, item, subject, object, parties)."""
    return [ActRow(act, doc, relation, day, frozenset(parties.split()), subject, object_, exercise, item)
            for act, doc, relation, day, exercise, item, subject, object_, parties in table_rows]


@dataclass(frozen=True)
class ActRow:
    act: str
    doc: str
    relation: str
    date: str  # ISO date or ""
    parties: frozenset[str]
    subject: str = ""
    object: str = ""
    exercise: str = ""
    item: str = ""

    @property
    def key(self) -> tuple[str, ...]:
        """What two reports must share to be the same event."""
        if self.exercise:
            return (self.relation, "exercise", self.exercise)
        if self.subject:
            return (self.relation, self.subject, self.object, self.item)
        return (self.relation, *sorted(self.parties), self.item)


@dataclass
class Event:
    key: tuple[str, ...]
    acts: list[ActRow] = field(default_factory=list)

    @property
    def dates(self) -> list[str]:
        return sorted(a.date for a in self.acts if a.date)

    @property
    def iri(self) -> URIRef:
        first = self.dates[0] if self.dates else "undated"
        return URIRef(EVENT + hashlib.md5(" ".join((*self.key, first)).encode()).hexdigest())


def events(rows: list[ActRow], window: int = WINDOW_DAYS) -> list[Event]:
    """Acts grouped by key, then split wherever two consecutive dates lie more than `window` days
    apart; the undated acts of a key make one event of their own."""
    by_key: dict[tuple[str, ...], list[ActRow]] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row)
    out: list[Event] = []
    for key, acts in sorted(by_key.items()):
        dated = sorted((a for a in acts if a.date), key=lambda a: (a.date, a.act))
        undated = sorted((a for a in acts if not a.date), key=lambda a: a.act)
        current: Event | None = None
        for act in dated:
            day = date.fromisoformat(act.date)
            if current is None or day - date.fromisoformat(current.dates[-1]) > timedelta(days=window):
                current = Event(key)
                out.append(current)
            current.acts.append(act)
        if undated:
            out.append(Event(key, undated))
    return out


def pair_counts(rows: list[ActRow], found: list[Event], countries: dict[tuple[str, str], set[str]]) -> Iterator[Triple]:
    """A `dkg:PairCount` per country, partner country, relation and year (or undated): how many acts
    join parties of the two countries (`dkg:actCount`) and how many events those acts report
    (`dkg:eventCount`; an event counts in the year of its first such act). `countries` gives each
    (document, party) its countries as that document's graph states them."""
    def pairs(act: ActRow) -> Iterator[tuple[str, str]]:
        codes = {c for party in act.parties for c in countries.get((act.doc, party), ())}
        return ((country, partner) for country in codes for partner in codes - {country})

    def year(act: ActRow) -> str:
        return str(int(act.date[:4])) if act.date else "undated"

    acts: dict[tuple[str, str, str, str], set[str]] = {}
    for act in rows:
        for country, partner in pairs(act):
            acts.setdefault((country, partner, act.relation, year(act)), set()).add(act.act)
    reported: dict[tuple[str, str, str, str], int] = {}
    for event in found:
        first: dict[tuple[str, str], str] = {}
        for act in sorted(event.acts, key=lambda a: a.date or "9999"):
            for pair in pairs(act):
                first.setdefault(pair, year(act))
        for (country, partner), when in first.items():
            key = (country, partner, event.acts[0].relation, when)
            reported[key] = reported.get(key, 0) + 1
    # each term looked up once: a DefinedNamespace builds a new URIRef at every attribute access
    pair_count, of_country, with_country, counted_relation, counted_year, act_count, event_count = (
        DKG.PairCount, DKG.ofCountry, DKG.withCountry, DKG.countedRelation, DKG.countedYear, DKG.actCount, DKG.eventCount)
    for key, counted in sorted(acts.items()):
        country, partner, relation, when = key
        node = URIRef(COUNT + hashlib.md5(" ".join(key).encode()).hexdigest())
        yield node, RDF.type, pair_count
        yield node, of_country, URIRef(country)
        yield node, with_country, URIRef(partner)
        yield node, counted_relation, URIRef(relation)
        if when != "undated":
            yield node, counted_year, Literal(int(when))
        yield node, act_count, Literal(len(counted))
        yield node, event_count, Literal(reported.get(key, 0))


def event_triples(found: list[Event]) -> Iterator[Triple]:
    event_class, event_relation, involves, reported_by, source_count, first_date, last_date = (
        DKG.Event, DKG.eventRelation, DKG.involves, DKG.reportedBy, DKG.sourceCount, DKG.firstDate, DKG.lastDate)
    for event in found:
        node = event.iri
        yield node, RDF.type, event_class
        yield node, event_relation, URIRef(event.acts[0].relation)
        for party in sorted({p for a in event.acts for p in a.parties}):
            yield node, involves, URIRef(party)
        for act in event.acts:
            yield node, reported_by, URIRef(act.act)
        documents = sorted({a.doc for a in event.acts})
        for doc in documents:
            yield node, PROV.wasDerivedFrom, URIRef(doc)
        yield node, source_count, Literal(len(documents))
        if event.dates:
            yield node, first_date, Literal(event.dates[0], datatype=XSD.date)
            yield node, last_date, Literal(event.dates[-1], datatype=XSD.date)
