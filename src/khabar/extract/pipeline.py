"""Extraction of one document: sentences, actor mentions, coreference and ties.

Heavy NLP runs once per document and only where it pays: the whole text is only
tokenised, split into sentences (spaCy's ``senter``) and matched against the
gazetteer; the full model (tagger, parser, NER) runs on the sentences that can
hold a tie (two actors, or an actor and an anaphor, or an anaphor after an actor).
Gazetteer names are merged into one token before parsing, so that "Al-Qaeda in the
Indian Subcontinent" is one noun to the parser, not a prepositional phrase.
"""

from __future__ import annotations

import bisect
import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from khabar.collect.clean import heading_spans
from khabar.extract.claims import ANALYSIS_KINDS, NEWS_KINDS, ClaimFinder
from khabar.extract.coref import Salience, coordinated, resolve_anaphors, resolve_plurals
from khabar.extract.events import DATELINE, EventFinder, from_context, merge_in_document
from khabar.extract.lexicon import (
    ANAPHOR_NOUNS,
    PLURAL_ANAPHOR_NOUNS,
    PLURAL_DETERMINERS,
    PRONOUNS,
    Lexicon,
    load_lexicon,
)
from khabar.extract.mentions import Found, MentionFinder
from khabar.extract.modality import speaker_of
from khabar.extract.nlp import PARSE_PIPES, PLACEHOLDERS, TokenAttributes, load_model
from khabar.extract.sections import SECTION_CHARS, merge_sections, section_documents
from khabar.extract.tiebranches import branch_nouns, branch_ties, only_branches
from khabar.extract.tieevents import event_ties
from khabar.extract.tiemodel import TieModel
from khabar.extract.ties import TRANSPARENT, is_place
from khabar.resolve.gazetteer import Gazetteer, load_gazetteer
from khabar.resolve.names import norm_name
from khabar.resolve.people import People, load_people
from khabar.resolve.places import Places, load_places
from khabar.resolve.sources import load_sources
from khabar.schema import Actor, Assertion, Document, EventReport, Extraction, Mention, PlaceMention

__all__ = ["Extractor"]

_ANAPHOR_WORDS = PRONOUNS | ANAPHOR_NOUNS
_MEMBER_TYPES = ("affiliate_of", "splinter_of")
_NOT_PARENTS = ("state", "igo")
_SUBJECT_DEPS = ("nsubj", "nsubjpass")


def _stands_as_subject(tok) -> bool:
    """A subject, or the name in apposition to one: "Syrian Al-Qaeda affiliate, Hurras Al-Din,
    formed ..." makes Hurras Al-Din what a later "the group" most likely means."""
    return tok.dep_ in _SUBJECT_DEPS or (tok.dep_ == "appos" and tok.head.dep_ in _SUBJECT_DEPS)



# Nouns naming a part or product of a body: "the UN monitoring team", "a UN report".
_BODY_NOUNS = {"team", "monitors", "monitoring", "panel", "report", "officials", "office", "mission", "experts",
               "committee", "spokesman", "spokesperson", "spokeswoman", "statement", "assessment", "study"}


def _in_heading(start: int, headings: list[tuple[int, int]]) -> bool:
    """Whether the sentence starting at ``start`` lies on a heading line (a sentence never
    runs past a line break)."""
    k = bisect.bisect_right(headings, (start, float("inf"))) - 1
    return k >= 0 and headings[k][0] <= start < headings[k][1]


def _split_datelines(doc: Doc) -> None:
    """A wire dateline ("WASHINGTON —", "KABUL, Afghanistan (AP) -") is not part of the
    sentence it opens: parsed with it, "WASHINGTON — The State Department designated X"
    loses its subject. The sentence starts after the dash."""
    text = doc.text
    for tok in doc:
        if not (tok.i == 0 or "\n" in doc[tok.i - 1].whitespace_ or "\n" in doc[tok.i - 1].text):
            continue
        m = DATELINE.match(text, tok.idx)
        if m is None or "\n" in m.group(0):
            continue
        for k in range(tok.i + 1, min(len(doc), tok.i + 20)):
            if doc[k].idx >= m.end():
                if "\n" not in doc[k - 1].whitespace_ and doc[k].is_alpha and doc[k].text[0].isupper():
                    doc[k].is_sent_start = True
                break


_NAME_TAGS = frozenset({"NNP", "NNPS"})


def _may_name(s: _Sentence) -> bool:
    """Whether NER can find anything in a parsed sentence that the extraction reads (an
    unlisted organisation, a person, a body or nationality naming a speaker): a word
    written as a name that is not an actor's placeholder. A sentence of common words
    and known actors skips NER, the costliest step. Any proper noun counts (even
    "M23"), so that where NER is skipped the proper-noun reading of persons
    (events._persons) finds none either."""
    for t in s.sub:
        if t.i in s.token_actor:
            continue
        if t.tag_ in _NAME_TAGS:
            return True
        if (t.is_title or t.is_upper) and t.is_alpha and (t.i > 0 or t.tag_ == "JJ"):
            return True
    return False


def _acting_dep(tok) -> str:
    """The role of an actor name, seen through "Pakistani officials" or "Taliban fighters"."""
    if tok.dep_ in ("compound", "amod", "nmod", "poss") and tok.head.lemma_.lower() in TRANSPARENT:
        return tok.head.dep_
    return tok.dep_


@dataclass
class _Sentence:
    span: Span
    found: list[Found] = field(default_factory=list)
    parse: bool = False
    light: bool = False  # parsed for events only: no NER
    claim_only: bool = False  # parsed (light) only to find who speaks in it
    sub: Doc | None = None
    token_actor: dict[int, str] = field(default_factory=dict)  # sub-doc token index -> actor id
    token_found: dict[int, Found] = field(default_factory=dict)
    chars: list[tuple[int, int]] = field(default_factory=list)  # parsed token -> original char span


class Extractor:
    """Turns Documents into Extractions. Build once, reuse: loading the model is the slow part.

    >>> ex = Extractor()                                      # doctest: +SKIP
    >>> ex.extract(Document(id="d1", text="Pakistan has supported the Taliban.")).assertions[0].type  # doctest: +SKIP
    'supports'
    """

    def __init__(self, gazetteer: Gazetteer | None = None, nlp=None, lexicon: Lexicon | None = None,
                 parse_all: bool = False, places: Places | None = None, people: People | None = None,
                 tie_model: TieModel | None = None) -> None:
        # ties: the rules plus the learned scorer (data/tie_model.json; TieModel() is rules only)
        self.tie_model = tie_model if tie_model is not None else TieModel.load()
        # bounded work per document: long texts in sections, and a time budget
        self.section_chars = SECTION_CHARS
        self.seconds_per_document = float(os.environ.get("KHABAR_SECONDS_PER_DOCUMENT", "600"))
        self.nlp = nlp or load_model()
        self.gazetteer = gazetteer or load_gazetteer()
        self.lexicon = lexicon or load_lexicon()
        self.finder = MentionFinder(self.nlp, self.gazetteer)
        self.parse_all = parse_all
        self.parse_pipes = [p for p in PARSE_PIPES if p in self.nlp.pipe_names]
        # the stock attribute ruler and lemmatizer, same output, a few times faster
        self.attributes = TokenAttributes.of(self.nlp)
        skip = ("ner", "attribute_ruler", "lemmatizer") if self.attributes is not None else ("ner",)
        self.light_pipes = [p for p in self.parse_pipes if p not in skip]
        self._kinds = {i: e.actor.kind for i, e in self.gazetteer.entries.items()}
        self.people = people or load_people()
        self._person_cache: dict[tuple[str, str], str | None] = {}
        self._person_words = {w.lower() for _, person in self.people.names() for w in person.surname.split()}
        self.claims = ClaimFinder(actor_of=self._speaker_actor, canonical=self._body_name)
        self.source_book = load_sources()
        self.events = EventFinder(
            self._kinds, places or load_places(), person_actor=self._person_actor,
            parents={i: self.gazetteer.parent(i) for i in self.gazetteer.entries},
            countries={i: e.actor.country for i, e in self.gazetteer.entries.items()})

    def _person_actor(self, name: str, on: str | None) -> str | None:
        key = (name, (on or "")[:7])
        if key not in self._person_cache:
            if len(self._person_cache) > 50_000:
                self._person_cache.clear()
            self._person_cache[key] = self._lookup_person(name, on)
        return self._person_cache[key]

    def _speaker_actor(self, name: str, on: str | None) -> str | None:
        """The actor a speaker speaks for: a body of the gazetteer, or a known person's post."""
        found = self.gazetteer.lookup(name)
        if found is not None:
            return found
        person = self.people.lookup(name, on)
        if person is None:
            return None
        post = self.people.affiliation(person, on)
        return post[0] if post is not None and post[0] in self.gazetteer.entries else None

    def _body_name(self, name: str) -> str | None:
        """The name a body goes by as a speaker: "the UN monitoring team", "Fitton-Brown's United
        Nations team" speak as the United Nations (the outermost international organisation)."""
        g = self.gazetteer
        words = re.sub(r"^.*(?:’s|'s)\s+", "", name).split()
        while words:
            found = g.lookup(" ".join(words))
            if found is not None:
                chain = [found, *g.ancestors(found)]
                igos = [a for a in chain if g.kind(a) == "igo"]
                return g.get(igos[-1] if igos else found).name
            if words[-1].lower() not in _BODY_NOUNS:
                return None
            words = words[:-1]
        return None

    def _own_state(self, a: str, b: str) -> bool:
        """Whether one actor is a state agency of the other (the CIA and the United States)."""
        g = self.gazetteer
        return any(g.kind(x) == "state_agency" and y in g.ancestors(x) for x, y in ((a, b), (b, a)))

    def _one_body(self, a: str, b: str) -> bool:
        """Whether one actor is part of the other (a branch and its core, an agency and its state)."""
        g = self.gazetteer
        return a in g.ancestors(b) or b in g.ancestors(a)

    def _theatre(self, actor_id: str) -> bool:
        entry = self.gazetteer.entries.get(actor_id)
        return entry is not None and entry.theatre

    def _lookup_person(self, name: str, on: str | None) -> str | None:
        person = self.people.lookup(name, on)
        if person is None:
            return None
        found = self.people.affiliation(person, on)
        if found is None or found[0] not in self.gazetteer.entries:
            return None
        # an official acts for the state: "General Milley told senators" is the United States
        if self._kinds.get(found[0]) == "state_agency" and self.gazetteer.parent(found[0]):
            return self.gazetteer.parent(found[0])
        return found[0]

    # -- public -----------------------------------------------------------------
    def extract(self, document: Document) -> Extraction:
        return next(iter(self.extract_many([document])))

    def extract_many(self, documents: Iterable[Document], group: int = 16) -> Iterator[Extraction]:
        """Extractions in document order. Documents are read ``group`` at a time so that
        the parser gets full batches of sentences even when documents are short; a long one
        is read in sections (``sections.py``). A document whose extraction fails, or runs
        past ``seconds_per_document``, gives an Extraction with ``error`` set and nothing
        else; the others of its group are not affected."""
        batch: list[Document] = []
        for document in documents:
            if len(document.text) > self.section_chars:
                if batch:
                    yield from self._extract_safely(batch)
                    batch = []
                yield self._extract_long(document, group)
                continue
            batch.append(document)
            if len(batch) >= group:
                yield from self._extract_safely(batch)
                batch = []
        if batch:
            yield from self._extract_safely(batch)

    def _extract_safely(self, documents: list[Document]) -> Iterator[Extraction]:
        started = time.monotonic()
        try:
            done = list(self._extract_group(documents))
        except Exception as exc:  # noqa: BLE001 - one bad document must not cost the others
            if len(documents) > 1:  # find the culprit: each document on its own
                for d in documents:
                    yield from self._extract_safely([d])
                return
            yield Extraction(doc_id=documents[0].id, error=f"extraction failed ({type(exc).__name__}: "
                                                           f"{str(exc)[:200]})")
            return
        if len(documents) == 1 and time.monotonic() - started > self.seconds_per_document:
            yield self._over_budget(documents[0])
            return
        yield from done

    def _over_budget(self, document: Document) -> Extraction:
        return Extraction(doc_id=document.id, error=f"extraction took over {self.seconds_per_document:g} s "
                                                    "(seconds_per_document)")

    def _extract_long(self, document: Document, group: int) -> Extraction:
        started = time.monotonic()
        parts = section_documents(document, self.section_chars)
        done: list[tuple[int, Extraction]] = []
        for i in range(0, len(parts), group):
            chunk = parts[i:i + group]
            for (offset, _), extraction in zip(chunk, self._extract_safely([d for _, d in chunk]), strict=True):
                if extraction.error:
                    return Extraction(doc_id=document.id, error=f"section at character {offset}: {extraction.error}")
                done.append((offset, extraction))
            if time.monotonic() - started > self.seconds_per_document:
                return self._over_budget(document)
        return merge_sections(document.id, done)

    def _extract_group(self, documents: list[Document]) -> Iterator[Extraction]:
        prepared = [(d, *self._prepare(d.text, d.published)) for d in documents]
        todo = [s for _, doc_sents, _ in prepared for s in doc_sents if s.parse]
        with self.nlp.select_pipes(enable=self.light_pipes):
            parsed = list(self.nlp.pipe([s.sub for s in todo], batch_size=256))
        for s, p in zip(todo, parsed, strict=True):
            s.sub = self.attributes(p) if self.attributes is not None else p
        # NER (the costliest step: its own embedding) only where ties are read; sentences
        # read for events only take persons from proper nouns
        todo = [s for s in todo if not s.light and _may_name(s)]
        if todo and "ner" in self.parse_pipes:
            for s, p in zip(todo, self.nlp.get_pipe("ner").pipe([s.sub for s in todo], batch_size=256),
                            strict=True):
                s.sub = p
        for document, doc_sents, place_spans in prepared:
            yield self._assemble(document, doc_sents, place_spans)

    # -- stages -----------------------------------------------------------------
    def _prepare(self, text: str, published: str | None = None) -> tuple[list[_Sentence], list]:
        doc = self.nlp.make_doc(text)
        doc = self.nlp.get_pipe("senter")(doc)
        for tok in doc[1:]:
            if "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_:
                tok.is_sent_start = True
            elif tok.is_sent_start and tok.is_lower and tok.is_alpha:
                # the splitter cuts after "(AQIS)" or "U.S."; a sentence does not start in lowercase
                tok.is_sent_start = False
        _split_datelines(doc)
        found = self.finder.find(doc, published)
        place_spans = self.events.places.scan(text)
        place_starts = sorted(a for a, _, _ in place_spans)
        sents = [_Sentence(span=s) for s in doc.sents if s.text.strip()]
        starts = [s.span.start for s in sents]

        for f in found:
            k = bisect.bisect_right(starts, f.start) - 1
            if k >= 0 and f.end <= sents[k].span.end:
                sents[k].found.append(f)
        prev_had_actor = False
        for s in sents:
            distinct = {f.actor_id for f in s.found}
            words = [t.lower_ for t in s.span]
            anaphor = any(w in _ANAPHOR_WORDS for w in words) or any(
                w in PLURAL_ANAPHOR_NOUNS and words[k - 1] in PLURAL_DETERMINERS for k, w in enumerate(words) if k)
            placed = bisect.bisect_left(place_starts, s.span.start_char) < bisect.bisect_left(
                place_starts, s.span.end_char)
            event = self.events.might_hold(words, s.span.text) and (
                distinct or placed or any(t.is_title and t.lower_ in self._person_words for t in s.span)
                or self.events.tells_casualties(words))
            full = self.parse_all or len(distinct) >= 2 or (anaphor and (distinct or prev_had_actor))
            # a sentence that may attribute a claim is parsed too: its speaker is read off the parse
            s.claim_only = not (full or event) and self.claims.wants_parse(s.span.text, words)
            s.parse = full or event or s.claim_only
            s.light = not full
            prev_had_actor = bool(distinct)
            if s.parse:
                self._sub_doc(s)
        return sents, place_spans

    def _sub_doc(self, s: _Sentence) -> None:
        """The sentence as the parser will see it: each actor name replaced by one familiar
        proper noun of its kind, so that an unknown or long name ("al-Nusra", "Al-Qaeda in
        the Indian Subcontinent") reads as a plain noun and does not derail the tagger.
        ``s.chars`` keeps each parsed token's character span in the original text."""
        span = s.span
        words, spaces, chars = [], [], []
        starts = {f.start: f for f in s.found}
        i = span.start
        while i < span.end:
            f = starts.get(i)
            if f is not None:
                words.append(PLACEHOLDERS.get(self._kinds.get(f.actor_id, ""), PLACEHOLDERS["default"]))
                last = span.doc[f.end - 1]
                spaces.append(bool(last.whitespace_))
                chars.append((span.doc[f.start].idx, last.idx + len(last)))
                s.token_actor[len(words) - 1] = f.actor_id
                s.token_found[len(words) - 1] = f
                i = f.end
                continue
            tok = span.doc[i]
            words.append(tok.text)
            spaces.append(bool(tok.whitespace_))
            chars.append((tok.idx, tok.idx + len(tok)))
            i += 1
        s.sub = Doc(self.nlp.vocab, words=words, spaces=spaces)
        s.chars = chars

    def _assemble(self, document: Document, sents: list[_Sentence], place_spans=()) -> Extraction:
        g = self.gazetteer
        actors: dict[str, Actor] = {}
        mentions: list[Mention] = []
        assertions: list[Assertion] = []
        events: list[EventReport] = []
        previous_events: list[EventReport] = []
        prev_n = -2
        salience = Salience()
        speaker: str | None = None
        tie_sents: list[tuple[_Sentence, str | None, list]] = []  # candidate ties, scored per document
        branches = only_branches({f.actor_id for s in sents for f in s.found}, g.parent, g.kind)
        for n, s in enumerate(sents):
            roles: dict[int, str] = {}
            if s.parse and s.sub is not None and not s.claim_only:
                sub = s.sub
                tok_actor = dict(s.token_actor)
                for i, actor_id in tok_actor.items():
                    place = self._kinds.get(actor_id) == "state" and is_place(sub[i])
                    roles[i] = "place" if place else _acting_dep(sub[i])
                for start, end, actor_id, name in self.finder.unlisted(sub, []):
                    root = sub[start:end].root
                    if any(start <= i < end for i in tok_actor):
                        continue
                    if self.events.places.candidates(name):
                        continue  # "DOHA —": a dateline or place the model took for an organisation
                    tok_actor[root.i] = actor_id
                    if actor_id not in actors and actor_id not in g:
                        actors[actor_id] = Actor(id=actor_id, name=name, kind="other", listed=False)
                    c0, c1 = s.chars[start][0], s.chars[end - 1][1]
                    mentions.append(Mention(document.id, c0, c1, document.text[c0:c1],
                                            actor_id, 0.5, "ner", root.dep_))
                corefs = resolve_anaphors(sub, tok_actor, salience, n, g)
                for i, actor_id in corefs.items():
                    c0, c1 = s.chars[i]
                    mentions.append(Mention(document.id, c0, c1, document.text[c0:c1],
                                            actor_id, 0.5, "coref", sub[i].dep_))
                all_actor = {**tok_actor, **corefs}
                all_actor.update(branch_nouns(sub, all_actor, branches))
                plural = resolve_plurals(sub, all_actor, salience, n)  # "both groups": the actors just listed
                who = speaker_of(sub[:])
                # the parsed sentence has placeholders for actor names: quote the original words
                said = document.text[s.chars[who.start][0]:s.chars[who.end - 1][1]] if who is not None else None
                if said and said.lower() in ("he", "she", "they"):
                    said = speaker
                elif said:
                    speaker = said
                tie_sents.append((s, said, self.tie_model.sentence_candidates(
                    sub, all_actor, self.lexicon, self._kinds, coref=set(corefs), plural=plural)))
                found_events = self.events.find(sub, all_actor, s.chars, document.text, s.span.start_char,
                                                s.span.end_char, document.id, document.published)
                anaphoric = any(t.lower_ in ("these", "those", "such") for t in sub)
                events += from_context(found_events, previous_events if prev_n == n - 1 else [], anaphoric,
                                       events)
                previous_events, prev_n = [e for e in found_events if e.date], n
                for i, actor_id in sorted(all_actor.items()):
                    salience.add(actor_id, _stands_as_subject(sub[i]), n)
                for ids in coordinated(sub, all_actor):
                    salience.add_list(ids, n)
                idx_of = {id(f): i for i, f in s.token_found.items()}
            else:
                for k, f in enumerate(s.found):
                    salience.add(f.actor_id, k == 0, n)
                idx_of = {}
            for f in s.found:
                span = s.span.doc[f.start:f.end]
                entry = g.get(f.actor_id)
                if entry is not None and f.actor_id not in actors:
                    actors[f.actor_id] = entry
                role = roles.get(idx_of.get(id(f), -1), "")
                mentions.append(Mention(document.id, span.start_char, span.end_char, span.text,
                                        f.actor_id, 1.0, f.via, role))
        for n, tie in self.tie_model.document_ties([c for _, _, c in tie_sents], self.lexicon, document.id):
            if self._own_state(tie.subject, tie.object):
                continue  # "a U.S. drone strike" by the US military: an agency is part of its state
            if tie.type in _MEMBER_TYPES and self._kinds.get(tie.object) in _NOT_PARENTS:
                continue  # a branch or a splinter is one of an organisation, never of a state or an IGO
            s, said = tie_sents[n][0], tie_sents[n][1]
            assertions.append(Assertion(
                doc_id=document.id, subject=tie.subject, type=tie.type, object=tie.object,
                modality=tie.modality, attributed_to=said, sentence=s.span.text,
                start=s.span.start_char, end=s.span.end_char, trigger=tie.trigger.text,
                rule=f"{tie.rule}:g{tie.governs}:l{tie.length}", score=tie.score,
            ))
        # a title, heading or headline list is never evidence (its mentions still count)
        headings = heading_spans(document.text, document.title)
        assertions = [a for a in assertions if not _in_heading(a.start, headings)]
        events = [e for e in events if not _in_heading(e.start, headings)]
        assertions += self._name_affiliations(document, sents, mentions)
        assertions += [a for a in branch_ties(document.id, document.text, mentions, g.parent, g.kind,
                                              [(s.span.start_char, s.span.end_char) for s in sents], assertions)
                       if not _in_heading(a.start, headings)]
        # Coreference can point at an actor not named in the document (a branch's parent).
        events = merge_in_document(events)
        assertions += event_ties(document.id, events, g.kind, self.events.states, {m.actor_id for m in mentions},
                                 self._one_body, self._theatre, assertions,
                                 [(a, b, place.country) for a, b, place in place_spans])
        in_events = {x for e in events for x in e.actors + e.targets}
        for actor_id in ({m.actor_id for m in mentions} | {x for a in assertions for x in (a.subject, a.object)}
                         | in_events):
            if actor_id not in actors and g.get(actor_id) is not None:
                actors[actor_id] = g.get(actor_id)
        mentions.sort(key=lambda m: (m.start, m.end))
        spans = [(s.span.start_char, s.span.end_char) for s in sents]
        # no source known: an analysis outlet the text keeps naming is taken as its publisher
        publisher = document.source or self.source_book.named_most(document.text, ANALYSIS_KINDS)
        info = self.source_book.get(publisher) if publisher else None
        judgments = self.claims.find(document.id, document.text, spans, mentions, document.published,
                                     publisher, news=info is not None and info.kind in NEWS_KINDS,
                                     reports={(e.start, e.end) for e in events},
                                     parses={(s.span.start_char, s.span.end_char): (s.sub, s.chars, s.token_actor)
                                             for s in sents if s.parse and s.sub is not None})
        # headings still name who speaks later ("Zawahiri" is the title's Ayman al-Zawahiri)
        judgments = [j for j in judgments if not _in_heading(j.sentence_start, headings)]
        for j in judgments:
            if j.speaker_actor and j.speaker_actor not in actors and g.get(j.speaker_actor) is not None:
                actors[j.speaker_actor] = g.get(j.speaker_actor)
        return Extraction(
            doc_id=document.id,
            actors=list(actors.values()),
            mentions=mentions,
            assertions=assertions,
            events=events,
            places=[PlaceMention(document.id, a, b, document.text[a:b], place.id)
                    for a, b, place in place_spans],
            judgments=judgments,
            sentences=spans,
        )

    def _name_affiliations(self, document: Document, sents: list[_Sentence],
                           mentions: list[Mention]) -> list[Assertion]:
        """A branch's own name says whose branch it is: "Al-Qaeda in the Arabian Peninsula".

        Emitted only when the parent is also named on its own in the document.
        """
        g = self.gazetteer
        named = {m.actor_id for m in mentions if m.via in ("gazetteer", "demonym", "metonym", "acronym")}
        out = []
        done = set()
        for m in mentions:
            if m.via != "gazetteer" or m.actor_id in done:
                continue
            parent = g.parent(m.actor_id)
            if not parent or parent not in named or g.kind(parent) != "armed_group":
                continue
            if g.kind(m.actor_id) not in ("armed_group", "media_outlet"):
                continue
            entry = g.entries.get(parent)
            if entry is None:
                continue
            surface = norm_name(m.surface)
            if not any(len(norm_name(n)) >= 4 and norm_name(n) in surface for n in entry.names()):
                continue
            done.add(m.actor_id)
            sent = next((s.span for s in sents if s.span.start_char <= m.start < s.span.end_char), None)
            if sent is None:
                continue
            out.append(Assertion(
                doc_id=document.id, subject=m.actor_id, type="affiliate_of", object=parent,
                modality="asserted", sentence=sent.text, start=sent.start_char, end=sent.end_char,
                trigger="name",
            ))
        return out
