"""Well-known persons (``data/people.yaml``) and the actor each speaks or acts for.

"Biden on Thursday vowed...", "Iyad Ghaly released a video...", "Nathan Sales, former
State Department coordinator...": events and judgments are often made by persons.
This module answers two questions about such a person mention:

* who is it? ``People.lookup("Secretary Austin")`` -> the Lloyd Austin record.
  Full names and aliases match case-, accent-, hyphen-, apostrophe- and dot-
  insensitively, after leading titles ("Mr.", "President", "Gen.", "Mullah" ...)
  are dropped. A bare surname ("Zawahiri", "Mr. Austin") matches only when no other
  person in the list has it; a shared one ("Khan", "Sharif", "Haqqani") matches
  only when the title and the date single one person out ("Prime Minister Sharif"
  in 2015 is Nawaz Sharif, "General Sharif" is Raheel Sharif).
* for whom does that person speak on a given date?
  ``People.affiliation(person, "2022-03-01")`` -> ``("united-states", "President")``.

The data is a YAML list; each person has ``name``, ``aliases``, ``surname``,
optional ``surname_variants`` (other spellings of the surname: "Zawahri"),
``surname_ambiguous`` and ``affiliations`` (most recent last, each with ``actor``,
``role`` and optional ``from``/``to`` as YYYY or YYYY-MM). ``surname_ambiguous`` is
written into the file by whoever edits it, and is also recomputed here when the file
is loaded (``ambiguous_surnames``), so a stale flag can never make a shared surname
match; tests/test_people_data.py checks that the file and the computation agree.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from khabar.data import parse_yaml
from khabar.errors import KhabarError

__all__ = [
    "People",
    "Person",
    "ambiguous_surnames",
    "article_free_key",
    "load_people",
    "name_key",
    "valid_on",
]

# --------------------------------------------------------------------------- keys

# Letters that Unicode decomposition leaves alone but that writers drop in ASCII.
_FOLD = str.maketrans(
    {
        "ı": "i",
        "İ": "i",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
    }
)
# Whitespace, hyphens and dashes, apostrophes and ayn/hamza marks, dots and commas.
_DROP = re.compile(r"[\s\-\u2010-\u2015'`\u2018\u2019\u02bb\u02bc\u02be\u02bf\u00b4.,]+")
_SPLIT = re.compile(r"[\s\-\u2010-\u2015]+")
_POSSESSIVE = re.compile(r"(?:['\u2019]s|s['\u2019])$")
# Arabic definite articles: "al"/"el" as a word ("al-Zawahiri", "Al Thani", "el Sisi"), the
# assimilated forms only when hyphenated ("ash-Shabaab", "ad-Din"), so "Ash Carter" keeps "Ash".
_AL = re.compile(r"(?<![a-z0-9])(?:al|el)[\s\-\u2010-\u2015]+")
_ASSIMILATED = re.compile(r"(?<![a-z0-9])(?:ad|adh|an|ar|as|ash|at|ath|az)[\-\u2010-\u2015]")


def _fold(text: str) -> str:
    s = unicodedata.normalize("NFKD", text or "")
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.translate(_FOLD).casefold().strip()


def name_key(text: str) -> str:
    """Key under which two spellings of a name compare equal.

    >>> name_key("Mevlüt Çavuşoğlu") == name_key("mevlut cavusoglu")
    True
    """
    return _DROP.sub("", _fold(text))


def _dearticle(folded: str) -> str:
    return _ASSIMILATED.sub(" ", _AL.sub(" ", folded))


def _tokens(text: str, *, articles: bool = True) -> list[str]:
    s = _fold(text)
    if not articles:
        s = _dearticle(s)
    return [t for t in (_DROP.sub("", w) for w in _SPLIT.split(s)) if t]


def article_free_key(text: str) -> str:
    """``name_key`` with the Arabic article left out: "al-Zawahiri" -> "zawahiri"."""
    return "".join(_tokens(text, articles=False))


_LOOSE_SUBS = [
    (re.compile(r"m[ou]h?amm?[ae]d"), "mhmd"),  # Mohammad, Muhammad, Mohammed, Mohamed
    (re.compile(r"abd(?:ul|el|al|ol)"), "abd"),  # Abdul, Abdel, Abd al-
    (re.compile(r"ou|oo"), "u"),
    (re.compile(r"ee"), "i"),
    (re.compile(r"ei"), "ai"),
    (re.compile(r"q"), "k"),
    (re.compile(r"ph"), "f"),
]


def _loose_key(text: str) -> str:
    """A coarse transliteration key, used only as a last resort and only when unique."""
    out = []
    for tok in _tokens(text, articles=False):
        for rx, rep in _LOOSE_SUBS:
            tok = rx.sub(rep, tok)
        if len(tok) > 3 and tok.endswith("y"):
            tok = tok[:-1] + "i"
        out.append(tok)
    return re.sub(r"(.)\1+", r"\1", "".join(out))


# ------------------------------------------------------------------------- titles

# Words that may stand before a name and are dropped, one at a time, by lookup().
# A name that itself begins with such a word ("Sheikh Hasina", "Amir Khan Muttaqi",
# "Hafiz Saeed") still matches: the full name is tried before each word is dropped.
_TITLE_WORDS = frozenset(
    """
    mr mrs ms miss dr sir dame lord lady baroness hon honourable honorable
    president vice vp prime minister premier chancellor deputy acting interim caretaker
    former late then first second
    secretary secretarygeneral general gen lt ltgen lieutenant maj majgen major brig brigadier
    col colonel ltcol capt captain adm admiral rear rearadm viceadm field marshal air chief commander
    cmdr sergeant sgt
    foreign defence defense interior home external affairs finance state national security
    adviser advisor special envoy representative ambassador amb director spokesman
    spokeswoman spokesperson senator sen rep congressman congresswoman governor gov justice
    attorney department ministry office council of the for and to
    king queen crown prince princess emir amir caliph sultan
    sheikh shaikh shaykh sheik mullah mulla mawlawi maulvi molvi mawlana maulana mufti qari hafiz
    hafez haji hajji imam ayatollah grand hojatoleslam sayyid sayyed syed seyyed ustad ustaz khalifa
    us un uk eu nato cia fbi isi ispr pentagon kremlin white house
    american british french german russian chinese indian iranian turkish saudi qatari emirati
    pakistani afghan taliban uzbek tajik kyrgyz kazakh turkmen syrian iraqi somali malian
    """.split()
)

_MILITARY = (
    r"general|chief of|commander|chairman of the joint|army|staff|admiral|marshal|"
    r"director-general|director general|defence forces|defense forces"
)
# Title words that say something about the role; used to tell apart persons who share a surname.
_ROLE_HINTS: dict[str, str] = {
    "president": r"\bpresident\b",
    "vice": r"\bvice\b",
    "vp": r"\bvice president\b",
    "prime": r"prime minister",
    "premier": r"premier|prime minister",
    "chancellor": r"chancellor",
    "secretary": r"\bsecretary\b",
    "secretarygeneral": r"secretary[- ]general",
    "minister": r"\bminister\b|\bsecretary\b",
    "foreign": r"foreign|external affairs",
    "external": r"external affairs|foreign",
    "defence": r"defen[cs]e|armed forces|war",
    "defense": r"defen[cs]e|armed forces|war",
    "interior": r"interior|home",
    "home": r"home|interior",
    "finance": r"finance|exchequer|treasury",
    "deputy": r"deputy",
    "king": r"\bking\b",
    "queen": r"\bqueen\b",
    "crown": r"crown prince",
    "prince": r"prince|king",
    "emir": r"emir|leader|caliph",
    "amir": r"emir|leader|caliph",
    "caliph": r"caliph|leader",
    "general": _MILITARY,
    "gen": _MILITARY,
    "ltgen": _MILITARY,
    "majgen": _MILITARY,
    "lieutenant": _MILITARY,
    "major": _MILITARY,
    "brigadier": _MILITARY,
    "brig": _MILITARY,
    "admiral": _MILITARY,
    "adm": _MILITARY,
    "marshal": _MILITARY,
    "spokesman": r"spokes|press secretary",
    "spokeswoman": r"spokes|press secretary",
    "spokesperson": r"spokes|press secretary",
    "ambassador": r"ambassador|representative to|permanent representative",
    "envoy": r"envoy|special representative",
    "director": r"director|chief|head",
    "adviser": r"advis[eo]r",
    "advisor": r"advis[eo]r",
    "security": r"security",
    "governor": r"governor",
    "senator": r"senator",
    "attorney": r"attorney general",
}


def _role_ok(role: str, hints: list[str]) -> bool:
    if not all(re.search(_ROLE_HINTS[h], role, re.I) for h in hints):
        return False
    # "President X" is not the vice president, "Prime Minister X" not a deputy.
    if "vice" not in hints and "vp" not in hints and re.search(r"\bvice\b", role, re.I):
        return False
    if "deputy" not in hints and re.search(r"\bdeputy\b", role, re.I):
        return False
    return True


# -------------------------------------------------------------------------- dates

_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2]))?$")


def _on(on: str | _dt.date | None) -> str | None:
    if on is None:
        return None
    if isinstance(on, _dt.date):
        return on.isoformat()[:10]
    s = str(on).strip()
    return s or None


def valid_on(aff: dict, on: str) -> bool:
    """Whether an affiliation (with optional YYYY / YYYY-MM ``from`` and ``to``) holds on ``on``.

    Dates compare at the coarser of the two precisions, so ``to: 2025-01`` still holds on
    2025-01-15 and ``from: 2021`` holds on 2021-01-01.
    """
    frm, to = aff.get("from"), aff.get("to")
    if frm:
        n = min(len(on), len(frm))
        if on[:n] < frm[:n]:
            return False
    if to:
        n = min(len(on), len(to))
        if on[:n] > to[:n]:
            return False
    return True


def _ended_by(aff: dict, on: str) -> bool:
    to = aff.get("to")
    if not to:
        return False
    n = min(len(on), len(to))
    return to[:n] <= on[:n]


# ------------------------------------------------------------------------ records


@dataclass(eq=False)
class Person:
    """One person; ``affiliations`` are dicts with actor, role, from and to, most recent last."""

    name: str
    aliases: list[str] = field(default_factory=list)
    surname: str = ""
    affiliations: list[dict] = field(default_factory=list)
    surname_ambiguous: bool = False
    surname_variants: list[str] = field(default_factory=list)

    def forms(self) -> list[str]:
        """Every full-name surface form: the canonical name, then the aliases."""
        return [self.name, *self.aliases]

    def surnames(self) -> list[str]:
        """The surname and its other spellings."""
        return [s for s in [self.surname, *self.surname_variants] if s]

    def __repr__(self) -> str:
        return f"Person({self.name!r})"


def _surname_keys(p: Person) -> set[str]:
    return {k for k in (article_free_key(s) for s in p.surnames()) if k}


def ambiguous_surnames(persons: Iterable[Person]) -> set[str]:
    """Canonical names of the persons one of whose surname forms another person shares."""
    persons = list(persons)
    owners: dict[str, set[str]] = defaultdict(set)
    for p in persons:
        for k in _surname_keys(p):
            owners[k].add(p.name)
    return {p.name for p in persons if any(len(owners[k]) > 1 for k in _surname_keys(p))}


def _person(raw: dict, where: str) -> Person:
    if not isinstance(raw, dict) or not raw.get("name"):
        raise KhabarError("E101", f"{where}: a person lacks a name ({raw!r})")
    name = str(raw["name"])
    affs = []
    for a in raw.get("affiliations") or []:
        if not isinstance(a, dict) or not a.get("actor") or not a.get("role"):
            raise KhabarError("E101", f"{where}: {name}: an affiliation needs an actor and a role")
        aff = {"actor": str(a["actor"]), "role": str(a["role"]), "from": None, "to": None}
        for k in ("from", "to"):
            if a.get(k) is not None:
                v = str(a[k])
                if not _DATE.match(v):
                    raise KhabarError("E101", f"{where}: {name}: {k} {v!r} is not YYYY or YYYY-MM")
                aff[k] = v
        affs.append(aff)
    return Person(
        name=name,
        aliases=[str(x) for x in raw.get("aliases") or []],
        surname=str(raw.get("surname") or ""),
        affiliations=affs,
        surname_ambiguous=bool(raw.get("surname_ambiguous", False)),
        surname_variants=[str(x) for x in raw.get("surname_variants") or []],
    )


# ------------------------------------------------------------------------- index


def _index(pairs: Iterable[tuple[str, Person]]) -> dict[str, list[Person]]:
    out: dict[str, list[Person]] = defaultdict(list)
    for key, p in pairs:
        if key and p not in out[key]:
            out[key].append(p)
    return dict(out)


def _one(cands: list[Person] | None) -> Person | None:
    return cands[0] if cands and len(cands) == 1 else None


class People:
    """Persons by full name, alias and surname; affiliations by date."""

    def __init__(self, persons: list[Person]) -> None:
        self.persons = list(persons)
        shared = ambiguous_surnames(self.persons)
        for p in self.persons:
            p.surname_ambiguous = p.surname_ambiguous or p.name in shared
        forms = [(f, p) for p in self.persons for f in p.forms()]
        self._full = _index((name_key(f), p) for f, p in forms)
        self._full_af = _index((article_free_key(f), p) for f, p in forms)
        self._full_loose = _index((_loose_key(f), p) for f, p in forms)
        self._surname = _index((k, p) for p in self.persons for k in _surname_keys(p))
        self._surname_loose = _index((_loose_key(s), p) for p in self.persons for s in p.surnames())
        self._form_tokens = {id(p): [_tokens(f, articles=False) for f in p.forms()] for p in self.persons}

    def __len__(self) -> int:
        return len(self.persons)

    def __iter__(self) -> Iterator[Person]:
        return iter(self.persons)

    def get(self, name: str) -> Person | None:
        """The person whose canonical name or alias is exactly ``name`` (after normalisation)."""
        return _one(self._full.get(name_key(name)))

    def names(self) -> list[tuple[str, Person]]:
        """Every full-name surface form with its person (for a phrase matcher); no bare surnames."""
        seen: set[tuple[str, int]] = set()
        out = []
        for p in self.persons:
            for f in p.forms():
                if (f, id(p)) not in seen:
                    seen.add((f, id(p)))
                    out.append((f, p))
        return out

    # ---------------------------------------------------------------- lookup

    def _full_match(self, text: str) -> Person | None:
        return (
            _one(self._full.get(name_key(text)))
            or _one(self._full_af.get(article_free_key(text)))
            or _one(self._full_loose.get(_loose_key(text)))
        )

    def _partial_match(self, words: list[str]) -> Person | None:
        """Given name(s) + surname not listed as such: "Qamar Bajwa" for Qamar Javed Bajwa.

        The given names must open one of the person's full names, so "Ali Khan" is not
        taken for Chaudhry Nisar Ali Khan.
        """
        for i in range(1, len(words)):
            key = article_free_key(" ".join(words[i:]))
            cands = self._surname.get(key) or []
            given = _tokens(" ".join(words[:i]), articles=False)
            if not given:
                continue
            hits = [p for p in cands if any(toks[: len(given)] == given for toks in self._form_tokens[id(p)])]
            if len(hits) == 1:
                return hits[0]
        return None

    def _disambiguate(self, cands: list[Person], titles: list[str], on: str | None) -> Person | None:
        hints = [t for t in titles if t in _ROLE_HINTS]
        if not hints:
            return None
        fitting = [p for p in cands if any(_role_ok(a["role"], hints) for a in p.affiliations)]
        if on:
            current = [
                p
                for p in fitting
                if any(_role_ok(a["role"], hints) and valid_on(a, on) for a in p.affiliations)
            ]
            if current:
                return _one(current)
        return _one(fitting)

    def lookup(self, name: str, on: str | _dt.date | None = None) -> Person | None:
        """The person a mention stands for, or None.

        ``on`` (ISO date) is used only to tell apart persons who share a surname, together
        with the title in the mention: "President Bush" on 2005-06-01 is George W. Bush.
        """
        if not name or not name.strip():
            return None
        on = _on(on)
        text = _POSSESSIVE.sub("", name.strip())
        words = [w for w in _SPLIT.split(text) if _DROP.sub("", w)]
        titles: list[str] = []
        while words:
            hit = self._full_match(" ".join(words))
            if hit:
                return hit
            head = _DROP.sub("", _fold(words[0]))
            if head in _TITLE_WORDS and len(words) > 1:
                titles.append(head)
                words = words[1:]
                continue
            break
        if not words:
            return None
        rest = " ".join(words)
        key = article_free_key(rest)
        cands = self._surname.get(key)
        if cands:
            return cands[0] if len(cands) == 1 else self._disambiguate(cands, titles, on)
        partial = self._partial_match(words)
        if partial:
            return partial
        cands = self._surname_loose.get(_loose_key(rest))
        if cands:
            return cands[0] if len(cands) == 1 else self._disambiguate(cands, titles, on)
        return None

    # ----------------------------------------------------------- affiliations

    def affiliation(
        self, person: Person | str, on: str | _dt.date | None = None, *, former: bool = False
    ) -> tuple[str, str] | None:
        """(actor id, role) for ``person`` on the ISO date ``on``; without a date, the most recent.

        Among the affiliations that hold on the date, the one listed last wins. With
        ``former=True``, when none holds, the latest one that had ended by then is given
        instead ("Nathan Sales, former State Department coordinator").
        """
        if isinstance(person, str):
            found = self.lookup(person, on)
            if found is None:
                return None
            person = found
        affs = person.affiliations
        if not affs:
            return None
        day = _on(on)
        if day is None:
            a = affs[-1]
            return a["actor"], a["role"]
        for a in reversed(affs):
            if valid_on(a, day):
                return a["actor"], a["role"]
        if former:
            for a in reversed(affs):
                if _ended_by(a, day):
                    return a["actor"], a["role"]
        return None


# -------------------------------------------------------------------------- load


@functools.cache
def _load_cached(path: str | None) -> People:
    if path is None:
        text = resources.files("khabar.data").joinpath("people.yaml").read_text("utf-8")
        where = "khabar/data/people.yaml"
    else:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise KhabarError("E100", f"cannot read the people file {path}: {exc.strerror}") from None
        where = path
    data = parse_yaml(text) or []
    if isinstance(data, dict):
        data = data.get("people") or []
    if not isinstance(data, list):
        raise KhabarError("E101", f"{where}: expected a list of persons")
    return People([_person(raw, where) for raw in data])


def load_people(path: str | Path | None = None) -> People:
    """The bundled list of persons, or the one at ``path`` (cached per path)."""
    return _load_cached(str(path) if path is not None else None)
