"""Speakers read off the parse: who says, judges or reports what in one sentence.

A sentence is attributed when it holds a reporting or judging verb (``data/reporting.yaml``)
that governs what is claimed, or "according to X". The speaker is the verb's subject, found
through the parse rather than by its position, so that any noun phrase can speak:

* a named person ("Gen. John Nicholson, ..., said"), with the title and the apposition as role;
* a body, listed or not ("The Tajik Interior Ministry said", "Channel 4 News reported");
* persons by role or in groups ("a Pakistani intelligence official said", "analysts and
  officials said"); a spokesman without a name speaks for his body ("a NATO spokesman said");
* a body's output speaks for the body ("the UN report found", "a statement by ISIS said");
* a pronoun ("he said", "it said"), left for the caller to resolve against earlier speakers;
* a relative pronoun ("..., according to The Washington Post, which noted ...") is its antecedent.

Subjects are inherited through "saying"/"adding" clauses and conjoined verbs ("Islamabad lashed
out, saying ..."), and "X was quoted as saying" makes X the speaker. A reporting verb inside what
another one reports ("X said Y believes ...") is part of the claim, not a second claim.

Everything here works on one parsed sentence (``sub``: a spaCy Doc whose actor names may be
replaced by placeholders; ``chars`` maps each token back to the original text).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import yaml

__all__ = ["Attribution", "Reporting", "attribute", "has_cue", "main_subject", "reporting"]

_QUOTES = frozenset('"“”')
_RELATIVE = frozenset({"who", "which", "that"})
# deps through which a verb without its own subject shares the subject of its head:
# "Islamabad lashed out, saying ...", "X was quoted as saying", "X denied it and accused Y"
_INHERIT = ("advcl", "xcomp", "pcomp", "conj", "prep")
# the parts of a noun phrase kept in a speaker's name
_NP_DEPS = ("compound", "amod", "nmod", "poss", "case", "nummod")


@dataclass(frozen=True)
class Reporting:
    speech: frozenset[str]
    cognition: frozenset[str]
    stance: frozenset[str]
    forms: frozenset[str]  # every inflected form of every verb, lowercase (the gate)
    quoting: frozenset[str]
    sure_adjectives: frozenset[str]
    like_words: frozenset[str]
    person_nouns: frozenset[str]
    body_nouns: frozenset[str]
    claim_objects: frozenset[str]
    spokes_nouns: frozenset[str]
    report_nouns: frozenset[str]
    titles: frozenset[str]
    pronouns: dict[str, str]  # pronoun -> person | body | group

    def verb_class(self, lemma: str) -> str | None:
        for name in ("speech", "cognition", "stance"):
            if lemma in getattr(self, name):
                return name
        return None


def _inflect(lemma: str) -> set[str]:
    """Regular forms of an English verb: say -> say, says, sayed (harmless), saying."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        third, past = lemma[:-1] + "ies", lemma[:-1] + "ied"
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        third, past = lemma + "es", lemma + "ed"
    else:
        third, past = lemma + "s", (lemma + "d" if lemma.endswith("e") else lemma + "ed")
    forms = {lemma, third, past, stem + "ing"}
    if lemma.endswith("t") and lemma[-2:-1] in "i" and len(lemma) <= 5:  # admit -> admitted
        forms |= {lemma + "ted", lemma + "ting"}
    return forms


@functools.cache
def reporting() -> Reporting:
    """The attribution lexicon (``data/reporting.yaml``), loaded once."""
    data = yaml.safe_load(resources.files("khabar.data").joinpath("reporting.yaml").read_text("utf-8"))
    verbs = data["verbs"]
    forms: set[str] = set()
    for lemma in (*verbs["speech"], *verbs["cognition"], *verbs["stance"]):
        forms |= _inflect(lemma) | set(data["irregular"].get(lemma, ()))
    return Reporting(
        speech=frozenset(verbs["speech"]), cognition=frozenset(verbs["cognition"]),
        stance=frozenset(verbs["stance"]), forms=frozenset(forms | set(data["sure_adjectives"])),
        quoting=frozenset(data["quoting"]), sure_adjectives=frozenset(data["sure_adjectives"]),
        like_words=frozenset(data["like_words"]),
        person_nouns=frozenset(data["person_nouns"]), body_nouns=frozenset(data["body_nouns"]),
        claim_objects=frozenset(data["claim_objects"]), spokes_nouns=frozenset(data["spokes_nouns"]),
        report_nouns=frozenset(data["report_nouns"]), titles=frozenset(data["titles"]),
        pronouns={p: kind for kind, words in data["pronouns"].items() for p in words},
    )


def has_cue(words: Iterable[str]) -> bool:
    """Whether a sentence (its lowercase tokens) may attribute a claim and is worth a parse: it
    holds a reporting or judging word, or "according to" (a quotation alone is not enough: its
    speaker is named around it)."""
    lex = reporting()
    prev = ""
    for w in words:
        if w in lex.forms or (prev == "according" and w == "to"):
            return True
        prev = w
    return False


@dataclass(frozen=True)
class Attribution:
    """One claim in a sentence and who makes it.

    ``kind`` is person | body | group | name (a proper noun that may be a person's surname or
    a body) | pronoun | report (a body's output whose owner the sentence does not name: "the
    report said") | title ("the Admiral added", "the TTP chief said": someone named before).
    ``claim`` is the character span of what is claimed in the original text, ``at`` that of
    the words naming the speaker."""

    speaker: str
    kind: str
    claim: tuple[int, int]
    via: str
    role: str | None = None
    verb: str = ""
    at: tuple[int, int] = (0, 0)
    actor: str | None = None  # the listed actor the speaker's words name, if any


class _Sentence:
    """A parsed sentence with the way back to the document's words."""

    def __init__(self, sub, chars: list[tuple[int, int]], text: str, actors: dict[int, str]) -> None:
        self.sub, self.chars, self.text, self.actors = sub, chars, text, actors
        self.lex = reporting()
        self.quoted = any(t.text in _QUOTES or t.text in ("``", "''") for t in sub)
        self.dateline = _dateline_end(sub)

    def words(self, first: int, last: int) -> str:
        return self.text[self.chars[first][0]:self.chars[last][1]]

    def span(self, tokens) -> tuple[int, int]:
        idx = [t.i for t in tokens if not t.is_punct or t.text not in _QUOTES]
        if not idx:
            return self.chars[0][0], self.chars[-1][1]
        return self.chars[min(idx)][0], self.chars[max(idx)][1]


def _dateline_end(sub) -> int:
    """The index after a dateline ("KABUL, Afghanistan (AP) —", "Turkiye], October 27 (ANI):"),
    or 0: the place it names is no speaker."""
    for t in sub[:12]:
        if t.text in ("—", "–", "--", ":") or (t.text == "-" and t.i > 0 and sub[t.i - 1].text == ")"):
            before = sub[:t.i]
            if any(x.is_upper and len(x) > 2 for x in before) or any(x.text == ")" for x in before):
                return t.i + 1
            return 0
    return 0


def attribute(sub, chars: list[tuple[int, int]], text: str, actors: dict[int, str] | None = None,
              open_quote: bool = False) -> list[Attribution]:
    """Every attributed claim of one parsed sentence, in order. ``open_quote``: the sentence
    begins inside a quotation opened before it (its verbs there are the quoted speaker's words).

    A relay ("..., according to Reuters", "..., RFE reported") gives way to the speaker it
    relays when the sentence names one."""
    s = _Sentence(sub, chars, text, actors or {})
    out: list[tuple[Attribution, bool]] = []  # (attribution, is a relay)
    quoted = _quoted_tokens(sub, open_quote)
    cues = [t for t in sub if t.i not in quoted and (
        t.pos_ in ("VERB", "AUX") and s.lex.verb_class(t.lemma_.lower()) or _is_sure(s, t))]
    cue_ids = {t.i for t in cues}
    according_heads: set[int] = set()
    for t in sub:
        if t.lower_ == "according" and t.i + 1 < len(sub) and sub[t.i + 1].lower_ == "to":
            obj = next((c for c in sub[t.i + 1].children if c.dep_ == "pobj"), None)
            if obj is None or _nested(t, cue_ids):
                continue
            according_heads.add(obj.i)
            rest = [x for x in sub if not (t.i <= x.i <= obj.right_edge.i)]
            for found in _speakers(s, obj):
                out.append((Attribution(found[0], found[1], s.span(rest), "according", found[2], "according to",
                                        found[3], found[4]), True))
    for v in cues:
        if _nested(v, cue_ids):
            continue
        comp = _complement(s, v)
        if comp is None:
            continue
        subj, how = _subject(s, v)
        if subj is None or subj.i < s.dateline:
            continue
        if subj.i in according_heads or (v.dep_ == "relcl" and v.head.i in according_heads):
            continue  # "according to X, which noted ...": one claim of X
        claim = s.span(comp) if comp else s.span(list(sub))
        relay = v.lemma_.lower() == "report"
        for found in _speakers(s, subj):
            out.append((Attribution(found[0], found[1], claim, how, found[2], v.text, found[3], found[4]), relay))
    if any(not relay for _, relay in out):
        return [a for a, relay in out if not relay]
    return [a for a, _ in out]


def main_subject(sub, chars: list[tuple[int, int]], text: str, actors: dict[int, str] | None = None
                 ) -> Attribution | None:
    """Who a sentence without a claim is about, when that is someone who may speak next ("The
    Iranian embassy condemned the report. '...,' it said."): the subject of its main verb."""
    s = _Sentence(sub, chars, text, actors or {})
    root = next((t for t in sub if t.dep_ == "ROOT"), None)
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None) if root is not None else None
    if subj is None or subj.i < s.dateline:
        return None
    found = _speakers(s, subj)
    if len(found) != 1 or found[0][1] in ("pronoun", "report"):
        return None
    name, kind, role, at, actor = found[0]
    return Attribution(name, kind, (0, 0), "subject", role, root.text, at, actor)


def _quoted_tokens(sub, open_quote: bool) -> set[int]:
    """Indexes of the tokens within quotation marks (curly quotes open and close, a straight
    one toggles)."""
    inside, out = open_quote, set()
    for t in sub:
        if t.text in ("“", "``") or (t.text == '"' and not inside):
            inside = True
        elif t.text in ("”", "''") or t.text == '"':
            inside = False
        elif inside:
            out.add(t.i)
    return out


def _is_sure(s: _Sentence, t) -> bool:
    """"X is sure that ...": a linking verb with a judging adjective that governs a clause."""
    return t.lemma_ == "be" and any(
        c.dep_ == "acomp" and c.lower_ in s.lex.sure_adjectives and any(g.dep_ == "ccomp" for g in c.children)
        for c in t.children)


def _nested(v, cue_ids: set[int]) -> bool:
    """Whether a reporting verb sits inside what another reporting verb reports."""
    tok, inside = v, False
    while tok.head.i != tok.i:
        if tok.dep_ in ("ccomp", "xcomp", "parataxis", "dobj", "csubj"):
            inside = True
        tok = tok.head
        if tok.i in cue_ids and inside and not any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
            return True  # (a passive "X is considered Y" attributes nothing: it nests nothing)
    return False


def _complement(s: _Sentence, v) -> list | None:
    """The tokens of what ``v`` reports ([] when only a quotation shows it), or None when
    ``v`` reports nothing here ("she said nothing", "they agreed to talks")."""
    cls = s.lex.verb_class(v.lemma_.lower())
    kids = list(v.children)
    if _is_sure(s, v):
        return [x for c in kids if c.dep_ == "acomp" for g in c.children if g.dep_ == "ccomp" for x in g.subtree]
    if v.dep_ == "acl" or v.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in kids):
        return None  # "stories written by the Taliban": a modifier, nobody speaks
    for c in kids:
        if c.dep_ in ("ccomp", "parataxis") or (c.dep_ == "xcomp" and cls != "speech"):
            return list(c.subtree)
    if v.dep_ == "parataxis":  # "The Taliban are enemies of ISIS-K, Kahl noted, and ...": the clause around
        inner = {x.i for x in v.subtree}
        return [x for x in v.head.subtree if x.i not in inner]
    if cls == "stance":
        objects = [c for c in kids if c.dep_ in ("dobj", "prep", "pcomp", "xcomp") and c.i > v.i]
        if any(c.dep_ == "dobj" and c.lower_ in s.lex.claim_objects for c in objects):
            return None  # "India rejected the allegations": an answer to another's claim
        if objects:
            return [x for c in objects for x in c.subtree]
    if cls == "speech" and v.lemma_.lower() in ("warn", "caution"):
        for c in kids:
            if c.dep_ == "prep" and c.lower_ in ("against", "of", "about"):
                return list(c.subtree)
    if s.quoted and not any(c.dep_ == "dobj" for c in kids):
        return []  # '"...," he said.' with the quotation attached elsewhere
    return None


def _subject(s: _Sentence, v):
    """The subject of a reporting verb, inherited from the verb it hangs on when it has none."""
    tok, how = v, "lead"
    if any(c.dep_ in ("nsubjpass", "auxpass", "expl") for c in v.children) and v.lemma_.lower() not in s.lex.quoting:
        agent = next((c for c in v.children if c.dep_ == "agent"), None)
        obj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
        return obj, "lead"  # "X was accused by Y": Y; "it is believed that ...": nobody is named
    for _ in range(4):
        for c in tok.children:
            if c.dep_ == "nsubj":
                if c.lower_ in _RELATIVE and tok.dep_ == "relcl":
                    return tok.head, "lead"
                return c, ("trailing" if c.i > v.i else how)
            if c.dep_ == "nsubjpass" and tok.lemma_.lower() in s.lex.quoting:
                return c, "trailing" if c.i > v.i else "lead"
        if tok is not v and any(c.dep_ in ("nsubjpass", "expl") for c in tok.children):
            return None, how
        if tok.dep_ not in _INHERIT or tok.head.i == tok.i:
            return None, how
        tok = tok.head
    return None, how


def _np(s: _Sentence, h) -> list:
    """The tokens naming a speaker headed by ``h``: its compounds and modifiers, no determiner."""
    keep = {h.i}
    todo = [h]
    while todo:
        t = todo.pop()
        for c in t.children:
            if c.dep_ in _NP_DEPS and c.i < h.i:
                keep.add(c.i)
                todo.append(c)
    first = min(keep)
    while first > 0 and not s.sub[first - 1].whitespace_ and (
            s.sub[first - 1].text == "-" or s.sub[first - 1].is_alpha and s.sub[first].text == "-"):
        first -= 1  # "Fitton-Brown": the parts of a hyphenated name
    while first < h.i and s.sub[first].is_punct:
        first += 1
    return [s.sub[i] for i in range(first, h.i + 1)]


def _name_end(s: _Sentence, h) -> int:
    """The last token of a body's name: "The Times of India", "Observatory for Human Rights"."""
    end = h.i
    for c in h.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "for") and c.i == end + 1:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and (obj.pos_ == "PROPN" or obj.i in s.actors) and obj.text[:1].isupper():
                end = obj.i
    return end


def _speakers(s: _Sentence, h) -> list[tuple[str, str, str | None, tuple[int, int], str | None]]:
    """(speaker, kind, role, where, listed actor) for the subject ``h``; conjoined names speak each for themselves."""
    heads = [h]
    conj = [c for c in h.children if c.dep_ == "conj"]
    if conj and all(_is_name(s, x) for x in (h, *conj)):
        heads += conj
    out = []
    for head in heads:
        found = _speaker(s, head, with_conj=head is h and len(heads) == 1)
        if found is not None:
            out.append((*found, s.chars[head.i], s.actors.get(head.i) if found[1] == "body" else None))
    return out


def _is_name(s: _Sentence, t) -> bool:
    return t.i in s.actors or t.pos_ == "PROPN"


def _appos_name(s: _Sentence, h):
    """A person's name in apposition to a role noun or its owner: "A spokesperson for the
    Taliban, Zabiullah Mujahid, said"."""
    for t in h.subtree:
        if t.dep_ == "appos" and t.pos_ == "PROPN" and t.i not in s.actors and t.i > h.i:
            name = _person_name(s, t)
            if name and len(name.split()) >= 2:
                return t, name
    return None, None


def _speaker(s: _Sentence, h, with_conj: bool = False) -> tuple[str, str, str | None] | None:
    lex = s.lex
    low, lemma = h.lower_, h.lemma_.lower()
    if low in lex.pronouns:
        return low, "pronoun", None
    if low in ("others", "some", "many", "several"):  # "Others, like Mr. Sales, are sure that ..."
        for c in h.children:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None) if c.dep_ == "prep" else None
            if c.lower_ in lex.like_words and obj is not None:
                return _speaker(s, obj)
        return None
    if h.pos_ == "PRON" or h.like_num:
        return None
    if h.i in s.actors:
        return s.words(h.i, _name_end(s, h)), "body", _role_of(s, h)
    person_noun = low in lex.person_nouns or lemma in lex.person_nouns
    if h.pos_ == "NOUN" and person_noun:
        appos, name = _appos_name(s, h)
        if name:
            return name, "person", _strip(s.words(_np(s, h)[0].i, appos.i - 1))
    if h.pos_ == "PROPN" and low not in lex.report_nouns:
        tokens = _np(s, h)
        if with_conj and any(c.dep_ == "conj" for c in h.children):
            return s.words(tokens[0].i, max(x.i for x in h.subtree)), "group", None
        name = _person_name(s, h)
        in_name = [t for t in tokens if name and s.words(t.i, h.i) in name] if name else []
        if name and not _org_like(in_name) and (_name_end(s, h) == h.i or len(name.split()) >= 2):
            title = [t for t in tokens if t.lower_.strip(".") in lex.titles]
            role = _role_of(s, h) or (s.words(title[0].i, title[-1].i) if title else None)
            return name, ("person" if len(name.split()) >= 2 else "name"), role
        if low.strip(".") in lex.titles and _definite(h):
            return s.words(tokens[0].i, h.i), "title", None  # "The Admiral added"
        return s.words(tokens[0].i, _name_end(s, h)), "body", None
    if low in lex.spokes_nouns or lemma in lex.spokes_nouns:
        owner = _owner(s, h, ("for", "of"))
        if owner is not None:
            found = _speaker(s, owner)
            if found is not None and found[1] != "pronoun":
                return found[0], "body" if found[1] in ("person", "name") else found[1], _strip(
                    s.words(_np(s, h)[0].i, h.i))
        return s.words(_np(s, h)[0].i, h.i), "person", None
    if low in lex.report_nouns or lemma in lex.report_nouns:
        owner = _owner(s, h, ("by", "of", "from"))
        if owner is not None:
            found = _speaker(s, owner)
            if found is not None and found[1] != "pronoun":
                return found[0], "body" if found[1] in ("name", "title") else found[1], found[2]
        return s.words(h.i, h.i), "report", None
    body_noun = low in lex.body_nouns or lemma in lex.body_nouns
    if h.pos_ == "NOUN" and (person_noun or body_noun):
        tokens = _np(s, h)
        if with_conj and any(c.dep_ == "conj" for c in h.children):
            last = max((x for x in h.subtree if x.dep_ == "conj" or x.head.dep_ == "conj"), key=lambda x: x.i)
            return s.words(tokens[0].i, last.i), "group", None
        if person_noun and h.tag_ == "NN" and _definite(h):
            return s.words(tokens[0].i, h.i), "title", None  # "the officer", "the TTP chief"
        if h.tag_ == "NNS" and person_noun:
            end = h.i  # "officials in Tajikistan", "sources in Kabul"
            for c in h.children:
                obj = next((g for g in c.children if g.dep_ == "pobj"), None) if c.dep_ == "prep" else None
                if c.lower_ in ("in", "from") and c.i == h.i + 1 and obj is not None and _is_name(s, obj):
                    end = _name_end(s, obj)
            return s.words(tokens[0].i, end), "group", _role_of(s, h)
        return s.words(tokens[0].i, h.i), ("person" if person_noun else "body"), _role_of(s, h)
    return None


def _definite(h) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in h.children)


def _owner(s: _Sentence, h, preps: tuple[str, ...]):
    """Whose spokesman or report: a possessor, a name compounded with it, or "by/for/of/from X"."""
    for c in h.children:
        if c.dep_ == "poss" and c.pos_ != "PRON":
            return c
    for c in h.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return obj
        if c.dep_ == "acl":  # "the report released by the UN"
            agent = next((g for g in c.children if g.dep_ == "agent"), None)
            obj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
            if obj is not None:
                return obj
    for c in reversed(list(h.lefts)):
        if c.dep_ in ("compound", "nmod", "amod") and c.ent_type_ not in ("DATE", "TIME") and (
                _is_name(s, c) or c.ent_type_ in ("ORG", "GPE", "NORP")) and c.lower_ not in _MONTHS:
            return c
    return None


def _person_name(s: _Sentence, h) -> str | None:
    """The name in a proper-noun chain, without the titles before it: "Gen John Nicholson"."""
    tokens = _np(s, h)
    if any(t.i in s.actors for t in tokens):
        return None
    names = []
    for t in reversed(tokens):
        joined = t.text == "-" or (t.i + 1 < len(s.sub) and s.sub[t.i + 1].text == "-" and not t.whitespace_)
        if not joined and (t.pos_ != "PROPN" or t.lower_.strip(".") in s.lex.titles):
            break
        names.append(t)
    if not names:
        return None
    names.reverse()
    return s.words(names[0].i, names[-1].i)


_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december"})
_ORG_WORDS = frozenset({"news", "post", "times", "agency", "ministry", "department", "council", "committee",
                        "army", "police", "command", "center", "centre", "institute", "group", "network",
                        "office", "service", "services", "forces", "force", "government", "journal",
                        "observatory", "foundation", "tv", "radio", "party", "front", "movement", "union",
                        "bureau", "directorate", "commission", "organisation", "organization", "university",
                        "daily", "tribune", "herald", "monitor", "watch", "international", "corps", "navy",
                        "general", "europe", "press", "media"})


def _org_like(tokens) -> bool:
    return any(t.lower_ in _ORG_WORDS for t in tokens) or any(t.ent_type_ in ("ORG", "GPE", "NORP") for t in tokens)


def _role_of(s: _Sentence, h, stop: int | None = None) -> str | None:
    """A speaker's role in apposition ("X, the head of Y,") or after "of" ("X of the Y Forum")."""
    for c in h.children:
        if c.dep_ == "appos" and (stop is None or c.i < stop):
            return _strip(s.words(c.left_edge.i, c.right_edge.i))
    for c in h.children:
        if c.dep_ == "prep" and c.lower_ == "of" and c.i > h.i:
            return _strip(s.words(c.i + 1, c.right_edge.i)) if c.i + 1 <= c.right_edge.i else None
    return None


def _strip(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip(" ,;:\"“”")
    return text or None
