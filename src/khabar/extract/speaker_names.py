"""Who a noun phrase names, as a speaker: the naming half of ``speakers``.

The lexicon of attribution (``data/reporting.yaml``) and, for the subject of a reporting
verb in a parsed sentence, the speaker it names: a person (the name without its titles, the
apposition or title as role), a body (its name as the text gives it, "The Times of India"),
persons by role or in groups ("a Pakistani intelligence official", "officials in Kandahar"),
a spokesman's or a report's owner, a pronoun or a definite title ("the Admiral") left for
the document to resolve.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from khabar.data import load_yaml

__all__ = ["QUOTES", "Parsed", "Reporting", "reporting", "speakers_of"]

QUOTES = frozenset('"“”')
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
    affirming: frozenset[str] = frozenset()  # stance verbs that make another's claim their own
    claim_nouns: frozenset[str] = frozenset()  # nouns whose owner makes the claim they carry

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
    data = load_yaml("reporting.yaml")  # libyaml's safe loader
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
        affirming=frozenset(data.get("affirming", ())),
        claim_nouns=frozenset(data.get("claim_nouns", ())),
    )


class Parsed:
    """A parsed sentence with the way back to the document's words."""

    def __init__(self, sub, chars: list[tuple[int, int]], text: str, actors: dict[int, str]) -> None:
        self.sub, self.chars, self.text, self.actors = sub, chars, text, actors
        self.lex = reporting()
        self.quoted = any(t.text in QUOTES or t.text in ("``", "''") for t in sub)
        self.dateline = _dateline_end(sub)

    def words(self, first: int, last: int) -> str:
        return self.text[self.chars[first][0]:self.chars[last][1]]

    def span(self, tokens) -> tuple[int, int]:
        idx = [t.i for t in tokens if not t.is_punct or t.text not in QUOTES]
        if not idx:
            return self.chars[0][0], self.chars[-1][1]
        return self.chars[min(idx)][0], self.chars[max(idx)][1]


def _dateline_end(sub) -> int:
    """The index after a dateline ("KABUL, Afghanistan (AP) —", "Turkiye], October 27 (ANI):"),
    or 0: the place it names is no speaker."""
    for t in sub[:12]:
        if t.text in ("—", "–", "--", ":", "):") or (t.text == "-" and t.i > 0 and sub[t.i - 1].text == ")"):
            before = sub[:t.i]
            if any(x.is_upper and len(x) > 2 for x in before) or any(x.text == ")" for x in before):
                return t.i + 1
            return 0
    return 0


def _np(s: Parsed, h) -> list:
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


def _name_end(s: Parsed, h) -> int:
    """The last token of a body's name: "The Times of India", "Observatory for Human Rights"."""
    end = h.i
    for c in h.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "for") and c.i == end + 1:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and (obj.pos_ == "PROPN" or obj.i in s.actors) and obj.text[:1].isupper():
                end = obj.i
    return end


def speakers_of(s: Parsed, h) -> list[tuple[str, str, str | None, tuple[int, int], str | None]]:
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


def _is_name(s: Parsed, t) -> bool:
    return t.i in s.actors or t.pos_ == "PROPN"


def _appos_name(s: Parsed, h):
    """A person's name in apposition to a role noun or its owner: "A spokesperson for the
    Taliban, Zabiullah Mujahid, said"."""
    for t in h.subtree:
        if t.dep_ == "appos" and t.pos_ == "PROPN" and t.i not in s.actors and t.i > h.i:
            name = _person_name(s, t)
            if name and len(name.split()) >= 2:
                return t, name
    return None, None


def _speaker(s: Parsed, h, with_conj: bool = False) -> tuple[str, str, str | None] | None:
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
    if h.pos_ in ("NOUN", "PROPN") and person_noun:  # "Head of the border police, Rizwan Akhtar, said"
        appos, name = _appos_name(s, h)
        if name:
            return name, "person", _strip(s.words(_np(s, h)[0].i, appos.i - 1))
    # "The Washington Post": a capitalised outlet word names a body, it is no report of one
    if h.pos_ == "PROPN" and (low not in lex.report_nouns or h.text[:1].isupper() and low in _ORG_WORDS):
        tokens = _np(s, h)
        if with_conj and any(c.dep_ == "conj" for c in h.children):
            return s.words(tokens[0].i, max(x.i for x in h.subtree)), "group", None
        name = _person_name(s, h)
        in_name = [t for t in tokens if name and s.words(t.i, h.i) in name] if name else []
        titled = bool(in_name) and any(t.lower_.strip(".") in lex.titles for t in tokens if t.i < in_name[0].i)
        if titled and not any(t.lower_ in _ORG_WORDS for t in in_name):
            in_name = []  # "Admiral Pierce": a title before it makes a person of a name the tagger took for a body
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
        run = [c for c in h.lefts if c.dep_ == "compound" and c.text[:1].isupper()]
        if owner is not None and len(run) > 1 and owner.i == run[-1].i == h.i - 1 \
                and run[-1].i - run[0].i == len(run) - 1 and all(t.text[:1].isupper() for t in run[0].subtree):
            # "a Lead Inspector General Report": the name is all its capitalised words, not the last
            return s.words(run[0].left_edge.i, owner.i), "body", None
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
        end = h.i  # "officials in Tajikistan", "sources in Kabul", "an officer in the Tajik border guard"
        for c in h.children:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None) if c.dep_ == "prep" else None
            if person_noun and c.lower_ in ("in", "from") and c.i == h.i + 1 and obj is not None and (
                    _is_name(s, obj) or h.tag_ == "NN" and _named_body(s, obj)):
                end = _name_end(s, obj)
        if h.tag_ == "NNS" and person_noun:
            return s.words(tokens[0].i, end), "group", _role_of(s, h)
        if end > h.i:  # one unnamed person speaks for the body he is in: its name ends his
            return s.words(tokens[0].i, end), "person", _role_of(s, h)
        return s.words(tokens[0].i, h.i), ("person" if person_noun else "body"), _role_of(s, h)
    return None


def _named_body(s: Parsed, t) -> bool:
    """A body named by a common head noun with a proper name before it ("the Tajik border guard services")."""
    return (t.lower_ in s.lex.body_nouns or t.lemma_.lower() in s.lex.body_nouns) and any(
        c.dep_ in ("compound", "amod") and (_is_name(s, c) or c.text[:1].isupper()) for c in t.subtree if c.i < t.i)


def _definite(h) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in h.children)


def _owner(s: Parsed, h, preps: tuple[str, ...]):
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


def _person_name(s: Parsed, h) -> str | None:
    """The name in a proper-noun chain, without the titles before it: "Gen John Nicholson"."""
    tokens = _np(s, h)
    if h.i in s.actors:
        return None
    names = []
    for t in reversed(tokens):  # (an actor before the name is the person's body: "Taliban governor Abdul Hanafi")
        joined = t.text == "-" or (t.i + 1 < len(s.sub) and s.sub[t.i + 1].text == "-" and not t.whitespace_)
        if t.i in s.actors or not joined and (t.pos_ != "PROPN" or t.lower_.strip(".") in s.lex.titles):
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


def _role_of(s: Parsed, h, stop: int | None = None) -> str | None:
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
