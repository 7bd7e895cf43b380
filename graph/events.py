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

from rdflib import URIRef
from rdflib.namespace import PROV, RDF, XSD

from defence_kg.ontology import DKG

from .rdf import BASE

WINDOW_DAYS = 7
EVENT = BASE + "event/"
COUNT = BASE + "count/"
INTEGER, DATE = XSD.integer.n3(), XSD.date.n3()


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


def _iri(value: str) -> str:
    """An IRI the store gave, or one made here of hex digits: N-Triples as it is, nothing to escape."""
    return f"<{value}>"


def _integer(value: int) -> str:
    return f'"{value}"^^{INTEGER}'


def _date(iso: str) -> str:
    return f'"{iso}"^^{DATE}'


def _n3(*terms: URIRef) -> list[str]:
    return [term.n3() for term in terms]


def pair_count_ntriples(rows: list[ActRow], found: list[Event], countries: dict[tuple[str, str], set[str]]) -> Iterator[str]:
    """A `dkg:PairCount` per country, partner country, relation and year (or undated): how many acts
    join parties of the two countries (`dkg:actCount`) and how many events those acts report
    (`dkg:eventCount`; an event counts in the year of its first such act). `countries` gives each
    (document, party) its countries as that document's graph states them. As N-Triples lines, like
    `event_ntriples`."""
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
    rdf_type, pair_count, of_country, with_country, counted_relation, counted_year, act_count, event_count = _n3(
        RDF.type, DKG.PairCount, DKG.ofCountry, DKG.withCountry, DKG.countedRelation, DKG.countedYear, DKG.actCount, DKG.eventCount)
    for key, counted in sorted(acts.items()):
        country, partner, relation, when = key
        node = _iri(COUNT + hashlib.md5(" ".join(key).encode()).hexdigest())
        yield f"{node} {rdf_type} {pair_count} ."
        yield f"{node} {of_country} {_iri(country)} ."
        yield f"{node} {with_country} {_iri(partner)} ."
        yield f"{node} {counted_relation} {_iri(relation)} ."
        if when != "undated":
            yield f"{node} {counted_year} {_integer(int(when))} ."
        yield f"{node} {act_count} {_integer(len(counted))} ."
        yield f"{node} {event_count} {_integer(reported.get(key, 0))} ."


def event_ntriples(found: list[Event]) -> Iterator[str]:
    """The events as N-Triples lines. Written as text, not rdflib terms: at 20,000 events and 80,000
    counts the terms took half a second of a build's serial end (every value here is an IRI from
    the store, a digest, a number or an ISO date, so nothing needs escaping)."""
    rdf_type, event_class, event_relation, involves, reported_by, derived_from, source_count, first_date, last_date = _n3(
        RDF.type, DKG.Event, DKG.eventRelation, DKG.involves, DKG.reportedBy, PROV.wasDerivedFrom, DKG.sourceCount,
        DKG.firstDate, DKG.lastDate)
    for event in found:
        node = _iri(event.iri)
        yield f"{node} {rdf_type} {event_class} ."
        yield f"{node} {event_relation} {_iri(event.acts[0].relation)} ."
        for party in sorted({p for a in event.acts for p in a.parties}):
            yield f"{node} {involves} {_iri(party)} ."
        for act in event.acts:
            yield f"{node} {reported_by} {_iri(act.act)} ."
        documents = sorted({a.doc for a in event.acts})
        for doc in documents:
            yield f"{node} {derived_from} {_iri(doc)} ."
        yield f"{node} {source_count} {_integer(len(documents))} ."
        if event.dates:
            yield f"{node} {first_date} {_date(event.dates[0])} ."
            yield f"{node} {last_date} {_date(event.dates[-1])} ."
