"""Dates to ISO form: releases write them many ways ("03 SEP 2020 9:53PM", "24 June 2020")."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@lru_cache(maxsize=4096)
def normalise_date(text: str, base: str = "") -> str:
    """The ISO date `text` names (relative forms read against `base`), or "" when it names none."""
    text = text.strip()
    if _ISO.match(text):
        return text
    import dateparser  # slow to import; only loaded when a date needs parsing

    settings = {"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["year", "month"]}
    if base:
        day = date.fromisoformat(base)
        settings["RELATIVE_BASE"] = datetime(day.year, day.month, day.day)
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date().isoformat() if parsed else ""

