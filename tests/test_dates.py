"""Dates written in full or relative to the release date."""

from __future__ import annotations

import pytest

from defence_kg.ingest import extract
from defence_kg.ingest.dates import normalise_date, relative_date
from defence_kg.ingest.records import Document


@pytest.mark.parametrize(
    ("text", "expected"),
    [("03 SEP 2020 9:53PM", "2020-09-03"), ("24 June 2020", "2020-06-24"), ("2021-12-06", "2021-12-06"), ("soon", "")],
)
def test_normalise_date(text, expected):
    assert normalise_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("February next year", "2021-02-01"),
        ("next March", "2021-03-01"),
        ("next month", "2020-10-01"),
        ("over the next two days", "2020-09-03"),
        ("the coming days", "2020-09-03"),
        ("tomorrow", "2020-09-04"),
        ("June 13", "2020-06-13"),
        ("Tuesday", ""),  # news writes weekdays for days past and to come
        ("next year", ""),  # a year alone names no day
        ("two days", ""),
    ],
)
def test_relative_date_against_the_release_date(text, expected):
    assert relative_date(text, "2020-09-03") == expected


def test_relations_are_dated_against_their_release(nlp):
    text = ("Indian Defence Minister Rajnath Singh will visit Japan in February next year. "
            "India and France signed an agreement on 24 June 2020. Russia delivered two S-400 squadrons to India.")
    (_, relations), = extract([Document("d", text, date="2020-09-03")], nlp)
    dates = {r.predicate: r.date for r in relations}
    assert dates == {"visits": "2021-02-01", "signsAgreementWith": "2020-06-24", "supplies": "2020-09-03"}
