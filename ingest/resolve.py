"""In-document resolution: every stretch of a doc that names a party becomes a `Mention` of a
canonical `Entity`.

It works on the entities of the domain ruler and of spaCy's NER, in an order where the longer,
more specific readings claim their tokens first: armed forces ("the Indian and Russia navies"),
persons with their posts ("Russian Defence Minister, Gen. Sergei Shoigu"), titles used as names
("Raksha Mantri"), organisations, countries and cities, and demonyms used as nouns ("the Russian").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from .countries import Country, by_name, countries
from .patterns import COUNTRY, DEMONYM, ORG, POST, SHIP
from .persons import COUNTERPART, TITLE_WORDS, NameContext
from .places import capitals, country_of_city
from .records import COUNTRY as COUNTRY_TYPE
from .records import ORGANISATION, PERSON, Entity, Mention
from .vocab import (
    Service, Term, force_by_service, honorifics, organisations, posts, service_last_words, services, ship_prefixes, slug,
)

_TRAILING_DOT = re.compile(r"(?<=\w\w)\.$")  # "Dong Jun." at a sentence end; keeps initials ("R.")
NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "appos", "attr", "ROOT", "npadvmod"})
LIST_JOINERS = frozenset({",", "and", "&"})
SIDE_WORDS = frozenset({"side", "sides", "government", "authorities", "administration"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "his", "her"})
OBJECT_PRONOUNS = frozenset({"him", "her"})
GUEST_WORDS = frozenset({"guest", "visitor", "minister", "general", "admiral"})
PAIR_WORDS = frozenset({"two", "both"})
COUNTRY_NOUNS = frozenset({"country", "countries", "nation", "nations", "side", "sides", "government", "governments",
                           "partners", "allies", "neighbours", "neighbors"})
PERSON_NOUNS = frozenset({"minister", "ministers", "leader", "leaders", "men", "women", "chief", "chiefs", "secretary", "secretaries"})
BODY_NOUNS = frozenset({"ministries", "departments"})
MINISTRY = "Ministry"
REFERRING_WORDS = PERSONAL_PRONOUNS | COUNTRY_NOUNS | PERSON_NOUNS | BODY_NOUNS | GUEST_WORDS | {COUNTERPART}
UNIT_NOUNS = frozenset({"ship", "vessel", "warship", "frigate", "destroyer", "corvette", "submarine", "troop", "soldier",
                        "personnel", "contingent", "unit", "sailor", "marine", "aircraft", "jet", "fighter", "warplane",
                        "bomber", "helicopter", "military", "militarie", "force", "forces"})
GOVERNMENT_WORDS = frozenset({"ministry", "department", "government", "armed", "navy", "army", "guard", "military"})
ARMED_FORCE = "ArmedForce"
SHIP_KIND = "Ship"

# Mention kinds: a place (a city) stands for its country only where a rule accepts places (visits);
# a modifier ("Russian" in "India-Russian Joint Venture") only where a rule reads modifiers.
# An organisation only spaCy's NER found ("Hyundai Rotem") is a party only where industry acts are
# read (supplies, co-production, agreements): elsewhere such names are too often something else.
NAME, TITLE, PLACE, MODIFIER, ORGANISATION_NAME = "name", "title", "place", "modifier", "organisation"


@dataclass
class _Person:
    name: str
    post: Term | None = None
    country: str = ""
    aliases: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return f"person/{slug(self.name)}"

    def entity(self) -> Entity:
        role = self.post.label if self.post else ""
        return Entity(self.id, self.name, PERSON, self.country, tuple(sorted(self.aliases - {self.name})), role)


class PartyResolver:
    """The `dkg_parties` component: sets `doc._.mentions` and `doc._.entities`."""

    def __call__(self, doc: Doc) -> Doc:
        resolution = _Resolution(doc)
        doc._.mentions = resolution.mentions
        doc._.entities = resolution.entities()
        return doc


class _Resolution(NameContext):
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.ents = {token.i: ent for ent in doc.ents for token in ent}
        self.claimed: set[int] = set()
        self.mentions: list[Mention] = []
        self.fixed: dict[str, Entity] = {}
        self.persons: dict[str, _Person] = {}
        self.person_mentions: list[tuple[int, int, _Person, str]] = []
        self._forces()
        self._persons()
        self._surnames()
        self._titles()
        self._organisations()
        self._ships()
        self._countries()
        self._demonyms()
        self.mentions.sort(key=lambda m: m.start)
        self._references()
        self.mentions.sort(key=lambda m: m.start)

    # -- bookkeeping ---------------------------------------------------------------------------
    def _free(self, start: int, end: int) -> bool:
        return not any(i in self.claimed for i in range(start, end))

    def _add(self, start: int, end: int, entities: list[Entity], kind: str = NAME) -> None:
        alias = {self.doc[start:end].text} if kind != PLACE else set()
        for entity in entities:
            known = self.fixed.get(entity.id, entity)
            aliases = tuple(sorted((set(known.aliases) | alias) - {known.label}))
            self.fixed[entity.id] = replace(known, aliases=aliases)
        self.claimed.update(range(start, end))
        self.mentions.append(Mention(start, end, tuple(e.id for e in entities), kind))

    def entities(self) -> dict[str, Entity]:
        out = dict(self.fixed)
        for person in self.persons.values():
            out[person.id] = person.entity()
        return out

    # -- armed forces --------------------------------------------------------------------------
    def _forces(self) -> None:
        """ "the Indian and Russia navies" -> Indian Navy, Russian Navy, read off the tokens
        (the parser often gets such lists wrong)."""
        table = services()
        last_words = service_last_words()
        for token in self.doc:
            if token.lower_ not in last_words:
                continue
            for width in (3, 2, 1):
                start = token.i - width + 1
                if start < 0 or self.doc[start:token.i + 1].text.lower() not in table:
                    continue
                service = table[self.doc[start:token.i + 1].text.lower()]
                found: list[Country] = []
                i = start - 1
                while i >= 0:
                    country = self._country_ent(i)
                    if country is None:
                        break
                    found.append(country)
                    i = self.ents[i].start - 1
                    if i >= 0 and self.doc[i].text in LIST_JOINERS:
                        i -= 1
                        if i >= 0 and self.doc[i].text in LIST_JOINERS:
                            i -= 1
                if found and self._free(i + 1, token.i + 1):
                    first = next(t.i for t in self.doc[i + 1:token.i + 1] if self._country_ent(t.i))
                    self._add(first, token.i + 1, [_force(c, service.key, service.label) for c in reversed(found)])
                elif not found:
                    self._forces_of(start, token.i + 1, service)
                break

    def _forces_of(self, start: int, end: int, service: Service) -> None:
        """ "the armies of India and Kazakhstan" -> Indian Army, Kazakh Army."""
        if end >= len(self.doc) or self.doc[end].lower_ != "of" or not self.doc[start:end].text.lower().endswith(("ies", "s")):
            return
        found: list[Country] = []
        i = end + 1
        while i < len(self.doc):
            if self.doc[i].lower_ in LIST_JOINERS or self.doc[i].lower_ == "the":
                i += 1
                continue
            country = self._country_ent(i)
            if country is None:
                break
            found.append(country)
            i = self.ents[i].end
        if len(found) >= 2 and self._free(start, i):
            self._add(start, i, [_force(c, service.key, service.label) for c in found])

    # -- persons and their posts ----------------------------------------------------------------
    def _persons(self) -> None:
        titles = honorifics()
        for name_start, name_end in self._name_spans():
            tokens = [t for t in self.doc[name_start:name_end] if not _honorific(t, titles)]
            while len(tokens) > 1 and (tokens[0].lower_ in TITLE_WORDS or (tokens[0].is_upper and tokens[1].lower_ in TITLE_WORDS)):
                tokens = tokens[1:]  # "NA Spokesperson Santosh Ballav Poudel"
            if not tokens or any(t.like_num or any(ch.isdigit() for ch in t.text) for t in tokens):
                continue  # "COVID-19" is no person
            if all(t.lower_ in TITLE_WORDS or t.lower_ in PERSON_NOUNS for t in tokens):
                continue  # "Both the Ministers" 
            name = _TRAILING_DOT.sub("", self.doc[tokens[0].i:tokens[-1].i + 1].text)
            start, post, country = self._post_before(name_start)
            if post is None and (after := self._post_after(tokens[-1].i + 1)) is not None:
                post, country = after[0], country or after[1]
                self.mentions = [m for m in self.mentions if not (tokens[-1].i < m.start and m.end <= after[2])]
                self.claimed.update(range(tokens[-1].i + 1, after[2]))
            person = self._person(name)
            if post is not None and person.post is None:
                person.post = post
            if country and not person.country:
                person.country = country
            self.person_mentions.append((start, tokens[-1].i + 1, person, self.doc[start:tokens[-1].i + 1].text))
        # A shorter form ("Shoigu", "Hari Kumar") is the one longer name that ends with it.
        for n, (start, end, person, text) in enumerate(self.person_mentions):
            target = self._longer_form(person)
            if target is not None:
                target.post = target.post or person.post
                target.country = target.country or person.country
                self.persons.pop(person.id, None)
                person = target
                self.person_mentions[n] = (start, end, person, text)
            person.aliases.add(text)
            self.mentions = [m for m in self.mentions if not (start <= m.start and m.end <= end)]  # a force in the post
            self.claimed.update(range(start, end))
            self.mentions.append(Mention(start, end, (person.id,), NAME))

    def _surnames(self) -> None:
        """A surname or first name standing alone ("Singh arrived in Moscow", "invited Prabowo"),
        whatever spaCy's NER took it for, is the one person of the text with that name."""
        full: dict[str, list[_Person]] = {}
        for person in self.persons.values():
            words = person.name.split()
            if len(words) > 1:
                for word in {words[0], words[-1]}:  # "Singh", and "Prabowo" for Prabowo Subianto
                    full.setdefault(word, []).append(person)
        for token in self.doc:
            candidates = full.get(token.text, [])
            if not candidates:
                continue
            standalone = not (token.i + 1 < len(self.doc) and self.doc[token.i + 1].pos_ == "PROPN")
            if len(candidates) == 1 and token.pos_ == "PROPN" and standalone and self._free(token.i, token.i + 1):
                self._add(token.i, token.i + 1, [candidates[0].entity()], NAME)

    def _longer_form(self, person: _Person) -> _Person | None:
        words = person.name.split()
        longer = {
            p.id: p for p in self.persons.values()
            if len(p.name.split()) > len(words) and p.name.split()[-len(words):] == words
        }
        return next(iter(longer.values())) if len(longer) == 1 else None

    def _person(self, name: str) -> _Person:
        person = _Person(name)
        return self.persons.setdefault(person.id, person)

    def _titles(self) -> None:
        """A post named alone ("Raksha Mantri", "RM", "Defence Minister of Israel") stands for the
        person holding that office here: same post name, and same country where both are known."""
        for ent in [e for e in self.doc.ents if e.label_ == POST]:
            if not self._free(ent.start, ent.end):
                continue
            post = posts()[ent.ent_id_]
            before = self._country_ent(ent.start - 1) if ent.start else None
            country = (before.iso3 if before else "") or self._country_after(ent.end) or post.country
            holders = {
                person.id: person for _, _, person, _ in self.person_mentions
                if person.post is not None and person.post.label == post.label and person.id in self.persons
                and (not country or not person.country or person.country == country)
            }
            exact = {i: p for i, p in holders.items() if country and p.country == country}
            holders = exact or holders
            if len(holders) == 1:
                (holder,) = holders.values()
                self._add(ent.start, ent.end, [holder.entity()], TITLE)
                holder.aliases.add(ent.text)

    # -- references: pronouns, "the two countries", "his Russian counterpart" -------------------
    def _references(self) -> None:
        """Words that stand for parties named before: "he" (the last person named), "the two
        countries" / "both sides" (the last two countries), "the two ministers" (the last two persons),
        "his Indian counterpart" (the person of that country)."""
        named = [m for m in self.mentions if m.kind in (NAME, TITLE)]
        for token in self.doc:
            if token.i in self.claimed or token.lower_ not in REFERRING_WORDS:
                continue
            before = [m for m in named if m.end <= token.i]
            if token.lower_ in PERSONAL_PRONOUNS and token.pos_ == "PRON":
                recent = [m for m in before if m.start >= self._previous_sentence_start(token)]
                subjects = [m for m in recent if _subject_role(self.doc[m.end - 1])]
                if token.lower_ in OBJECT_PRONOUNS and token.dep_ in ("dobj", "dative", "pobj"):
                    # "Ng thanked Prabowo ... and invited him": not the subject of its own clause
                    own = {m for m in subjects if m.start >= token.sent.start}
                    persons = self._last([m for m in recent if m not in own], PERSON, 1)
                else:
                    persons = self._last(subjects, PERSON, 1) or self._last(before, PERSON, 1)
                if persons:
                    self._add(token.i, token.i + 1, [self.entities()[persons[0]]], TITLE)
            elif token.lower_ in COUNTRY_NOUNS | PERSON_NOUNS | BODY_NOUNS and (
                any(c.lower_ in PAIR_WORDS for c in token.children) or _the_plural_persons(token)
            ):
                kind = COUNTRY_TYPE if token.lower_ in COUNTRY_NOUNS else PERSON if token.lower_ in PERSON_NOUNS else MINISTRY
                pair = self._last(self._of_body(token, before), kind, 2)
                if len(pair) < 2 and kind == PERSON:  # "The Ministers exchanged views" with their names not given
                    pair = self._last(before, COUNTRY_TYPE, 2)
                if len(pair) == 2:
                    start = min([token.i, *(c.i for c in token.children if c.dep_ in ("det", "nummod", "amod"))])
                    self._add(start, token.i + 1, [self.entities()[i] for i in pair], TITLE)
            elif token.lower_ in (COUNTERPART, *GUEST_WORDS) and token.i > 0:  # "his Russian counterpart", "the Belarusian guest"
                country = self._country_ent(token.i - 1)
                persons = [p for p in self.persons.values() if country is not None and p.country == country.iso3]
                if len(persons) == 1:
                    self._add(self.ents[token.i - 1].start, token.i + 1, [persons[0].entity()], TITLE)

    def _of_body(self, token: Token, mentions: list[Mention]) -> list[Mention]:
        """ "the two Quad partners": only the body's members are candidates."""
        for child in token.children:
            ent = self._ent(child.i, ORG)
            if child.dep_ in ("compound", "amod", "nmod") and ent is not None and ent.ent_id_ in organisations():
                members = {f"country/{iso3}" for iso3 in organisations()[ent.ent_id_].members}
                if members:
                    return [replace(m, entity_ids=tuple(i for i in m.entity_ids if i in members)) for m in mentions]
        return mentions

    def _previous_sentence_start(self, token: Token) -> int:
        sentence = token.sent
        return self.doc[sentence.start - 1].sent.start if sentence.start > 0 else sentence.start

    def _last(self, mentions: list[Mention], kind: str, count: int) -> list[str]:
        """The last `count` distinct parties of a type named in `mentions`, the latest first."""
        entities = self.entities()
        out: list[str] = []
        for mention in reversed(mentions):
            for entity_id in mention.entity_ids:
                if kind in (entities[entity_id].type, entities[entity_id].kind) and entity_id not in out:
                    out.append(entity_id)
            if len(out) >= count:
                break
        return out[:count]

    # -- organisations, countries, places, demonyms --------------------------------------------
    def _organisations(self) -> None:
        table = organisations()
        for ent in self.doc.ents:
            if ent.label_ != ORG or not self._free(ent.start, ent.end):
                continue
            if ent.ent_id_ in table and table[ent.ent_id_].national:
                self._national_body(ent, table[ent.ent_id_])
                continue
            if ent.ent_id_ in table:
                term = table[ent.ent_id_]
                end = (self._unit_end(ent) if term.kind == ARMED_FORCE else None) or ent.end  # "Indian Navy vessels"
                self._add(ent.start, end, [Entity(term.id, term.label, ORGANISATION, term.country, kind=term.kind)])
                continue
            span = ent[1:] if ent[0].lower_ == "the" else ent
            if all(t.lower_ in PERSON_NOUNS or t.lower_ in TITLE_WORDS for t in span):
                continue  # "The Ministers" is a reference, not a body
            if span and span[0].text[:1].isupper() and all(t.ent_type_ == ORG for t in span):
                country = self._country_in(span) or self._demonym_before(span.start) or self._country_after(span.end)
                name = _TRAILING_DOT.sub("", span.text)
                official = bool(country) and any(t.lower_ in GOVERNMENT_WORDS for t in span)  # "Philippine Department of National Defence"
                self._add(span.start, span.end, [Entity(f"org/{slug(name)}", name, ORGANISATION, country)], NAME if official else ORGANISATION_NAME)

    def _national_body(self, ent: Span, term: Term) -> None:
        """ "the Russian Ministry of Defence", "India's Defence Ministry", "the Ministry of Defence of
        Israel": the body of the country the words around it name; alone it names no party."""
        start, country = ent.start, None
        k = ent.start - 1
        if k >= 0 and self.doc[k].text in ("'s", "’s"):
            k -= 1
        if k >= 0 and not self.doc[k].is_punct and (found := self._country_ent(k)) is not None and self._free(self.ents[k].start, k + 1):
            start, country = self.ents[k].start, found
        elif (after := self._country_after(ent.end)):
            country = countries()[after]
        if country is None:
            return
        adjective = country.demonyms[0] if country.demonyms else country.label
        name = ent.text if ent.text.split()[0] in ("Ministry", "Department", "Federal") else term.label  # the text's own full form
        entity = Entity(f"org/{country.iso3.lower()}-{term.id.split('/', 1)[1]}", f"{adjective} {name}", ORGANISATION,
                        country.iso3, kind=term.kind)
        self._add(start, ent.end, [entity])

    def _unit_end(self, span: Span) -> int | None:
        """The end of "<span> [modifiers] ships": a country's or force's units stand for it."""
        head = span.root.head
        if head.i < span.end or head.lemma_.lower() not in UNIT_NOUNS or head.pos_ != "NOUN":
            return None
        between = self.doc[span.end:head.i]
        if any(t.dep_ not in ("compound", "amod", "punct", "nmod") or t.ent_type_ for t in between) or not self._free(span.end, head.i + 1):
            return None
        return head.i + 1

    @staticmethod
    def _country_in(span: Span) -> str:
        """ "Israel Aerospace Industries", "Indian Ministry of Defence": a country word in a name."""
        names = by_name()
        return next((names[t.text].iso3 for t in span if t.text in names), "")

    def _ships(self) -> None:
        """ "INS Sahyadri", "Indian Naval Ship Sahyadri": a ship of the prefix's country."""
        prefixes = ship_prefixes()
        for ent in self.doc.ents:
            if ent.label_ != SHIP or not self._free(ent.start, ent.end):
                continue
            iso3 = ent.ent_id_.split("/", 1)[1]
            label = ent.text
            for long_form, prefix in prefixes.items():
                if label.startswith(long_form + " "):
                    label = prefix + label[len(long_form):]
            entity = Entity(f"ship/{slug(label)}", label, ORGANISATION, iso3, kind=SHIP_KIND)
            self._add(ent.start, ent.end, [entity])

    def _countries(self) -> None:
        names = by_name()
        for ent in self.doc.ents:
            if not self._free(ent.start, ent.end):
                continue
            if ent.label_ == COUNTRY:
                bracketed = ent.start > 0 and self.doc[ent.start - 1].text in ("[", "(")  # "New Delhi [India], Aug 20"
                self._add(ent.start, ent.end, [_country(countries()[ent.ent_id_.split("/", 1)[1]])], PLACE if bracketed else NAME)
            elif ent.label_ in ("GPE", "LOC"):
                text = ent.text[4:] if ent.text.startswith("the ") else ent.text
                if text in names:
                    self._add(ent.start, ent.end, [_country(names[text])])
                elif iso := country_of_city(text):
                    # "Canberra and Tokyo signed ...": a capital as a clause's subject is its government
                    dateline = ent.end < len(self.doc) and self.doc[ent.end].text == ":"  # "Bishkek: ..."
                    kind = NAME if text in capitals() and _subject(ent.root) and not dateline else PLACE
                    self._add(ent.start, ent.end, [_country(countries()[iso])], kind)

    def _demonyms(self) -> None:
        """ "the Russian side", "the Russian" (a noun) name the country; "Russian industry" does not."""
        for ent in self.doc.ents:
            if ent.label_ != DEMONYM or not self._free(ent.start, ent.end):
                continue
            country = self._country_ent(ent.start)
            after = self.doc[ent.end] if ent.end < len(self.doc) else None
            if after is not None and after.lower_ in SIDE_WORDS:
                self._add(ent.start, ent.end + 1, [_country(country)])
            elif (end := self._unit_end(ent)) is not None:  # "Chinese ships", "Russian warships"
                self._add(ent.start, end, [_country(country)])
            else:
                self._add(ent.start, ent.end, [_country(country)], NAME if _nominal(ent.root) else MODIFIER)


def _the_plural_persons(token: Token) -> bool:
    """ "The Ministers exchanged views": the two persons named last, like "the two ministers"."""
    return (token.lower_ in PERSON_NOUNS and token.tag_ in ("NNS", "NNPS") and token.dep_ in ("nsubj", "nsubjpass")
            and any(c.lower_ == "the" for c in token.children) and not any(c.dep_ in ("nummod", "amod", "compound") for c in token.children))




def _honorific(token: Token, titles: frozenset[str]) -> bool:
    return token.text.lower().rstrip(".") in titles or token.is_punct or token.text in ("'s", "’s")


def _subject_role(token: Token) -> bool:
    """A clause's subject, or its possessor ("Dr Ng's call ... came")."""
    if token.dep_ == "poss":
        token = token.head
    return _subject(token)


def _subject(token: Token) -> bool:
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token.dep_ in ("nsubj", "nsubjpass")


def _nominal(token: Token) -> bool:
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token.dep_ in NOMINAL_DEPS and token.pos_ in ("PROPN", "NOUN", "PRON")


def _country(country: Country) -> Entity:
    return Entity(country.id, country.label, COUNTRY_TYPE, country.iso3)


def country_entity(iso3: str) -> Entity:
    """The canonical party for a country code."""
    return _country(countries()[iso3])


def _force(country: Country, service: str, label: str) -> Entity:
    known = force_by_service().get((country.iso3, service))
    if known is not None:
        return Entity(known.id, known.label, ORGANISATION, country.iso3, kind=ARMED_FORCE)
    adjective = country.demonyms[0] if country.demonyms else country.label
    return Entity(f"org/{country.iso3.lower()}-{service}", f"{adjective} {label}", ORGANISATION, country.iso3, kind=ARMED_FORCE)
