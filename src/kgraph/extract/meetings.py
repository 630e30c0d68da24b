"""``kgraph_meetings_v1``: meetings that took place, with date, place, chairs, participants.

A meeting is named by a noun of ``meeting_words.tsv`` ("the 6th session of …", "an
introductory call", "the working visit of …", "International Aerospace Forum
"MAKS-2015"") or reported by a verb ("met with", "visited", "talk over phone"). It is
left out when the text announces it (a planned marker such as "next", "scheduled",
"agreed to hold", "to be held" near it, or a year in its name after the article's).
"The meeting", "the sitting", "the sides" refer back to the last meeting: their
sentences belong to it, as does the rest of its paragraph.

From those sentences come the date (a day, or "today"/a weekday resolved against the
article date), the place ("held in Moscow", "Moscow hosted", "in the Akorda presidential
residence", a visit's destination), the chairs ("co-chaired", "under the joint
chairmanship of", "chaired by"), the participants (the officials named, and
organizations that take part as such: "a delegation of X", "representatives of X"),
the body whose session it is ("session of the Intergovernmental Commission", which also
gives the meeting its key: ``meeting/<body>-session-<n>``, and its label: "6th session of
the …", the article's wording an alias, so that articles wording it differently do not
give it two labels) and what it concerned (projects and places discussed).
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.language import Language
from spacy.tokens import Doc

from ..identity import meeting_key, place_key, session_key
from .agreements import AgreementRecognizer
from .base import DataComponent
from .docmodel import DATE, MEETING, ORG, PERSON, PLACE, PROJECT, STATE, DocModel, Mention, Trigger, model
from .entities import FUNCTION_WORDS, MONTH_WORDS, is_quote

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
            "fourteenth": 14, "fifteenth": 15, "twentieth": 20}
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)
_SESSION_WORDS = {"session", "meeting", "sitting", "plenary session"}
_FUTURE = {"to", "will", "would", "shall", "should", "could", "may", "might", "must", "can"}
_TALKS_WORDS = {"talks", "negotiations", "consultations"}
_CLAUSE_VERBS = {"also", "has", "have", "had", "will", "would", "could", "can", "included", "includes", "include"}
_BY_MEANS = {"by", "via", "through", "over"}
_PLACE_TIME_PREPOSITIONS = {"in", "on", "at", "during", "after", "before"}
_BODY_NOUNS = {"commission", "committee", "subcommittee", "council", "group", "board", "body"}
_PARTICIPATING = {"delegation", "delegations", "representatives", "representative", "team", "officials"}


def ordinal_value(text: str) -> int | None:
    found = _ORDINAL.match(text)
    if found:
        return int(found.group(1))
    return ORDINALS.get(text.lower())


def ordinal_text(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@Language.factory("kgraph_meetings_v1", default_config={"lexicon_dir": None})
def make_meetings(nlp: Language, name: str, lexicon_dir: str | None) -> MeetingRecognizer:
    return MeetingRecognizer(nlp, name, lexicon_dir)


class MeetingRecognizer(DataComponent):
    """Meeting mentions (``kind == "meeting"``) with their relations in ``data``."""

    lexicons = ("meeting_words",)

    def setup(self) -> None:
        rows = self.data["meeting_words"]
        self.kinds = {r["phrase"].lower(): r["kind"] for r in rows}
        super().setup()

    def __call__(self, doc: Doc) -> Doc:
        self.require()
        m = model(doc)
        meetings: list[Mention] = []
        for trig in self._triggers(m):
            mention = self.build(m, trig, meetings)
            if mention is not None:
                meetings.append(mention)
        self.headline_meetings(m, meetings)
        in_sentence: dict[int, list[Mention]] = {}     # only verbs leave the list below, and no verb is named
        for x in meetings:
            in_sentence.setdefault(x.sent, []).append(x)
        for verb in [x for x in meetings if x.data["kind"] == "verb"]:
            named = [x for x in in_sentence[verb.sent] if x.data["kind"] != "verb"
                     and "visit" in x.data["word"] and not x.data.get("named")
                     and (not x.backref or "during" in (m.lower(x.start - 1), m.lower(x.start - 2))
                          and "visit" in x.data["antecedent"].data.get("word", ""))]   # "During the visit, … held talks"
            if named:                                   # "During the visit, X also met with Y": one meeting
                meetings.remove(verb)
                m.remove(verb)
                for later in meetings:                  # a back-reference to the talks is one to that meeting
                    if later.backref and later.data.get("antecedent") is verb:
                        later.data["antecedent"] = named[0]
        self.assign_scopes(m, meetings)
        for meeting in meetings:
            if not meeting.backref:
                self.relations(m, meeting)
        return doc

    @staticmethod
    def headline_meetings(m: DocModel, meetings: list[Mention]) -> None:
        """"…, sign satellite memorandum at commission meeting" above "… the 11th meeting of the
        Intergovernmental Commission": the headline's meeting is the one session the body names."""
        headline = AgreementRecognizer.headline_sentences(m)
        if not headline:
            return
        body = [x for x in meetings if x.sent not in headline and not x.backref and x.data["word"] in _SESSION_WORDS]
        for x in meetings:                              # ("… in Abu Dhabi for working group talks")
            if x.sent in headline and not x.backref and len(body) == 1 and x.data["kind"] == "noun" \
                    and (x.data["word"] in _SESSION_WORDS or x.data["word"] in _TALKS_WORDS):
                x.backref = True
                x.data["antecedent"] = body[0]

    def _triggers(self, m: DocModel) -> list[Trigger]:
        spans = [s for s in m.triggers_with("meeting_words:")
                 if s.label_ in ("meeting_words:noun", "meeting_words:named", "meeting_words:verb",
                                 "meeting_words:receive")]
        kept: list[Trigger] = []
        covered: set[int] = set()
        for span in sorted(spans, key=lambda s: (-len(s), s.start)):
            if any(i in covered for i in range(span.start, span.end)):
                continue
            covered.update(range(span.start, span.end))
            kept.append(span)
        return sorted(kept, key=lambda s: s.start)

    # -- mentions --------------------------------------------------------------------------

    def build(self, m: DocModel, trig, meetings: list[Mention]) -> Mention | None:
        sent = m.sent_of(trig.start)
        if m.is_noise_sent(sent) or m.at(trig.start) is not None or m.container_at(trig.start) is not None:
            return None
        s0, s1 = m.sent_range(sent)
        kind = trig.label_.split(":", 1)[1]
        word = trig.text.lower()
        if kind == "receive":                      # "received the Chinese Vice President X": a meeting,
            passive = m.lower(trig.start - 1) in ("was", "were") or m.lower(trig.start - 2) in ("was", "were") \
                and m.lower(trig.start - 1) in ("also", "then", "later", "warmly")
            by = next((i for i in range(trig.end, min(s1, trig.end + 8)) if m.lower(i) == "by"), None) if passive else None
            reach = by + 12 if by is not None else trig.end + 6     # "X was received in Ankara by Türkiye's
            if not any((found := m.at(i)) is not None and found.kind == PERSON   # Minister of … Y"; "received funding": none
                       for i in range(trig.end, min(s1, reach))):
                return None
            kind = "verb"
        if kind == "verb" and self._body_met(m, trig.start):
            session = next((x for x in reversed(meetings) if x.data["word"] in _SESSION_WORDS), None)
            if session is None or m.paragraph(session.sent) != m.paragraph(sent) and session.sent < sent - 2:
                return None                             # "Intergovernmental commission meets in Baku" (headline)
            mention = Mention(MEETING, trig.start, trig.end, sent, "Meeting", text=m.clean_text(trig.start, trig.end))
            mention.data.update({"word": word, "kind": kind, "number": None, "named": False,
                                 "trigger": (trig.start, trig.end), "antecedent": session})
            mention.backref = True                      # "The commission, which met on October 1-2, is co-chaired
            m.add(mention)                              # by …": that session, not a meeting of its own
            return mention
        if kind == "noun" and word == "video conference" and (
                m.lower(trig.start - 1) in _BY_MEANS or m.lower(trig.start - 1) == "a" and m.lower(trig.start - 2) in _BY_MEANS):
            return None                                 # "held by video conference": how a meeting was held
        if kind == "verb" and word in ("met", "met with", "meets", "has met", "called on", "calls on") and not self._counterpart(m, trig, s0, s1):
            return None                                 # "X also met with the Argentine community in Italy"
        start, end = trig.start, trig.end
        number = None
        name_tokens = False
        if kind != "verb":
            j = start - 1
            while j >= s0:
                low, text = m.lower(j), m.text(j)
                other = m.at(j)
                if ordinal_value(text) is not None and number is None:
                    number = ordinal_value(text)
                    start = j
                    j -= 1
                    continue
                if other is not None and other.kind in (STATE, ORG, PLACE) and other.end == j + 1:
                    if kind == "named" or m.is_cap(trig.start):
                        name_tokens = True
                    start = other.start
                    j = other.start - 1
                    continue
                if other is not None:
                    break
                if text in ("'", "’") or (text == "-" and m.joined(j - 1)):
                    j -= 1
                    continue
                if low in FUNCTION_WORDS or low in MONTH_WORDS or not m.is_word(j):
                    break
                if m.is_cap(j) or any(c.isdigit() for c in text):
                    name_tokens = True
                elif low.endswith("ed") or self.kinds.get(low) in ("planned", "verb"):
                    break
                start = j
                j -= 1
            if kind == "named":
                k = end
                if is_quote(m.text(k)):
                    k += 1
                q = k
                while q < s1 and (m.is_cap(q) or m.text(q)[:1].isdigit() or m.text(q) == "-" and m.joined(q - 1)) \
                        and m.at(q) is None and m.lower(q) not in FUNCTION_WORDS:
                    q += 1
                if q > k:
                    name_tokens = True
                    end = q + (1 if is_quote(m.text(q)) else 0)
                if not name_tokens:
                    return None
        determiner = m.lower(start - 1)
        possessor = m.ending_at(start - 1, PERSON, ORG) if determiner in ("'s", "’s") else None
        of_pp = m.lower(end) in ("of", "between", "to", "with") or possessor is not None
        phrase_pp = m.lower(end) in ("of", "to") and kind != "verb"
        if self._planned(m, start, end, s0, s1):
            return None
        if m.text(start)[:1].isdigit() and m.text(start).isdigit():
            return None                                           # "5 meetings"
        mention = Mention(MEETING, start, end, sent, "Meeting", text=m.clean_text(start, end))
        mention.data.update({"word": word, "kind": kind, "number": number, "named": name_tokens,
                             "trigger": (trig.start, trig.end)})
        plain = determiner not in ("a", "an") and number is None and not name_tokens and not of_pp
        if phrase_pp:
            mention.data["phrase_end"] = self._phrase_end(m, end, s1)
        if kind != "verb" and word.endswith("s") and word not in ("talks", "negotiations", "consultations") \
                and not name_tokens:
            return None                                           # plural: not one meeting
        if plain and meetings and kind != "verb":
            mention.backref = True
            mention.data["antecedent"] = meetings[-1]
        m.add(mention)
        return mention

    @staticmethod
    def _counterpart(m: DocModel, trig, s0: int, s1: int) -> bool:
        """"met (with)" makes a meeting between two sides: someone named after the verb (a person, body or
        state, or a delegation), or two of them before it ("X and Y met on Tuesday")."""
        stop = next((i for i in range(trig.end, s1) if m.text(i) in (".", ";", ",")), s1)
        for i in range(trig.end, min(stop, trig.end + 10)):
            x = m.at(i)
            if x is not None and (x.kind in (PERSON, ORG) or x.kind == STATE and not x.adjective) \
                    or m.lower(i) in _PARTICIPATING:    # not "the Argentine community"
                between = [m.lower(k) for k in range(trig.end, x.start if x is not None else i)]
                if not any(w in _PLACE_TIME_PREPOSITIONS for w in between) or "with" in between[-3:]:
                    return True                         # "met in Astana with X", not "met … community in Peru"
        before = {x.key or x.text for x in m.in_sentence(m.sent_of(trig.start), PERSON, ORG, STATE)
                  if x.end <= trig.start and not (x.kind == STATE and x.adjective)}
        return len(before) >= 2 or bool(before) and any(m.lower(i) in ("sides", "parties", "two", "both")
                                                       for i in range(s0, trig.start))

    @staticmethod
    def _body_met(m: DocModel, v: int) -> bool:
        """"The commission, which met …", "the third session of the Joint Committee …, which met in Malindi",
        "Intergovernmental commission meets in Baku": the subject of "met" is a body or its session."""
        if m.lower(v) not in ("met", "meets", "meet"):
            return False
        j = v - 1
        if m.lower(j) in ("which", "that") and m.text(j - 1) == ",":
            j -= 2
        subject = m.ending_at(j + 1, ORG, MEETING)
        if subject is not None:
            return subject.kind == MEETING or subject.type == "IntergovernmentalBody" \
                or m.lower(subject.end - 1) in _BODY_NOUNS
        return m.lower(j) in _BODY_NOUNS

    @staticmethod
    def _phrase_end(m: DocModel, k: int, s1: int) -> int:
        """End of "of President of Kazakhstan to St. Petersburg" after a meeting noun (at an entity's end)."""
        end = k
        j = k
        while j < s1 and j - k < 14:
            other = m.at(j)
            if other is not None:
                j = end = other.end
                continue
            low, text = m.lower(j), m.text(j)
            if not (m.is_alpha(j) or text in ("-", "'s", "’s")) or low in ("was", "were", "is", "in", "at",
                                                                             "on", "and", "that", "which"):
                if low == "in" and m.starting_at(j + 1, PLACE) is not None and "to" not in {
                        m.lower(i) for i in range(k, j)}:
                    j += 1
                    continue
                break
            if low in _CLAUSE_VERBS or low.endswith("ed") and m.is_lower(j):
                break                                   # "visit to NASA Headquarters also included talks with …"
            if m.is_cap(j):
                end = j + 1
            j += 1
        return end

    def _planned(self, m: DocModel, start: int, end: int, s0: int, s1: int) -> bool:
        for i in range(max(s0, start - 12), min(s1, end + 6)):
            if start <= i < end:
                continue
            for span in m.triggers.get(i, ()):
                if span.label_ == "meeting_words:planned":
                    low = span.text.lower()
                    if i >= end and low not in ("to be held", "scheduled", "planned", "will", "is expected",
                                                "are expected"):
                        continue
                    if low == "next" and i < start - 3 and not (
                            m.lower(i + 1) in ("round", "edition") and m.lower(i + 2) == "of"):
                        continue                        # but "the next round of the … Strategic Dialogue"
                    return True
        if m.date is not None:
            for year in re.findall(r"(?:19|20)\d\d", m.span_text(start, end)):
                if int(year) > m.date.year:
                    return True
        return False

    # -- sentences of a meeting --------------------------------------------------------------

    def assign_scopes(self, m: DocModel, meetings: list[Mention]) -> None:
        new = [x for x in meetings if not x.backref]
        for meeting in new:
            meeting.data["sents"] = {meeting.sent}
        if not new:
            return
        backref_sents: dict[int, Trigger | None] = {}
        for span in m.triggers_with("meeting_words:backref") + m.triggers_with("relation_words:side") \
                + m.triggers_with("meeting_words:attend"):    # "X and Y were present": at the meeting under way
            backref_sents.setdefault(m.sent_of(span.start), span)
        own = {x.sent for x in meetings}
        for span in m.triggers_with("meeting_words:chair"):    # "It was co-chaired by …": the meeting before
            if span.text.lower().endswith(" by") and m.lower(span.start - 1) in ("was", "were") \
                    and m.sent_of(span.start) not in own:          # not "the Commission is co-chaired by"
                backref_sents.setdefault(m.sent_of(span.start), span)
        for meeting in meetings:
            if meeting.backref:
                target = meeting.data["antecedent"]
                while target.backref:
                    target = target.data["antecedent"]
                target.data["sents"].add(meeting.sent)
                meeting.data["antecedent"] = target
        sign_sents = {m.sent_of(span.start) for span in m.triggers_with("relation_words:sign")}
        # a meeting named in a sentence about an earlier one ("The parties discussed the decisions of the
        # 3rd session …") is only referred to: it keeps its own sentence and does not end the other's scope
        referred = {id(x) for i, x in enumerate(new) if i and x.sent in backref_sents and x.sent != new[i - 1].sent}
        leading = [x for x in new if id(x) not in referred]
        for meeting in new:
            if id(meeting) in referred:
                continue
            later = leading[leading.index(meeting) + 1:]
            following = later[0].sent if later else len(m.sents)
            paras = {m.paragraph(meeting.sent)}
            announces_signing = meeting.sent in sign_sents
            for s in range(meeting.sent + 1, following):
                if m.is_noise_sent(s):
                    continue
                para = m.paragraph(s)
                if s not in backref_sents and self._about(m, meeting, s):
                    backref_sents[s] = None
                opens = s in backref_sents and (s == 0 or m.paragraph(s - 1) != para)
                if opens:
                    paras.add(para)
                if para in paras or s in backref_sents or announces_signing and s in sign_sents:
                    meeting.data["sents"].add(s)

    @staticmethod
    def _about(m: DocModel, meeting: Mention, s: int) -> bool:
        """A sentence about the meeting although it does not say so: it names two of the people of
        the meeting's sentence ("Mamin and Rogozin also reviewed …"), or one side ("the Kazakh side")."""
        people = {p.key for p in m.in_sentence(meeting.sent, PERSON)}
        named = {p.key for p in m.in_sentence(s, PERSON)}
        if len(people & named) >= 2:
            return True
        if m.sent_has(s, "side"):
            for state in m.in_sentence(s, STATE):
                if state.adjective and m.lower(state.end) == "side":
                    return True
        return False

    # -- relations ------------------------------------------------------------------------------

    def relations(self, m: DocModel, meeting: Mention) -> None:
        sents = sorted(meeting.data["sents"])
        data = meeting.data
        data["chairs"] = chairs = self._chairs(m, sents)
        people: list[str] = []
        attended = m.sents_with("meeting_words:attend")
        backrefs = m.sents_with("meeting_words:backref") | m.sents_with("relation_words:side")
        for s in sents:
            if s != meeting.sent and s not in attended and s not in backrefs and s not in data.get("signing_sents", ()):
                continue                                # the paragraph goes on about other things
            for person in m.in_sentence(s, PERSON):
                inside = m.container_at(person.start)
                if inside is not None and inside.kind != MEETING:
                    continue                            # named in a document's name: not a participant
                assert person.key is not None           # (a person mention is made with its key: officials.py)
                if person.key not in chairs and person.key not in people:
                    people.append(person.key)
        previous = self._the_two(m, meeting)
        if previous is not None:                        # "The two signed the document during talks at …"
            before: list[str] = []
            for p in m.in_sentence(previous, PERSON):
                assert p.key is not None
                if p.key not in chairs and p.key not in people:
                    before.append(p.key)
            people = before + people
        data["participants"] = people
        data["org_participants"] = self._org_participants(m, sents)
        data["within"] = self._within(m, meeting)
        data["heldAt"] = self._place(m, meeting)
        data["heldOn"] = self._date(m, meeting)
        if data["heldOn"] is None and previous is not None and not data["within"]:
            data["heldOn"] = next((d.data["value"].isoformat() for d in m.in_sentence(previous, DATE)
                                   if d.data.get("value") is not None), None)
        if data["heldOn"] is None and m.sent_has(meeting.sent, "same") and m.sent_has(meeting.sent, "day"):
            data["heldOn"] = m.data.get("last_meeting_date")   # "On the same day, the second meeting …"
        if data["heldOn"]:
            m.data["last_meeting_date"] = data["heldOn"]
        data["body"] = self._body(m, meeting)
        concerns = []
        for s in sents if not (data.get("named") and data["kind"] == "named") else ():   # forums: no topic
            for other in m.in_sentence(s, PROJECT, PLACE):
                if data["within"] and other.kind == PLACE and s == meeting.sent and other.start < meeting.start:
                    continue                            # the signing's venue, not what the visit was about
                if other.key and other.key != data["heldAt"] and other.key not in concerns \
                        and not self._is_dateline(m, other) and not self._is_location(m, other):
                    concerns.append(other.key)
        data["concerns"] = concerns
        self._label(m, meeting)

    @staticmethod
    def _the_two(m: DocModel, meeting: Mention) -> int | None:
        """The sentence before, when the meeting's sentence opens with "The two" / "Both" for its people."""
        s0, _s1 = m.sent_range(meeting.sent)
        if meeting.sent == 0 or m.in_sentence(meeting.sent, PERSON)[:1] and \
                m.in_sentence(meeting.sent, PERSON)[0].start < meeting.start:
            return None
        first = [m.lower(i) for i in range(s0, min(s0 + 3, meeting.start))]
        if first[:2] == ["the", "two"] or first[:1] == ["both"]:
            previous = meeting.sent - 1
            return previous if len(m.in_sentence(previous, PERSON)) >= 2 else None
        return None

    def _chairs(self, m: DocModel, sents: list[int]) -> list[str]:
        out: list[str] = []
        for s in sents:
            for span in m.sent_triggers(s):
                if span.label_ != "meeting_words:chair":
                    continue
                low = span.text.lower()
                persons = m.in_sentence(s, PERSON)
                if low.endswith("by") or "chairmanship" in low:
                    chosen = [p for p in persons if p.start >= span.end]
                else:
                    chosen = [p for p in persons if p.end <= span.start]
                    has_meeting = any(x.kind == MEETING for x in m.in_sentence(s))
                    if not has_meeting:
                        chosen = []
                for p in chosen:
                    assert p.key is not None            # (a person mention is made with its key: officials.py)
                    if p.key not in out:
                        out.append(p.key)
        return out

    def _org_participants(self, m: DocModel, sents: list[int]) -> list[str]:
        out: list[str] = []
        for s in sents:
            for org in m.in_sentence(s, ORG):
                before = {m.lower(org.start - 1), m.lower(org.start - 2), m.lower(org.start - 3)}
                after = m.lower(org.end)
                if ((before & _PARTICIPATING) or after in _PARTICIPATING) and org.key and org.key not in out:
                    out.append(org.key)
        return out

    @staticmethod
    def _is_location(m: DocModel, place: Mention) -> bool:
        """A place named as where something is, not what was discussed: "in Moscow", "to Astana",
        "Kubinka, Moscow Oblast", "the Baiterek complex at Baikonur space center"."""
        if place.kind != PLACE:
            return False
        if m.text(place.end) == "-" and m.lower(place.end + 1) == "based":
            return True                                  # "the Tokyo-based company"
        before = m.lower(place.start - 1)
        if before == "the":
            before = m.lower(place.start - 2)
        if before in ("in", "to", "from", "near", "via"):
            return True
        if m.text(place.start - 1) == "," and m.ending_at(place.start - 1, PLACE) is not None:
            return True
        if before == "at":
            previous = m.ending_at(place.start - 1 - (m.lower(place.start - 1) == "the") - 1, PROJECT)
            return previous is not None
        return False

    @staticmethod
    def _is_dateline(m: DocModel, mention: Mention) -> bool:
        s0, _ = m.sent_range(mention.sent)
        return mention.start - s0 <= 2 and m.text(mention.start).isupper()

    def _place(self, m: DocModel, meeting: Mention) -> str | None:
        if meeting.data["kind"] == "verb" and "visit" in meeting.data["word"]:
            j = meeting.end + (m.lower(meeting.end) == "the")
            owner = m.at(j)                             # "visited NASA's Goddard Space Flight Center in …"
            if owner is not None and owner.kind == ORG and m.lower(owner.end) in ("'s", "’s"):
                j = owner.end + 1
            visited = m.starting_at(j, PLACE)
            if visited is not None and visited.key and not self._is_dateline(m, visited):
                return visited.key
        within = meeting.data.get("within") and "visit" in meeting.data["word"]   # "signed at X during a visit
        # to …": X is the signing's place, the visit's is where it went
        for s in sorted(meeting.data["sents"]):         # "talks held at NASA Headquarters", "talks at X"
            for place in m.in_sentence(s, PLACE):
                if within and s == meeting.sent and place.start < meeting.start:
                    continue
                at = place.start - 1 - (m.lower(place.start - 1) == "the")
                if place.key and m.lower(at) in ("in", "at") and not self._is_dateline(m, place) and (
                        m.lower(at - 1) == "held" and (s == meeting.sent or m.lower(at - 2) != "be")
                        or s == meeting.sent and at == meeting.end):
                    return place.key
        word = meeting.data["word"]
        for s in sorted(meeting.data["sents"]):
            if s != meeting.sent and not self._held_or_hosted(m, s):
                continue
            venue = self._held_at_new_place(m, s, venues_only=True) if s == meeting.sent else None
            if venue is not None:
                return venue                            # "… at the Elysee Palace in Paris": the venue
            for place in m.in_sentence(s, PLACE):
                if self._is_dateline(m, place) or not place.key or within and s == meeting.sent \
                        and place.start < meeting.start:
                    continue
                before = m.lower(place.start - 1) if m.lower(place.start - 1) != "the" else m.lower(place.start - 2)
                if before in ("in", "at") or m.lower(place.end) == "hosted" or \
                        ("visit" in word and before == "to"):
                    return place.key
            created = self._held_at_new_place(m, s)
            if created is not None:
                return created
        return None

    @staticmethod
    def _held_or_hosted(m: DocModel, s: int) -> bool:
        """The sentence says something was held or hosted, not that it is "to be hosted" / "will be held"."""
        if not m.sent_has_any(s, ("held", "hosted")):
            return False
        s0, s1 = m.sent_range(s)
        return any(m.lower(i) in ("held", "hosted") and not (m.lower(i - 1) == "be" and m.lower(i - 2) in _FUTURE)
                   for i in range(s0, s1))

    def _held_at_new_place(self, m: DocModel, s: int, venues_only: bool = False) -> str | None:
        """"was held at Great Hall of the People", "in Zhukovsky": a place no list has."""
        s0, s1 = m.sent_range(s)
        for i in range(s0, s1 - 1):
            if m.lower(i) not in ("in", "at"):
                continue
            if m.lower(i) == "at" and m.lower(i + 1) == "the" and m.is_cap(i + 2) and m.at(i + 2) is None \
                    and m.container_at(i + 2) is None and any(x.kind == MEETING for x in m.in_sentence(s)):
                i += 1                                  # "talks … at the Elysee Palace in Paris"
            elif venues_only:
                building = m.starting_at(i + 1 + (m.lower(i + 1) == "the"), PLACE) if m.lower(i) == "at" else None
                if building is not None and building.key and any(x.kind == MEETING for x in m.in_sentence(s)) \
                        and (building.label or "").split()[-1].lower() in ("house", "palace"):
                    container = m.starting_at(building.end + 1, PLACE) if m.lower(building.end) == "in" else None
                    if container is not None and not building.data.get("located_in"):
                        building.data["located_in"] = container.key
                    return building.key                 # "… at the Farnesina Palace", found as a place already
                continue
            if m.at(i + 1) is not None or m.container_at(i + 1) is not None or not m.is_cap(i + 1):
                continue
            if m.lower(i + 1) in FUNCTION_WORDS or m.lower(i + 1) in MONTH_WORDS:
                continue
            held = m.lower(i - 1) == "held" or any(x.kind == MEETING and x.end == i for x in m.in_sentence(s)) \
                or m.text(i - 1) in ('"', "”") and any(x.kind == MEETING for x in m.in_sentence(s)) \
                or m.lower(i) == "the" and m.lower(i - 1) == "at"
            if not held:
                continue
            j = i + 1
            while j < s1 and (m.is_cap(j) or m.lower(j) in ("of", "the") and m.is_cap(j + 1 + (m.lower(j + 1) == "the"))
                              or m.text(j) == "-" and m.joined(j - 1)) and m.at(j) is None:
                j += 1
            name = m.clean_text(i + 1, j)
            if not name:
                continue
            key = place_key(name)
            place = Mention(PLACE, i + 1, j, s, "Place", key=key, label=name, text=name)
            container = m.starting_at(j + 1, PLACE) if m.lower(j) == "in" else None
            if container is not None:                    # "… at the Elysee Palace in Paris"
                place.data["located_in"] = container.key
            m.add(place)
            return key
        return None

    @staticmethod
    def _within(m: DocModel, meeting: Mention) -> bool:
        """A visit or a named event (congress, forum, summit) put around what the sentence reports:
        "signed on Tuesday during the state visit of …", "… on the sidelines of the 73rd Congress". It
        lasts longer than the day of the signing, so that day is not its date."""
        data = meeting.data
        if data["kind"] == "verb" or not (data["kind"] == "named" or "visit" in data["word"]):
            return False
        s0, _s1 = m.sent_range(meeting.sent)
        for j in range(meeting.start - 1, max(s0, meeting.start - 10) - 1, -1):
            if m.text(j) in (",", ";", ":") or m.trigger_at(j, "relation_words:sign") is not None:
                return False
            for span in m.triggers.get(j, ()):
                if span.label_ == "meeting_words:within" and span.end <= meeting.start:
                    return True
        return False

    def _date(self, m: DocModel, meeting: Mention) -> str | None:
        within = meeting.data.get("within")
        for s in sorted(meeting.data["sents"], key=lambda x: (x != meeting.sent, x)):
            if s != meeting.sent and not m.sent_has(s, "held"):
                continue
            for date in m.in_sentence(s, DATE):
                value = date.data.get("value")
                if within and s == meeting.sent and date.start < meeting.start:
                    continue                            # the day of the signing, not of the visit around it
                if any(t.end == date.start for t in m.triggers_with("relation_words:term")):
                    continue                            # "… which runs until Friday": its last day
                if value is not None and m.lower(date.start - 2) != "as":
                    return value.isoformat()
        return None

    def _body(self, m: DocModel, meeting: Mention) -> Mention | None:
        if meeting.data["word"] not in _SESSION_WORDS:
            return None
        k = meeting.end
        if m.lower(k) in ("of", "on"):
            k += 1
            if m.lower(k) == "the":
                k += 1
            org = m.starting_at(k, ORG)
            if org is not None and org.key:
                return org
            for n in (2, 1):                            # "the third meeting of the working group": the named one
                words = [m.lower(q) for q in range(k, k + n)]
                if not all(m.is_lower(q) for q in range(k, k + n)) or m.is_alpha(k + n) and m.is_lower(k + n) \
                        and m.lower(k + n) not in ("was", "were", "is", "in", "on", "held", "took"):
                    continue
                named = [x for x in m.of_kind(ORG) if x.key and not x.backref and x.start < meeting.start
                         and f" {' '.join(words)} " in f" {(x.label or '').lower()} "
                         and words[-1] in (x.label or "").lower().split()[-4:]]
                if len({x.key for x in named}) == 1:
                    return named[-1]
        return None

    # -- labels ------------------------------------------------------------------------------

    def _label(self, m: DocModel, meeting: Mention) -> None:
        data = meeting.data
        body = data.get("body")
        date = data.get("heldOn")
        if body is not None and data.get("number"):
            # a numbered session is one resource however each article words it: its label is made from its
            # identity (body and number), so two articles do not give it two labels; the wording is an alias
            name = re.sub(r"^the\s+", "", body.label or body.text, flags=re.IGNORECASE)
            canonical = f"{ordinal_text(data['number'])} session of the {name}"
            written = m.clean_text(meeting.start, body.end)     # "Seventh meeting of the … Committee"
            meeting.label = canonical
            if 0 < body.end - meeting.start <= 30:
                data.setdefault("aliases", []).append(written[:1].upper() + written[1:])
            meeting.key = session_key(body.key, data["number"])
            data["sessionOf"] = body.key
            return
        if body is not None:
            data["sessionOf"] = body.key
        if data.get("named") and meeting.data["kind"] != "verb":
            label = meeting.text
            meeting.label = label[:1].upper() + label[1:]
            meeting.key = meeting_key(meeting.label)
            return
        meeting.data["pending_label"] = True
        meeting.data["date"] = date


def meeting_label(m: DocModel, meeting: Mention, names: dict[str, str]) -> str:
    """A descriptive label for an unnamed meeting: kind, who, where (see the module docstring)."""
    data = meeting.data
    word = data["word"]
    if data.get("phrase_end") and data["phrase_end"] > meeting.end:
        text = m.clean_text(meeting.start, data["phrase_end"])
        return text[:1].upper() + text[1:]
    base = meeting.text if data["kind"] != "verb" else ("visit" if "visit" in word else
                                                         "phone call" if "phone" in word else
                                                         "talks" if "talk" in word else "meeting")
    base = re.sub(r"^(?:a|an|the|this|that)\s+", "", base, flags=re.IGNORECASE)
    who = [names.get(k, k) for k in data.get("chairs", []) + data.get("participants", [])]
    orgs = [names.get(k, k) for k in data.get("org_participants", [])]
    parts = [base[:1].upper() + base[1:]]
    # the sides by name: the organizations taking part as such, else the first two people
    everyone = orgs + [w for w in who if w not in orgs]
    everyone = everyone[:max(2, len(orgs))]
    if everyone:
        joiner = " between " if base.lower().endswith(("talks", "call", "negotiations", "consultations")) else " of "
        parts.append(joiner + (" and ".join(everyone) if len(everyone) <= 2 else ", ".join(everyone[:-1])
                               + " and " + everyone[-1]))
    place = data.get("heldAt")
    if place and place in names:
        parts.append(f" in {names[place]}")
    if data.get("heldOn"):                       # recurring meetings of the same people need their date
        day = dt.date.fromisoformat(data["heldOn"])
        parts.append(f" on {day.strftime('%B')} {day.day}, {day.year}")
    elif m.date is not None:
        parts.append(f" ({m.date.strftime('%B')} {m.date.year})")
    return "".join(parts)
