"""A document's home country: the country whose release or newspaper it is. A person named with a
post but no country ("Defense Secretary Pete Hegseth" in a US release) is taken to be of it."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import lru_cache
from urllib.parse import urlparse

import pycountry

from .countries import by_name
from .places import country_of_city
from .records import COUNTRY, PERSON, Document, Entity, Mention, Relation
from .vocab import read_csv


DASHES = frozenset({"—", "–", "--"})


@lru_cache(maxsize=1)
def _domains() -> dict[str, str]:
    """Top-level domains to a country; an empty one (.tv, .io, ...) is sold to anyone and says nothing."""
    return {row["domain"]: row["iso3"] for row in read_csv("domains.csv")}


def home_country(document: Document, mentions: list[Mention], entities: dict[str, Entity], dateline: str = "") -> str:
    """From the source's country-code domain (pib.gov.in -> IND), else the country the text names
    most, the dateline's ("WASHINGTON, September 17 —", an entity id) among those named most."""
    host = urlparse(document.url).hostname or ""
    suffix = host.rsplit(".", 1)[-1].lower() if "." in host else ""
    if suffix in _domains():
        if _domains()[suffix]:
            return _domains()[suffix]
    elif len(suffix) == 2 and (country := pycountry.countries.get(alpha_2=suffix.upper())) is not None:
        return country.alpha_3
    counts = _country_counts(mentions, entities)
    ranked = counts.most_common()
    place = entities[dateline].country if dateline in entities else ""
    if place and (not ranked or counts[place] == ranked[0][1]):
        return place  # the dateline breaks a tie
    return ranked[0][0] if ranked else ""


def named_countries(mentions: list[Mention], entities: dict[str, Entity]) -> list[str]:
    """The countries a text names, the most named first."""
    return [iso3 for iso3, _ in _country_counts(mentions, entities).most_common()]


def _country_counts(mentions: list[Mention], entities: dict[str, Entity]) -> Counter[str]:
    return Counter(
        entities[i].country for m in mentions if m.kind == "name" for i in m.entity_ids if entities[i].type == COUNTRY
    )


def dateline_place(doc) -> str:
    """The country of a dateline ("Bishkek: ...", "WASHINGTON, September 17, 2015 — ...", "New Delhi
    [India], Aug 20", "Jakarta" on a line of its own above the date): a city opening a line and
    followed by a colon, a comma and a dash, a bracketed country, or a date. "" when the text has none."""
    for mention in doc._.mentions:
        text = doc[mention.start:mention.end].text
        if mention.kind not in ("place", "name") or text in by_name() or not country_of_city(text):
            continue  # a city: a line opening with a country name is a sentence
        start = mention.start - 1 if mention.start > 0 and doc[mention.start - 1].text == "New" else mention.start  # "New Delhi"
        opens_line = start == 0 or "\n" in doc[start - 1].text_with_ws
        after = [t for t in doc[mention.end:mention.end + 12] if not t.is_space]
        follows = after[0].text if after else ""
        dashed = any(t.text in DASHES for t in after)
        alone = mention.end < len(doc) and doc[mention.end].is_space and "\n" in doc[mention.end].text  # "Jakarta" on its own line
        dated = any(t.ent_type_ == "DATE" for t in after[:3]) and (alone or follows == "," or after[0].ent_type_ == "DATE")
        closing = next((n for n, t in enumerate(after[:6]) if t.text in ("]", ")")), 0) if follows in ("[", "(") else 0
        bracketed = closing == 2 or (closing and len(after) > closing + 1 and after[closing + 1].text in DASHES | {"-"})  # "ISLAMABAD (Web Desk) -"
        if opens_line and (follows == ":" or (follows == "," and dashed) or dated or bracketed):
            return mention.entity_ids[0]
    return ""


def with_dateline_place(relations: list[Relation], place: str) -> list[Relation]:
    """Meetings whose sentence names no place took place where the dateline says."""
    if not place:
        return relations
    return [replace(r, place=place) if r.predicate == "meets" and not r.place else r for r in relations]


def with_home_country(relations: list[Relation], home: str, dateline: str = "", named: list[str] | None = None) -> list[Relation]:
    """Persons with no country get the home country, or the dateline's (an entity id's
    country code after "country/") where the home country would make the act domestic: a reported act
    crosses a border ("US Defense Secretary Mark Esper invited Defense Minister Prabowo", from Jakarta).
    A visitor is of none of the countries it visits: the next country the text names most (`named`).
    A guess that still makes the pair domestic is not made."""
    if not home:
        return relations
    place = dateline.split("/", 1)[1] if dateline.startswith("country/") else ""

    def fill(entity: Entity, other: Entity, visit: bool) -> Entity:
        if entity.type != PERSON or entity.country:
            return entity
        guesses = [place] if other.country == home and place else []
        guesses += [home, place, *(named or [])] if visit else [home]
        guess = next((g for g in guesses if g and g != other.country), "")
        return replace(entity, country=guess) if guess else entity

    out = []
    for r in relations:
        subject = fill(r.subject, r.object, r.predicate == "visits")
        out.append(replace(r, subject=subject, object=fill(r.object, subject, False)))  # against the subject as filled
    return out


def with_host_country(relations: list[Relation]) -> list[Relation]:
    """A person of no known country whom a visitor meets, or who invites the visitor, in the sentence
    that states the visit is of the visited country ("X visited Poland at the invitation of Minister Y")."""
    hosts: dict[tuple[int, str], str] = {
        (r.start, r.subject.id): r.object.country for r in relations if r.predicate == "visits" and r.object.country
    }
    if not hosts:
        return relations

    def fill(entity: Entity, visitor: Entity, start: int) -> Entity:
        country = hosts.get((start, visitor.id), "")
        if entity.type == PERSON and not entity.country and country and country != visitor.country:
            return replace(entity, country=country)
        return entity

    out = []
    for r in relations:
        if r.predicate in ("meets", "invites"):
            r = replace(r, subject=fill(r.subject, r.object, r.start), object=fill(r.object, r.subject, r.start))
        out.append(r)
    return out
