"""A document's home country, and persons with a post but no country taking it."""

from __future__ import annotations

import pytest

from defence_kg.ingest import extract
from defence_kg.ingest.home import dateline_place, home_country
from defence_kg.ingest.records import Document


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        ("https://pib.gov.in/PressReleasePage.aspx?PRID=1", "India and Japan met.", "IND"),
        ("https://www.defense.gov/News/Releases/", "India and Japan met.", "USA"),
        ("https://www.gov.uk/government/news/x", "India and Japan met.", "GBR"),
        ("https://www.adaderana.lk/news/1", "India and Japan met.", "LKA"),
        ("https://example.com/a", "Japan and India met. Japan said so. Japan agreed.", "JPN"),
        ("", "No country here at all.", ""),
    ],
)
def test_home_country(nlp, url, text, expected):
    doc = nlp(text)
    assert home_country(Document("d", text, url=url), doc._.mentions, doc._.entities) == expected


def test_person_with_post_takes_the_home_country(nlp):
    text = "Defense Secretary Pete Hegseth met Philippine Defense Secretary Gilberto Teodoro in Manila."
    (document, relations), = extract([Document("d", text, url="https://www.defense.gov/News/1")], nlp)
    parties = {r.subject.label: r.subject.country for r in relations} | {r.object.label: r.object.country for r in relations}
    assert parties["Pete Hegseth"] == "USA"
    assert parties["Gilberto Teodoro"] == "PHL"  # a stated country is kept
    assert {(r.predicate, r.subject.label, r.object.label) for r in relations} >= {("visits", "Pete Hegseth", "Philippines")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bishkek: Defence Minister Nirmala Sitharaman held a meeting with Chinese Defence Minister Wei Fenghe.", "country/KGZ"),
        ("Moscow, September 3 — The ministers met.", "country/RUS"),
        ("India, Russia and China met in Astana.", ""),  # a sentence, not a dateline
        ("New Delhi [India], Aug 20 (ANI): The ministers met.", "country/IND"),
        ("Alya Nurbaiti (The Jakarta Post)\nJakarta\nThu, October 8, 2020\n\nThe minister was invited.", "country/IDN"),
        ("WASHINGTON, September 17, 2015 — The secretary will host the minister.", "country/USA"),
        ("The ministers met in Moscow, the capital.", ""),
    ],
)
def test_dateline_place(nlp, text, expected):
    assert dateline_place(nlp(text)) == expected


def test_meeting_under_a_dateline_is_a_visit_for_the_foreigner(nlp):
    text = "Bishkek: Indian Defence Minister Nirmala Sitharaman held a bilateral meeting with Chinese Defence Minister Wei Fenghe."
    (_, relations), = extract([Document("d", text)], nlp)
    visits = {(r.subject.label, r.object.label) for r in relations if r.predicate == "visits"}
    assert visits == {("Nirmala Sitharaman", "Kyrgyzstan"), ("Wei Fenghe", "Kyrgyzstan")}


@pytest.mark.parametrize(
    ("text", "person", "expected"),
    [
        ("Sri Lankan Defence Secretary Kamal Gunaratne visited Poland at the invitation of Minister of National Defence "
         "Marek Kowalski.", "Marek Kowalski", "POL"),
        ("A Brazilian Navy delegation led by Admiral Marcos Olsen visited New Delhi and met Vice Admiral Anil Mehta.",
         "Anil Mehta", "IND"),
    ],
)
def test_a_person_the_visitor_meets_or_is_invited_by_is_of_the_visited_country(nlp, text, person, expected):
    (_, relations), = extract([Document("d", text, url="https://example.org/x")], nlp)
    parties = {p.label: p.country for r in relations for p in (r.subject, r.object)}
    assert parties[person] == expected


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        ("https://www.dunyanews.tv/en/1", "Pakistan and Saudi Arabia met. Pakistan agreed.", "PAK"),  # .tv is no country
        ("https://example.com/1", "Washington, September 17, 2015 — Israel and the United States met.", "USA"),  # tie: the dateline
    ],
)
def test_home_country_from_the_text_when_the_domain_says_nothing(nlp, url, text, expected):
    doc = nlp(text)
    assert home_country(Document("d", text, url=url), doc._.mentions, doc._.entities, dateline_place(doc)) == expected


def test_a_guess_that_would_make_the_act_domestic_takes_the_dateline_or_is_not_made(nlp):
    text = ("Jakarta\nThu, October 8, 2020\n\nUS Defense Secretary Mark Esper has invited Defense Minister "
            "Budi Santoso to visit the US. The United States and the US Navy said so.")
    (_, relations), = extract([Document("d", text, url="https://example.com/x")], nlp)
    parties = {p.label: p.country for r in relations for p in (r.subject, r.object)}
    assert parties["Mark Esper"] == "USA" and parties["Budi Santoso"] == "IDN"
