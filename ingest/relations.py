"""Relation rules: `DependencyMatcher` patterns from `data/relations.json`, each naming the nodes
that give a relation's parties, and the code that turns a match into `Relation` records.

A rule's `roles` say where each part comes from:
- `{"node": N}`: the parties mentioned at node N and its conjuncts ("India, Japan and the US");
  `"places": true` also accepts a city standing for its country (visits);
- `{"node": N, "from": "modifiers"}`: the parties named inside N's modifiers ("an India-Russian
  Joint Venture");
- `"types": [...]` on a node's role keeps the parties of those types only;
- `{"from": "context", "predicate": P}`: the subject of the last relation P stated before the sentence
  ("Invitation was extended to X and Y" after "... invited by the Indian Army");
- `{"node": N, "from": "subtree", "types": [...]}`: the parties of those types (default: countries)
  named anywhere below N ("a meeting of Armenian, Azerbaijani and Russian ministers", however the
  parser hangs the list);
- `{"from": "other-country"}`: the one other country the sentence names (the requester of a
  procurement);
- `{"from": "weapon-in-sentence"}`: the weapon or platform the sentence names (items only);
- `{"node": N, "from": "event-place"}`: the country where the event at node N took place, from the
  sentence, the dateline or the places the document names (a rule with `"one_party": true` is tried
  on sentences that name one party).
`subject`/`object` give a directed pair (or the two sides of a symmetric act); `parties` gives a
group in which every pair holds a symmetric relation.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

import numpy as np
from spacy.attrs import HEAD, LEMMA, LOWER, ORTH
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from .dates import normalise_date
from .home import dateline_place
from .patterns import EXERCISE, WEAPON, token_words
from .records import ANNOUNCED, COUNTRY, HAPPENED, ORGANISATION, PERSON, Entity, Mention, Relation
from .resolve import ARMED_FORCE, MINISTRY, MODIFIER, NAME, ORGANISATION_NAME, PLACE, TITLE, country_entity
from .vocab import data_text, exercises, weapons

FALLBACK_PENALTY = 0.1
_WORD = re.compile(r"[\w-]+")
GROUP_NOUNS = frozenset({"leadership", "leader", "representative", "official", "delegation", "delegate", "chief", "head"})
AGREEMENT = "AGREEMENT"
GOVERNED = "-governed"
WORD_ATTRS = ("LEMMA", "LOWER", "TEXT")  # the attributes a node's words are given in, as token array columns
INDUSTRY = frozenset({"supplies", "coProduces", "signsAgreementWith"})  # acts where companies are parties  # not a ruler label: agreements are read off the parse


@dataclass(frozen=True)
class Rule:
    name: str
    predicate: str
    confidence: float
    roles: dict[str, dict[str, Any]]
    requires: dict[str, list[str]]
    node_names: tuple[str, ...]  # the pattern's RIGHT_IDs, in the order a match lists its tokens


class TreeMatcher(DependencyMatcher):
    """spaCy's DependencyMatcher, but each token's tree root is found for all tokens at once (by
    pointer jumping over the heads array) rather than by walking the ancestors of every token a
    node pattern matches: that walk was a third of the relation rules' time."""

    def _get_keys_to_position_maps(self, doc: Doc) -> defaultdict:
        """As the parent's: token positions by the root of their tree and by node pattern."""
        roots = np.arange(len(doc), dtype=np.int64) + doc.to_array(HEAD).astype(np.int64)
        while not np.array_equal(roots, jumped := roots[roots]):
            roots = jumped
        keys_to_position_maps: defaultdict = defaultdict(lambda: defaultdict(list))
        for match_id, start, _ in self._matcher(doc):
            keys_to_position_maps[int(roots[start])][match_id].append(start)
        return keys_to_position_maps


class RelationExtractor:
    """The `dkg_relations` component: sets `doc._.relations`."""

    def __init__(self, vocab: Vocab, min_confidence: float = 0.5) -> None:
        spec = json.loads(data_text("relations.json"))
        self.ancestor_blockers = frozenset(spec["blockers"]["ancestor_lemmas"])
        self.aux_blockers = frozenset(spec["blockers"]["aux_lemmas"])
        self.announced = {key: frozenset(value) for key, value in spec["announced"].items() if key != "_comment"}
        self.place_prepositions = frozenset(spec["place_prepositions"])
        self.min_confidence = min_confidence
        self.enumerations = spec.get("enumerations", [])
        self.cooccurrences = spec.get("cooccurrences", [])
        self.phrases = [re.compile(r"\b(?:" + "|".join(re.escape(p) for p in c["phrases"]) + r")\b") for c in self.cooccurrences]
        self.non_items = frozenset(spec.get("non_items", {}).get("lemmas", ()))
        self.fallbacks = frozenset(r["name"] for r in [*spec["rules"], *self.cooccurrences] if r.get("fallback"))
        self.derived = spec.get("derived", [])
        self.rules: dict[str, Rule] = {}
        self.vocab = vocab
        self.by_trigger: dict[tuple[str, frozenset[str]], list[str]] = {}  # rule names by trigger words
        self.one_party_keys: set[tuple[str, frozenset[str]]] = set()
        self.matchers: dict[frozenset[str], DependencyMatcher] = {}  # by the rules a sentence may match
        self.patterns: dict[str, list] = {}
        self.word_ids: dict[str, list[tuple[int, frozenset[int]]]] = {}  # per rule: the words each node must be, as ids
        for raw in [variant for base in spec["rules"] for variant in (base, *_inherited_subject(base))]:
            rule = Rule(
                raw["name"], raw["predicate"], raw["confidence"], raw["roles"], raw.get("requires", {}),
                tuple(node["RIGHT_ID"] for node in raw["pattern"]),
            )
            self.rules[rule.name] = rule
            key = token_words(raw["pattern"][0]["RIGHT_ATTRS"])  # the trigger's words
            self.by_trigger.setdefault(key, []).append(rule.name)
            self.patterns[rule.name] = raw["pattern"]
            self.word_ids[rule.name] = [self._word_ids(words) for node in raw["pattern"] if (words := token_words(node["RIGHT_ATTRS"]))[0]]
            if raw.get("one_party"):  # the other party comes from elsewhere than the sentence
                self.one_party_keys.add(key)
        self.order = {name: i for i, name in enumerate(self.rules)}
        self.trigger_ids = {key: self._word_ids(key) for key in self.by_trigger}

    def _word_ids(self, words: tuple[str, frozenset[str]]) -> tuple[int, frozenset[int]]:
        """The words as string ids, which the sentences' token arrays hold, with their array column."""
        attr, values = words
        return (WORD_ATTRS.index(attr) if attr else -1), frozenset(self.vocab.strings[v] for v in values)

    def __call__(self, doc: Doc) -> Doc:
        index = _MentionIndex(doc)
        found: dict[tuple[str, str, str], Relation] = {}
        fallbacks: list[Relation] = []
        spoken: set[tuple[str, int]] = set()  # (predicate, sentence) where a rule other than a fallback spoke
        for match_id, token_ids in self._matches(doc, index):
            rule = self.rules[doc.vocab.strings[match_id]]
            nodes = {name: doc[i] for name, i in zip(rule.node_names, token_ids, strict=True)}
            if self._blocked(nodes["trigger"]) or not self._requirements_met(rule, index.sentence_at[nodes["trigger"].i]):
                continue
            if rule.name.endswith(GOVERNED) and any(c.dep_ in ("nsubj", "nsubjpass") for c in nodes["trigger"].children):
                continue  # the trigger has a subject of its own
            for relation in self._relations(doc, rule, nodes, index):
                if relation.confidence < self.min_confidence:
                    continue
                if rule.name.removesuffix(GOVERNED) in self.fallbacks:
                    fallbacks.append(relation)
                    continue
                spoken.add((relation.predicate, relation.start))
                index.stated.append(relation)
                if relation.key not in found or found[relation.key].confidence < relation.confidence:
                    found[relation.key] = relation
        for relation in self._enumerations(doc, index):
            spoken.add((relation.predicate, relation.start))
            found.setdefault(relation.key, relation)
        for relation in [*fallbacks, *self._cooccurrences(doc, index)]:  # only where no other rule spoke
            if (relation.predicate, relation.start) not in spoken:
                found.setdefault(relation.key, relation)
        for relation in self.derive(doc, list(found.values())):
            if relation.key not in found:
                found[relation.key] = relation
        doc._.relations = sorted(found.values(), key=lambda r: (r.start, r.predicate, r.subject.id, r.object.id))
        return doc

    def _matches(self, doc: Doc, index: "_MentionIndex") -> list[tuple[int, list[int]]]:
        """Matches in the sentences that name two parties or more (no relation can come from the
        others, except by a rule that finds one party elsewhere), by a matcher of the rules whose
        words the sentence holds (the trigger's and every other node's that names words): matching
        is the costliest step of the pipeline, and most rules cannot match most sentences."""
        parties_by_sentence: dict[int, set[str]] = {}
        for mention in doc._.mentions:
            parties_by_sentence.setdefault(index.sentence_at[mention.start].start, set()).update(mention.entity_ids)
        columns = doc.to_array([LEMMA, LOWER, ORTH])  # WORD_ATTRS, as string ids
        head, array = doc._get_array_attrs(), None  # what `Span.as_doc` copies, read once rather than per sentence
        out = []
        for sentence in index.sentences:
            named = len(parties_by_sentence.get(sentence.start, ()))
            if named == 0:
                continue
            words = [set(column) for column in columns[sentence.start:sentence.end].T.tolist()]
            names = frozenset(name for k in (self.by_trigger if named > 1 else self.one_party_keys)
                              if not k[0] or not self.trigger_ids[k][1].isdisjoint(words[self.trigger_ids[k][0]])
                              for name in self.by_trigger[k]
                              if all(not wanted.isdisjoint(words[column]) for column, wanted in self.word_ids[name]))
            if names:  # the sentence as a Doc of its own: a matcher given a Span copies it, user data and all
                array = doc.to_array(head) if array is None else array
                copy = sentence.as_doc(array_head=head, array=array.copy())  # it edits the rows it copies
                out += [(match_id, [sentence.start + i for i in token_ids]) for match_id, token_ids in self._matcher(names)(copy)]
        strings = doc.vocab.strings
        return sorted(out, key=lambda match: (match[1][0], self.order[strings[match[0]]]))

    def _matcher(self, names: frozenset[str]) -> DependencyMatcher:
        """One matcher for these rules, made the first time a sentence needs exactly them (a few
        hundred combinations recur)."""
        if names not in self.matchers:
            if len(self.matchers) > 2048:
                self.matchers.clear()
            matcher = TreeMatcher(self.vocab, validate=True)
            for name in sorted(names, key=self.order.__getitem__):
                matcher.add(name, [self.patterns[name]])
            self.matchers[names] = matcher
        return self.matchers[names]

    def _enumerations(self, doc: Doc, index: "_MentionIndex") -> list[Relation]:
        """Lists of parties in a sentence about an exercise: "units from Australia, Canada, ... and
        the United States" (the parser rarely gets long lists right, so they are read off the tokens)."""
        out = []
        for spec in self.enumerations:
            words = frozenset(spec["sentence_lemmas"])
            for sentence in index.sentences:
                if not any(t.lemma_.lower() in words for t in sentence) and not any(t.ent_type_ == EXERCISE for t in sentence):
                    continue
                if any(self._blocked(t) for t in sentence if t.dep_ == "ROOT"):
                    continue
                if any(t.lemma_.lower() in spec.get("block_lemmas", ()) for t in sentence):
                    continue  # "14 countries will participate as observers": observers do not exercise
                for group in index.lists(sentence, frozenset(spec["list_joiners"])):
                    if len(group) < spec["min_parties"]:
                        continue
                    rule = Rule(spec["name"], spec["predicate"], spec["confidence"], {}, {}, ())
                    exercise = next((exercises()[e.ent_id_].label for e in _ents(sentence) if e.label_ == EXERCISE), "")
                    nodes = {"trigger": sentence.root}
                    out += self._build(doc, rule, nodes, sentence, list(combinations(group, 2)), rule.confidence,
                                       (("exercise", exercise),) if exercise else (), index)
        return out

    def _cooccurrences(self, doc: Doc, index: "_MentionIndex") -> list[Relation]:
        """Parties named together in a sentence holding one of a spec's phrases ("built by L&T with
        technology transfer from Hanwha"): the parties of different countries, other than persons."""
        out = []
        for spec, phrases in zip(self.cooccurrences, self.phrases, strict=True):
            lemmas = frozenset(spec["sentence_lemmas"])
            for sentence in index.sentences:
                if not phrases.search(sentence.text.lower()):
                    continue
                if not any(t.lemma_.lower() in lemmas for t in sentence) or any(self._blocked(t) for t in sentence if t.dep_ == "ROOT"):
                    continue
                parties = index.industry_parties(sentence)
                rule = Rule(spec["name"], spec["predicate"], spec["confidence"], {}, {}, ())
                out += self._build(doc, rule, {"trigger": sentence.root}, sentence, list(combinations(parties, 2)),
                                   rule.confidence, (), index)
        return out

    def derive(self, doc: Doc, relations: list[Relation]) -> list[Relation]:
        """Acts implied by others: a person or body that meets in a country it does not belong to
        visits it (countries themselves do not travel)."""
        out = []
        for spec in self.derived:
            for relation in relations:
                if relation.predicate != spec["from"] or relation.rule.removesuffix(GOVERNED) not in spec.get("from_rules", [relation.rule.removesuffix(GOVERNED)]):
                    continue
                if spec["visitors"] == "object":  # hosted: the guest comes to the host's country
                    place_id = relation.place or (f"country/{relation.subject.country}" if relation.subject.country else "")
                    visitors = (relation.object,)
                else:
                    place_id, visitors = relation.place, (relation.subject, relation.object)
                if not place_id or not set(_WORD.findall(relation.evidence.lower())).isdisjoint(spec.get("block_words", ())):
                    continue
                place = doc._.entities.get(place_id) or country_entity(place_id.split("/", 1)[1])
                for party in visitors:
                    if party.type != COUNTRY and party.country and party.country != place.country:  # people travel
                        out.append(replace(
                            relation, predicate=spec["predicate"], subject=party, object=place, rule=spec["name"],
                            confidence=min(relation.confidence, spec["confidence"]), act=f"{spec['name']}@{relation.act}",
                        ))
        return out

    # -- filters -------------------------------------------------------------------------------
    def _blocked(self, trigger: Token) -> bool:
        """Wishes, invitations and possibilities are not acts: "invited him to visit India"."""
        if any(child.dep_ == "aux" and child.lemma_ in self.aux_blockers for child in trigger.children):
            return True
        return any(ancestor.lemma_ in self.ancestor_blockers for ancestor in trigger.ancestors)

    def _modality(self, nodes: dict[str, Token]) -> str:
        """Announced ("will conduct", "to be conducted", "the forthcoming exercise") or happened."""
        for token in nodes.values():
            if any(c.dep_ in ("aux", "auxpass") and c.lemma_ in self.announced["aux_lemmas"] for c in token.children):
                return ANNOUNCED
            if any(c.dep_ == "amod" and c.lemma_ in self.announced["modifier_lemmas"] for c in token.children):
                return ANNOUNCED
        trigger = nodes["trigger"]
        if any(a.lemma_ in self.announced["ancestor_lemmas"] for a in trigger.ancestors):
            return ANNOUNCED
        return HAPPENED

    @staticmethod
    def _requirements_met(rule: Rule, sentence: Span) -> bool:
        lemmas = rule.requires.get("sentence_lemmas")
        if not lemmas:
            return True
        if any(t.lemma_.lower() in lemmas or t.lower_ in lemmas for t in sentence):
            return True
        return bool(rule.requires.get("or_weapon")) and any(t.ent_type_ == WEAPON for t in sentence)

    # -- building relations --------------------------------------------------------------------
    def _relations(self, doc: Doc, rule: Rule, nodes: dict[str, Token], index: "_MentionIndex") -> list[Relation]:
        sentence = index.sentence_at[nodes["trigger"].i]
        item = nodes.get(rule.roles.get("item", {}).get("node", ""))
        if item is not None and item.lemma_.lower() in self.non_items:
            return []  # "received the honorary title from the President": no equipment changes hands
        confidence = rule.confidence
        sides: dict[str, list[str]] = {}
        for role in ("subject", "object", "parties"):
            if role in rule.roles:
                ids, fallback = index.parties(rule.roles[role], nodes, sentence, sides, rule.predicate)
                sides[role] = ids
                confidence -= FALLBACK_PENALTY if fallback else 0.0
        if "parties" in sides:
            pairs = list(combinations(sides["parties"], 2))
        else:
            pairs = [(s, o) for s in sides.get("subject", []) for o in sides.get("object", [])]
        return self._build(doc, rule, nodes, sentence, pairs, confidence, self._attributes(rule, nodes, sentence), index)

    def _build(
        self, doc: Doc, rule: Rule, nodes: dict[str, Token], sentence: Span, pairs: list[tuple[str, str]],
        confidence: float, attributes: tuple[tuple[str, str], ...], index: "_MentionIndex",
    ) -> list[Relation]:
        entities: dict[str, Entity] = doc._.entities
        modality = self._modality(nodes)
        place = index.place(nodes, self.place_prepositions)
        act = f"{rule.name}@{nodes['trigger'].i}"
        text = sentence.text
        start = sentence.start_char + (len(text) - len(text.lstrip()))
        evidence = text.strip()
        out = []
        for s, o in pairs:
            subject, object_ = entities[s], entities[o]
            if s == o or subject.label == object_.label or (subject.country and subject.country == object_.country):
                continue  # guideline 8: only relations across borders
            if rule.predicate == "visits" and object_.type != COUNTRY:
                continue
            out.append(Relation(
                rule.predicate, subject, object_, evidence, start, start + len(evidence), rule.name,
                round(confidence, 3), _explicit_date(sentence), attributes, modality,
                object_.id if rule.predicate == "visits" else place, act,
            ))
        return out

    @staticmethod
    def _attributes(rule: Rule, nodes: dict[str, Token], sentence: Span) -> tuple[tuple[str, str], ...]:
        out = []
        for key in ("exercise", "item", "agreement"):
            spec = rule.roles.get(key)
            if spec is None:
                continue
            if spec.get("from") == "weapon-in-sentence":
                value = next((weapons()[e.ent_id_].label for e in _ents(sentence) if e.label_ == WEAPON), "")
            else:
                value = _thing(nodes[spec["node"]], {"exercise": EXERCISE, "item": WEAPON}.get(key, AGREEMENT))
            if value:
                out.append((key, value))
        return tuple(out)


class _MentionIndex:
    """Which parties each token of a doc names."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.at: dict[int, Mention] = {i: m for m in doc._.mentions for i in range(m.start, m.end)}
        self.sentences = list(doc.sents)  # once: `doc.sents` and `Token.sent` walk the doc at each call
        self.sentence_at = [sentence for sentence in self.sentences for _ in range(len(sentence))]
        self._document_place: str | None = None
        self.stated: list[Relation] = []  # the relations found so far, in text order

    def ids_at(self, token: Token, places: bool, organisations: bool) -> list[str]:
        found = self._ids(_group(_referent(token)), places, organisations)
        if not found and places:  # "a call at Batumi port": the compound names the place
            compounds = self._ids([c for c in token.children if c.dep_ == "compound"], places, organisations)
            found = [i for i in compounds if self.doc._.entities[i].type == COUNTRY]
        return found

    def _ids(self, tokens: list[Token], places: bool, organisations: bool) -> list[str]:
        found: list[str] = []
        for t in tokens:
            mention = self.at.get(t.i)
            if mention is None or mention.kind == MODIFIER:
                continue
            if (places or mention.kind != PLACE) and (organisations or mention.kind != ORGANISATION_NAME):
                found += [i for i in mention.entity_ids if i not in found]
        return found

    def industry_parties(self, sentence: Span) -> list[str]:
        """The parties of known country a sentence names other than persons, at the most specific level."""
        entities = self.doc._.entities
        found: list[str] = []
        for mention in self.doc._.mentions:
            if sentence.start <= mention.start < sentence.end and mention.kind in (NAME, TITLE, ORGANISATION_NAME):
                found += [e for e in mention.entity_ids
                          if e not in found and entities[e].type != PERSON and entities[e].country]
        return self.most_specific(found)

    def most_specific(self, found: list[str]) -> list[str]:
        """The parties at the most specific level that names two countries: companies and ministries
        ("Naval Group of France and Mazagon Dock"), else those with the countries of no such body,
        else countries, else all."""
        entities = self.doc._.entities
        bodies = [e for e in found if entities[e].type != COUNTRY and entities[e].kind != ARMED_FORCE]
        nations = [e for e in found if entities[e].type == COUNTRY]
        homes = {entities[e].country for e in bodies}
        mixed = bodies + [e for e in nations if entities[e].country not in homes]  # "Australia appointed UK firm BAE Systems"
        for level in (bodies, mixed if bodies else [], nations):
            if len({entities[e].country for e in level}) >= 2:
                return level
        return found

    def lists(self, sentence: Span, joiners: frozenset[str]) -> list[list[str]]:
        """Runs of named parties separated only by commas, "and", "the" or a bracketed aside."""
        groups: list[list[str]] = []
        current: list[str] = []
        i = sentence.start
        while i < sentence.end:
            mention = self.at.get(i)
            if mention is not None and mention.kind == NAME and mention.start == i:
                entities = self.doc._.entities
                current += [e for e in mention.entity_ids if e not in current and entities[e].type != PERSON]
                i = mention.end
                continue
            token = self.doc[i]
            if token.lower_ in joiners or token.is_space:
                i += 1
                continue
            if token.text == "(":
                close = next((t.i for t in self.doc[i:sentence.end] if t.text == ")"), None)
                if close is not None and close - i <= 6:
                    i = close + 1
                    continue
            if current:
                groups.append(current)
            current = []
            i += 1
        if current:
            groups.append(current)
        return groups

    def place(self, nodes: dict[str, Token], prepositions: frozenset[str]) -> str:
        """The country an act took place in: "met ... in Moscow", "the exercise at Darwin", "met and
        held meetings in the Pentagon"."""
        heads = [t for node in nodes.values() for t in (node, *(c for c in node.children if c.dep_ in ("appos", "conj")))]
        for token in heads + [c for t in heads if t.dep_ == "conj" for c in t.children if c.dep_ == "dobj"]:
            for prep in token.children:
                if prep.dep_ != "prep" or prep.lower_ not in prepositions:
                    continue
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    for place in (pobj, *(c for c in pobj.children if c.dep_ == "appos")):  # "in Venice, Italy"
                        mention = self.at.get(place.i)
                        if mention is not None and mention.kind in (PLACE, NAME):
                            entity = self.doc._.entities[mention.entity_ids[0]]
                            if entity.type == COUNTRY:
                                return entity.id
                            if entity.kind == MINISTRY and entity.country:  # "met in the Pentagon"
                                return self._country_party(entity.country)
        return ""

    def event_place(self, event: Token) -> str:
        """Where an event took place: a country or city named with it ("the ceremony held in Jakarta"),
        else the dateline's, else the one country whose places the document names most."""
        entities = self.doc._.entities
        for token in event.subtree:
            mention = self.at.get(token.i)
            if mention is None or mention.kind == MODIFIER:
                continue
            entity = entities[mention.entity_ids[0]]
            located = mention.kind == PLACE or any(a.lower_ in ("in", "at") for a in token.ancestors if a.i > event.i)
            if located and entity.type == COUNTRY:
                return entity.id
            if located and entity.type == ORGANISATION and entity.country:  # "at the Wuchang shipyard's base"
                return self._country_party(entity.country)
        if self._document_place is None:
            self._document_place = dateline_place(self.doc) or self._most_named_place()
        return self._document_place

    def _country_party(self, iso3: str) -> str:
        """The id of a country as a party, known to the doc's entities from now on."""
        country = country_entity(iso3)
        self.doc._.entities.setdefault(country.id, country)
        return country.id

    def _most_named_place(self) -> str:
        counts = Counter(m.entity_ids[0] for m in self.doc._.mentions if m.kind == PLACE)
        ranked = counts.most_common(2)
        return ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else ""

    def parties(
        self, spec: dict[str, Any], nodes: dict[str, Token], sentence: Span, sides: dict[str, list[str]], predicate: str
    ) -> tuple[list[str], bool]:
        """The party ids a role names, and whether they came from a fallback."""
        source = spec.get("from")
        if source == "other-country":
            taken = {i for ids in sides.values() for i in ids}
            taken_countries = {self.doc._.entities[i].country for i in taken}
            others = {
                i for m in self.doc._.mentions if sentence.start <= m.start < sentence.end and m.kind not in (PLACE, MODIFIER)
                for i in m.entity_ids
                if self.doc._.entities[i].type == COUNTRY and self.doc._.entities[i].country not in taken_countries
            }
            return (sorted(others), True) if len(others) == 1 else ([], True)
        if source == "context":  # "Invitation was extended to X": by whoever invited last before this sentence
            earlier = [r for r in self.stated if r.predicate == spec["predicate"] and r.start < sentence.start_char]
            return ([earlier[-1].subject.id] if earlier else []), True
        token = nodes[spec["node"]]
        if source == "event-place":
            place = self.event_place(nodes[spec["node"]])
            return ([place] if place else []), True
        if source == "subtree":  # "a meeting of Armenian, Azerbaijani and Russian ministers", however parsed
            entities = self.doc._.entities
            types = spec.get("types", [COUNTRY])
            found = []
            for t in token.subtree:
                mention = self.at.get(t.i)
                if mention is not None and mention.kind in (NAME, MODIFIER, ORGANISATION_NAME):
                    found += [e for e in mention.entity_ids if entities[e].type in types and e not in found]
            return self.most_specific(found), False
        if source == "modifiers":
            found: list[str] = []
            for i in range(token.left_edge.i, token.i):
                mention = self.at.get(i)
                if mention is not None:
                    found += [e for e in mention.entity_ids if e not in found]
            return found, False
        found = self.ids_at(token, bool(spec.get("places")), predicate in INDUSTRY)
        if "types" in spec:
            found = [e for e in found if self.doc._.entities[e].type in spec["types"]]
        return found, False


def _inherited_subject(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The same rule for a trigger whose subject belongs to the verb that governs it ("Russia has
    started delivering ...", "The US has agreed to co-produce ...", "He met X and signed ...",
    "X, visiting Laos, held ..."):
    the subject node hangs off the governing verb instead of the trigger."""
    pattern = raw["pattern"]
    subjects = [n for n in pattern[1:] if n["LEFT_ID"] == "trigger" and n["REL_OP"] == ">"
                and n["RIGHT_ATTRS"].get("DEP") == {"IN": ["nsubj"]}]
    if not subjects or pattern[0]["RIGHT_ATTRS"].get("POS") != "VERB":
        return []
    trigger = {**pattern[0], "RIGHT_ATTRS": {**pattern[0]["RIGHT_ATTRS"], "DEP": {"IN": ["xcomp", "conj", "advcl"]}}}
    governor = {"LEFT_ID": "trigger", "REL_OP": "<", "RIGHT_ID": "governor", "RIGHT_ATTRS": {"POS": {"IN": ["VERB", "AUX"]}}}
    rest = [{**n, "LEFT_ID": "governor"} if n in subjects else n for n in pattern[1:]]
    # two steps up: "Prabowo had accepted the invitation and was set to travel to the US"
    between = {**governor, "RIGHT_ATTRS": {**governor["RIGHT_ATTRS"], "DEP": {"IN": ["xcomp", "conj"]}}}
    top = {"LEFT_ID": "governor", "REL_OP": "<", "RIGHT_ID": "top", "RIGHT_ATTRS": {"POS": {"IN": ["VERB", "AUX"]}}}
    far = [{**n, "LEFT_ID": "top"} if n in subjects else n for n in pattern[1:]]
    return [{**raw, "name": raw["name"] + GOVERNED, "confidence": raw["confidence"] - 0.05,
             "pattern": [trigger, governor, *rest]},
            {**raw, "name": raw["name"] + "-twice" + GOVERNED, "confidence": raw["confidence"] - 0.1,
             "pattern": [trigger, between, top, *far]}]


def _referent(token: Token) -> Token:
    """The word a node stands for: "who" -> the noun its clause describes; "the delegation led by
    Admiral X" -> X; "the leadership of the USA" -> the USA."""
    if token.tag_ in ("WP", "WDT") and token.head.dep_ == "relcl":
        return token.head.head
    if token.lemma_.lower() in GROUP_NOUNS:  # "the military leadership of the USA and NATO"
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "from")), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is not None:
            return pobj
    for child in token.children:
        if child.dep_ == "acl" and child.lemma_ in ("lead", "head"):
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if pobj is not None:
                return pobj
    return token


def _group(token: Token) -> list[Token]:
    """A node with its conjuncts and appositions: "the Indian Navy, the Royal Australian Navy, ...
    and the US Navy" (the parser often hangs such lists off an apposition)."""
    group = [token, *token.conjuncts]
    for member in group:
        group += [c for c in member.children if c.dep_ in ("conj", "appos") and c not in group]
    return group


def _thing(token: Token, label: str) -> str:
    """The exercise or item a node names: the vocabulary's label when the ruler knows it, else the
    noun with its compounds ("weapon systems")."""
    table = exercises() if label == EXERCISE else weapons()
    for t in token.subtree:
        if t.ent_type_ == label and t.ent_id_ in table:
            return table[t.ent_id_].label
    if label == EXERCISE:
        return ""
    words = [c for c in token.children if c.dep_ == "compound" and c.i < token.i] + [token]
    phrase = " ".join(w.text for w in words)
    topic = next((c for c in token.children if c.dep_ == "prep" and c.lower_ in ("on", "for")), None)
    if label == AGREEMENT and topic is not None:
        phrase += " " + token.doc[topic.i:topic.right_edge.i + 1].text
    return phrase


def _ents(sentence: Span) -> list[Span]:
    """The entities of one sentence, read off its own tokens (`Span.ents` walks the whole doc's)."""
    doc = sentence.doc
    out: list[Span] = []
    start = -1
    for i in range(sentence.start, sentence.end + 1):
        iob = doc[i].ent_iob_ if i < sentence.end else "O"
        if start >= 0 and iob != "I":
            first = doc[start]
            out.append(Span(doc, start, i, label=first.ent_type, kb_id=first.ent_kb_id, span_id=first.ent_id))
            start = -1
        if iob == "B":
            start = i
    return out


def _explicit_date(sentence: Span) -> str:
    for ent in _ents(sentence):
        if ent.label_ == "DATE" and any(t.like_num and len(t.text) == 4 for t in ent):
            date = normalise_date(ent.text)
            if date:
                return date
    return ""
