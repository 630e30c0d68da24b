"""Reference data: the files parse and hold what a domain expert expects; names canonicalize.

The canonicalization examples are invented for the test (they are not taken from any
corpus); the property tests check that any text gives a valid, stable key.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kgraph import refdata
from kgraph.refdata import (
    DATA_DIR,
    ID,
    SC,
    RefDataError,
    by_key,
    canonical_key,
    canonical_spelling,
    city_gazetteer,
    load_reference,
    lookup,
    read_table,
    reference_graph,
)

REPO = Path(__file__).resolve().parents[1]
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# The 193 member states of the United Nations, written out independently of pycountry.
UN_MEMBERS = """
AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH CM
CA CF TD CL CN CO KM CG CD CR CI HR CU CY CZ DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ FI FR GA
GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KP KR KW KG
LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MD MC MN ME MA MZ MM NA NR NP NL
NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA RO RU RW KN LC VC WS SM ST SA SN RS SC SL
SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TZ TH TL TG TO TT TN TR TM TV UG UA AE GB US UY
UZ VU VE VN YE ZM ZW
""".split()
OBSERVERS = ["VA", "PS"]


def states() -> dict[str, refdata.RefEntity]:
    return {e.iso: e for e in load_reference() if e.type == "State"}


# --------------------------------------------------------------------------- files


def test_every_file_parses_and_loads():
    entities = load_reference()
    assert len(entities) == len({e.key for e in entities})
    for path in sorted(DATA_DIR.glob("*.tsv")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
        header = lines[0].split("\t")
        rows = read_table(path, header, raw=header)
        assert rows or path.name == "person_aliases.tsv", path
        for number, line in enumerate(lines[1:], start=2):
            assert len(line.split("\t")) <= len(header), f"{path.name}: row {number} has too many fields"
    assert refdata.non_sovereign()["HK"] == "CN"
    assert (DATA_DIR / "README.md").is_file()


def test_states_tsv_is_up_to_date_with_its_generator():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_states.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_all_un_members_and_observers_and_nothing_else():
    assert len(UN_MEMBERS) == 193 and len(set(UN_MEMBERS)) == 193
    found = states()
    assert sorted(found) == sorted(UN_MEMBERS + OBSERVERS)
    isos = [e.iso for e in load_reference() if e.type == "State"]
    assert len(isos) == len(set(isos)) == 195
    for iso, entity in found.items():
        assert entity.key == f"state/{iso}" and entity.state == iso
        assert entity.adjectives, f"{iso} has no adjective"


def test_common_names_are_labels():
    found = states()
    expected = {"RU": "Russia", "KZ": "Kazakhstan", "US": "United States", "CN": "China", "IN": "India",
                "KR": "South Korea", "KP": "North Korea", "IR": "Iran", "FR": "France",
                "GB": "United Kingdom",
                "VN": "Vietnam", "SY": "Syria", "VA": "Vatican City", "PS": "Palestine"}
    for iso, label in expected.items():
        assert found[iso].label == label


@pytest.mark.parametrize("iso, aliases, adjectives", [
    ("KZ", {"Republic of Kazakhstan", "RoK"}, {"Kazakh", "Kazakhstani"}),
    ("RU", {"Russian Federation", "RF"}, {"Russian", "Russians"}),
    ("US", {"USA", "U.S.", "US", "United States of America", "America"}, {"American"}),
    ("CN", {"PRC", "People's Republic of China"}, {"Chinese"}),
    ("IN", {"Republic of India"}, {"Indian"}),
    ("FR", {"French Republic"}, {"French"}),
])
def test_key_states_have_their_names(iso, aliases, adjectives):
    entity = states()[iso]
    assert aliases <= set(entity.aliases)
    assert adjectives <= set(entity.adjectives)
    assert not set(entity.adjectives) & set(entity.aliases) - {entity.label}


def test_rok_is_recorded_for_kazakhstan_but_marked_ambiguous():
    kz, kr = states()["KZ"], states()["KR"]
    assert "RoK" in kz.aliases and "RoK" in kz.ambiguous
    assert "ROK" in kr.ambiguous
    assert {e.key for e in lookup("RoK")} == {"state/KZ", "state/KR"}


def test_no_name_names_two_entities_of_a_kind_unless_marked():
    kinds = {"State": "State", "Place": "Place", "Spaceport": "Place", "Project": "Project"}
    holders = defaultdict(set)
    for e in load_reference():
        kind = kinds.get(e.type, "Organization")
        for name in {" ".join(n.casefold().split()) for n in (*e.names(), *e.adjectives)}:
            holders[(kind, name)].add(e)
    for (_kind, name), held in holders.items():
        if len(held) > 1:
            for e in held:
                shared_by = sorted(x.key for x in held)
                assert name in {a.casefold() for a in e.ambiguous}, f"{name!r} is shared by {shared_by}"
    assert {e.key for e in lookup("ISA")} == {"organization/isa-iran", "organization/isa-israel"}


def test_organizations_places_and_projects():
    k = by_key()
    roscosmos = k["organization/roscosmos"]
    assert roscosmos.type == "SpaceAgency" and roscosmos.state == "RU"
    assert {"Roskosmos", "Federal Space Agency", "Russian Federal Space Agency"} <= set(roscosmos.aliases)
    kazcosmos = k["organization/kazcosmos"]
    expected = {"Aerospace Committee", "National Space Agency of Kazakhstan", "KazCosmos"}
    assert expected <= set(kazcosmos.aliases)
    assert k["organization/esa"].type == "IntergovernmentalBody" and k["organization/esa"].state is None
    assert k["organization/glavkosmos"].type == "Company"
    assert k["organization/nasa"].wikidata == "Q23548"
    # Baikonur is three things: the city, the cosmodrome and the leased complex.
    city, cosmodrome = k["place/baikonur"], k["place/baikonur-cosmodrome"]
    complex_ = k["place/baikonur-complex"]
    assert (city.type, cosmodrome.type, complex_.type) == ("Place", "Spaceport", "Place")
    assert "Baikonur" not in cosmodrome.aliases and "Baikonur space center" in cosmodrome.aliases
    assert [e.key for e in lookup("Baikonur")] == ["place/baikonur"]
    assert "Nur-Sultan" in k["place/astana"].aliases
    baiterek = k["project/baiterek"]
    assert "Bayterek" in baiterek.aliases and set(baiterek.parties) == {"KZ", "RU"}
    assert baiterek.located_in == "place/baikonur-cosmodrome"
    assert {"US", "RU", "JP", "CA"} <= set(k["project/iss"].parties)
    for e in load_reference():
        assert SLUG.match(e.key.split("/", 1)[1]) or e.type == "State"
        if e.located_in:
            assert e.located_in in k
        assert all(f"state/{p}" in k for p in e.parties)
        if e.state:
            assert f"state/{e.state}" in k


# --------------------------------------------------------------------------- RDF


def test_reference_graph():
    g = reference_graph()
    subjects = set(g.subjects(RDF.type, None))
    assert len(subjects) == len(load_reference())
    for s in subjects:
        labels = list(g.objects(s, RDFS.label))
        assert len(labels) == 1, s
        assert isinstance(labels[0], Literal) and labels[0].language is None
        assert labels[0].datatype is None or str(labels[0].datatype).endswith("#string")
    kz = URIRef(ID + "state/KZ")
    assert (kz, RDF.type, URIRef(SC + "State")) in g
    assert (kz, URIRef(SC + "isoCode"), Literal("KZ")) in g
    assert (kz, SKOS.altLabel, Literal("RoK")) in g
    assert (kz, SKOS.altLabel, Literal("Kazakh")) not in g      # adjectives are not names
    assert (kz, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q232")) in g
    roscosmos = URIRef(ID + "organization/roscosmos")
    assert (roscosmos, URIRef(SC + "ofState"), URIRef(ID + "state/RU")) in g
    # facts about things come from documents; the curated ones only on request
    assert (URIRef(ID + "project/baiterek"), URIRef(SC + "party"), kz) not in g
    full = reference_graph(facts=True)
    assert (URIRef(ID + "project/baiterek"), URIRef(SC + "party"), kz) in full
    assert (URIRef(ID + "place/baikonur-complex"), URIRef(SC + "locatedIn"), kz) in full
    assert g.value(kz, URIRef("http://purl.org/dc/terms/source")) is not None
    assert len(g) < len(full)
    assert set(reference_graph()) == set(g)     # deterministic


# --------------------------------------------------------------------------- cities


def test_city_gazetteer_has_variants_and_capitals():
    rows = city_gazetteer()
    assert all(SLUG.match(slug) for _, slug, _ in rows)
    first = {}
    for name, slug, iso in rows:
        first.setdefault(name, (slug, iso))
    assert first["Nur-Sultan"] == first["Astana"] == ("astana", "KZ")
    assert first["Alma-Ata"] == ("almaty", "KZ")
    assert first["Leningrad"] == first["St. Petersburg"] == ("saint-petersburg", "RU")
    assert first["Bombay"] == ("mumbai", "IN")
    assert first["Kiev"] == ("kyiv", "UA")
    assert first["Peking"] == ("beijing", "CN")
    assert first["Washington, D.C."] == ("washington", "US")
    assert first["Baikonur"] == ("baikonur", "KZ")
    assert {iso for _, _, iso in rows} >= set(states())   # every state has its capital at least
    assert first["Vaduz"][1] == "LI"                        # a capital far below 100,000 people
    small = city_gazetteer(min_population=15000)
    slugs = {(n, s) for n, s, _ in small}
    assert {(n, s) for n, s, _ in rows} <= slugs            # slugs do not depend on the threshold


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize("variants", [
    ["Yury Borisov", "Yuri Borisov", "Yuriy Borisov", "Iurii Borisov"],
    ["Bayterek", "Baiterek", "BAYTEREK"],
    ["Vasiliy Petrenko", "Vasily Petrenko", "Vasilii Petrenko"],
    ["Sergey Kuzmin", "Sergei Kuzmin", "Sergej Kuzmin"],
    ["Aleksandr Orlov", "Alexander Orlov", "Alexandr Orlov"],
    ["Gennadiy Volkov", "Gennady Volkov", "Gennadii Volkov", "Gennadi Volkov"],
    ["Yerlan Tokayev", "Erlan Tokaev"],
    ["Kayrat Kassymov", "Kairat Kasymov"],
    ["Daniyar Seitov", "Daniar Seitov"],
    ["Pyotr Fyodorov", "Petr Fedorov"],
    ["Zhanibek Baykonurov", "Zhanibek Baikonurov"],
    ["Maksim Lebedev", "Maxim Lebedev"],
    ["Dimitry Orlov", "Dimitri Orlov", "Dmitry Orlov", "Dmitri Orlov", "Dmitriy Orlov", "Dimitriy Orlov"],
    ["St. Petersburg", "Saint Petersburg", "St Petersburg", "saint-petersburg"],
])
def test_transliteration_variants_share_a_key(variants):
    keys = {canonical_key(v) for v in variants}
    assert len(keys) == 1, keys


def test_examples_of_keys_and_spellings():
    assert canonical_key("Yury Borisov") == "yuri-borisov"
    assert canonical_key("Bayterek") == canonical_key("Baiterek") == "baiterek"
    assert canonical_key("Beybut Atamkulov") == canonical_key("Beibut Atamkulov")
    assert canonical_spelling("Yury Borisov") == "Yuri Borisov"
    assert canonical_spelling("Dmitriy  Volkov") == "Dmitry Volkov"
    assert canonical_spelling("YURIY ORLOV") == "YURI ORLOV"
    assert canonical_spelling("Bayterek") == "Baiterek"
    # English names are left alone on display (only keys merge spellings).
    for name in ("Scott Kelly", "Taylor Henry", "Stanley Casey", "Hawaii", "Mary Brady"):
        assert canonical_spelling(name) == name
    # Different names stay apart.
    assert canonical_key("Ivan Petrov") != canonical_key("Ivana Petrova")
    assert canonical_key("Astana") != canonical_key("Almaty")
    # No letters: a short stable hash; the text itself is kept for display.
    assert SLUG.match(canonical_key("Юрий Гагарин")) and canonical_key("") != canonical_key("!!!")
    assert canonical_spelling(" Юрий  Гагарин ") == "Юрий Гагарин"
    assert canonical_key("O'Brien") == "obrien" and canonical_key("Côte d'Ivoire") == "cote-divoire"


def test_transliteration_rules_are_well_formed():
    rows = read_table(DATA_DIR / "transliteration.tsv", ("pattern", "replacement", "scope", "comment"),
                      raw=("replacement",))
    assert rows and {r["scope"] for r in rows} == {"both", "key"}
    for r in rows:
        assert re.compile(r["pattern"]) and r["comment"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_a_valid_stable_key(text):
    key = canonical_key(text)
    assert SLUG.match(key)
    assert canonical_key(key) == key
    assert canonical_key(canonical_spelling(text)) == key
    assert canonical_spelling(canonical_spelling(text)) == canonical_spelling(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aeiouyksxhjtrnlbdvzAEIOUYX '-.&ßø", max_size=24))
def test_rule_heavy_text_gives_a_valid_stable_key(text):
    key = canonical_key(text)
    assert SLUG.match(key) and canonical_key(key) == key
    assert canonical_key(canonical_spelling(text)) == key


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aeiouyksxhjtrngdmbvzAEIOUYXDMS '-.&ßøé", max_size=30))
def test_the_screen_changes_no_result(text):
    """A pass is skipped when the screen (all rules as one alternation) finds nothing: the
    outcome must be what running every rule gives, cased (display) and not (keys)."""
    rules = refdata._rules(refdata._root(None))
    for rule_set in (rules.both, rules.key_only):
        assert rule_set.screen is not None                 # the shipped rules are screened
        unscreened = refdata._RuleSet(rule_set.rules, None)
        for cased, sample in ((False, refdata._ascii(text, rules).lower()), (True, refdata._ascii(text, rules))):
            assert refdata._apply(rule_set, sample, cased=cased) == refdata._apply(unscreened, sample, cased=cased)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_text_takes_a_short_cut_to_the_same_fold(text):
    rules = refdata._rules(refdata._root(None))
    folded = unicodedata.normalize("NFKD", text.translate(rules.fold)).translate(rules.fold)
    assert refdata._ascii(text, rules) == folded and refdata._ascii("a`b", rules) == "a'b"


def test_rules_with_a_backreference_or_global_flag_are_not_screened():
    def rule(pattern):
        return refdata._Rule(re.compile(pattern), "x", True)

    assert refdata._RuleSet.of([rule(r"(a)\1"), rule("b")]).screen is None
    assert refdata._RuleSet.of([rule("b"), rule("(?i)c")]).screen is None
    assert refdata._RuleSet.of([rule("b"), rule(r"(?<=[aeiou])ye")]).screen is not None


# --------------------------------------------------------------------------- errors


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_a_bad_row_names_its_file_and_line(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "agencies.tsv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "Bad Slug\tSpaceAgency\tX\t\tRU\t\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    with pytest.raises(RefDataError) as info:
        load_reference(data)
    assert isinstance(info.value, ValueError)
    assert info.value.file.endswith("agencies.tsv") and info.value.line == line
    assert f"agencies.tsv:{line}" in str(info.value)


@pytest.mark.parametrize("file, row, fragment", [
    ("agencies.tsv", "nasa2\tSpaceAgency\tNASA 2\tNASA\tUS\t", "also names"),
    ("agencies.tsv", "x\tAgency\tX\t\tRU\t", "type"),
    ("agencies.tsv", "y\tCompany\tY\t\tXX\t", "ISO2"),
    ("projects.tsv", "z\tZ\t\tRU|QQ\t\t", "party"),
    ("spaceports.tsv", "w\tW\t\tRU\tnowhere\t", "located_in"),
    ("state_aliases.tsv", "RU\tRus\tnickname", "kind"),
])
def test_invalid_rows_are_rejected(tmp_path, file, row, fragment):
    data = _copy_data(tmp_path)
    with (data / file).open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    with pytest.raises(RefDataError, match=fragment):
        load_reference(data)
