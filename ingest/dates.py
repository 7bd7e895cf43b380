"""Dates to ISO form: releases write them many ways ("03 SEP 2020 9:53PM", "24 June 2020")."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
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


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_NEXT_YEAR = re.compile(r"\b(?P<month>" + "|".join(_MONTHS) + r")\s+(?:of\s+)?next\s+year\b")
_NEXT_MONTH_NAMED = re.compile(r"\bnext\s+(?P<month>" + "|".join(_MONTHS) + r")\b")
_COMING_DAYS = re.compile(r"\b(?:the\s+)?(?:next|coming)\s+(?:\w+\s+)?days?\b")
_RELATIVE_WORDS = re.compile(r"\b(?:today|tomorrow|yesterday|tonight|next|last|this|" + "|".join(_MONTHS) + r")\b")


@lru_cache(maxsize=4096)
def relative_date(text: str, base: str) -> str:
    """The ISO date a phrase dated against the release date `base` names: "February next year",
    "next March", "over the next two days" (from the release date), "tomorrow", "June 13" (the
    release's year). "" for what names no day or month, weekdays included (news uses them both ways)."""
    if not base or not _ISO.match(base):
        return ""
    day = date.fromisoformat(base)
    phrase = text.strip().lower()
    if (found := _MONTH_NEXT_YEAR.search(phrase)) is not None:
        return date(day.year + 1, _MONTHS.index(found["month"]) + 1, 1).isoformat()
    if (found := _NEXT_MONTH_NAMED.search(phrase)) is not None:
        month = _MONTHS.index(found["month"]) + 1
        return date(day.year + (month <= day.month), month, 1).isoformat()
    if _COMING_DAYS.search(phrase):
        return day.isoformat()
    if phrase in ("today", "tonight"):
        return day.isoformat()
    if not _RELATIVE_WORDS.search(phrase) or re.fullmatch(r"(?:last|next|this) year", phrase):
        return ""  # a year alone names no day
    import dateparser

    settings = {"PREFER_DAY_OF_MONTH": "first", "RELATIVE_BASE": datetime(day.year, day.month, day.day)}
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    return parsed.date().isoformat() if parsed and abs(parsed.date() - day) < timedelta(days=3 * 366) else ""
