"""The domain vocabulary shipped in `data/`: organisations, posts, exercises, weapons, services."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any


def data_text(name: str) -> str:
    return files(__package__).joinpath("data", name).read_text(encoding="utf-8")


def read_jsonl(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data_text(name).splitlines() if line.strip()]


def read_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data_text(name))))


def read_lines(name: str) -> list[str]:
    lines = (line.strip() for line in data_text(name).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def slug(text: str) -> str:
    """A lower-case ASCII id part: "Sergei Shoigu" -> "sergei-shoigu"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


@dataclass(frozen=True)
class Term:
    """A named thing of the vocabulary: its canonical id, label and the names a text uses for it."""

    id: str
    label: str
    names: tuple[str, ...]
    country: str = ""
    kind: str = ""
    service: str = ""
    standalone: bool = True
    members: tuple[str, ...] = ()  # ISO alpha-3 codes of a multilateral body's member states
    national: bool = False  # every country has one ("Ministry of Defence"): the text says whose


@lru_cache(maxsize=None)
def terms(kind: str) -> dict[str, Term]:
    """A vocabulary file by kind ("organisations", "posts", "exercises", "weapons"), by id."""
    out = {}
    for row in read_jsonl(f"{kind}.jsonl"):
        term = Term(
            id=row["id"],
            label=row["label"],
            names=tuple(row["names"]),
            country=row.get("country", ""),
            kind=row.get("kind", ""),
            service=row.get("service", ""),
            standalone=row.get("standalone", True),
            members=tuple(row.get("members", ())),
            national=row.get("national", False),
        )
        out[term.id] = term
    return out


def organisations() -> dict[str, Term]:
    return terms("organisations")


def posts() -> dict[str, Term]:
    return terms("posts")


def exercises() -> dict[str, Term]:
    return terms("exercises")


def weapons() -> dict[str, Term]:
    return terms("weapons")


@lru_cache(maxsize=None)
def honorifics() -> frozenset[str]:
    """Lower-case honorifics and ranks, without a final dot."""
    return frozenset(word.lower().rstrip(".") for word in read_lines("honorifics.txt"))


@dataclass(frozen=True)
class Service:
    key: str
    label: str


@lru_cache(maxsize=None)
def services() -> dict[str, Service]:
    """Service phrases ("navies", "air force") to the service they name."""
    return {row["phrase"]: Service(row["service"], row["label"]) for row in read_csv("services.csv")}


@lru_cache(maxsize=None)
def service_last_words() -> frozenset[str]:
    """The words a service phrase ends in: only a token that is one can end a force's name."""
    return frozenset(phrase.split()[-1] for phrase in services())


@lru_cache(maxsize=None)
def force_by_service() -> dict[tuple[str, str], Term]:
    """(country, service) -> the armed force the vocabulary knows by name."""
    return {(t.country, t.service): t for t in organisations().values() if t.service}


@lru_cache(maxsize=None)
def ship_prefixes() -> dict[str, str]:
    """A navy's long ship prefix to its short one: "Indian Naval Ship" -> "INS"."""
    return {row["long_form"]: row["prefix"] for row in read_csv("ship_prefixes.csv")}
