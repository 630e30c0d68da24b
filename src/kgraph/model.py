"""Typed statements: what extraction produces before any RDF exists.

Extraction speaks in entity *keys* (paths under ``https://w3id.org/spacecoop/id/``,
such as ``person/askar-mamin`` or ``state/KZ``) and vocabulary local names
(``Official``, ``party``); :mod:`kgraph.rdfgraph` is the only place that turns
these into RDF terms. Keeping this layer plain makes rules testable without a
store and lets the API show what was extracted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .articles import Article


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article body: the evidence unit for every fact."""

    index: int
    start: int
    end: int
    text: str


@dataclass
class Entity:
    """One real-world thing a document mentions."""

    key: str
    type: str
    label: str
    aliases: set[str] = field(default_factory=set)
    sentences: set[int] = field(default_factory=set)
    reference: bool = False

    def merge(self, other: Entity) -> None:
        """Fold another mention of the same thing into this one."""
        self.aliases |= other.aliases | ({other.label} - {self.label})
        self.sentences |= other.sentences


@dataclass(frozen=True)
class Fact:
    """``subject predicate object`` with the sentence that states it.

    ``obj`` is an entity key when ``datatype`` is None, else the lexical form
    of a literal of that XSD datatype (``date``, ``gYear``, ``string``, ``integer``).
    """

    subject: str
    predicate: str
    obj: str
    datatype: str | None = None
    sentence: int | None = None


@dataclass
class Extraction:
    """Everything extracted from one article."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)

    def add_entity(self, entity: Entity) -> Entity:
        """Add or merge an entity by key; returns the one kept."""
        kept = self.entities.get(entity.key)
        if kept is None:
            self.entities[entity.key] = entity
            return entity
        kept.merge(entity)
        return kept

    def add_fact(self, subject: str, predicate: str, obj: str, *, datatype: str | None = None,
                 sentence: int | None = None) -> None:
        """Add a fact once (the first sentence that states it is kept as its source)."""
        if any(f.subject == subject and f.predicate == predicate and f.obj == obj and f.datatype == datatype
               for f in self.facts):
            return
        self.facts.append(Fact(subject, predicate, obj, datatype, sentence))

    def facts_of(self, subject: str, predicate: str | None = None) -> list[Fact]:
        return [f for f in self.facts if f.subject == subject and (predicate is None or f.predicate == predicate)]
