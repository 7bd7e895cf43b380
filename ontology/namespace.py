"""The defence-kg vocabulary as an rdflib `DefinedNamespace`: a term not in `defence.ttl` is an error."""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

ONTOLOGY_IRI = "https://w3id.org/defence-kg/ontology"
RELATIONS_IRI = "https://w3id.org/defence-kg/relations"


class DKG(DefinedNamespace):
    """Classes and properties of `defence.ttl` (a test keeps the two the same)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # Parties
    Party: URIRef
    Person: URIRef
    Country: URIRef
    Organisation: URIRef
    ArmedForce: URIRef
    Ministry: URIRef
    DefenceCompany: URIRef
    MultilateralBody: URIRef
    JointVenture: URIRef
    Ship: URIRef
    Post: URIRef
    # Things acts concern
    MilitaryExercise: URIRef
    ExerciseEdition: URIRef
    WeaponSystem: URIRef
    Agreement: URIRef
    Modality: URIRef
    Happened: URIRef
    Announced: URIRef
    # Acts
    Act: URIRef
    Meeting: URIRef
    Invitation: URIRef
    CoProduction: URIRef
    ExerciseParticipation: URIRef
    Supply: URIRef
    AgreementSigning: URIRef
    Visit: URIRef
    Document: URIRef
    Extraction: URIRef
    Extractor: URIRef
    Fact: URIRef
    SourceField: URIRef
    PairCount: URIRef
    Event: URIRef
    # The seven relations
    meets: URIRef
    invites: URIRef
    coProduces: URIRef
    exercisesWith: URIRef
    supplies: URIRef
    signsAgreementWith: URIRef
    visits: URIRef
    # Act structure and evidence
    relation: URIRef
    participant: URIRef
    subject: URIRef
    object: URIRef
    exercise: URIRef
    item: URIRef
    agreement: URIRef
    date: URIRef
    place: URIRef
    modality: URIRef
    editionOf: URIRef
    year: URIRef
    participatesIn: URIRef
    memberOf: URIRef
    evidence: URIRef
    startOffset: URIRef
    endOffset: URIRef
    rule: URIRef
    confidence: URIRef
    version: URIRef
    # Derived facts
    sourceCount: URIRef
    eventCount: URIRef
    eventRelation: URIRef
    involves: URIRef
    reportedBy: URIRef
    derivationPending: URIRef
    firstDate: URIRef
    lastDate: URIRef
    statedBy: URIRef
    field: URIRef
    ofCountry: URIRef
    withCountry: URIRef
    countedRelation: URIRef
    countedYear: URIRef
    actCount: URIRef
    # Party and document attributes
    countryCode: URIRef
    country: URIRef
    role: URIRef
    sourceUrl: URIRef
    contentHash: URIRef


class REL(DefinedNamespace):
    """The seven relations as SKOS concepts, with crosswalks to CAMEO and PLOVER (`relations.ttl`)."""

    _NS = Namespace(RELATIONS_IRI + "#")
    _fail = True

    scheme: URIRef
    meets: URIRef
    invites: URIRef
    coProduces: URIRef
    exercisesWith: URIRef
    supplies: URIRef
    signsAgreementWith: URIRef
    visits: URIRef

