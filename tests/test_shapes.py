"""The SHACL shapes accept good data and report bad data at the right severity.

Every node shape of ``shapes/spacecoop.ttl`` and every property shape it uses
has at least one case below: a valid example that gives no validation result
at all, and an invalid example whose only results come from that property
shape, on the focus node ``id:x``, at the expected severity. Examples are
validated together with ``CONTEXT`` (a small, valid graph they refer to) and
with the ontology mixed into the data graph, as kgraph validates.

These tests read the Turtle files only; they do not import kgraph.
"""

from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path
from typing import NamedTuple

import pytest
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, SH

ROOT = Path(__file__).resolve().parents[1]
SHAPES_PATH = ROOT / "shapes" / "spacecoop.ttl"
ONTOLOGY_PATH = ROOT / "ontology" / "spacecoop.ttl"
VOCABULARY_PATH = Path(__file__).resolve().parents[2] / "shared" / "spec" / "vocabulary.md"

SC = Namespace("https://w3id.org/spacecoop/ontology#")
SCSH = Namespace("https://w3id.org/spacecoop/shapes#")
ID = Namespace("https://w3id.org/spacecoop/id/")
FOCUS = ID.x

PREFIXES = """
@prefix sc:      <https://w3id.org/spacecoop/ontology#> .
@prefix id:      <https://w3id.org/spacecoop/id/> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""

# Valid on its own (see test_context_is_valid); cases point into it.
CONTEXT = """
id:KZ a sc:State ; rdfs:label "Kazakhstan" ; sc:isoCode "KZ" .
id:RU a sc:State ; rdfs:label "Russia" ; sc:isoCode "RU" .
id:mamin a sc:Official ; rdfs:label "Askar Mamin" ; sc:represents id:KZ ; sc:holds id:mamin-post .
id:mamin-post a sc:Post ; sc:title "First Deputy Prime Minister" ; sc:ofState id:KZ ;
    sc:attestedOn "2016-12-26"^^xsd:date .
id:roscosmos a sc:SpaceAgency ; rdfs:label "Roscosmos" ; skos:altLabel "Roskosmos" ; sc:ofState id:RU .
id:igc a sc:IntergovernmentalBody ; rdfs:label "Russia-Kazakhstan Intergovernmental Commission" .
id:moscow a sc:Place ; rdfs:label "Moscow" ; sc:locatedIn id:RU .
id:cosmodrome a sc:Spaceport ; rdfs:label "Baikonur cosmodrome" ; sc:locatedIn id:KZ .
id:baiterek a sc:Project ; rdfs:label "Baiterek" ; sc:party id:KZ , id:RU ; sc:locatedIn id:cosmodrome .
id:concept a sc:Concept ; rdfs:label "Concept of further cooperation on Baikonur complex" ;
    sc:party id:KZ , id:RU ; sc:signatory id:mamin ; sc:signedOn "2016-12-26"^^xsd:date ;
    sc:validUntil "2050"^^xsd:gYear ; sc:mentionedIn id:doc .
id:doc a sc:Document ; dcterms:source <https://www.inform.kz/en/example> ;
    dcterms:issued "2016-12-26"^^xsd:date ; dcterms:publisher "Kazinform" .
id:s1 a sc:Sentence ; sc:text "The Concept was signed today." ; sc:sentenceIndex 0 ; dcterms:isPartOf id:doc .
"""

VIOLATION, WARNING = SH.Violation, SH.Warning


class Case(NamedTuple):
    node_shape: URIRef
    property_shape: URIRef
    severity: URIRef
    valid: str
    invalid: str


def case(name: str, node: str, prop: str, severity: URIRef, valid: str, invalid: str):
    return pytest.param(Case(SCSH[node], SCSH[prop], severity, valid, invalid), id=name)


# An official, a post, an agreement, a meeting… named id:x, complete and valid.
OFFICIAL = 'id:x a sc:Official ; rdfs:label "Dmitry Rogozin" '
POST = 'id:mamin sc:holds id:x . id:x a sc:Post '
AGREEMENT = 'id:x a sc:Agreement ; rdfs:label "Agreement" '
MEETING = 'id:x a sc:Meeting ; rdfs:label "6th session" '
ATTESTATION = "id:x a sc:Attestation "

CASES = [
    # --- State -----------------------------------------------------------------
    case("state-label", "StateShape", "label", VIOLATION,
         'id:x a sc:State ; rdfs:label "France" ; sc:isoCode "FR" .',
         'id:x a sc:State ; sc:isoCode "FR" .'),
    case("state-iso-pattern", "StateShape", "State-isoCode", VIOLATION,
         'id:x a sc:State ; rdfs:label "France" ; sc:isoCode "FR" .',
         'id:x a sc:State ; rdfs:label "France" ; sc:isoCode "fr" .'),
    case("state-iso-alpha3", "StateShape", "State-isoCode", VIOLATION,
         'id:x a sc:State ; rdfs:label "France" ; sc:isoCode "FR" .',
         'id:x a sc:State ; rdfs:label "France" ; sc:isoCode "FRA" .'),
    case("state-iso-missing", "StateShape", "State-isoCode", VIOLATION,
         'id:x a sc:State ; rdfs:label "France" ; sc:isoCode "FR" .',
         'id:x a sc:State ; rdfs:label "France" .'),
    case("state-iso-two", "StateShape", "State-isoCode", VIOLATION,
         'id:x a sc:State ; rdfs:label "France" ; sc:isoCode "FR" .',
         'id:x a sc:State ; rdfs:label "France" ; sc:isoCode "FR" , "FX" .'),

    # --- Official --------------------------------------------------------------
    case("official-label-two", "OfficialShape", "label", VIOLATION,
         OFFICIAL + '; skos:altLabel "Rogozin" ; sc:represents id:RU .',
         OFFICIAL + '; rdfs:label "Rogozin" ; sc:represents id:RU .'),
    case("official-represents-class", "OfficialShape", "Official-represents", VIOLATION,
         OFFICIAL + "; sc:represents id:RU .",
         OFFICIAL + "; sc:represents id:moscow ."),
    case("official-represents-two", "OfficialShape", "Official-represents", VIOLATION,
         OFFICIAL + "; sc:represents id:RU .",
         OFFICIAL + "; sc:represents id:RU , id:KZ ."),
    case("official-represents-missing", "OfficialShape", "Official-representsMissing", WARNING,
         OFFICIAL + "; sc:represents id:RU .",
         OFFICIAL + "."),
    case("official-holds", "OfficialShape", "Official-holds", VIOLATION,
         OFFICIAL + '; sc:represents id:RU ; sc:holds id:x-post . '
                    'id:x-post a sc:Post ; sc:title "General Director" ; sc:inOrganization id:roscosmos .',
         OFFICIAL + "; sc:represents id:RU ; sc:holds id:roscosmos ."),

    # --- Post ------------------------------------------------------------------
    case("post-title-missing", "PostShape", "Post-title", VIOLATION,
         POST + '; sc:title "Prime Minister" .',
         POST + "."),
    case("post-title-langstring", "PostShape", "Post-title", VIOLATION,
         POST + '; sc:title "Prime Minister" .',
         POST + '; sc:title "Prime Minister"@en .'),
    case("post-title-two", "PostShape", "Post-title", VIOLATION,
         POST + '; sc:title "Prime Minister" .',
         POST + '; sc:title "Prime Minister" , "Premier" .'),
    case("post-in-organization", "PostShape", "Post-inOrganization", VIOLATION,
         POST + '; sc:title "General Director" ; sc:inOrganization id:roscosmos .',
         POST + '; sc:title "General Director" ; sc:inOrganization id:KZ .'),
    case("post-of-state", "PostShape", "Post-ofState", VIOLATION,
         POST + '; sc:title "Minister" ; sc:ofState id:KZ .',
         POST + '; sc:title "Minister" ; sc:ofState id:roscosmos .'),
    case("post-attested-on-datatype", "PostShape", "Post-attestedOn", VIOLATION,
         POST + '; sc:title "Minister" ; sc:attestedOn "2016-12-26"^^xsd:date .',
         POST + '; sc:title "Minister" ; sc:attestedOn "2016-12-26" .'),
    case("post-attested-on-two", "PostShape", "Post-attestedOnCount", WARNING,
         POST + '; sc:title "Minister" ; sc:attestedOn "2016-12-26"^^xsd:date .',
         POST + '; sc:title "Minister" ; sc:attestedOn "2016-12-26"^^xsd:date , "2018-08-23"^^xsd:date .'),
    case("post-holder-missing", "PostShape", "Post-holder", WARNING,
         POST + '; sc:title "Minister" .',
         'id:x a sc:Post ; sc:title "Minister" .'),

    # --- Organization (targets the subclasses too) --------------------------------
    case("organization-label", "OrganizationShape", "label", VIOLATION,
         'id:x a sc:GovernmentBody ; rdfs:label "Ministry of Digital Development" ; sc:ofState id:KZ .',
         "id:x a sc:GovernmentBody ; sc:ofState id:KZ ."),
    case("organization-of-state", "OrganizationShape", "Organization-ofState", VIOLATION,
         'id:x a sc:Company ; rdfs:label "Kazakhstan Garysh Sapary" ; sc:ofState id:KZ .',
         'id:x a sc:Company ; rdfs:label "Kazakhstan Garysh Sapary" ; sc:ofState id:moscow .'),
    case("organization-located-in", "OrganizationShape", "locatedIn", VIOLATION,
         'id:x a sc:Organization ; rdfs:label "TsENKI" ; sc:locatedIn id:moscow .',
         'id:x a sc:Organization ; rdfs:label "TsENKI" ; sc:locatedIn id:concept .'),

    # --- Agreement (targets the subclasses too) -----------------------------------
    case("agreement-label", "AgreementShape", "label", VIOLATION,
         'id:x a sc:Protocol ; rdfs:label "Protocol" ; sc:party id:KZ , id:RU .',
         'id:x a sc:Protocol ; rdfs:label 42 ; sc:party id:KZ , id:RU .'),
    case("agreement-party-class", "AgreementShape", "party", VIOLATION,
         AGREEMENT + "; sc:party id:KZ , id:RU .",
         AGREEMENT + "; sc:party id:KZ , id:roscosmos ."),
    case("agreement-party-count", "AgreementShape", "partyCount", WARNING,
         AGREEMENT + "; sc:party id:KZ , id:RU .",
         AGREEMENT + "; sc:party id:KZ ."),
    case("agreement-signatory", "AgreementShape", "Agreement-signatory", VIOLATION,
         AGREEMENT + "; sc:party id:KZ , id:RU ; sc:signatory id:mamin .",
         AGREEMENT + "; sc:party id:KZ , id:RU ; sc:signatory id:roscosmos ."),
    case("agreement-signed-on-datatype", "AgreementShape", "Agreement-signedOn", VIOLATION,
         AGREEMENT + '; sc:party id:KZ , id:RU ; sc:signedOn "2016-12-26"^^xsd:date .',
         AGREEMENT + '; sc:party id:KZ , id:RU ; sc:signedOn "26.12.2016" .'),
    case("agreement-signed-on-two", "AgreementShape", "Agreement-signedOnCount", WARNING,
         AGREEMENT + '; sc:party id:KZ , id:RU ; sc:signedOn "2016-12-26"^^xsd:date .',
         AGREEMENT + '; sc:party id:KZ , id:RU ; sc:signedOn "2016-12-26"^^xsd:date , "2016-12-27"^^xsd:date .'),
    case("agreement-signed-at", "AgreementShape", "Agreement-signedAt", VIOLATION,
         AGREEMENT + "; sc:party id:KZ , id:RU ; sc:signedAt id:cosmodrome .",
         AGREEMENT + "; sc:party id:KZ , id:RU ; sc:signedAt id:KZ ."),
    case("agreement-amends", "AgreementShape", "Agreement-amends", VIOLATION,
         AGREEMENT + "; sc:party id:KZ , id:RU ; sc:amends id:concept .",
         AGREEMENT + "; sc:party id:KZ , id:RU ; sc:amends id:baiterek ."),
    case("agreement-concerns", "AgreementShape", "concerns", VIOLATION,
         AGREEMENT + "; sc:party id:KZ , id:RU ; sc:concerns id:baiterek , id:cosmodrome , id:igc , id:concept .",
         AGREEMENT + "; sc:party id:KZ , id:RU ; sc:concerns id:mamin ."),
    case("agreement-valid-until-year", "AgreementShape", "Agreement-validUntil", VIOLATION,
         AGREEMENT + '; sc:party id:KZ , id:RU ; sc:validUntil "2050"^^xsd:gYear .',
         AGREEMENT + '; sc:party id:KZ , id:RU ; sc:validUntil 2050 .'),
    case("agreement-valid-until-date", "AgreementShape", "Agreement-validUntil", VIOLATION,
         AGREEMENT + '; sc:party id:KZ , id:RU ; sc:validUntil "2050-12-31"^^xsd:date .',
         AGREEMENT + '; sc:party id:KZ , id:RU ; sc:validUntil "2050-12-31" .'),
    case("agreement-valid-until-two", "AgreementShape", "Agreement-validUntilCount", WARNING,
         AGREEMENT + '; sc:party id:KZ , id:RU ; sc:validUntil "2050"^^xsd:gYear .',
         AGREEMENT + '; sc:party id:KZ , id:RU ; sc:validUntil "2050"^^xsd:gYear , "2060"^^xsd:gYear .'),
    case("agreement-term", "AgreementShape", "Agreement-term", VIOLATION,
         AGREEMENT + '; sc:party id:KZ , id:RU ; sc:term "for 10 years" .',
         AGREEMENT + '; sc:party id:KZ , id:RU ; sc:term 10 .'),
    case("agreement-planned", "AgreementShape", "planned", VIOLATION,
         AGREEMENT + "; sc:party id:KZ , id:RU ; sc:planned true .",
         AGREEMENT + '; sc:party id:KZ , id:RU ; sc:planned "yes" .'),

    # --- Project ---------------------------------------------------------------
    case("project-label", "ProjectShape", "label", VIOLATION,
         'id:x a sc:Project ; rdfs:label "ISS" ; sc:party id:KZ , id:RU .',
         "id:x a sc:Project ; sc:party id:KZ , id:RU ."),
    case("project-party-class", "ProjectShape", "party", VIOLATION,
         'id:x a sc:Project ; rdfs:label "ISS" ; sc:party id:KZ , id:RU .',
         'id:x a sc:Project ; rdfs:label "ISS" ; sc:party id:KZ , id:RU , id:moscow .'),
    case("project-party-count", "ProjectShape", "partyCount", WARNING,
         'id:x a sc:Project ; rdfs:label "ISS" ; sc:party id:KZ , id:RU .',
         'id:x a sc:Project ; rdfs:label "ISS" ; sc:party id:RU .'),
    case("project-located-in", "ProjectShape", "locatedIn", VIOLATION,
         'id:x a sc:Project , sc:Place ; rdfs:label "Baikonur complex" ; sc:party id:KZ , id:RU ; '
         "sc:locatedIn id:KZ .",
         'id:x a sc:Project ; rdfs:label "Baikonur complex" ; sc:party id:KZ , id:RU ; sc:locatedIn id:mamin .'),

    # --- Place (targets sc:Spaceport too) ---------------------------------------
    case("place-label", "PlaceShape", "label", VIOLATION,
         'id:x a sc:Spaceport ; rdfs:label "Vostochny cosmodrome" .',
         'id:x a sc:Spaceport ; rdfs:label "Vostochny cosmodrome" , "Vostochny" .'),
    case("place-located-in", "PlaceShape", "locatedIn", VIOLATION,
         'id:x a sc:Place ; rdfs:label "Baikonur" ; sc:locatedIn id:KZ .',
         'id:x a sc:Place ; rdfs:label "Baikonur" ; sc:locatedIn id:roscosmos .'),

    # --- Meeting ---------------------------------------------------------------
    case("meeting-label", "MeetingShape", "label", VIOLATION,
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date .',
         'id:x a sc:Meeting ; sc:heldOn "2019-08-27"^^xsd:date .'),
    case("meeting-held-on-datatype", "MeetingShape", "Meeting-heldOn", VIOLATION,
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date .',
         MEETING + '; sc:heldOn "2019-08-27T10:00:00"^^xsd:dateTime .'),
    case("meeting-held-on-missing", "MeetingShape", "Meeting-heldOnCount", WARNING,
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date .',
         MEETING + "."),
    case("meeting-held-at", "MeetingShape", "Meeting-heldAt", VIOLATION,
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date ; sc:heldAt id:moscow .',
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date ; sc:heldAt id:RU .'),
    case("meeting-chair", "MeetingShape", "Meeting-chair", VIOLATION,
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date ; sc:chair id:mamin .',
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date ; sc:chair id:igc .'),
    case("meeting-participant", "MeetingShape", "Meeting-participant", VIOLATION,
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date ; sc:participant id:mamin , id:KZ , id:roscosmos .',
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date ; sc:participant id:moscow .'),
    case("meeting-session-of", "MeetingShape", "Meeting-sessionOf", VIOLATION,
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date ; sc:sessionOf id:igc .',
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date ; sc:sessionOf id:concept .'),
    case("meeting-concerns", "MeetingShape", "concerns", VIOLATION,
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date ; sc:concerns id:baiterek .',
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date ; sc:concerns id:RU .'),
    case("meeting-planned", "MeetingShape", "planned", VIOLATION,
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date ; sc:planned false .',
         MEETING + '; sc:heldOn "2019-08-27"^^xsd:date ; sc:planned true , false .'),

    # --- Any resource ----------------------------------------------------------
    case("alt-label", "AltLabelShape", "altLabel", VIOLATION,
         'id:x skos:altLabel "Roskosmos" , "Роскосмос"@ru .',
         "id:x skos:altLabel id:roscosmos ."),
    case("mentioned-in", "MentionedInShape", "mentionedIn", VIOLATION,
         "id:x sc:mentionedIn id:doc .",
         "id:x sc:mentionedIn <https://www.inform.kz/en/example> ."),

    # --- Document, Sentence, Attestation ------------------------------------------
    case("document-issued", "DocumentShape", "Document-issued", VIOLATION,
         'id:x a sc:Document ; dcterms:issued "2018-08-23"^^xsd:date .',
         'id:x a sc:Document ; dcterms:issued "23 August 2018" .'),
    case("document-source", "DocumentShape", "Document-source", VIOLATION,
         "id:x a sc:Document ; dcterms:source <https://tass.com/example> .",
         'id:x a sc:Document ; dcterms:source "https://tass.com/example" .'),
    case("document-publisher", "DocumentShape", "Document-publisher", VIOLATION,
         'id:x a sc:Document ; dcterms:publisher "TASS" .',
         'id:x a sc:Document ; dcterms:publisher "TASS" , "Interfax" .'),
    case("document-title", "DocumentShape", "Document-title", VIOLATION,
         'id:x a sc:Document ; dcterms:title "Russia, Kazakhstan sign protocol" .',
         "id:x a sc:Document ; dcterms:title id:doc ."),
    case("sentence-text", "SentenceShape", "Sentence-text", VIOLATION,
         'id:x a sc:Sentence ; sc:text "It was signed." ; sc:sentenceIndex 4 ; dcterms:isPartOf id:doc .',
         "id:x a sc:Sentence ; sc:sentenceIndex 4 ; dcterms:isPartOf id:doc ."),
    case("sentence-index", "SentenceShape", "Sentence-sentenceIndex", VIOLATION,
         'id:x a sc:Sentence ; sc:text "It was signed." ; sc:sentenceIndex 4 ; dcterms:isPartOf id:doc .',
         'id:x a sc:Sentence ; sc:text "It was signed." ; sc:sentenceIndex -1 ; dcterms:isPartOf id:doc .'),
    case("sentence-part-of", "SentenceShape", "Sentence-isPartOf", VIOLATION,
         'id:x a sc:Sentence ; sc:text "It was signed." ; sc:sentenceIndex 4 ; dcterms:isPartOf id:doc .',
         'id:x a sc:Sentence ; sc:text "It was signed." ; sc:sentenceIndex 4 ; dcterms:isPartOf id:concept .'),
    case("attestation-subject", "AttestationShape", "Attestation-subject", VIOLATION,
         ATTESTATION + "; rdf:subject id:concept ; rdf:predicate sc:party ; rdf:object id:KZ ; sc:sentence id:s1 .",
         ATTESTATION + "; rdf:predicate sc:party ; rdf:object id:KZ ; sc:sentence id:s1 ."),
    case("attestation-predicate", "AttestationShape", "Attestation-predicate", VIOLATION,
         ATTESTATION + "; rdf:subject id:concept ; rdf:predicate sc:party ; rdf:object id:KZ ; sc:sentence id:s1 .",
         ATTESTATION + '; rdf:subject id:concept ; rdf:predicate "party" ; rdf:object id:KZ ; sc:sentence id:s1 .'),
    case("attestation-object", "AttestationShape", "Attestation-object", VIOLATION,
         ATTESTATION + '; rdf:subject id:concept ; rdf:predicate sc:signedOn ; '
                       'rdf:object "2016-12-26"^^xsd:date ; sc:sentence id:s1 .',
         ATTESTATION + "; rdf:subject id:concept ; rdf:predicate sc:party ; rdf:object id:KZ , id:RU ; "
                       "sc:sentence id:s1 ."),
    case("attestation-sentence", "AttestationShape", "Attestation-sentence", VIOLATION,
         ATTESTATION + "; rdf:subject id:concept ; rdf:predicate sc:party ; rdf:object id:KZ ; sc:sentence id:s1 .",
         ATTESTATION + "; rdf:subject id:concept ; rdf:predicate sc:party ; rdf:object id:KZ ; sc:sentence id:doc ."),
]


# --------------------------------------------------------------------------
#  Helpers
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


class Result(NamedTuple):
    focus: URIRef
    source_shape: URIRef
    severity: URIRef
    message: str


def run(data: str, shapes: Graph, ontology: Graph | None, inference: str = "none") -> tuple[bool, list[Result]]:
    """Validate ``data`` (plus CONTEXT) as kgraph does; return conformance and the results."""
    data_graph = Graph().parse(data=PREFIXES + CONTEXT + data, format="turtle")
    conforms, report, _text = validate(
        data_graph, shacl_graph=shapes, ont_graph=ontology, inference=inference,
        advanced=True, allow_warnings=True,
    )
    results = [
        Result(report.value(r, SH.focusNode), report.value(r, SH.sourceShape),
               report.value(r, SH.resultSeverity), str(report.value(r, SH.resultMessage)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]
    return bool(conforms), results


def node_shapes(shapes: Graph) -> set[URIRef]:
    return set(shapes.subjects(RDF.type, SH.NodeShape))


def property_shapes(shapes: Graph) -> set[URIRef]:
    return set(shapes.objects(None, SH.property))


# --------------------------------------------------------------------------
#  Valid and invalid examples
# --------------------------------------------------------------------------

def test_context_is_valid(shapes, ontology):
    conforms, results = run("", shapes, ontology)
    assert conforms and results == []


@pytest.mark.parametrize("inference", ["none", "rdfs"])
@pytest.mark.parametrize("example", CASES)
def test_valid_example(shapes, ontology, example: Case, inference):
    conforms, results = run(example.valid, shapes, ontology, inference)
    assert results == []
    assert conforms


@pytest.mark.parametrize("example", CASES)
def test_invalid_example(shapes, ontology, example: Case):
    """Only the shape under test complains, about id:x, at its severity.

    (Run without inference: RDFS range inference would type a wrong object
    with the expected class and so hide some sh:class errors.)
    """
    assert example.property_shape in set(shapes.objects(example.node_shape, SH.property))
    conforms, results = run(example.invalid, shapes, ontology)
    assert results, "the invalid example passed"
    assert {(r.focus, r.source_shape, r.severity) for r in results} == {
        (FOCUS, example.property_shape, example.severity)}
    expected_message = str(shapes.value(example.property_shape, SH.message))
    assert all(r.message == expected_message for r in results)
    # allow_warnings: a warning alone still conforms, a violation never does.
    assert conforms is (example.severity == WARNING)


# --------------------------------------------------------------------------
#  Coverage: every shape has cases, every class has a shape
# --------------------------------------------------------------------------

def test_every_node_shape_has_cases(shapes):
    covered = {c.values[0].node_shape for c in CASES}
    assert node_shapes(shapes) - covered == set()
    assert covered - node_shapes(shapes) == set()


def test_every_property_shape_has_a_case(shapes):
    covered = {c.values[0].property_shape for c in CASES}
    assert property_shapes(shapes) - covered == set()


def test_every_warning_and_violation_shape_is_exercised_at_its_severity(shapes):
    declared = {(p, shapes.value(p, SH.severity)) for p in property_shapes(shapes)}
    exercised = {(c.values[0].property_shape, c.values[0].severity) for c in CASES}
    assert declared == exercised


def _vocabulary_classes() -> set[URIRef]:
    if not VOCABULARY_PATH.is_file():
        return set()
    text = VOCABULARY_PATH.read_text(encoding="utf-8")
    return {SC[name] for name in re.findall(r"^\| `sc:([A-Z]\w*)` \|", text, flags=re.MULTILINE)}


def test_every_class_has_a_shape(shapes, ontology):
    """Every class of the ontology (a superset of vocabulary.md's, see test_ontology) and of vocabulary.md."""
    ontology_classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(SC))}
    assert len(ontology_classes) >= 23
    targeted = set(shapes.objects(None, SH.targetClass))
    assert (ontology_classes | _vocabulary_classes()) - targeted == set()


# --------------------------------------------------------------------------
#  The shapes document
# --------------------------------------------------------------------------

def test_loads_without_warnings(caplog):
    with caplog.at_level(logging.DEBUG), warnings.catch_warnings():
        warnings.simplefilter("error")
        graph = Graph().parse(SHAPES_PATH, format="turtle")
    assert len(graph) > 0
    noisy = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert noisy == [], [r.getMessage() for r in noisy]


def test_shapes_are_valid_shacl(shapes, ontology):
    """pyshacl checks the shapes graph against the SHACL-SHACL meta-shapes first."""
    data_graph = Graph().parse(data=PREFIXES + CONTEXT, format="turtle")
    conforms, _report, _text = validate(data_graph, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                        advanced=True, allow_warnings=True, meta_shacl=True)
    assert conforms


def test_property_shapes_are_named_and_explained(shapes):
    for prop in property_shapes(shapes):
        assert isinstance(prop, URIRef), "property shapes are named, so reports say which rule failed"
        assert str(prop).startswith(str(SCSH))
        for predicate in (SH.path, SH.name, SH.message, SH.severity):
            assert len(list(shapes.objects(prop, predicate))) == 1, f"{prop} needs one {predicate}"
        assert shapes.value(prop, SH.severity) in {SH.Violation, SH.Warning}


def test_node_shapes_have_targets(shapes):
    targets = {SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf}
    for shape in node_shapes(shapes):
        assert any(shapes.value(shape, t) is not None for t in targets), f"{shape} targets nothing"
        assert str(shape).startswith(str(SCSH))


# --------------------------------------------------------------------------
#  Subclasses: targets and sh:class
# --------------------------------------------------------------------------

LABELLED_CLASSES = ["State", "Official", "Organization", "SpaceAgency", "GovernmentBody", "Company",
                    "IntergovernmentalBody", "Agreement", "Treaty", "Protocol", "Memorandum", "Concept",
                    "Roadmap", "Programme", "Contract", "Project", "Place", "Spaceport", "Meeting"]


@pytest.mark.parametrize("with_ontology", [True, False], ids=["with-ontology", "without-ontology"])
@pytest.mark.parametrize("cls", LABELLED_CLASSES)
def test_every_named_class_needs_a_label(shapes, ontology, cls, with_ontology):
    """The label rule reaches every subclass, with or without the ontology mixed in."""
    _conforms, results = run(f"id:x a sc:{cls} .", shapes, ontology if with_ontology else None)
    assert (FOCUS, SCSH.label, VIOLATION) in {(r.focus, r.source_shape, r.severity) for r in results}


@pytest.mark.parametrize("data", [
    'id:mamin sc:holds id:x . id:x a sc:Post ; sc:title "General Director" ; sc:inOrganization id:roscosmos .',
    'id:x a sc:Agreement ; rdfs:label "Lease" ; sc:party id:KZ , id:RU ; sc:signedAt id:cosmodrome ; '
    "sc:amends id:concept .",
], ids=["space-agency-is-an-organization", "spaceport-is-a-place-concept-an-agreement"])
def test_sh_class_follows_subclasses_through_the_ontology(shapes, ontology, data):
    """sh:class sc:Organization accepts a sc:SpaceAgency, but only with the ontology in the data graph."""
    conforms, results = run(data, shapes, ontology)
    assert conforms and results == []
    conforms, results = run(data, shapes, None)
    assert not conforms
    assert FOCUS in {r.focus for r in results if r.severity == VIOLATION}
