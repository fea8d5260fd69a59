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
replaced by placeholders; ``chars`` maps each token back to the original text). This module
finds the reporting verbs, what they report and their subjects; ``speaker_names`` says whom
a subject names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from khabar.extract.speaker_names import Parsed, Reporting, reporting, speakers_of

__all__ = ["Attribution", "Reporting", "attribute", "has_cue", "main_subject", "nested_persons", "reporting"]

_RELATIVE = frozenset({"who", "which", "that"})
# deps through which a verb without its own subject shares the subject of its head:
# "Islamabad lashed out, saying ...", "X was quoted as saying", "X denied it and accused Y"
_INHERIT = ("advcl", "xcomp", "pcomp", "conj", "prep")


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


def attribute(sub, chars: list[tuple[int, int]], text: str, actors: dict[int, str] | None = None,
              open_quote: bool = False) -> list[Attribution]:
    """Every attributed claim of one parsed sentence, in order. ``open_quote``: the sentence
    begins inside a quotation opened before it (its verbs there are the quoted speaker's words).

    A relay ("..., according to Reuters", "..., RFE reported") gives way to the speaker it
    relays when the sentence names one; of two relays, the source an outlet cites ("according
    to X, ..., Y reported") speaks."""
    s = Parsed(sub, chars, text, actors or {})
    out: list[tuple[Attribution, bool]] = []  # (attribution, is a relay)
    quoted = _quoted_tokens(sub, open_quote)
    cues = [t for t in sub if t.i not in quoted and (
        t.pos_ in ("VERB", "AUX") and s.lex.verb_class(t.lemma_.lower()) or _is_sure(s, t))]
    cue_ids = {t.i for t in cues}
    according_heads: set[int] = set()
    for t in sub:
        if t.lower_ == "according" and t.i + 1 < len(sub) and sub[t.i + 1].lower_ == "to" and t.i not in quoted:
            # (inside a quotation, "according to X" is the quoted speaker's source, not a speaker of its own)
            obj = next((c for c in sub[t.i + 1].children if c.dep_ == "pobj"), None)
            if obj is None or _nested(t, cue_ids):
                continue
            according_heads.add(obj.i)
            rest = [x for x in sub if not (t.i <= x.i <= obj.right_edge.i)]
            # "According to X, Al-Qaeda and the Taliban have ...": a name after the comma that closes
            # the phrase is the clause's subject, misread as a second source
            closed = obj.i + 1 < len(sub) and sub[obj.i + 1].text == ","
            for found in speakers_of(s, obj):
                if closed and found[3] != s.chars[obj.i]:
                    continue
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
        if comp and s.lex.verb_class(v.lemma_.lower()) == "cognition":
            comp = [v, *comp]  # "he expects X to ...": the judging verb is part of how sure the claim is
        claim = s.span(comp) if comp else s.span(list(sub))
        relay = v.lemma_.lower() == "report"
        for found in speakers_of(s, subj):
            out.append((Attribution(found[0], found[1], claim, how, found[2], v.text, found[3], found[4]), relay))
    for n in sub:
        if n.lower_ in s.lex.claim_nouns and n.i not in quoted and n.pos_ == "NOUN":
            out += [(a, False) for a in _noun_claim(s, n)]
    if any(not relay for _, relay in out):
        return [a for a, relay in out if not relay]
    if any(a.via == "according" for a, _ in out) and any(a.via != "according" for a, _ in out):
        # "According to X, ..., Y reported": X is the source, the outlet Y passes it on
        return [a for a, _ in out if a.via == "according"]
    return [a for a, _ in out]


def _noun_claim(s: Parsed, n) -> list[Attribution]:
    """A claim carried by a noun whose owner the phrase names: "claims by the army that the
    insurgency is contained", "the Taliban's claims of maintaining security". A claim noun
    without an owner ("dismissed claims that ...") names no speaker."""
    kids = list(n.children)
    owner = next((c for c in kids if c.dep_ == "poss" and c.pos_ != "PRON"), None)
    if owner is None:
        by = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "by"), None)
        owner = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
    if owner is None:
        return []
    content = next((c for c in kids if c.dep_ in ("acl", "relcl", "ccomp") and any(
        g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
    if content is None:
        of = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "of"), None)
        content = next((g for g in of.children if g.dep_ == "pcomp" and g.tag_ == "VBG"), None) if of else None
    if content is None:
        return []
    tokens = [t for t in content.subtree if not (t.dep_ == "mark" and t.head.i == content.i)]
    return [Attribution(f[0], f[1], s.span(tokens), "lead", f[2], n.text, f[3], f[4]) for f in speakers_of(s, owner)]


def nested_persons(sub, chars: list[tuple[int, int]], text: str, actors: dict[int, str] | None = None
                   ) -> list[Attribution]:
    """Persons who speak inside what another reports ("General Milley told senators that ...,
    officials said"): no claim of theirs, but a "he" that follows may be them."""
    s = Parsed(sub, chars, text, actors or {})
    out = []
    for t in sub:
        if t.dep_ == "nsubj" and t.head.pos_ == "VERB" and s.lex.verb_class(t.head.lemma_.lower()) == "speech":
            out += [Attribution(f[0], f[1], (0, 0), "subject", f[2], t.head.text, f[3], f[4])
                    for f in speakers_of(s, t) if f[1] in ("person", "name")]
    return out


def main_subject(sub, chars: list[tuple[int, int]], text: str, actors: dict[int, str] | None = None
                 ) -> Attribution | None:
    """Who a sentence without a claim is about, when that is someone who may speak next ("The
    Iranian embassy condemned the report. '...,' it said."): the subject of its main verb."""
    s = Parsed(sub, chars, text, actors or {})
    root = next((t for t in sub if t.dep_ == "ROOT"), None)
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None) if root is not None else None
    if subj is None or subj.i < s.dateline:
        return None
    found = speakers_of(s, subj)
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


def _is_sure(s: Parsed, t) -> bool:
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
        if tok.i in cue_ids and inside and tok.lemma_.lower() != "report" and not any(
                c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
            return True  # (a passive "X is considered Y" attributes nothing, a relay "Y reported" gives way)
    return False


def _complement(s: Parsed, v) -> list | None:
    """The tokens of what ``v`` reports ([] when only a quotation shows it), or None when
    ``v`` reports nothing here ("she said nothing", "they agreed to talks")."""
    cls = s.lex.verb_class(v.lemma_.lower())
    kids = list(v.children)
    if _is_sure(s, v):
        return [x for c in kids if c.dep_ == "acomp" for g in c.children if g.dep_ == "ccomp" for x in g.subtree]
    if v.dep_ == "acl" or v.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass", "nsubj") for c in kids):
        return None  # "stories written by the Taliban": a modifier, nobody speaks (with a subject it is a past tense)
    if cls == "speech" and any(c.dep_ == "neg" for c in kids):
        return None  # "the statement did not say when": nothing is said
    for c in kids:
        if c.dep_ in ("ccomp", "parataxis") or (c.dep_ == "xcomp" and cls != "speech"):
            return list(c.subtree)
    if v.dep_ == "parataxis":  # "The Taliban are enemies of ISIS-K, Kahl noted, and ...": the clause around
        inner = {x.i for x in v.subtree}
        return [x for x in v.head.subtree if x.i not in inner]
    if cls == "stance":
        objects = [c for c in kids if c.dep_ in ("dobj", "prep", "pcomp", "xcomp") and c.i > v.i]
        if any(c.dep_ == "dobj" and c.lower_ in s.lex.claim_objects for c in objects) and not any(
                c.dep_ == "prep" and c.lower_ == "as" for c in objects) and v.lemma_.lower() not in s.lex.affirming:
            return None  # "India rejected the allegations": an answer to another's claim ("... as lies" judges it)
        if objects:
            return [x for c in objects for x in c.subtree]
    if cls == "speech" and v.lemma_.lower() in ("warn", "caution"):
        for c in kids:
            if c.dep_ == "prep" and c.lower_ in ("against", "of", "about"):
                return list(c.subtree)
    if s.quoted and not any(c.dep_ in ("dobj", "xcomp") for c in kids):
        return []  # '"...," he said.' with the quotation attached elsewhere ("groups said to be" is no speech)
    return None


def _subject(s: Parsed, v):
    """The subject of a reporting verb, inherited from the verb it hangs on when it has none."""
    tok, how = v, "lead"
    if any(c.dep_ in ("nsubjpass", "auxpass", "expl") for c in v.children) and v.lemma_.lower() not in s.lex.quoting:
        agent = next((c for c in v.children if c.dep_ == "agent"), None)
        obj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
        return obj, "lead"  # "X was accused by Y": Y; "it is believed that ...": nobody is named
    for _ in range(4):
        for c in tok.children:
            if c.dep_ == "nsubj":
                while c.i + 2 < len(s.sub) and not c.whitespace_ and s.sub[c.i + 1].text == "-" \
                        and not s.sub[c.i + 1].whitespace_:
                    c = s.sub[c.i + 2]  # "al-Jaulani" split in two subjects: the name's last part heads it
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


