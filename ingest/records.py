"""Plain records passed between the stages: ingest yields them, graph maps them to RDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PERSON = "Person"
COUNTRY = "Country"
ORGANISATION = "Organisation"
PARTY_TYPES = (PERSON, COUNTRY, ORGANISATION)

SYMMETRIC = frozenset({"meets", "coProduces", "exercisesWith", "signsAgreementWith"})
DIRECTED = frozenset({"invites", "supplies", "visits"})
PREDICATES = tuple(sorted(SYMMETRIC | DIRECTED))

HAPPENED = "happened"
ANNOUNCED = "announced"  # scheduled or announced, not yet done (guideline 7)


@dataclass(frozen=True)
class Document:
    """One source text with the metadata the graph keeps as provenance."""

    id: str
    text: str
    title: str = ""
    date: str = ""  # ISO YYYY-MM-DD, or "" when the source gives none
    url: str = ""
    publisher: str = ""
    source: str = ""  # the file (and line) it was read from
    metadata: tuple[tuple[str, str], ...] = ()  # a JSON Lines record's or a CSV row's other keys, as given
    language: str = "en"  # BCP 47; documents read confidently as another language are skipped, not kept


@dataclass(frozen=True)
class Entity:
    """A canonical party: every mention in a document resolves to one of these."""

    id: str  # canonical id, e.g. "country/IND", "person/rajnath-singh", "org/indian-navy"
    label: str
    type: str  # one of PARTY_TYPES
    country: str = ""  # ISO 3166-1 alpha-3, "" for multinational bodies
    aliases: tuple[str, ...] = ()
    role: str = ""  # a person's post as the text gives it
    kind: str = ""  # finer class of an organisation: ArmedForce, Ministry, DefenceCompany, MultilateralBody, JointVenture

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "type": self.type, "country": self.country, "id": self.id}


@dataclass(frozen=True)
class Mention:
    """A stretch of a spaCy doc (token offsets) that refers to one or more parties."""

    start: int
    end: int
    entity_ids: tuple[str, ...]
    kind: str = "name"  # "name", "title" (a post used as a name) or "place" (a city for its country)


@dataclass(frozen=True)
class Relation:
    """One act between two parties, with the evidence it was read from."""

    predicate: str
    subject: Entity
    object: Entity
    evidence: str
    start: int  # character offsets of the evidence in the document text
    end: int
    rule: str
    confidence: float
    date: str = ""
    attributes: tuple[tuple[str, str], ...] = field(default=())  # ("exercise", "Indra"), ("item", "AK-203")
    modality: str = HAPPENED
    place: str = ""  # canonical id of the country the act took place in, when the sentence says
    act: str = ""  # the act within its document: all pairs of one multilateral act share it

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the act in a document: symmetric acts ignore the order of parties."""
        a, b = self.subject.id, self.object.id
        if self.predicate in SYMMETRIC and b < a:
            a, b = b, a
        return (self.predicate, a, b)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "predicate": self.predicate,
            "subject": self.subject.to_json(),
            "object": self.object.to_json(),
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 3),
            "rule": self.rule,
        }
        if self.date:
            out["date"] = self.date
        out.update(dict(self.attributes))
        out["modality"] = self.modality
        return out
