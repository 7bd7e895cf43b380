"""The one mapping from ingest records to RDF.

Each document becomes a named graph holding the document's own description, the parties it
mentions, the direct triples (`:India :exercisesWith :Russia`) and one n-ary act node per relation
with its evidence. Every node has an IRI (no blank nodes), so graphs can go to any remote store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, Literal, Namespace, URIRef

from defence_kg.ingest.records import COUNTRY, ORGANISATION, PERSON, SYMMETRIC, Document, Entity, Relation
from defence_kg.ingest.vocab import slug
from defence_kg.ontology import DKG

BASE = "https://w3id.org/defence-kg/"
ID = Namespace(BASE + "id/")
DOC = Namespace(BASE + "doc/")
ACT = Namespace(BASE + "act/")

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
    "dkg": DKG._NS, "id": ID, "doc": DOC, "act": ACT, "prov": PROV, "dct": DCTERMS, "skos": SKOS,
    "rdfs": RDFS, "owl": OWL, "xsd": XSD,
}


def entity_iri(entity_id: str) -> URIRef:
    """ "country/IND" -> <https://w3id.org/defence-kg/id/country/IND>."""
    return ID[quote(entity_id, safe="/")]


def document_iri(document_id: str) -> URIRef:
    """The document's IRI, also the name of the graph that holds what was read from it."""
    return DOC[quote(document_id, safe="")]


def act_iri(document_id: str, relation: Relation) -> URIRef:
    digest = hashlib.sha1("\x1f".join((document_id, *relation.key)).encode()).hexdigest()[:16]
    return ACT[digest]


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_triples(document: Document, relations: Iterable[Relation]) -> Iterator[Triple]:
    """Everything the graph of one document holds."""
    doc = document_iri(document.id)
    yield doc, RDF.type, DKG.Document
    yield doc, DCTERMS.identifier, Literal(document.id)
    yield doc, DKG.contentHash, Literal(content_hash(document.text))
    optional = (
        (DKG.sourceUrl, document.url, XSD.anyURI),
        (DCTERMS.title, document.title, None),
        (DCTERMS.date, document.date, XSD.date),
        (DCTERMS.publisher, document.publisher, None),
    )
    for predicate, value, datatype in optional:
        if value:
            yield doc, predicate, Literal(value, datatype=datatype)
    parties: dict[str, Entity] = {}
    for relation in relations:
        parties.setdefault(relation.subject.id, relation.subject)
        parties.setdefault(relation.object.id, relation.object)
        yield from _relation_triples(document, relation)
    for entity in parties.values():
        yield from _entity_triples(entity)


def _entity_triples(entity: Entity) -> Iterator[Triple]:
    node = entity_iri(entity.id)
    yield node, RDF.type, PARTY_CLASS[entity.type]
    yield node, RDFS.label, Literal(entity.label)
    for alias in entity.aliases:
        yield node, SKOS.altLabel, Literal(alias)
    if entity.type == COUNTRY:
        yield node, DKG.countryCode, Literal(entity.country)
    elif entity.country:
        yield node, DKG.country, entity_iri(f"country/{entity.country}")
    if entity.role:
        yield node, DKG.role, Literal(entity.role)


def _relation_triples(document: Document, relation: Relation) -> Iterator[Triple]:
    subject, object_ = entity_iri(relation.subject.id), entity_iri(relation.object.id)
    predicate = DKG[relation.predicate]
    yield subject, predicate, object_
    act = act_iri(document.id, relation)
    yield act, RDF.type, DKG.Act
    yield act, RDF.type, ACT_CLASS[relation.predicate]
    yield act, DKG.relation, predicate
    if relation.predicate in SYMMETRIC:
        yield act, DKG.participant, subject
        yield act, DKG.participant, object_
    else:
        yield act, DKG.subject, subject
        yield act, DKG.object, object_
    yield act, DKG.evidence, Literal(relation.evidence)
    yield act, DKG.startOffset, Literal(relation.start)
    yield act, DKG.endOffset, Literal(relation.end)
    yield act, DKG.rule, Literal(relation.rule)
    yield act, DKG.confidence, Literal(str(relation.confidence), datatype=XSD.decimal)
    if relation.date:
        yield act, DKG.date, Literal(relation.date, datatype=XSD.date)
    yield act, PROV.wasDerivedFrom, document_iri(document.id)
    for key, value in relation.attributes:
        if key == "exercise":
            node = ID[f"exercise/{slug(value)}"]
            yield act, DKG.exercise, node
            yield node, RDF.type, DKG.MilitaryExercise
            yield node, RDFS.label, Literal(value)
        elif key == "item":
            node = ID[f"weapon/{slug(value)}"]
            yield act, DKG.item, node
            yield node, RDF.type, DKG.WeaponSystem
            yield node, RDFS.label, Literal(value)
        elif key == "agreement":
            yield act, DKG.agreement, Literal(value)
