"""The IRIs kgraph mints and the vocabularies it uses, in one place."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

SC = Namespace("https://w3id.org/spacecoop/ontology#")
ID = Namespace("https://w3id.org/spacecoop/id/")
ONTOLOGY_IRI = "https://w3id.org/spacecoop/ontology"
GRAPH_BASE = "https://w3id.org/spacecoop/graph/"
ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"
REFERENCE_GRAPH = GRAPH_BASE + "reference"
DOCUMENT_BASE = str(ID) + "document/"

PREFIXES: dict[str, str] = {
    "sc": str(SC),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "xsd": str(XSD),
    "owl": str(OWL),
}

__all__ = ["SC", "ID", "RDF", "RDFS", "SKOS", "DCTERMS", "PROV", "XSD", "OWL", "PREFIXES",
           "ONTOLOGY_IRI", "ONTOLOGY_GRAPH", "REFERENCE_GRAPH", "DOCUMENT_BASE", "GRAPH_BASE"]
