"""The words around a person's name: where the name begins and ends, and the post and country
written before or after it ("Russian Defence Minister, Gen.", "Chief of Naval Staff of the Indian
Navy,", "Dassault CEO", "Vice Admiral X, Vice Chief of the Naval Staff"). A mixin of the resolution:
it reads the doc, its entities and the mentions found so far."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .countries import Country, by_name, countries
from .patterns import COUNTRY, DEMONYM, ORG, POST
from .places import country_of_city
from .records import Entity, Mention
from .vocab import Term, honorifics, organisations, posts, slug

COUNTERPART = "counterpart"
# Words that make a capitalised run a title, not a name ("Foreign Secretary", "Service Commanders").
TITLE_WORDS = frozenset({"secretary", "minister", "commander", "commanders", "chief", "chiefs", "president",
                         "officer", "officers", "director", "ambassador", "spokesperson", "spokesman", "undersecretary",
                         "commandant", "head", "ceo", "chairman", "chairwoman", "chairperson", "executive",
                         "founder", "md"})
RANKS = frozenset({"general", "gen", "admiral", "adm", "marshal", "colonel", "col", "brigadier", "brig", "commodore", "cmde",
                   "lieutenant", "lt", "major", "maj", "captain", "capt", "commander", "cdr", "vice", "rear"})
UNIT_WORDS = frozenset({"force", "forces", "station", "command", "base", "academy", "college", "school", "staff",
                        "corps", "navy", "army", "guard", "fleet", "division", "brigade", "regiment", "squadron"})
DELEGATION_WORDS = frozenset({"delegation", "team", "contingent", "group"})


class NameContext:
    """Reading posts and countries around names, for `_Resolution`."""

    doc: Doc
    ents: dict[int, Span]
    mentions: list[Mention]
    fixed: dict[str, Entity]
    claimed: set[int]

    def _ent(self, i: int, *labels: str) -> Span | None:
        ent = self.ents.get(i)
        return ent if ent is not None and ent.label_ in labels else None

    def _country_ent(self, i: int) -> Country | None:
        ent = self._ent(i, COUNTRY, DEMONYM)
        return countries()[ent.ent_id_.split("/", 1)[1]] if ent is not None and ent.ent_id_ else None

    def _name_spans(self) -> list[tuple[int, int]]:
        """Person names: spaCy's PERSON entities, and the capitalised words right after a post
        where the statistical NER found none ("Chief of the Naval Staff Admiral R Hari Kumar")."""
        titles = honorifics()
        spans = [(self._name_start(e.start), self._name_end(e.end)) for e in self.doc.ents
                 if (e.label_ == "PERSON" and not _place_name(e.text))
                 or (e.label_ == "ORG" and self._ranked_name(e))]  # "Rear Admiral Dias"
        anchors = [e.end for e in self.doc.ents if e.label_ == POST or (e.label_ == ORG and self._after_title(e.start))]
        anchors += [t.i for t in self.doc if t.text[:1].isupper() and t.text.lower().rstrip(".") in RANKS
                    and not t.ent_type_ and (t.i == 0 or self.doc[t.i - 1].text.lower().rstrip(".") not in titles)]  # "Vice Marshal Yusuf Jauhari"
        for i in anchors:
            if i < len(self.doc) and self.doc[i].lower_ == "of":  # "Chief of Army Staff of India, General ..."
                i = next((t.i + 1 for t in self.doc[i:i + 5] if t.text == ","), i)
            elif i < len(self.doc) and self.doc[i].text == ",":  # "Minister of the Armed Forces, Florence Parly"
                i += 1
            while i < len(self.doc) and self.doc[i].text.lower().rstrip(".") in titles:
                i += 1
            j = i
            if self._first_name_like_country(i):
                j += 1  # "Israeli Defence Minister Israel Katz"
            while j < len(self.doc) and not self.doc[j].ent_type_ and self.doc[j].lower_ not in TITLE_WORDS and (
                (self.doc[j].pos_ == "PROPN" and self.doc[j].text[:1].isupper())
                or (self.doc[j].text == "-" and j > i and not self.doc[j].whitespace_)  # "Jean-Yves"
            ):
                j += 1
            if j - i >= 2 and (j == len(self.doc) or self.doc[j].ent_type_ != "PERSON") and not any(a <= i < b for a, b in spans):
                spans.append((i, j))
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):  # "Ramon Alberto" + "Delgado Cruz": one name the NER cut in two
            if merged and merged[-1][1] == start and self.doc[start - 1].whitespace_:
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        return merged

    @staticmethod
    def _ranked_name(span: Span) -> bool:
        """An organisation of spaCy's NER that is a rank and a name ("Rear Admiral Dias"), not a unit
        ("Air Force Station Hindan")."""
        titles = honorifics()
        rest = [t for t in span if t.text.lower().rstrip(".") not in titles]
        return (0 < len(rest) < len(span) and span[0].text.lower().rstrip(".") in titles
                and all(t.pos_ == "PROPN" and t.is_alpha and t.lower_ not in UNIT_WORDS for t in rest))

    def _after_title(self, start: int) -> bool:
        """ "Secretary, Ministry of Defence ...": an organisation named as part of a post."""
        i = start - 1
        if i >= 0 and self.doc[i].text == ",":
            i -= 1
        return i >= 0 and self.doc[i].lower_ in TITLE_WORDS

    def _first_name_like_country(self, i: int) -> bool:
        """A one-word country name right after a post and before a capitalised untagged word is a first name."""
        ent = self._ent(i, COUNTRY)
        after = self.doc[i + 1] if i + 1 < len(self.doc) else None
        return (ent is not None and len(ent) == 1 and after is not None and not after.ent_type_
                and after.pos_ == "PROPN" and after.text[:1].isupper() and after.lower_ not in TITLE_WORDS)

    def _name_end(self, end: int) -> int:
        """Where a name ends that spaCy's NER cut short: "Singh" of "Rajesh Kumar Singh" taken for a place."""
        while end < len(self.doc):
            token = self.doc[end]
            if token.pos_ != "PROPN" or not token.text[:1].isupper() or not token.is_alpha or token.lower_ in TITLE_WORDS:
                break
            if token.ent_type_ and (token.ent_type_ not in ("GPE", "NORP") or token.ent_iob_ != "B" or _place_name(token.text)):
                break
            if token.ent_type_ and end + 1 < len(self.doc) and self.doc[end + 1].ent_iob_ == "I":
                break
            end += 1
        return end

    def _name_start(self, start: int) -> int:
        """Where a name begins that spaCy's NER cut short: "Gilberto" of "Gilberto Teodoro Jr."."""
        titles = honorifics()
        while start > 0:
            token = self.doc[start - 1]
            if token.ent_type_ or token.pos_ != "PROPN" or not token.text[:1].isupper() or not token.is_alpha:
                break
            if token.lower_ in TITLE_WORDS or token.lower_ in titles:
                break
            start -= 1
        return start

    def _post_before(self, i: int) -> tuple[int, Term | None, str]:
        """The post (and its country) written just before a name: "Russian Defence Minister, Gen.",
        "Director General of the Indian Coast Guard, Vice Admiral", "Royal Navy First Sea Lord and
        Chief of Naval Staff Adm. Sir", "a Brazilian Navy delegation led by Admiral"."""
        titles = honorifics()
        j = i - 1
        while j >= 0 and self.doc[j].text.lower().rstrip(".") in titles:
            j -= 1
        if j >= 2 and self.doc[j].text == ")":  # "Chief of Army Staff (COAS) General", "Air Force (TNI-AU) Vice Marshal"
            opening = next((t.i for t in reversed(self.doc[max(j - 12, 0):j]) if t.text == "("), None)
            j = opening - 1 if opening is not None else j
        ranked = j < i - 1  # a rank stands between what comes before and the name
        k = j
        if k >= 0 and self.doc[k].lower_ in TITLE_WORDS and (run := self._title_run(k + 1)) is not None:
            before = self._party_country(run - 1)  # "Dassault CEO Eric Trappier"
            if before is not None and self._ent(k, POST) is None:
                return before[0], None, before[1]
        elif ranked and (before := self._party_country(k)) is not None and self._of_before(before[0]) is None \
                and self._country_ent(k) is None:
            return before[0], None, before[1]  # "Indonesian Air Force Vice Marshal Yusuf Jauhari"
        while k >= 0 and self.doc[k].text == ",":
            k -= 1
        party = self._party_country(k)
        if party is not None and (of := self._of_before(party[0])) is not None:
            post_ent = self._ent(of - 1, POST)  # "Defence Minister of Israel Lt Gen Benjamin Gantz"
            if post_ent is not None:
                return post_ent.start, posts()[post_ent.ent_id_], party[1]
            title_start = self._title_run(of)  # "Commander of Sri Lanka Navy Vice Admiral"
            if title_start is not None:
                return title_start, None, party[1]
        org = self._ent(k, ORG)
        if org is not None and org.end == k + 1 and self._after_title(org.start):  # "Secretary, Ministry of Defence X"
            title = self.doc[org.start - 2 if self.doc[org.start - 1].text == "," else org.start - 1]
            text = f"{title.text}, {org.text}"
            return title.i, Term(f"post/{slug(text)}", text, (text,)), self._country_in(org)
        post_ent = self._ent(k, POST)
        if post_ent is None:
            if k >= 1 and self.doc[k].lower_ == COUNTERPART and (country := self._country_ent(k - 1)) is not None:
                return self.ents[k - 1].start, None, country.iso3  # "his Russian counterpart, Sergei Shoigu"
            return j + 1, None, self._demonym_before(j + 1) or self._delegation_country(j)
        post = posts()[post_ent.ent_id_]
        first = post_ent
        while first.start >= 2 and self.doc[first.start - 1].lower_ == "and" and self._ent(first.start - 2, POST) is not None:
            first = self._ent(first.start - 2, POST)  # "First Sea Lord and Chief of Naval Staff"
        k = first.start - 1
        if k >= 0 and self.doc[k].text in ("'s", "’s"):
            k -= 1
        qualifier = self._party_country(k)
        if qualifier is not None:  # an explicit country wins over the post's usual one
            return qualifier[0], post, qualifier[1]
        return first.start, post, self._country_after(post_ent.end) or post.country

    def _party_country(self, k: int) -> tuple[int, str] | None:
        """(start, country) of a country, demonym, national organisation or armed force ending at token k."""
        if k < 0:
            return None
        country = self._country_ent(k)
        if country is not None:
            return self.ents[k].start, country.iso3
        ent = self._ent(k, ORG)
        if ent is not None and ent.ent_id_ in organisations() and organisations()[ent.ent_id_].country:
            return ent.start, organisations()[ent.ent_id_].country
        for mention in self.mentions:  # the forces found so far ("Sri Lanka Navy")
            if mention.start <= k < mention.end and len(mention.entity_ids) == 1:
                found = self.fixed[mention.entity_ids[0]].country
                return (mention.start, found) if found else None
        return None

    def _party_end(self, k: int) -> int:
        """Where the mention or entity that starts at token k ends."""
        return next((m.end for m in self.mentions if m.start == k), self.ents[k].end if k in self.ents else k + 1)

    def _of_before(self, start: int) -> int | None:
        """Where the post's words end before "of [the] <party>" (skipping "(CNS)"), else None."""
        i = start - 1
        if i >= 0 and self.doc[i].lower_ == "the":
            i -= 1
        if i < 1 or self.doc[i].lower_ != "of":
            return None
        if i >= 3 and self.doc[i - 1].text == ")" and self.doc[i - 3].text == "(":
            return i - 3
        return i

    def _title_run(self, end: int) -> int | None:
        """Start of a run of capitalised title words ending before `end` ("Director General")."""
        titles = honorifics()
        i = end
        while i > 0 and self.doc[i - 1].text[:1].isupper() and (self.doc[i - 1].lower_ in TITLE_WORDS or self.doc[i - 1].lower_ in titles):
            i -= 1
        return i if i < end else None

    def _title_of_after(self, i: int) -> tuple[Term, str, int] | None:
        """ "Mark Hammond, Chief of the Royal Australian Navy": title words and the party they are of."""
        j = i
        while j < len(self.doc) and self.doc[j].text[:1].isupper() and self.doc[j].lower_ in TITLE_WORDS | honorifics():
            j += 1
        if j == i or j >= len(self.doc) or self.doc[j].lower_ != "of":
            return None
        k = j + 1 + (j + 1 < len(self.doc) and self.doc[j + 1].lower_ == "the")
        party = self._party_country(k)
        if party is None or party[0] != k:
            return None
        end = self._party_end(k)
        text = self.doc[i:end].text
        return Term(f"post/{slug(text)}", text, (text,)), party[1], end

    def _delegation_country(self, j: int) -> str:
        """ "A Brazilian Navy delegation led by Admiral X": the delegation's country."""
        if j < 2 or self.doc[j].lower_ != "by" or self.doc[j - 1].lemma_ != "lead" or self.doc[j - 2].lower_ not in DELEGATION_WORDS:
            return ""
        for k in range(j - 3, max(j - 7, -1), -1):
            party = self._party_country(k)
            if party is not None:
                return party[1]
        return ""

    def _post_after(self, end: int) -> tuple[Term, str, int] | None:
        """ "Vice Admiral Sanjay J. Singh, Vice Chief of the Naval Staff": a post in apposition after a name."""
        if end >= len(self.doc) or self.doc[end].text != ",":
            return None
        i = end + 1
        while i < len(self.doc) and (self.doc[i].lower_ == "the" or self.doc[i].text.lower().rstrip(".") in honorifics()) and self._ent(i, POST) is None:
            i += 1
        qualifier = self._country_ent(i)  # "Jon Huntsman, U.S. Ambassador in Moscow"
        if qualifier is not None:
            i = self.ents[i].end
        post_ent = self._ent(i, POST)
        if post_ent is None or post_ent.start != i:
            return self._title_of_after(end + 1)
        post = posts()[post_ent.ent_id_]
        if qualifier is not None:
            return post, qualifier.iso3, post_ent.end
        k = post_ent.end + (post_ent.end < len(self.doc) and self.doc[post_ent.end].lower_ == "the")
        party = self._party_country(k)  # "the Director General Sri Lanka Coast Guard"
        if party is not None and party[0] == k:
            return post, party[1], self._party_end(k)
        return post, self._country_after(post_ent.end) or post.country, post_ent.end

    def _country_after(self, i: int) -> str:
        """ "Defence Minister of Israel", "Chief of Naval Staff of the Indian Navy": the country
        the words after a post name."""
        if i >= len(self.doc) or self.doc[i].lower_ != "of":
            return ""
        for token in self.doc[i + 1:i + 5]:
            country = self._country_ent(token.i)
            if country is not None:
                return country.iso3
            if token.ent_type_ == ORG and token.ent_id_ in organisations():
                return organisations()[token.ent_id_].country
        return ""

    def _demonym_before(self, i: int) -> str:
        """ "Russian leader Vladimir Putin": a demonym a few title words before a name."""
        for j in range(i - 1, max(i - 4, -1), -1):
            token = self.doc[j]
            country = self._country_ent(j)
            if country is not None:
                return country.iso3
            if not (token.is_alpha and (token.is_lower or token.text.lower().rstrip(".") in honorifics())):
                return ""
        return ""

def _place_name(text: str) -> bool:
    """spaCy's NER takes some towns and countries for persons ("Ganja", "Chennai")."""
    return text in by_name() or bool(country_of_city(text))
