"""Countries: ISO 3166 codes from pycountry, demonyms and alternative spellings from countryinfo,
and a short table (`data/countries.csv`) of the labels and names the news actually uses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .vocab import read_csv


@dataclass(frozen=True)
class Country:
    iso3: str
    label: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    population: int = 0
    wikidata: str = ""  # Wikidata entity id, e.g. "Q668"

    @property
    def id(self) -> str:
        return f"country/{self.iso3}"


def _usable(name: str) -> bool:
    """Names worth matching in English text: ASCII, not a bare two- or three-letter code."""
    return name.isascii() and not (len(name) <= 3 and name.isupper())


@lru_cache(maxsize=None)
def countries() -> dict[str, Country]:
    """Every ISO 3166-1 country by alpha-3 code."""
    import countryinfo
    import pycountry

    info = {}
    for entry in countryinfo.all_countries():
        data = entry.info()
        iso = (data.get("ISO") or {}).get("alpha3")
        # countryinfo lists England, Wales... under GBR too: keep the entry named like the ISO one.
        if iso and (iso not in info or data.get("name") == pycountry.countries.get(alpha_3=iso).name):
            info[iso] = data
    overrides = {row["iso3"]: row for row in read_csv("countries.csv")}
    wikidata = {row["iso3"]: row["wikidata"] for row in read_csv("wikidata.csv")}
    out = {}
    for record in pycountry.countries:
        iso = record.alpha_3
        extra = info.get(iso, {})
        override = overrides.get(iso, {})
        label = override.get("label") or getattr(record, "common_name", None) or extra.get("name") or record.name
        names = [label, record.name, getattr(record, "common_name", ""), getattr(record, "official_name", "")]
        names += extra.get("altSpellings") or []
        names = [n for n in names if n and _usable(n)]
        names += [n for n in (override.get("aliases") or "").split("|") if n]
        demonyms = [d for d in (override.get("demonyms") or "").split("|") if d]
        if extra.get("demonym") and extra["demonym"] not in demonyms:
            demonyms.append(extra["demonym"])
        out[iso] = Country(
            iso, label, tuple(dict.fromkeys(names)), tuple(dict.fromkeys(demonyms)), extra.get("population") or 0,
            wikidata.get(iso, ""),
        )
    return out


@lru_cache(maxsize=None)
def by_name() -> dict[str, Country]:
    """Exact names and demonyms ("India", "Russian Federation", "Indian") to their country; a name
    several territories share ("Indian", "French") goes to the most populous."""
    out: dict[str, Country] = {}
    for country in sorted(countries().values(), key=lambda c: -c.population):
        for name in (*country.names, *country.demonyms):
            out.setdefault(name, country)
    return out


def demonyms() -> frozenset[str]:
    return frozenset(d for c in countries().values() for d in c.demonyms)
