"""The one mapping from ingest records to RDF.

Each document becomes a named graph holding the document (a `prov:Entity` with its source,
publisher, date and content hash), the extraction that read it (`prov:Activity` run by a
versioned `dkg:Extractor`), the parties it mentions with their posts (W3C ORG), one n-ary act node
per act (a multilateral act lists all its participants once) with its evidence, and the direct
triples between parties (`:India :exercisesWith :Russia`, both ways for symmetric relations).
A reference graph holds every country (ISO code, `owl:sameAs` Wikidata) and the organisations of
the vocabulary with their member states. Every node has an IRI (no blank nodes), so graphs can go
to any remote store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from urllib.parse import quote

from rdflib import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, Literal, Namespace, URIRef

from defence_kg.ingest.countries import countries
from defence_kg.ingest.pipeline import MODEL
from defence_kg.ingest.records import (
    ANNOUNCED, COUNTRY, ORGANISATION, PERSON, SYMMETRIC, Document, Entity, Relation,
)
from defence_kg.ingest.vocab import organisations, slug
from defence_kg.ontology import DKG

BASE = "https://w3id.org/defence-kg/"
ID = Namespace(BASE + "id/")
DOC = Namespace(BASE + "doc/")
ACT = Namespace(BASE + "act/")
EXTRACTION = Namespace(BASE + "extraction/")
AGENT = Namespace(BASE + "agent/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
REFERENCE_GRAPH = URIRef(BASE + "graph/reference")
DERIVED_GRAPH = URIRef(BASE + "graph/derived")
FACT = Namespace(BASE + "fact/")

Triple = tuple[URIRef, URIRef, URIRef | Literal]

PARTY_CLASS = {PERSON: DKG.Person, COUNTRY: DKG.Country, ORGANISATION: DKG.Organisation}
ACT_CLASS = {
    "meets": DKG.Meeting,
    "invites": DKG.Invitation,
    "coProduces": DKG.CoProduction,
    "exercisesWith": DKG.ExerciseParticipation,
    "supplies": DKG.Supply,
    "signsAgreementWith": DKG.AgreementSigning,
    "visits": DKG.Visit,
}
PREFIXES = {
    "dkg": DKG._NS, "id": ID, "doc": DOC, "act": ACT, "fact": FACT, "prov": PROV, "dct": DCTERMS, "skos": SKOS,
    "org": ORG, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "wd": WIKIDATA,
}


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """The release plus a digest of what decides a document's graph: the ingest code and data
    files, this mapping and the spaCy model's version. A store built by another extractor is read
    again by `build`, even between releases."""
    try:
        release = version("defence-kg")
    except PackageNotFoundError:  # running from a source tree that is not installed
        release = "0"
    digest = hashlib.sha256(version(MODEL).encode())
    ingest = files("defence_kg.ingest")
    sources = [*ingest.iterdir(), *ingest.joinpath("data").iterdir(), files(__package__).joinpath("rdf.py")]
    for source in sorted((s for s in sources if s.is_file() and not s.name.endswith(".pyc")), key=lambda s: s.name):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return f"{release}+{digest.hexdigest()[:12]}"


def entity_iri(entity_id: str) -> URIRef:
    """ "country/IND" -> <https://w3id.org/defence-kg/id/country/IND>."""
    return ID[quote(entity_id, safe="/")]


def country_iri(iso3: str) -> URIRef:
    return entity_iri(f"country/{iso3}")


def document_iri(document_id: str) -> URIRef:
    """The document's IRI, also the name of the graph that holds what was read from it."""
    return DOC[quote(document_id, safe="")]


def extractor_iri() -> URIRef:
    return AGENT[f"defence-kg-{extractor_version()}"]


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def acts(relations: Iterable[Relation]) -> list[list[Relation]]:
    """Relations grouped into acts: the pairs of one multilateral act form one group."""
    groups: dict[tuple[str, ...], list[Relation]] = {}
    for relation in relations:
        if relation.predicate in SYMMETRIC and relation.act:
            key: tuple[str, ...] = (relation.predicate, relation.act)
        else:
            key = relation.key
        groups.setdefault(key, []).append(relation)
    return list(groups.values())


def act_iri(document_id: str, group: list[Relation]) -> URIRef:
    parties = sorted({r.subject.id for r in group} | {r.object.id for r in group})
    return ACT[_digest(document_id, group[0].predicate, *parties)]


def document_triples(document: Document, relations: Iterable[Relation]) -> Iterator[Triple]:
    """Everything the graph of one document holds."""
    relations = list(relations)
    doc = document_iri(document.id)
    yield from _document_node(document)
    extraction = EXTRACTION[quote(document.id, safe="")]
    yield extraction, RDF.type, DKG.Extraction
    yield extraction, RDF.type, PROV.Activity
    yield extraction, PROV.used, doc
    yield extraction, PROV.wasAssociatedWith, extractor_iri()
    yield extractor_iri(), RDF.type, DKG.Extractor
    yield extractor_iri(), RDF.type, PROV.SoftwareAgent
    yield extractor_iri(), RDFS.label, Literal(f"defence-kg {extractor_version()}")
    yield extractor_iri(), DKG.version, Literal(extractor_version())
    parties: dict[str, Entity] = {}
    countries_used: set[str] = set()
    for group in acts(relations):
        for relation in group:
            parties.setdefault(relation.subject.id, relation.subject)
            parties.setdefault(relation.object.id, relation.object)
            yield from _direct_triples(relation)
        yield from _act_triples(document, group, extraction, countries_used)
    for entity in parties.values():
        yield from _entity_triples(entity)
        if entity.country:
            countries_used.add(entity.country)
    for iso3 in sorted(countries_used):
        yield from _country_triples(iso3)


def _document_node(document: Document) -> Iterator[Triple]:
    doc = document_iri(document.id)
    yield doc, RDF.type, DKG.Document
    yield doc, RDF.type, PROV.Entity  # stated, not only entailed: SPARQL users do not reason
    yield doc, DCTERMS.identifier, Literal(document.id)
    yield doc, DKG.contentHash, Literal(content_hash(document.text))
    optional = (
        (DKG.sourceUrl, document.url, XSD.anyURI),
        (DCTERMS.title, document.title, None),
        (DCTERMS.date, document.date, XSD.date),
        (DCTERMS.publisher, document.publisher, None),
        (DCTERMS.language, document.language, None),
    )
    for predicate, value, datatype in optional:
        if value:
            yield doc, predicate, Literal(value, datatype=datatype)
    for key, value in document.metadata:
        field = URIRef(f"{doc}#field-{quote(key, safe='')}")
        yield doc, DKG.field, field
        yield field, RDF.type, DKG.SourceField
        yield field, RDFS.label, Literal(key)
        yield field, RDF.value, Literal(value)


def _direct_triples(relation: Relation) -> Iterator[Triple]:
    """The binary triple for simple queries and the network; symmetric ones both ways."""
    subject, object_ = entity_iri(relation.subject.id), entity_iri(relation.object.id)
    yield subject, DKG[relation.predicate], object_
    if relation.predicate in SYMMETRIC:
        yield object_, DKG[relation.predicate], subject


def _act_triples(document: Document, group: list[Relation], extraction: URIRef, countries_used: set[str]) -> Iterator[Triple]:
    first = group[0]
    act = act_iri(document.id, group)
    yield act, RDF.type, DKG.Act
    yield act, RDF.type, ACT_CLASS[first.predicate]
    yield act, DKG.relation, DKG[first.predicate]
    participants = list(dict.fromkeys(p for r in group for p in (r.subject.id, r.object.id)))
    if first.predicate in SYMMETRIC:
        for party in participants:
            yield act, DKG.participant, entity_iri(party)
    else:
        yield act, DKG.subject, entity_iri(first.subject.id)
        yield act, DKG.object, entity_iri(first.object.id)
    yield act, DKG.evidence, Literal(first.evidence)
    yield act, DKG.startOffset, Literal(first.start)
    yield act, DKG.endOffset, Literal(first.end)
    yield act, DKG.rule, Literal(first.rule)
    yield act, DKG.confidence, Literal(str(max(r.confidence for r in group)), datatype=XSD.decimal)
    yield act, DKG.modality, DKG.Announced if first.modality == ANNOUNCED else DKG.Happened
    if first.date:
        yield act, DKG.date, Literal(first.date, datatype=XSD.date)
    if first.place:
        iso3 = first.place.split("/", 1)[1]
        countries_used.add(iso3)
        yield act, DKG.place, country_iri(iso3)
    yield act, PROV.wasDerivedFrom, document_iri(document.id)
    yield act, PROV.wasGeneratedBy, extraction
    for key, value in first.attributes:
        if key == "exercise":
            yield from _exercise_triples(act, value, first.date, participants)
        elif key == "item":
            node = ID[f"weapon/{slug(value)}"]
            yield act, DKG.item, node
            yield node, RDF.type, DKG.WeaponSystem
            yield node, RDFS.label, Literal(value)
        elif key == "agreement":
            node = ID[f"agreement/{_digest(document.id, value)}"]
            yield act, DKG.agreement, node
            yield node, RDF.type, DKG.Agreement
            yield node, RDFS.label, Literal(value)


def _exercise_triples(act: URIRef, name: str, date: str, participants: list[str]) -> Iterator[Triple]:
    """The series ("Indra") and, when the act is dated, its edition ("Indra 2020")."""
    series = ID[f"exercise/{slug(name)}"]
    yield series, RDF.type, DKG.MilitaryExercise
    yield series, RDFS.label, Literal(name)
    exercise = series
    if date:
        year = date[:4]
        exercise = ID[f"exercise/{slug(name)}-{year}"]
        yield exercise, RDF.type, DKG.ExerciseEdition
        yield exercise, RDFS.label, Literal(f"{name} {year}")
        yield exercise, DKG.editionOf, series
        yield exercise, DKG.year, Literal(year, datatype=XSD.gYear)
    yield act, DKG.exercise, exercise
    for party in participants:
        yield entity_iri(party), DKG.participatesIn, exercise


def _entity_triples(entity: Entity) -> Iterator[Triple]:
    node = entity_iri(entity.id)
    yield node, RDF.type, PARTY_CLASS[entity.type]
    if entity.kind:
        yield node, RDF.type, DKG[entity.kind]
    yield node, RDFS.label, Literal(entity.label)
    for alias in entity.aliases:
        yield node, SKOS.altLabel, Literal(alias)
    if entity.type != COUNTRY and entity.country:
        yield node, DKG.country, country_iri(entity.country)
    if entity.role:
        yield node, DKG.role, Literal(entity.role)
        if entity.country:
            yield from _post_triples(node, entity.role, entity.country)


def _post_triples(person: URIRef, role: str, iso3: str) -> Iterator[Triple]:
    """ "Rajnath Singh holds the post of Defence Minister of India" (ORG), as this release states."""
    post = ID[f"post/{iso3.lower()}-{slug(role)}"]
    yield post, RDF.type, DKG.Post
    yield post, RDFS.label, Literal(f"{role} of {countries()[iso3].label}")
    yield post, ORG.postIn, country_iri(iso3)
    yield person, ORG.holds, post


def _country_triples(iso3: str) -> Iterator[Triple]:
    country = countries()[iso3]
    node = country_iri(iso3)
    yield node, RDF.type, DKG.Country
    yield node, RDFS.label, Literal(country.label)
    yield node, DKG.countryCode, Literal(iso3)
    yield node, DKG.country, node  # the country a country counts for: one pattern serves every party
    if country.wikidata:
        yield node, OWL.sameAs, WIKIDATA[country.wikidata]


def reference_triples() -> Iterator[Triple]:
    """Every country, and the vocabulary's organisations with their member states."""
    for iso3 in sorted(countries()):
        yield from _country_triples(iso3)
    for term in organisations().values():
        node = entity_iri(term.id)
        yield node, RDF.type, DKG.Organisation
        if term.kind:
            yield node, RDF.type, DKG[term.kind]
        yield node, RDFS.label, Literal(term.label)
        for name in term.names:
            if name != term.label:
                yield node, SKOS.altLabel, Literal(name)
        if term.country:
            yield node, DKG.country, country_iri(term.country)
        for member in term.members:
            yield country_iri(member), DKG.memberOf, node
