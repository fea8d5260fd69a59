"""Attributed judgments: who says what is or will be, in which words, how sure, by when.

Works on sentence text alone (no parse), so that every sentence of a document can be
read at the cost of a few regular expressions:

* **attribution**: a speaker leading the sentence ("Nathan Sales, former State
  Department coordinator for counterterrorism, said ..."), trailing it ("..., said
  Peter Neumann, professor of ...", "..., he said."), "according to X", a body's report
  ("A United Nations report in June said ..."), or a quotation that continues the
  speaker of the sentence before. Titles and pronouns ("Mr. Sales", "he") resolve to
  the full name given earlier in the document; roles come from the apposition.
* **what is claimed**: the reported clause or the quotation, and the actors named in it.
* **unattributed analytic judgments** ("There is little doubt that ...", "The Taliban
  will need to ...") belong to the document's author or publisher.
* **how sure and by when**: estimative words (``estimative``) give an ICD 203 band and
  confidence words a confidence level, kept apart; a horizon (``horizons``) gives the
  date the judgment falls due.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from khabar.extract.claim_counting import drop_repeats, goes_on, name_roles, one_name_per_body
from khabar.extract.estimative import find_estimates
from khabar.extract.horizons import find_horizon
from khabar.extract.speakers import Attribution, attribute, has_cue, main_subject, nested_persons, reporting
from khabar.schema import Judgment, Mention

__all__ = ["ClaimFinder"]

_SPEECH = (r"(?:said|says|say|told|tells|added|adds|warned|warns|argued|argues|noted|notes|wrote|writes|"
           r"explained|explains|believes|believe|believed|expects|expected|predicted|predicts|thinks|think|"
           r"assessed|assesses|assess|contends|contended|insisted|insists|stressed|stresses|replied|cautioned|"
           r"concluded|concludes|estimated|estimates|suggested|suggests|observed|acknowledged|admitted|"
           r"asserted|asserts|maintains|maintained|pointed out|declared|cited|mentions|"
           r"mentioned|found|finds|judged|judges|fears|feared|worries|worried|doubts|doubted|indicated)")
_TITLE = (r"(?:(?:Mr|Ms|Mrs|Dr|Gen|Sen|Rep|Prof|Lt|Col|Adm)\.?\s+|(?:President|General|Secretary|Prime Minister|"
          r"Minister|Senator|Professor|Ambassador|Admiral|Colonel|Chairman|Director|Deputy|Sheikh|Mullah|"
          r"Defense Secretary|Foreign Minister|Interior Minister)\s+)")
_WORD = r"[A-Z][\w’'.\-]*"
_NAME = rf"(?P<title>{_TITLE})?(?P<name>{_WORD}(?:\s+(?:{_WORD}|al-\w+|bin|ibn|ul|de|van|von|der))*)"
_PRONOUN = r"(?P<pron>he|she|they|He|She|They)"
# a role in apposition ("Nathan Sales, former coordinator, said"), in brackets ("Farid Nazari
# (Khyber Institute) judges") or after "of" ("Wei Lan of the Pamir Forum said")
_ROLE = (r"(?:,\s*(?P<role>[^,“”\"]{3,160}?),|\s*\((?P<prole>[^()]{3,120})\)|"
         r"\s+of\s+(?P<orole>(?:the\s+)?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,6}))?")
_QUOTE_OPEN = "“\"‘"
# Subjects that stand for an actor named before ("the group said"): coreference names them.
_ANAPHORIC_BODIES = {"group", "organisation", "organization", "movement", "outfit", "militants", "insurgents"}
# Nouns of a part or product of a body that speaks as the body ("the UN monitoring team").
_PART_NOUNS = {"team", "panel", "committee", "monitors", "mission", "office", "experts", "report"}
# A sentence cut after an opening bracket begins with the rest of the insertion: "Adel] is ..."
_CLOSES_FIRST = re.compile(r"^[^\[\]]{0,40}\]")
# Head nouns of a body that is a news outlet ("RIA Novosti news agency", "news outlets").
_OUTLET_NOUNS = {"outlet", "outlets", "newspaper", "newspapers", "broadcaster", "channel", "website", "tv",
                 "radio", "wire", "daily"}
_BULLET = re.compile(r"^\s*(?:[-–•*]|\d+[.)])\s+")

_OPENER = r"(?:(?:But|And|Yet|Still|So|Now|However|Instead|Meanwhile|Also)\s*,?\s+|[A-Z][^,“”\"]{0,60},\s*)?"
_LEAD = re.compile(rf"^\s*{_OPENER}(?:{_NAME}|{_PRONOUN}){_ROLE}\s+(?:has\s+|had\s+|also\s+|then\s+|further\s+)*"
                   rf"(?:(?:hastened|went on|continued|added|rushed|moved) to\s+)?"
                   rf"(?P<verb>{_SPEECH})\b[,:]?\s*(?:that\s+)?(?P<rest>.*)$", re.S)
# "With the Taliban back, he said, “it is virtually certain ...”"
_PARENTHETICAL = re.compile(rf"^(?P<pre>.+?),\s*(?:{_NAME}|{_PRONOUN})\s+(?P<verb>said|says|added|argued|warned|"
                            rf"wrote|noted|believes|explained)\s*,\s*(?P<rest>.+)$", re.S)
# "Others, like Mr. Sales, the former coordinator, are sure that ..."
_LIKE = re.compile(rf"^\s*(?:Others|Some|Many|Several)\b[^,]{{0,40}},\s*(?:like|such as|including)\s+{_NAME}{_ROLE}\s+"
                   rf"(?:are|is|were|was|believe|believes|think|thinks|say|says|argue|argues|remain|fear|fears)\b"
                   rf"(?P<rest>.*)$", re.S)
_TRAIL_VERB_FIRST = re.compile(rf"^(?P<rest>.+?)[,”\"]\s*[”\"]?\s*(?P<verb>said|says|added|wrote|warned|noted|"
                               rf"argued|explained|told [a-z ]+?)\s+{_NAME}(?:,\s*(?P<role>[^.“”\"]{{3,200}}))?"
                               r"\.?\s*[”\"]?$", re.S)
_TRAIL = re.compile(rf"^(?P<rest>.+?)[,”\"]\s*[”\"]?\s*(?:{_NAME}|{_PRONOUN})\s+(?P<verb>{_SPEECH})"
                    r"(?P<tail>(?:\s+[\w’'\-]+){0,6})\s*[.!]?\s*[”\"]?\s*$", re.S)
_ACCORDING = re.compile(rf"[Aa]ccording to (?:the\s+|an?\s+)?{_NAME}{_ROLE}")
_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"}
_BODY = r"(?P<body>(?:[A-Z][\w.’'\-]*\s+){0,5}?[A-Z][\w.’'\-]*)(?:’s|'s)?"
# "A United Nations report in June said", "the UN report also mentions", "A May 2020 report by
# Fitton-Brown's United Nations team explained"
_REPORT = re.compile(
    rf"(?:^|\s)(?:[Aa]n?|[Tt]he|[Tt]his|[Ii]ts)?\s*(?:[A-Z][a-z]+\s+\d{{4}}\s+)?{_BODY}\s+(?:[a-z]\w*\s+){{0,2}}?"
    r"(?:report|assessment|study|statement|analysis)\b(?:\s+by\s+(?P<by>[^,.]{3,80}?))?[^.]{0,60}?\b"
    r"(?P<verb>said|says|found|finds|concluded|explained|warned|noted|estimated|stated|cited|mentions|"
    r"mentioned|argued)\b")
# Words that make an unattributed sentence an analytic judgment of its author.
_JUDGING = re.compile(
    r"\b([Ww]ill|[Ww]ould|[Cc]ould|[Cc]an(?:not|'t)?|may|might|must|should|likely|unlikely|probably|possibly|"
    r"perhaps|certainly|clearly|appears?|seems?|doubt|evidence|reason to|no indication|means|remains?|"
    r"continues? to|need(?:s)? to|risk|threat|expect\w*|suggests?|indicates?|[Oo]bviously|[Aa]rguably|truth|"
    r"[Tt]ime will tell|(?:seen|regarded|viewed|considered|believed|thought|known) (?:as|to|for)\b)\b")
# Newsroom formulas about reaching people, not judgments of the world ("X could not be reached for comment").
_BOILERPLATE = re.compile(r"\b(?:reached|available|request) for comment|\b(?:declined|refused) to comment\b|"
                          r"\bdid not (?:immediately )?respond to\b", re.IGNORECASE)
# The author describing the piece, not judging the world: "Below, we detail ..."
_META = re.compile(r"\b(?:we|this (?:report|post|article|paper|brief))\s+(?:\w+\s+)?(?:detail|provide|examine|"
                   r"explore|look|discuss|describe|outline|analy[sz]e|review|summari[sz]e)\b", re.IGNORECASE)
# Publishers whose own unattributed sentences are reporting, not analysis: only their
# sentences with words of estimative probability are their judgments.
NEWS_KINDS = {"news_agency", "newspaper", "broadcaster", "state_media", "news", "magazine"}
# Outlets whose pieces are analysis: their own judging sentences are their judgments.
ANALYSIS_KINDS = {"think_tank", "research", "monitoring_group"}
_NOT_SPEAKERS = {"The", "This", "That", "It", "There", "These", "Those", "In", "On", "At", "But", "And", "As",
                 "While", "After", "Before", "When", "If", "Since", "Officials", "Analysts", "Experts",
                 "Critics", "Some", "Many", "Others", "Sources", "Residents", "Witnesses", "We", "I", "You"}


@dataclass
class _Speaker:
    name: str
    kind: str
    role: str | None = None


@dataclass
class _State:
    """What a document has said so far: its speakers, for pronouns, titles and quotations."""

    people: dict[str, _Speaker] = field(default_factory=dict)  # surname -> the person first named in full
    recent: dict[str, _Speaker] = field(default_factory=dict)  # kind -> the last speaker of that kind
    last: _Speaker | None = None  # the last sentence's speaker
    last_end: int = -1
    pending: list[tuple[int, int]] = field(default_factory=list)  # quoted sentences awaiting a speaker
    first_names: dict[str, str] = field(default_factory=dict)  # actor id -> its first name in the text
    text: str = ""


def _name_key(word: str) -> str:
    """A name word as surnames are compared: "al-Zawahiri" and "Zawahiri" are one."""
    return re.sub(r"^(?:al|el|ul|ad|as|ash|an|ar|at|az)[-\s]", "", word.lower().strip(".,"))


def _full_name(word: str, before: str) -> str | None:
    """The full name a lone proper noun stands for, from the text before it: the longest run
    of two to four capitalised words that begins or ends with it ("Wang" -> "Wang Yi")."""
    if not word[:1].isupper() or len(word) < 3:
        return None
    w = re.escape(word)
    part = r"(?:[A-Z][\w’'\-]+|[A-Z]\.|al-\w+|bin|ibn)"
    titles = reporting().titles

    def named(runs: list[str]) -> list[str]:
        out = []
        for run in runs:
            words = run.split()
            cut = [i for i, word in enumerate(words) if word.lower().strip(".") in titles]
            words = words[cut[-1] + 1:] if cut else words  # "Chinese Foreign Minister Wang" -> "Wang"
            if len(words) >= 2:
                out.append(" ".join(words))
        return out

    # the surname ends the name ("Lloyd J. Austin"), or the family name leads it ("Wang Yi")
    found = named(re.findall(rf"\b(?:{part}[ \t]+){{1,3}}(?:[Aa]l-|[Ee]l-)?{w}\b", before)) or named(
        re.findall(rf"\b{w}(?:[ \t]+[A-Z][a-z]+){{1,2}}\b", before))
    return max(found, key=len) if found else None


def _title_holder(title: str, before: str) -> str | None:
    """The person a role word stands for ("the TTP chief", "the commander"): the full name
    the text last gave right after that word ("... chief Mufti Noor Wali Mehsud"), after the
    whole role first ("TTP chief" before "chief": another group's chief is not this one)."""
    words = [w for w in title.split() if w.lower() not in ("the", "this", "that")]
    if not words or not words[-1][:1].isalpha():
        return None
    for role in dict.fromkeys((" ".join(words), words[-1])):
        found = _named_after(role, before)
        if found is not None:
            return found
    return None


def _named_after(role: str, before: str) -> str | None:
    titles = reporting().titles
    part = r"[A-Z][\w’'\-]+"
    found = None
    for m in re.finditer(rf"\b(?i:{re.escape(role)})\s+((?:{part}|[A-Z]\.|al-\w+|bin|ibn)"
                         rf"(?:[ \t]+(?:{part}|al-\w+|bin|ibn)){{1,4}})", before):
        words = m.group(1).split()
        while words and words[0].lower().strip(".") in titles:
            words = words[1:]  # "chief Mufti Noor Wali Mehsud" -> "Noor Wali Mehsud"
        if len(words) >= 2 and words[0][:1].isupper():
            found = " ".join(words)
    return found


def _wire_dateline(text: str, source: str) -> bool:
    """Whether the story opens with a dateline naming the source ("NIAMEY, May 16 (Reuters) -")."""
    return re.search(rf"\({re.escape(source)}\)\s*[:\-—–]", text[:400]) is not None


def _still_open(sent: str, inside: bool) -> bool:
    """Whether a quotation is still open after ``sent``: curly quotes open and close, a
    straight double quote toggles."""
    for ch in sent:
        if ch == "“":
            inside = True
        elif ch == "”":
            inside = False
        elif ch == '"':
            inside = not inside
    return inside


def _join_bracket_splits(text: str, sentences: list[tuple[int, int]]
                         ) -> tuple[list[tuple[int, int]], dict[tuple[int, int], tuple[int, int]]]:
    """Sentences with an editor's insertion ("is that [Adel] is now ...") cut inside the
    brackets joined again: a bracket never ends or opens a sentence. Returns the sentences
    and, for each joined one, the span of its longest part (whose parse it keeps)."""
    out: list[tuple[int, int]] = []
    first: dict[tuple[int, int], tuple[int, int]] = {}
    for start, end in sentences:
        if out:
            p0, p1 = out[-1]
            before, sent = text[p0:p1], text[start:end].lstrip()
            if before.count("[") > before.count("]") or sent.startswith("[") or _CLOSES_FIRST.match(sent):
                out[-1] = (p0, end)
                longest = first.pop((p0, p1), (p0, p1))
                first[(p0, end)] = max(longest, (start, end), key=lambda span: span[1] - span[0])
                continue
        out.append((start, end))
    return out, first


@lru_cache(maxsize=1)
def _source_book():
    from khabar.resolve.sources import load_sources
    return load_sources()


def _relays_event(speaker: _Speaker, claim: str) -> bool:
    """Whether a news outlet other than the publisher only relays the event its sentence reports
    ("ISIS released a video, RFE reported", "..., according to Xinhua"): that is news, not a
    judgment, unless the outlet says how likely something is.

    Kept after review (issue 9): the guide's claims are judgments about what is or will be,
    and an outlet named as the channel of an event report is the way news cites news, not a
    judgment of the outlet's own. It fires rarely on train and seeds (three sentences: two
    are no gold claim, one is), so it is argued from the guide, not fitted; an outlet's
    reporting that is not an event sentence, or that carries estimative words, still counts."""
    if speaker.kind != "body":
        return False
    words = speaker.name.lower().replace("’s", "").replace("'s", "").split()
    info = _source_book().get(speaker.name)
    outlet = (info is not None and info.kind in NEWS_KINDS) or bool(words) and (
        words[-1] in _OUTLET_NOUNS or words[-2:] == ["news", "agency"])
    return outlet and not any(e.kind == "likelihood" and e.band for e in find_estimates(claim))


class ClaimFinder:
    """Finds Judgments in a document's sentences.

    ``actor_of`` (optional) names the actor a speaker speaks for (a person through the
    people gazetteer, a body through the actor gazetteer), on a date.
    """

    def __init__(self, actor_of: Callable[[str, str | None], str | None] | None = None,
                 canonical: Callable[[str], str | None] | None = None) -> None:
        self.actor_of = actor_of
        self.canonical = canonical or (lambda name: None)

    def find(self, doc_id: str, text: str, sentences: list[tuple[int, int]], mentions: list[Mention],
             published: str | None, source: str | None, news: bool = False,
             reports: set[tuple[int, int]] | frozenset = frozenset(),
             parses: dict[tuple[int, int], tuple] | None = None) -> list[Judgment]:
        """Judgments of one document. ``news``: the publisher reports news (its own
        sentences count only with estimative words); ``reports``: sentences that report
        events, which are not the publisher's judgments; ``parses``: (sentence span) ->
        (parsed sentence, token character spans, token -> actor id) for the sentences the
        pipeline parsed: their speakers come from the parse (``speakers``), the others'
        from the patterns of this module."""
        parses = parses or {}
        if news and source and _wire_dateline(text, source):
            news = False  # a wire story under its own dateline: the agency's analytic sentences are its own
        sentences, parse_of = _join_bracket_splits(text, sentences)
        out: list[Judgment] = []
        state = _State(text=text)
        for m in mentions:
            if m.via != "coref":
                state.first_names.setdefault(m.actor_id, m.surface)
        inside = False  # within a quotation opened in an earlier sentence
        prev_end = 0
        for start, end in sentences:
            sent = text[start:end]
            if "\n" in text[prev_end:start]:
                inside = False  # a quotation runs on into a new paragraph only when that opens with a quote mark
            prev_end = start + len(sent.rstrip())
            was_inside = inside
            quoted = sent.lstrip()[:1] in _QUOTE_OPEN or inside
            inside = _still_open(sent, inside)
            parse = parses.get(parse_of.get((start, end), (start, end)))
            if parse is not None:
                found = [(sp, c0, c1, via) for att in attribute(parse[0], parse[1], text, parse[2], was_inside)
                         if (sp := self._resolve(att, state, mentions)) is not None
                         for c0, c1, via in [(*att.claim, "pronoun" if att.kind == "pronoun" else att.via)]]
            else:
                one = self._attribute(_BULLET.sub("", sent), state.people, state.last)
                found = []
                if one is not None:
                    speaker, claim, via = one
                    offset = text.find(claim, start, end) if claim else -1
                    c0, c1 = (offset, offset + len(claim)) if offset >= 0 else (start, end)
                    found = [(speaker, c0, c1, via)]
                    self._remember(state, speaker, named=speaker.kind == "person" and " " in speaker.name)
            if not found and parse is not None and not quoted:
                about = main_subject(parse[0], parse[1], text, parse[2])
                if about is not None and about.kind in ("person", "body", "group"):
                    self._resolve(about, state, mentions)  # a pronoun in what follows may stand for it
            elif parse is not None and not quoted and all(f[0].kind != "person" for f in found):
                # "General Milley told senators that ..., Pentagon officials said": the officials speak,
                # but a "he" that follows is the person the sentence is about
                last = state.last
                for about in nested_persons(parse[0], parse[1], text, parse[2]):
                    self._resolve(about, state, mentions)
                state.last = last
            if not found:
                # a quotation right after a speaker's sentence goes on in that speaker's voice
                if quoted and state.last is not None and start - state.last_end < 4:
                    found = [(state.last, start, end, "quote")]
                elif quoted and inside:
                    state.pending.append((start, end))  # its speaker may follow: '"...," X said.'
                    continue
                elif source and not quoted and self._own_judgment(sent, news, (start, end) in reports):
                    found = [(_Speaker(source, "publisher"), start, end, "publisher")]
                else:
                    if "\n" in text[state.last_end:start]:
                        state.last = None
                    state.pending.clear()
                    continue
            if (start, end) in reports:
                found = [f for f in found if not _relays_event(f[0], text[f[1]:f[2]])]
                if not found:
                    continue
            first = found[0][0]
            if first.kind != "publisher":
                for i, (p0, p1) in enumerate(state.pending):  # the quotation this speaker closes began earlier
                    if i and goes_on(out, first.name, text, p0, p1):
                        out[-1] = self._judgment(doc_id, text, first, out[-1].start, p1, out[-1].sentence_start, p1,
                                                 mentions, published, "quote")
                    else:
                        out.append(self._judgment(doc_id, text, first, p0, p1, p0, p1, mentions, published, "quote"))
            for speaker, c0, c1, via in found:
                if was_inside and goes_on(out, speaker.name, text, start, end):
                    out[-1] = self._judgment(doc_id, text, speaker, out[-1].start, c1, out[-1].sentence_start, end,
                                             mentions, published, out[-1].via)
                    continue
                out.append(self._judgment(doc_id, text, speaker, c0, c1, start, end, mentions, published, via))
            if first.kind != "publisher":
                state.last, state.last_end = found[-1][0], end
            state.pending.clear()
        out.sort(key=lambda j: (j.sentence_start, j.start))
        starts = [s0 for s0, _ in sentences]
        return drop_repeats(one_name_per_body(name_roles(out, text, starts, published, self.actor_of)))

    def _resolve(self, att: Attribution, state: _State, mentions: list[Mention] = ()) -> _Speaker | None:
        """The speaker an attribution names, with pronouns, titles ("the Admiral") and surnames
        ("Mullen said") resolved against the speakers named before in the document, and "the
        group" against the actor coreference found for it."""
        kind, name = att.kind, att.speaker
        if kind in ("title", "body", "person") and name.split()[-1].lower() in _ANAPHORIC_BODIES and not any(
                len(w) > 1 and w.isupper() for w in name.split()[:-1]):  # "the SITE monitoring group" is named
            actor = next((m for m in mentions if m.via == "coref" and att.at[0] <= m.start < att.at[1]), None)
            if actor is not None:
                kind, name = "body", state.first_names.get(actor.actor_id, actor.surface)
        if kind == "pronoun":
            want = reporting().pronouns.get(name)
            return state.recent.get(want) or (state.recent.get("body") if want == "group" else None)
        if kind == "title":
            holder = _title_holder(name, state.text[:att.at[0]])
            if holder is not None:  # "the TTP chief said" after "TTP chief Noor Wali Mehsud met ..."
                known = state.people.get(_name_key(holder.split()[-1]))
                if known is None:
                    known = _Speaker(holder, "person", name)
                    for word in holder.split():
                        state.people.setdefault(_name_key(word), known)
                return self._remember(state, known, named=True)
            unnamed = state.recent.get("person")  # "the officer" after "an officer in the border guard said"
            if unnamed is not None and name.split()[-1].lower() in unnamed.name.lower().split()[:3] \
                    and " in " in f" {unnamed.name} ":
                return unnamed
            named = state.recent.get("named")
            return named if named is not None else self._remember(state, _Speaker(name, "person", att.role))
        if kind == "report":  # "the statement said": the statement of whoever spoke last ("in a statement, X ...")
            return state.last if state.last is not None and state.last.kind != "publisher" else state.recent.get("body")
        if kind == "body" and len(name.split()) == 1 and name[:1].isupper() and not name.isupper() \
                and self.canonical(name) is None:
            kind = "name"  # a lone unlisted proper noun ("Zawahiri said") may be a surname
        if kind == "name":  # one proper noun: a surname given before, or a body
            known = state.people.get(_name_key(name))
            bare = re.sub(r"^(?:[Aa]l|[Ee]l)-(?=[A-Z])", "", name)  # "Al-Jaulani" after "Abu Mohammed al-Jaulani"
            if known is None and (full := _full_name(bare, state.text[:att.at[0]])) is not None:
                known = _Speaker(full, "person", att.role)  # "Wang said" after "Foreign Minister Wang Yi met ..."
                for word in full.split():
                    state.people.setdefault(_name_key(word), known)
            if known is not None:
                return self._remember(state, known, named=True)
            kind = "body"
        if kind == "person" and len(name.split()) >= 2 and name[:1].isupper():
            speaker = state.people.get(_name_key(name.split()[-1]))
            if speaker is None or not name.endswith(speaker.name.split()[-1]):
                speaker = _Speaker(name, "person", att.role)
                for word in name.split():
                    state.people.setdefault(_name_key(word), speaker)
            return self._remember(state, speaker, named=True)
        if kind == "body":
            return self._remember(state, _Speaker(self._body_label(name), "body", att.role))
        return self._remember(state, _Speaker(name, kind, att.role))

    def _body_label(self, name: str) -> str:
        """A body speaks under the name the text gives it ("ISPR", "The Times of India"); a part
        of a listed body ("the UN monitoring team") and a short abbreviation ("UN") speak under
        the listed body's name."""
        canon = self.canonical(name)
        if canon is not None and (name.split()[-1].lower() in _PART_NOUNS or len(name.replace(".", "")) <= 3):
            return canon  # "UN", "U.S.": a short abbreviation speaks under the body's name
        words = name.split()
        if canon is None and len(words) > 1 and words[-1].lower() in _PART_NOUNS:
            owner = re.sub(r"(?:’s|'s)$", "", " ".join(words[:-1]))  # "the UN security council's committee"
            canon = self.canonical(owner) if owner[:1].isupper() or owner.split()[0].isupper() else None
            if canon is not None:
                return canon
        return name

    @staticmethod
    def _remember(state: _State, speaker: _Speaker, named: bool = False) -> _Speaker:
        state.recent[speaker.kind] = speaker
        if named:
            state.recent["named"] = speaker
        return speaker

    def wants_parse(self, sentence: str, words: list[str]) -> bool:
        """Whether a sentence the pipeline would not parse is worth a light parse for its
        speaker: it has a reporting word, and the patterns of this module find no speaker."""
        return has_cue(words) and self._attribute(_BULLET.sub("", sentence), {}, None) is None

    @staticmethod
    def _own_judgment(sent: str, news: bool, reports_event: bool) -> bool:
        """Whether an unattributed sentence is the author's or publisher's judgment."""
        body = sent.strip()
        if reports_event or not body or body[-1] not in ".!”\"’'" or body.endswith("?") or _META.search(body) \
                or _BOILERPLATE.search(body):
            return False  # an event, a heading, a question, or the piece describing itself
        if news:
            return any(e.kind == "likelihood" and e.band for e in find_estimates(body))
        return bool(_JUDGING.search(body))

    # -- attribution ----------------------------------------------------------------
    def _attribute(self, sent: str, people: dict[str, _Speaker], last: _Speaker | None
                   ) -> tuple[_Speaker, str, str] | None:
        m = _REPORT.search(sent)
        if m and not _LEAD.match(sent):
            body = m.group("body").strip()
            if body.split()[0] in _MONTHS and m.group("by"):
                body = m.group("by")  # "A May 2020 report by X's team"
            body = self.canonical(body) or body
            rest = sent[m.end():].lstrip(" ,:")
            rest = re.sub(r"^that\s+", "", rest)
            if body and body.split()[0] not in _NOT_SPEAKERS:
                return _Speaker(body, "body"), rest.strip() or sent.strip(), "report"
        for pattern, via in ((_LEAD, "lead"), (_LIKE, "lead"), (_PARENTHETICAL, "trailing"),
                             (_TRAIL_VERB_FIRST, "trailing"), (_TRAIL, "trailing")):
            m = pattern.match(sent)
            if m is None:
                continue
            speaker = self._speaker(m, people, last)
            if speaker is None:
                continue
            claim = m.group("rest").strip(" ,“”\"'")
            if pattern is _PARENTHETICAL:
                claim = (m.group("pre") + ", " + m.group("rest")).strip(" ,“”\"'")
            return speaker, claim, via if not m.groupdict().get("pron") else "pronoun"
        m = _ACCORDING.search(sent)
        if m is not None:
            speaker = self._speaker(m, people, last)
            if speaker is not None:
                claim = (sent[:m.start()] + sent[m.end():]).strip(" ,.")
                return speaker, claim, "according"
        return None

    def _speaker(self, m: re.Match, people: dict[str, _Speaker], last: _Speaker | None) -> _Speaker | None:
        groups = m.groupdict()
        if groups.get("pron"):
            return last
        name = (groups.get("name") or "").strip().rstrip(".,")
        if not name or name.split()[0] in _NOT_SPEAKERS:
            return None
        if len(name) < 3 and self.canonical(name) is None:
            return None
        role = (groups.get("role") or groups.get("prole") or groups.get("orole") or "").strip() or None
        if role and (len(role.split()) > 25 or role[:1].isupper() and " " not in role):
            role = None
        words = name.split()
        cut = [i for i, w in enumerate(words[:-1]) if w.lower().strip(".") in reporting().titles]
        if cut and len(words) - cut[-1] - 1 >= 2 and self.canonical(name) is None and not any(
                w.lower() in reporting().body_nouns for w in words[cut[-1] + 1:]):
            # "Joint Police Commissioner Rakesh Maria": the name after the last title, the rest his role
            role = role or " ".join(words[:cut[-1] + 1])
            name = " ".join(words[cut[-1] + 1:])
        surname = name.split()[-1]
        known = people.get(surname)
        if known is not None and (groups.get("title") or len(name.split()) == 1):
            return known  # "Mr. Sales", "Sales" after "Nathan Sales"
        if len(name.split()) == 1 and not groups.get("title") and self.actor_of and not self.actor_of(name, None):
            # a lone capitalised word is a speaker only when it names a known body or person
            return None
        body = self.canonical(name)
        if body is not None and not groups.get("title"):
            return _Speaker(body, "body", role)  # "a UN report", "the State Department"
        kind = "person" if groups.get("title") or len(name.split()) in (2, 3, 4) else "body"
        speaker = _Speaker(name, kind, role)
        if kind == "person":
            people.setdefault(surname, speaker)
        return speaker

    # -- the record ---------------------------------------------------------------------
    def _judgment(self, doc_id: str, text: str, speaker: _Speaker, c0: int, c1: int, s0: int, s1: int,
                  mentions: list[Mention], published: str | None, via: str) -> Judgment:
        claim = text[c0:c1]
        about = list(dict.fromkeys(m.actor_id for m in mentions if c0 <= m.start < c1 and m.via != "coref"))
        j = Judgment(doc_id=doc_id, speaker=speaker.name, text=claim, start=c0, end=c1,
                     speaker_kind=speaker.kind, role=speaker.role, about=about,
                     sentence_start=s0, sentence_end=s1, via=via)
        if self.actor_of is not None:
            j.speaker_actor = self.actor_of(speaker.name, published)
        for est in find_estimates(claim):
            if est.kind == "confidence" and j.confidence is None:
                j.confidence = est.level
            elif est.kind == "likelihood" and est.band and j.band is None:
                j.estimate, j.band, j.low, j.high = est.phrase, est.band, est.low, est.high
        if published:
            horizon = find_horizon(claim, published)
            if horizon is not None:
                j.horizon, j.due = horizon.text, horizon.due.isoformat()
        return j
