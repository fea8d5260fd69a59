"""How many claims a document's speakers make, and under which names.

What ``claims`` finds sentence by sentence, tidied over the whole document: a quotation
of several sentences that lean on each other is one claim; a claim a speaker repeats
(the lead's paraphrase, then the quotation) counts once; a listed body speaks under one
name; a role or common noun named in the next sentences ("a top defence official ...
Jane Roe, under secretary, said") speaks under that name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from khabar.extract.speaker_names import reporting
from khabar.schema import Judgment

__all__ = ["drop_repeats", "goes_on", "name_roles", "one_name_per_body"]

# Share of the shorter claim's words another claim of the speaker repeats for it to be the same claim
# (0.7: on train 0.7 and 0.8 tie, on seeds 0.7 drops one paraphrase more; 0.6 merges distinct claims).
_REPEAT = 0.7
# First words by which a sentence leans on the one before it (what it says goes on with that).
_LEANING = frozenset({"It", "They", "This", "That", "These", "Those", "He", "She", "And", "But", "So", "Yet",
                      "Otherwise", "Instead"})


def goes_on(out: list[Judgment], speaker: str, text: str, start: int, end: int) -> bool:
    """Whether a sentence that begins inside a quotation opened before it goes on with the
    last claim: the same speaker's, in the sentence right before, in the same paragraph, and
    opening on a word that leans on that sentence (a pronoun or a connective). "'They have
    eroded their security. They have undermined their credibility,' he said" says one thing
    in two sentences; "'We condemn the attack. The people deserve peace'" says two."""
    if not out or out[-1].speaker != speaker:
        return False
    between = text[out[-1].sentence_end:start]
    if "\n" in between or between.strip(" \t\"”“‘’'"):
        return False
    first = re.match(r"[\s\"“‘']*([A-Za-z]+)", text[start:end])
    return first is not None and first.group(1) in _LEANING


def one_name_per_body(out: list[Judgment]) -> list[Judgment]:
    """A listed body that speaks several times in a document speaks under one name, the
    fullest the text gave it ("Islamic State-Khorasan" for a later "IS-K"): the same speaker
    under two spellings would count as two."""
    names: dict[str, str] = {}
    for j in out:
        if j.speaker_kind == "body" and j.speaker_actor and len(j.speaker) > len(names.get(j.speaker_actor, "")):
            names[j.speaker_actor] = j.speaker
    return [replace(j, speaker=names[j.speaker_actor]) if j.speaker_kind == "body" and j.speaker_actor in names
            else j for j in out]


def _common_body(j: Judgment) -> bool:
    """A body given by a common noun and no name of its own: "a US intelligence agency"."""
    words = j.speaker.split()
    return j.speaker_kind == "body" and bool(words) and words[-1].islower() and words[-1] in reporting().body_nouns


def _role_only(j: Judgment) -> bool:
    """A speaker given by a role and no name: "the head of the forces", "a top Pentagon official"."""
    words = j.speaker.split()
    return j.speaker_kind == "person" and bool(words) and words[-1] in reporting().person_nouns and not any(
        a[:1].isupper() and b[:1].isupper() for a, b in zip(words, words[1:], strict=False))


def _words(claim: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", claim.lower()) if len(w) > 2}


def drop_repeats(judgments: list[Judgment]) -> list[Judgment]:
    """One claim per thing a speaker says: a judgment whose words mostly repeat an earlier one
    of the same speaker (the paraphrase in the lead and the quotation that follows it, a
    subtitle repeating the lead) is that claim again."""
    kept: list[Judgment] = []
    for j in judgments:
        words = _words(j.text)
        same = next((i for i, k in enumerate(kept) if k.speaker == j.speaker and (other := _words(k.text))
                     and words and len(words & other) >= _REPEAT * min(len(words), len(other))), None)
        if same is None:
            kept.append(j)
        elif j.band and not kept[same].band:
            kept[same] = j  # the wording that says how likely is the one kept
    return _drop_voiced(kept)


def _drop_voiced(judgments: list[Judgment]) -> list[Judgment]:
    """A body's claim that a person repeats in the very next sentence is the person's: the
    lead says "China said it was a normal arrangement", the next sentence quotes the ministry
    spokesman saying so. The person who voiced it is the speaker, once."""
    drop = set()
    for i, j in enumerate(judgments[:-1]):
        k = next((x for x in judgments[i + 1:] if x.sentence_start >= j.sentence_end), None)
        if j.speaker_kind != "body" or k is None or k.speaker_kind != "person" or k.sentence_start - j.sentence_end > 3:
            continue
        words, other = _words(j.text), _words(k.text)
        if min(len(words), len(other)) >= 3 and len(words & other) >= _REPEAT * min(len(words), len(other)):
            drop.add(i)
    return [j for i, j in enumerate(judgments) if i not in drop]


def name_roles(out: list[Judgment], text: str, starts: list[int], published: str | None,
               actor_of: Callable[[str, str | None], str | None] | None = None) -> list[Judgment]:
    """A person first given only by a role and named right after speaks under the name:
    news leads with "A top defence official warned that ..." and names him in the next
    sentence or two ("Jane Roe, under secretary of defence, told the committee ...").
    The next claim must be that person's, within two sentences, under a name the text
    has not used before the role (an earlier name is someone else)."""
    index = {s0: i for i, s0 in enumerate(starts)}
    for i, j in enumerate(out[:-1]):
        if _common_body(j):  # "a US intelligence agency said" before "the Defense Intelligence Agency"
            head = j.speaker.split()[-1].lower()
            named = next((k for k in out[i + 1:] if k.speaker_kind == "body" and k.speaker.split()[-1][:1].isupper()
                          and k.speaker.split()[-1].lower() == head and len(k.speaker.split()) > 1
                          and 0 < index.get(k.sentence_start, 99) - index.get(j.sentence_start, -99) <= 2), None)
            if named is not None:
                out[i] = replace(j, speaker=named.speaker, speaker_actor=named.speaker_actor)
            continue
        if not _role_only(j):
            continue
        nxt = next((k for k in out[i + 1:] if k.sentence_start != j.sentence_start), None)
        if nxt is None or nxt.speaker_kind != "person" or len(nxt.speaker.split()) < 2 \
                or not nxt.speaker.split()[-1][:1].isupper() or nxt.speaker.split()[-1] in text[:j.sentence_start]:
            continue
        if not 0 < index.get(nxt.sentence_start, 99) - index.get(j.sentence_start, -99) <= 2:
            continue
        out[i] = replace(j, speaker=nxt.speaker, role=j.role or j.speaker,
                         speaker_actor=actor_of(nxt.speaker, published) if actor_of else None)
    return out
