"""A corpus of generated documents for the ingest benchmarks: the bundled examples, each copy with
its countries swapped for others (names and demonyms alike), its years moved and a line of its own,
so that every document is different (no two share a content hash) yet reads like the originals."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from defence_kg.ingest import Document, read_documents
from defence_kg.ingest.countries import Country, by_name, countries, demonyms

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@lru_cache(maxsize=1)
def _names() -> re.Pattern[str]:
    names = sorted(by_name(), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")


@lru_cache(maxsize=1)
def _partners() -> list[Country]:
    """Countries big enough to have a demonym the vocabulary knows."""
    return sorted((c for c in countries().values() if c.demonyms and c.population > 5_000_000), key=lambda c: c.iso3)


def _variant(document: Document, number: int, rng: random.Random) -> Document:
    swap: dict[str, Country] = {}
    adjectives = demonyms()

    def substitute(match: re.Match[str]) -> str:
        country = by_name()[match.group(1)]
        other = swap.setdefault(country.iso3, rng.choice(_partners()))
        return other.demonyms[0] if match.group(1) in adjectives else other.label

    shift = rng.randint(-6, 2)
    text = _names().sub(substitute, document.text)
    text = re.sub(r"\b(19[89]\d|20[0-2]\d)\b", lambda m: str(int(m.group(1)) + shift), text)
    text = f"{text.rstrip()}\n\nReference {number}: this release was issued in the series of item {number}.\n"
    year = int(document.date[:4]) + shift if document.date else 0
    date = f"{year}{document.date[4:]}" if document.date else ""
    return replace(document, id=f"{document.id}-v{number}", text=text, date=date, source="")


def corpus(size: int, seed: int = 7) -> list[Document]:
    """`size` distinct documents: the examples first, then their variations."""
    rng = random.Random(seed)
    originals = list(read_documents([EXAMPLES]))
    return [originals[i] if i < len(originals) else _variant(originals[i % len(originals)], i, rng) for i in range(size)]


def write_corpus(documents: list[Document], directory: Path, per_file: int = 500) -> list[Path]:
    """The documents as JSON Lines files of `per_file` records each (as an analyst's export would be)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for start in range(0, len(documents), per_file):
        path = directory / f"corpus-{start // per_file:04d}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for d in documents[start:start + per_file]:
                out.write(json.dumps({"id": d.id, "title": d.title, "date": d.date, "url": d.url, "text": d.text}) + "\n")
        paths.append(path)
    return paths
