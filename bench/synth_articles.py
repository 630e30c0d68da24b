"""Seeded synthetic news articles about bilateral space cooperation, as corpus JSON lines.

The ingest benchmark needs thousands of articles that read like the dev corpus
(``../shared/corpus/dev``): a dateline and agency slug, a lead sentence, two to
six paragraphs of signings, sessions of intergovernmental commissions, visits,
calls and project news, officials introduced with their posts ("First Deputy
Prime Minister of Kazakhstan Askar Mamin"), named agreements with their kinds
and dates, places and spaceports, and sometimes page furniture around the
text. States, agencies and places are real; officials are drawn from a seeded
pool with occasional transliteration variants, so the same person recurs
across articles as in the news.

    python bench/synth_articles.py 2000 -o bench/data/articles-2000.jsonl [--seed 11]
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402  (bench/ is not a package)

#: code, short name, formal name, adjective, agency, capital or space city, other cities
COUNTRIES = [
    ("KZ", "Kazakhstan", "the Republic of Kazakhstan", "Kazakh", "Kazcosmos", "Nur-Sultan", ["Almaty", "Baikonur"]),
    ("RU", "Russia", "the Russian Federation", "Russian", "Roscosmos", "Moscow", ["St. Petersburg", "Korolev"]),
    ("US", "the United States", "the United States of America", "American", "NASA", "Washington",
     ["Houston", "Cape Canaveral"]),
    ("CN", "China", "the People's Republic of China", "Chinese", "the China National Space Administration",
     "Beijing", ["Shanghai", "Wenchang"]),
    ("IN", "India", "the Republic of India", "Indian", "the Indian Space Research Organisation", "New Delhi",
     ["Bengaluru", "Sriharikota"]),
    ("FR", "France", "the French Republic", "French", "CNES", "Paris", ["Toulouse", "Kourou"]),
    ("JP", "Japan", "Japan", "Japanese", "JAXA", "Tokyo", ["Tsukuba", "Tanegashima"]),
    ("DE", "Germany", "the Federal Republic of Germany", "German", "the German Aerospace Center", "Berlin",
     ["Cologne", "Bremen"]),
    ("BY", "Belarus", "the Republic of Belarus", "Belarusian", "the National Academy of Sciences of Belarus",
     "Minsk", ["Gomel"]),
    ("UZ", "Uzbekistan", "the Republic of Uzbekistan", "Uzbek", "Uzbekcosmos", "Tashkent", ["Samarkand"]),
    ("AE", "the United Arab Emirates", "the United Arab Emirates", "Emirati", "the UAE Space Agency", "Abu Dhabi",
     ["Dubai"]),
    ("TR", "Turkey", "the Republic of Turkey", "Turkish", "the Turkish Space Agency", "Ankara", ["Istanbul"]),
    ("BR", "Brazil", "the Federative Republic of Brazil", "Brazilian", "the Brazilian Space Agency", "Brasilia",
     ["Alcantara"]),
    ("IT", "Italy", "the Italian Republic", "Italian", "the Italian Space Agency", "Rome", ["Turin"]),
]
PAIRS = {("KZ", "RU"): 30, ("RU", "US"): 8, ("IN", "RU"): 7, ("CN", "RU"): 7, ("FR", "KZ"): 5, ("FR", "IN"): 4,
         ("CN", "KZ"): 3, ("BY", "RU"): 3, ("JP", "US"): 2, ("AE", "US"): 2}
GIVEN = {"KZ": ["Askar", "Beibut", "Zhenis", "Talgat", "Bakhytzhan", "Marat", "Nurlan", "Aidyn", "Daniyar"],
         "RU": ["Dmitry", "Yuri", "Sergey", "Alexander", "Igor", "Denis", "Oleg", "Vladimir", "Anatoly"],
         "US": ["Bill", "Jim", "Kathy", "Robert", "Pamela", "Michael"],
         "CN": ["Li", "Zhang", "Wang", "Wu", "Chen"], "IN": ["Kailasavadivoo", "Rakesh", "Sreedhara", "Narendra"],
         "FR": ["Jean-Yves", "Jean-Baptiste", "Philippe", "Marie"], "JP": ["Hiroshi", "Kenji", "Naoki"],
         "DE": ["Klaus", "Anke", "Walther"], "BY": ["Sergei", "Vladimir"], "UZ": ["Bakhtiyor", "Shukhrat"],
         "AE": ["Mohammed", "Sarah"], "TR": ["Serdar", "Mehmet"], "BR": ["Marcos", "Carlos"], "IT": ["Giorgio", "Enrico"]}
FAMILY = {"KZ": ["Mamin", "Atamkulov", "Kassymbek", "Musabayev", "Sagintayev", "Zhumagaliyev", "Aimbetov",
                 "Nurgaliyev", "Abenov", "Mussin"],
          "RU": ["Rogozin", "Borisov", "Krikalev", "Manturov", "Ivanov", "Komarov", "Lopatin", "Solovyov", "Bakanov"],
          "US": ["Nelson", "Bridenstine", "Lueders", "Cabana", "Melroy"], "CN": ["Keqiang", "Kejian", "Yanhua"],
          "IN": ["Sivan", "Sharma", "Somanath", "Modi"], "FR": ["Le Drian", "Lemoyne", "Baptiste", "Le Gall"],
          "JP": ["Yamakawa", "Okuyama"], "DE": ["Pelzer", "Ehrenfreund"], "BY": ["Gusakov", "Karankevich"],
          "UZ": ["Ashurov", "Umarov"], "AE": ["Al Ahbabi", "Al Amiri"], "TR": ["Yildirim", "Kacar"],
          "BR": ["Pontes", "Moura"], "IT": ["Saccoccia", "Battiston"]}
VARIANTS = [("y", "i"), ("ii", "iy"), ("kh", "h"), ("Yuri", "Yury"), ("Dmitry", "Dmitriy"), ("Beibut", "Beybut")]
POSTS = ["Prime Minister", "First Deputy Prime Minister", "Deputy Prime Minister", "Minister of Foreign Affairs",
         "Minister of Digital Development, Innovations and Aerospace Industry", "Minister of Defense",
         "Ambassador to {other}", "Chairman of the Aerospace Committee", "General Director of {agency}",
         "Head of {agency}", "Administrator of {agency}", "Deputy General Director of {agency}", "President"]
KINDS = ["Agreement", "Protocol", "Memorandum of Understanding", "Roadmap", "Programme of cooperation",
         "Contract", "Concept", "Treaty", "Joint statement"]
TOPICS = ["the lease of the Baikonur complex", "cooperation in the exploration and use of outer space for peaceful "
          "purposes", "the creation of the Baiterek space rocket complex", "satellite navigation",
          "the training of cosmonauts", "the International Lunar Research Station", "launch services",
          "interaction in case of emergency at the Baikonur cosmodrome", "remote sensing of the Earth",
          "cross flights to the International Space Station", "the supply of RD-180 rocket engines",
          "the Baikonur free economic zone", "space weather monitoring", "ground control stations"]
PROJECTS = ["Baiterek space rocket complex", "International Space Station", "International Lunar Research Station",
            "Baikonur free economic zone", "Gaganyaan", "Zenit-M launch complex", "KazEOSat Earth observation system",
            "GLONASS-BeiDou compatibility project"]
SPACEPORTS = ["the Baikonur cosmodrome", "the Vostochny cosmodrome", "the Guiana Space Centre",
              "the Satish Dhawan Space Centre", "the Wenchang launch site", "the Kennedy Space Center"]
OUTLETS = ["Kazinform", "TASS", "Interfax", "Qazaq TV", "Sputnik", "The Indian Express", "Xinhua", "EastTime",
           "Astana Times", "Firstpost", "PR Newswire", "Space News"]
FURNITURE = ["Main Page  >\n  News  >\n  Diplomacy\n", "Share this article\nFacebook Twitter Telegram\n",
             "Related news\n", "Photo: press service\n", "All rights reserved. When using materials, a link is required.\n"]
ORDINAL = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
           "11th", "12th", "13th", "14th", "15th", "16th"]


class World:
    """Officials and agreements that recur across articles."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.by_code = {c[0]: c for c in COUNTRIES}
        self.people: dict[str, list[tuple[str, str]]] = {}
        for code, *_ in COUNTRIES:
            pool = []
            for given in GIVEN[code]:
                for family in rng.sample(FAMILY[code], min(3, len(FAMILY[code]))):
                    pool.append((f"{given} {family}", rng.choice(POSTS)))
            self.people[code] = pool
        self.agreements: dict[tuple[str, str], list[str]] = {}

    def pair(self) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.75:
            pairs, weights = zip(*PAIRS.items())
            a, b = rng.choices(pairs, weights)[0]
        else:
            a, b = rng.sample(list(self.by_code), 2)
        return (a, b) if rng.random() < 0.5 else (b, a)

    def official(self, code: str, other: str) -> str:
        """'First Deputy Prime Minister of Kazakhstan Askar Mamin' (a spelling variant now and then)."""
        name, post = self.rng.choice(self.people[code])
        if self.rng.random() < 0.12:
            old, new = self.rng.choice(VARIANTS)
            name = name.replace(old, new, 1)
        country = self.by_code[code]
        post = post.format(agency=country[4], other=self.by_code[other][1].removeprefix("the "))
        if "{" not in post and " of " not in post and "Ambassador" not in post:
            post = f"{post} of {country[1]}"
        return f"{post} {name}"

    def agreement(self, a: str, b: str, when: dt.date) -> str:
        rng = self.rng
        key = (min(a, b), max(a, b))
        known = self.agreements.setdefault(key, [])
        if known and rng.random() < 0.35:
            base = rng.choice(known)
            title = f"Protocol on amendments to the {base.split(' of ')[0] if rng.random() < 0.3 else base}"
        else:
            kind = rng.choice(KINDS)
            title = (f"{kind} between the Government of {self.by_code[a][2]} and the Government of "
                     f"{self.by_code[b][2]} on {rng.choice(TOPICS)} of {when:%B} {when.day}, {when.year}")
        known.append(title)
        return title


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _date(rng: random.Random) -> dt.date:
    return dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(17 * 365))


def article(world: World, n: int) -> dict:
    """One article as a corpus JSON object."""
    rng = world.rng
    a, b = world.pair()
    A, B = world.by_code[a], world.by_code[b]
    date = _date(rng)
    outlet = rng.choice(OUTLETS)
    city = rng.choice([A[5], B[5], *A[6], *B[6]])
    first, second = world.official(a, b), world.official(b, a)
    signed = date - dt.timedelta(days=rng.choice([0, 0, 1, 2]))
    agreement = world.agreement(a, b, signed)
    project = rng.choice(PROJECTS)
    paragraphs = []
    lead = rng.choice([
        f"{city.upper()}. {outlet.upper()} {first} and {second} signed the {agreement} in {city} today.",
        f"{city.upper()}. {outlet.upper()} The {rng.choice(ORDINAL)} session of the {A[1].removeprefix('the ')}-"
        f"{B[1].removeprefix('the ')} Intergovernmental Commission on space cooperation was held in {city} on "
        f"{date:%B} {date.day}, {date.year}.",
        f"{city.upper()}. {outlet.upper()} {first} met with {second} in {city} to discuss cooperation in the "
        f"space industry, the press service of {A[4]} reports.",
        f"{city.upper()}. {outlet.upper()} {_cap(A[4])} and {B[4]} held talks on the {project} on {date:%A}.",
    ])
    paragraphs.append(lead)
    body = [
        f"{first.split()[-1]} and {second.split()[-1]} co-chaired the meeting, which focused on {rng.choice(TOPICS)}.",
        f"The sides pointed out the project of the {project} at {rng.choice(SPACEPORTS)} as the key aspect of "
        f"bilateral cooperation.",
        f"According to the document, {A[1]} and {B[1]} will jointly develop {rng.choice(TOPICS)} until "
        f"{date.year + rng.choice([5, 10, 20, 35])}.",
        f"The {agreement} was ratified by the Senate of {A[1]} earlier this year.",
        f"The parties also signed {_a(rng.choice(KINDS).lower())} on {rng.choice(TOPICS)}.",
        f"In {city}, {second} visited {rng.choice(SPACEPORTS)} and the mission control centre.",
        f"The next session of the commission is scheduled to take place in {rng.choice([A[5], B[5]])} next year.",
        f"{_cap(B[4])} confirmed its readiness to launch the {A[3]} satellite from {rng.choice(SPACEPORTS)}.",
        f"Earlier, {world.official(a, b)} held a phone call with {world.official(b, a)}.",
        f"Those attending discussed the development of the {project} and the social infrastructure of the city.",
    ]
    if not lead.split(". ", 1)[1].startswith(first.split()[0]) and first not in lead:
        body[0] = f"{first} and {second} co-chaired the meeting, which focused on {rng.choice(TOPICS)}."
    rng.shuffle(body)
    start = 0
    for _ in range(rng.randint(2, 5)):
        size = rng.randint(1, 3)
        if start >= len(body):
            break
        paragraphs.append(" ".join(body[start:start + size]))
        start += size
    text = "\n\n".join(paragraphs)
    if rng.random() < 0.3:
        text = rng.choice(FURNITURE) + "\n" + text
    if rng.random() < 0.3:
        text = text + "\n\n" + rng.choice(FURNITURE)
    item = {"id": f"synth-{n:05d}", "url": f"https://news.example.org/{date.year}/{a.lower()}-{b.lower()}-{n}",
            "outlet": outlet, "date": date.isoformat() if rng.random() < 0.92 else None,
            "title": f"{A[1].removeprefix('the ').title()} and {B[1].removeprefix('the ')} discuss space cooperation",
            "text": text}
    return item


def generate(count: int, seed: int = 11) -> list[dict]:
    world = World(random.Random(seed))
    return [article(world, n) for n in range(count)]


def json_lines(count: int, seed: int = 11) -> Iterator[str]:
    return (json.dumps(item, ensure_ascii=False) for item in generate(count, seed))


def write(path: Path, count: int, seed: int = 11) -> Path:
    """Write ``count`` articles as JSON lines to ``path``; returns the path."""
    return synth.write_lines(path, json_lines(count, seed))


def main(argv: list[str] | None = None) -> int:
    return synth.lines_cli(argv, description=__doc__.split("\n\n")[0], output="JSON lines file", seed=11,
                           lines=json_lines, size=("count", int, "number of articles"))


if __name__ == "__main__":
    sys.exit(main())
