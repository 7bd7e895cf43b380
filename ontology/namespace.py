"""The defence-kg vocabulary as an rdflib `DefinedNamespace`: a term not in `defence.ttl` is an error."""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

ONTOLOGY_IRI = "https://w3id.org/defence-kg/ontology"


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
    # Things acts concern
    MilitaryExercise: URIRef
    WeaponSystem: URIRef
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
    evidence: URIRef
    startOffset: URIRef
    endOffset: URIRef
    rule: URIRef
    confidence: URIRef
    # Party and document attributes
    countryCode: URIRef
    country: URIRef
    role: URIRef
    sourceUrl: URIRef
    contentHash: URIRef
