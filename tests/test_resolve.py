"""In-document resolution of mentions to canonical parties."""

from __future__ import annotations

import json

import pytest
from conftest import DATA

from defence_kg.ingest.countries import by_name, countries


def mentions(doc) -> dict[str, tuple[str, ...]]:
    return {doc[m.start:m.end].text: m.entity_ids for m in doc._.mentions}


def test_person_with_post_and_country(nlp):
    doc = nlp("Today, Raksha Mantri had a meeting with Russian Defence Minister, Gen. Sergei Shoigu, in Moscow.")
    shoigu = doc._.entities["person/sergei-shoigu"]
    assert (shoigu.label, shoigu.country, shoigu.role) == ("Sergei Shoigu", "RUS", "Defence Minister")
    assert mentions(doc)["Russian Defence Minister, Gen. Sergei Shoigu"] == ("person/sergei-shoigu",)


def test_title_and_surname_resolve_to_the_person(nlp):
    doc = nlp(
        "Raksha Mantri Shri Rajnath Singh met General Sergei Shoigu. "
        "Raksha Mantri thanked General Shoigu. RM later left."
    )
    found = mentions(doc)
    assert found["Raksha Mantri"] == ("person/rajnath-singh",)
    assert found["RM"] == ("person/rajnath-singh",)
    assert found["General Shoigu"] == ("person/sergei-shoigu",)
    singh = doc._.entities["person/rajnath-singh"]
    assert (singh.country, singh.role) == ("IND", "Defence Minister")


def test_forces_listed_before_a_plural_service(nlp):
    doc = nlp("The exercise was conducted by the Indian and Russia navies.")
    assert mentions(doc)["Indian and Russia navies"] == ("org/ind-navy", "org/rus-navy")
    assert doc._.entities["org/rus-navy"].label == "Russian Navy"


def test_force_not_in_the_vocabulary_is_named_from_the_demonym(nlp):
    doc = nlp("The Vietnamese and Indian navies held a passage exercise.")
    assert doc._.entities["org/vnm-navy"].label == "Vietnamese Navy"


@pytest.mark.parametrize(
    ("text", "phrase", "country"),
    [
        ("The Russian had responded to requests.", "Russian", "country/RUS"),
        ("He reiterated the commitment of the Russian side.", "Russian side", "country/RUS"),
        ("The U.S. and India signed a pact.", "U.S.", "country/USA"),
    ],
)
def test_demonyms_used_as_nouns_name_the_country(nlp, text, phrase, country):
    assert mentions(nlp(text))[phrase] == (country,)


def test_demonym_as_adjective_is_only_a_modifier(nlp):
    doc = nlp("The Russian defence industry grew.")
    assert [m.kind for m in doc._.mentions] == ["modifier"]


def test_city_stands_for_its_country_as_a_place(nlp):
    doc = nlp("The minister is visiting Moscow.")
    (mention,) = doc._.mentions
    assert (mention.entity_ids, mention.kind) == (("country/RUS",), "place")


def test_country_names_shared_by_territories_go_to_the_state():
    assert by_name()["Indian"].iso3 == "IND"
    assert by_name()["American"].iso3 == "USA"
    assert len(countries()) >= 249


def test_title_matches_its_holder_by_office_and_country(nlp):
    doc = nlp(
        "Defence Minister Rajnath Singh spoke with Defence Minister of Israel Lt Gen Benjamin Gantz. "
        "Raksha Mantri invited him. The Defence Minister of Israel accepted."
    )
    gantz = doc._.entities["person/benjamin-gantz"]
    assert (gantz.country, gantz.role) == ("ISR", "Defence Minister")
    titles = [(doc[m.start:m.end].text, m.entity_ids) for m in doc._.mentions if m.kind == "title"]
    assert ("Raksha Mantri", ("person/rajnath-singh",)) in titles
    assert titles[-1] == ("Defence Minister", ("person/benjamin-gantz",))  # "The Defence Minister of Israel accepted"


def test_first_name_alone_is_the_person(nlp):
    doc = nlp("Defense Minister Prabowo Subianto arrived in Washington. Officials said Prabowo will stay two days.")
    assert mentions(doc)["Prabowo"] == ("person/prabowo-subianto",)


PERSONS = [json.loads(line) for line in (DATA / "persons.jsonl").read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("case", PERSONS, ids=[c["case"] for c in PERSONS])
def test_person_country_from_the_words_around_the_name(nlp, case):
    doc = nlp(case["text"])
    persons = {e.label: e.country for e in doc._.entities.values() if e.type == "Person"}
    assert persons.get(case["person"]) == case["country"], persons
