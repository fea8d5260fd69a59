"""Persons as entities of their own: leaders, commanders, spokesmen and officials.

A person is never an actor (the gold files and the tie network hold groups, states and
agencies only); persons are records beside them (migration 17):

* ``persons``: one row per person the corpus names, from ``data/people.yaml`` (origin
  ``gazetteer``, with every spelling the list gives) or named as a speaker in the text and
  unknown to the list (origin ``text``: "Leila Hosseini, of the Caspian Policy Institute, said");
* ``person_posts``: who held which role for which actor and when: the list's affiliations
  (``source`` gazetteer), and what a document says of a speaker (``source`` text, dated by
  the document: "Zabihullah Mujahid, the Taliban's spokesman");
* ``person_links``: the judgments a person made (role ``speaker``), the event reports whose
  sentence names them (``killed``, ``arrested``, ``released``, ``wounded``, ``met``,
  ``signed``, ``spoke`` or ``named``), the tie assertions they are evidence for
  (``speaker`` when the tie is attributed to them; when the sentence names them and they hold
  a post for one of its actors: ``doer`` for the subject of a directed tie, ``counterpart``
  for its object, ``party`` for either side of a symmetric one), and every sentence that
  names them (``mention``).

The write path (``store.write``) keeps them current: ``forget_document`` before a
document's machine rows are replaced, ``index_document`` after its new rows are stored, in
the same transaction. ``index_document`` reads only what is stored (sentences, judgments,
event reports, assertions), so it also indexes documents stored before migration 17
(``index_pending``) without extracting them again.

Names in the text are matched without a parser: runs of capitalised words (with the
particles of Arabic and other names, "al-", "bin", "ul") are looked up, longest first, in
the people list and among the persons already stored; a title and a surname ("Mullah
Akhund", "President Ghani") go through ``People.lookup``; a bare surname counts once the
document has named its person in full.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from khabar.resolve.names import slug
from khabar.resolve.people import _TITLE_WORDS, People, Person, article_free_key, load_people, name_key
from khabar.store.read import page

__all__ = [
    "EVENT_ROLES",
    "LINK_KINDS",
    "actor_names",
    "actor_people",
    "count_links",
    "count_persons",
    "find_person",
    "forget_document",
    "index_document",
    "index_pending",
    "person_id",
    "person_links",
    "person_posts",
    "person_record",
    "persons",
    "suggestions",
]

LINK_KINDS = ("mention", "judgment", "event", "tie")
EVENT_ROLES = ("killed", "arrested", "released", "wounded", "met", "signed", "spoke", "named")
MAX_NAME_WORDS = 6  # the longest run of words tried as one name
MAX_NAME_CHARS = 120  # a speaker "name" longer than this is a phrase, not a name

# --------------------------------------------------------------------------- names in text

# A word: letters first, then letters, digits, hyphens, apostrophes or dots ("al-Zawahiri", "W.").
_WORD = re.compile(r"[^\W\d_][\w'\u2019\-.]*")
# Lower-case words that stay inside a name: "Ayman al-Zawahiri", "Osama bin Laden", "Sirajuddin ul-Haq".
_PARTICLES = frozenset("al el bin ibn bint ul ud ur ad ed de da di du van von der den la le ben abu".split())
_PARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|adh|an|ar|as|ash|at|ath|az|ud|ul|ur)[\-\u2010\u2011]\w")
# Words that open a speaker phrase but never a person's name ("Its envoy", "The official").
_NOT_NAME_START = frozenset(
    "its the his her their our your my a an this that these those some many several other another all both "
    "each every any no western eastern local senior top foreign afghan pakistani american".split())


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper()

    @property
    def particle(self) -> bool:
        low = self.text.lower()
        return low in _PARTICLES or bool(_PARTICLE_PREFIX.match(low))


def _tokens(text: str, offset: int = 0) -> list[_Token]:
    """The words of ``text`` with their offsets (plus ``offset``), a possessive or a closing
    dot left out of each ("Mujahid's" -> "Mujahid"; an initial such as "W." keeps its dot)."""
    out = []
    for m in _WORD.finditer(text):
        word, end = m.group(), m.end()
        for suffix in ("'s", "\u2019s"):
            if word.endswith(suffix):
                word, end = word[: -len(suffix)], end - len(suffix)
        while len(word) > 2 and word[-1] in ".'\u2019-":
            word, end = word[:-1], end - 1
        if word:
            out.append(_Token(word, offset + m.start(), offset + end))
    return out


def _runs(tokens: list[_Token]) -> list[list[int]]:
    """Runs of adjacent words that may form a name: a capitalised word, then capitalised
    words or particles, with nothing but spaces between them."""
    runs: list[list[int]] = []
    cur: list[int] = []
    for i, t in enumerate(tokens):
        joined = bool(cur) and t.start - tokens[cur[-1]].end <= 1
        if t.capital or (cur and joined and t.particle):
            if cur and joined:
                cur.append(i)
            else:
                if cur:
                    runs.append(cur)
                cur = [i] if t.capital else []
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


@functools.lru_cache(maxsize=1 << 16)
def _keys(text: str) -> tuple[str, ...]:
    """The keys a name is looked up under: as written, and without the Arabic article (cached:
    the same capitalised phrases come back in document after document)."""
    return tuple(dict.fromkeys(k for k in (name_key(text), article_free_key(text)) if k))


@functools.cache
def _titles() -> frozenset[str]:
    """Titles before a surname ("Mullah", "President", "Gen."), from the attribution lexicon."""
    from khabar.extract.speaker_names import reporting

    return reporting().titles


@functools.lru_cache(maxsize=1 << 16)
def _surname_key(word: str) -> str:
    return article_free_key(word)


@dataclass
class _Found:
    person: str  # person id
    start: int
    end: int
    surface: str


@dataclass(frozen=True)
class _Gazetteer:
    """The people list keyed for matching runs of words: full names and aliases of two
    words or more (a key two persons share is left out), and each person's surname keys."""

    people: People
    full: dict[str, Person]
    by_id: dict[str, Person]
    tails: dict[str, Person]  # a name without the title-like words it opens with ("Khan Muttaqi")


@functools.cache
def _gazetteer() -> _Gazetteer:
    people = load_people()
    owners: dict[str, set[int]] = {}
    full: dict[str, Person] = {}
    for p in people:
        for form in p.forms():
            if len(form.split()) < 2:
                continue
            for k in _keys(form):
                owners.setdefault(k, set()).add(id(p))
                full[k] = p
    full = {k: p for k, p in full.items() if len(owners[k]) == 1}
    tail_owners: dict[str, set[int]] = {}
    tails: dict[str, Person] = {}
    for p in people:
        for form in p.forms():
            words = form.split()
            for n in range(2, len(words)):
                if any(w.lower().strip(".") not in _TITLE_WORDS for w in words[:-n]):
                    continue  # only a name that opens with title-like words ("Amir", "Sheikh") loses them
                for k in _keys(" ".join(words[-n:])):
                    tail_owners.setdefault(k, set()).add(id(p))
                    tails[k] = p
    tails = {k: p for k, p in tails.items() if len(tail_owners[k]) == 1 and k not in full}
    return _Gazetteer(people=people, full=full, by_id={person_id(p.name): p for p in people}, tails=tails)


def person_id(name: str) -> str:
    """A person's id from the name: "Zabihullah Mujahid" -> "zabihullah-mujahid" (a name with
    no Latin letters gets a short hash)."""
    s = slug(name)
    if s == "actor" and "actor" not in name.lower() or not re.search(r"[a-z]", s):
        return "p-" + hashlib.sha256(name_key(name).encode("utf-8")).hexdigest()[:12]
    return s[:80]


# --------------------------------------------------------------------------- storing persons

def _digest(p: Person) -> str:
    record = {"name": p.name, "aliases": p.aliases, "affiliations": p.affiliations}
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def _ensure_gazetteer(conn: sqlite3.Connection, p: Person) -> str:
    """The stored row of a listed person, made or brought up to date with the list."""
    pid = person_id(p.name)
    digest = _digest(p)
    row = conn.execute("SELECT origin, digest FROM persons WHERE id = ?", (pid,)).fetchone()
    if row is not None and row["origin"] == "gazetteer" and row["digest"] == digest:
        return pid
    aliases = json.dumps(p.aliases, ensure_ascii=False)
    if row is None:
        conn.execute("INSERT INTO persons (id, name, aliases, origin, digest) VALUES (?, ?, ?, 'gazetteer', ?)",
                     (pid, p.name, aliases, digest))
    else:  # the list changed, or a person first found in the text is now listed
        conn.execute("UPDATE persons SET name = ?, aliases = ?, origin = 'gazetteer', digest = ? WHERE id = ?",
                     (p.name, aliases, digest, pid))
        conn.execute("DELETE FROM person_posts WHERE person_id = ? AND source = 'gazetteer'", (pid,))
        conn.execute("DELETE FROM person_names WHERE person_id = ?", (pid,))
    conn.executemany("INSERT OR IGNORE INTO person_names (key, person_id) VALUES (?, ?)",
                     [(k, pid) for form in p.forms() for k in _keys(form)])
    conn.executemany(
        'INSERT INTO person_posts (person_id, actor_id, role, "from", "to", source) VALUES (?, ?, ?, ?, ?, ?)',
        [(pid, a["actor"], a["role"], a.get("from"), a.get("to"), "gazetteer") for a in p.affiliations])
    return pid


def _ensure_text(conn: sqlite3.Connection, name: str) -> str:
    """The stored row of a person the text names and the list does not know."""
    pid = person_id(name)
    if conn.execute("SELECT 1 FROM persons WHERE id = ?", (pid,)).fetchone() is None:
        conn.execute("INSERT INTO persons (id, name, origin) VALUES (?, ?, 'text')", (pid, name))
    conn.executemany("INSERT OR IGNORE INTO person_names (key, person_id) VALUES (?, ?)",
                     [(k, pid) for k in _keys(name)])
    return pid


def _clean_name(speaker: str) -> str | None:
    """The personal name in a speaker phrase ("Dr. Leila Hosseini" -> "Leila Hosseini"), or None
    when the phrase is not one ("Its envoy", "Washington's top military officer", "Diplomats")."""
    from khabar.extract.speaker_names import reporting

    words = speaker.strip().split()
    while len(words) > 2 and words[0].lower().strip(".") in _TITLE_WORDS:
        words = words[1:]
    if not 2 <= len(words) <= 5 or len(speaker) > MAX_NAME_CHARS:
        return None
    lex = reporting()
    if words[0].lower() in _NOT_NAME_START or not words[0][:1].isupper():  # "al Ansi": the name's start is missing
        return None
    for w in words:
        low = w.lower().strip(".,")
        if low.endswith(("'s", "\u2019s", "s'", "s\u2019")):  # "Washington's top military officer"
            return None
        if low in lex.person_nouns or low in lex.body_nouns:
            return None
        t = _Token(w, 0, len(w))
        if not (t.capital or t.particle) or any(c.isdigit() for c in w):
            return None
    return " ".join(words).strip(".,;:")


# --------------------------------------------------------------------------- one document

class _Matcher:
    """Finds the persons a document names, sentence after sentence (a bare surname counts once
    its person was named in full earlier in the document)."""

    def __init__(self, conn: sqlite3.Connection, published: str | None) -> None:
        self.conn = conn
        self.on = published
        self.gaz = _gazetteer()
        self.surnames: dict[str, set[str]] = {}  # surname key -> persons named in full so far
        self.stored: dict[str, str | None] = {}  # key -> text person id (looked up once per key)
        self.added: set[str] = set()  # text persons stored while indexing this document

    def _remember(self, pid: str, name: str) -> None:
        person = self.gaz.by_id.get(pid)
        names = person.surnames() if person is not None else [name.split()[-1]]
        for s in names:
            k = _surname_key(s)
            if k:
                self.surnames.setdefault(k, set()).add(pid)

    def _stored(self, keys: Iterable[str]) -> None:
        """Look up keys not seen yet among the stored persons (text persons of any document)."""
        wanted = [k for k in dict.fromkeys(keys) if k not in self.stored]
        for i in range(0, len(wanted), 400):
            chunk = wanted[i:i + 400]
            for k in chunk:
                self.stored[k] = None
            marks = ", ".join("?" for _ in chunk)
            for row in self.conn.execute(
                    f"SELECT key, person_id FROM person_names WHERE key IN ({marks})", chunk):
                self.stored[row["key"]] = row["person_id"]

    def add_text(self, name: str) -> str:
        """Store a person the text introduces (``_ensure_text``) and match the name from now on."""
        pid = _ensure_text(self.conn, name)
        self.added.add(pid)
        for k in _keys(name):
            self.stored[k] = pid
        self._remember(pid, name)
        return pid

    def resolve(self, name: str) -> str | None:
        """The person a speaker's name stands for: listed, named in this document, or stored."""
        person = self.gaz.people.lookup(name, self.on) or next(
            (self.gaz.tails[k] for k in _keys(name) if k in self.gaz.tails), None)  # "Khan Muttaqi" said
        if person is not None:
            pid = _ensure_gazetteer(self.conn, person)
            self._remember(pid, person.name)
            return pid
        words = _tokens(name)
        if len(words) == 1:
            owners = self.surnames.get(_surname_key(words[0].text)) or set()
            return next(iter(owners)) if len(owners) == 1 else None
        keys = _keys(name)
        self._stored(keys)
        return next((self.stored[k] for k in keys if self.stored.get(k)), None)

    def find(self, text: str, offset: int) -> list[_Found]:
        """The persons named in ``text`` (a sentence starting at ``offset`` in the document)."""
        tokens = _tokens(text, offset)
        runs = _runs(tokens)
        grams: list[tuple[int, int, str]] = []  # (first, last + 1, text) of each candidate, longest first
        for run in runs:
            for n in range(min(MAX_NAME_WORDS, len(run)), 1, -1):
                for j in range(0, len(run) - n + 1):
                    first, last = run[j], run[j + n - 1]
                    if tokens[first].capital:
                        grams.append((first, last + 1, text[tokens[first].start - offset:tokens[last].end - offset]))
        self._stored(k for _, _, g in grams for k in _keys(g) if k not in self.gaz.full)
        taken: set[int] = set()
        found: list[_Found] = []
        for first, stop, surface in grams:
            if any(i in taken for i in range(first, stop)):
                continue
            pid = None
            for k in _keys(surface):
                if k in self.gaz.full:
                    pid = _ensure_gazetteer(self.conn, self.gaz.full[k])
                    break
                if self.stored.get(k):
                    pid = self.stored[k]
                    break
            if pid is None:
                continue
            taken.update(range(first, stop))
            self._remember(pid, surface)
            found.append(_Found(pid, tokens[first].start, tokens[stop - 1].end, surface))
        for i, t in enumerate(tokens):  # a title and a surname, or a surname named in full before
            if i in taken or not (t.capital or t.particle):
                continue
            pid = None
            owners = self.surnames.get(_surname_key(t.text)) or set()
            if len(owners) == 1:
                pid = next(iter(owners))
            elif i > 0 and tokens[i - 1].capital and tokens[i - 1].text.lower().strip(".") in _titles():
                person = self.gaz.people.lookup(f"{tokens[i - 1].text} {t.text}", self.on)
                if person is not None and _surname_key(t.text) in {_surname_key(s) for s in person.surnames()}:
                    pid = _ensure_gazetteer(self.conn, person)
                    self._remember(pid, person.name)
            if pid is not None:
                taken.add(i)
                found.append(_Found(pid, t.start, t.end, t.text))
        return sorted(found, key=lambda f: f.start)


# Words around a name that say what happened to the person in an event.
_ROLE_WORDS = {
    "killed": "killed assassinated executed murdered slain dead died killing death assassination execution murder",
    "arrested": "arrested detained captured apprehended arrest detention capture",
    "released": "released freed release freeing",
    "wounded": "wounded injured",
    "met": "met visited",
    "signed": "signed",
    "spoke": "said says told announced declared warned stated added claimed vowed urged denied confirmed "
             "congratulated praised condemned threatened called",
}
_ROLE_OF = {w: role for role, words in _ROLE_WORDS.items() for w in words.split()}
# After the name, maybe past an apposition (", the group's leader,", ", an ideologue who"): "was killed".
_PASSIVE = re.compile(
    r"^(?:\s*,[^,.;]{0,80}?,|\s*,[^,.;]{0,80}?\bwho|\s*,?\s*who)?\s*(?:was|were|is|are|has been|had been|"
    r"have been|got)\s+(?:\w+ly\s+)?(killed|assassinated|executed|murdered|slain|dead|arrested|detained|captured|"
    r"apprehended|released|freed|wounded|injured)\b", re.I)
_POSSESSIVE = re.compile(r"^['\u2019]s\s+(?:[\w\-]+\s+){0,2}?(death|killing|assassination|execution|murder|"
                         r"arrest|detention|capture|release)\b", re.I)
_ACTIVE = re.compile(r"^\s*(?:,[^,.;]{0,80},\s*)?(?:\w+ly\s+)?(died|met|visited|signed|said|says|told|announced|"
                     r"declared|warned|stated|added|claimed|vowed|urged|denied|confirmed|congratulated|praised|"
                     r"condemned|threatened|called)\b", re.I)
# Words between a verb and the name it governs ("killed al-Qaeda leader Ayman al-Zawahiri"), none of
# which starts a clause or a phrase of its own ("released a video in which X announced").
_GAP = r"(?:(?!(?:a|an|in|which|who|whom|that|by|on|at|for|from|after|before|and|or|but|as|when|while|to|of)\b)" \
       r"[\w'\u2019\-.]+\s+){0,4}"
_OF = re.compile(r"\b(killing|death|assassination|execution|murder|arrest|detention|capture|release|freeing)"
                 r"\s+of\s+" + _GAP + "$", re.I)
_VERB_BEFORE = re.compile(r"\b(killed|assassinated|executed|murdered|arrested|detained|captured|released|freed|"
                          r"wounded|injured|met)\s+(?:with\s+)?" + _GAP + "$", re.I)
# "killed the leader of the Islamic State in Greater Sahara, Adnan Abu Walid al-Sahrawi": a verb, what
# its object is, a comma, the name.
_APPOSITION_BEFORE = re.compile(r"\b(killed|assassinated|executed|murdered|arrested|detained|captured|released|"
                                r"freed|wounded|injured)\s+((?:the|a|an|its|their|his|her)\s+[^,.;:]{1,80}),\s*$",
                                re.I)
_ROLE_NOUNS = frozenset("leader chief commander head founder emir deputy ideologue militant member spokesman "
                        "official minister governor mastermind financier cleric preacher".split())
_SPOKE_BEFORE = re.compile(r"\b(?:said|told|according to)\s*,?\s*" + _GAP + "$", re.I)
_BY_TYPE = {"meeting": "met", "agreement": "signed"}


def event_role(sentence: str, start: int, end: int, event_type: str) -> str:
    """What an event sentence says of the person named at ``start:end`` in it: killed,
    arrested, released, wounded, met, signed, spoke, or (nothing more said) named; a meeting's
    or an agreement's sentence names those who met or signed.

    >>> event_role("Ayman al-Zawahiri was killed by a US drone strike in Kabul.", 0, 17, "killing")
    'killed'
    >>> event_role("US forces killed al-Qaeda leader Ayman al-Zawahiri.", 33, 50, "killing")
    'killed'
    >>> event_role("Mullah Baradar met US envoy Zalmay Khalilzad in Doha.", 0, 14, "meeting")
    'met'
    """
    after, before = sentence[end:end + 140], sentence[max(0, start - 90):start]
    for rx, text in ((_PASSIVE, after), (_POSSESSIVE, after), (_ACTIVE, after), (_OF, before),
                     (_VERB_BEFORE, before), (_APPOSITION_BEFORE, before)):
        m = rx.search(text)
        if m and (rx is not _APPOSITION_BEFORE or _ROLE_NOUNS & set(m.group(2).lower().split())):
            return _ROLE_OF[m.group(1).lower()]
    if _SPOKE_BEFORE.search(before):
        return "spoke"
    return _BY_TYPE.get(event_type, "named")


def _symmetric(tie_type: str) -> bool:
    from khabar.schema import is_symmetric

    try:
        return is_symmetric(tie_type)
    except KeyError:
        return False


# "TTP commander Qari Saifullah", "the group's spokesman Abu Omar al-Khorasani": a role noun, then a
# name of two to four capitalised words (or particles). An actor named just before the role noun is
# the one the post is for.
_ROLE_NAME = re.compile(
    r"\b([Ll]eader|[Cc]ommander|[Cc]hief|[Ss]pokes(?:man|woman|person)|[Ee]mir|[Aa]mir|[Ff]ounder|[Ii]deologue|"
    r"[Mm]astermind)\s+((?:[A-Z][\w'\u2019\-]+)(?:\s+(?:[A-Z][\w'\u2019\-]+|"
    r"(?:al|el|bin|ibn|ul|ud)(?:-[A-Z][\w'\u2019\-]+)?)){1,3})")
# between the actor and the role noun: nothing, a possessive, or a word such as "senior" or "deputy"
_ACTOR_TO_ROLE = re.compile(r"^(?:['\u2019]s)?\s+(?:(?:senior|top|deputy|local|military|former|chief|"
                            r"regional|self-styled|founding|media)\s+)?$", re.I)


def _named_by_role(conn: sqlite3.Connection, m: _Matcher, doc_id: str, sentences: list[sqlite3.Row],
                   posts: dict[tuple[str, str | None, str], tuple[int, int]]) -> None:
    """Persons a sentence introduces by their role ("TTP commander Qari Saifullah"): stored (the
    list's person when it knows the name), with the post the sentence gives when an actor is named
    just before the role."""
    mentions = None
    for s in sentences:
        for hit in _ROLE_NAME.finditer(s["text"]):
            name = _clean_name(hit.group(2))
            if name is None or conn.execute("SELECT 1 FROM actors WHERE name = ? COLLATE NOCASE",
                                            (name,)).fetchone() is not None:
                continue
            pid = m.resolve(name) or m.add_text(name)
            if mentions is None:
                mentions = conn.execute('SELECT "start", "end", actor_id FROM mentions WHERE doc_id = ?',
                                        (doc_id,)).fetchall()
            role_at = s["start"] + hit.start(1)
            actor = next((r["actor_id"] for r in mentions if r["end"] <= role_at
                          and _ACTOR_TO_ROLE.match(s["text"][r["end"] - s["start"]:hit.start(1)])), None)
            if actor is not None:
                posts.setdefault((pid, actor, hit.group(1).lower()), (s["start"], s["start"] + len(s["text"])))


def forget_document(conn: sqlite3.Connection, doc_id: str) -> None:
    """Take away what a document said of persons (before its machine rows are replaced); a
    person no other document names any longer goes too. Runs in the caller's transaction."""
    linked = [r[0] for r in conn.execute(
        "SELECT DISTINCT person_id FROM person_links WHERE doc_id = ? "
        "UNION SELECT person_id FROM person_posts WHERE doc_id = ?", (doc_id, doc_id))]
    conn.execute("DELETE FROM person_links WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM person_posts WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM person_pending WHERE doc_id = ?", (doc_id,))
    for pid in linked:
        if conn.execute("SELECT 1 FROM person_links WHERE person_id = ? LIMIT 1", (pid,)).fetchone() is None:
            conn.execute("DELETE FROM person_names WHERE person_id = ?", (pid,))
            conn.execute("DELETE FROM person_posts WHERE person_id = ?", (pid,))
            conn.execute("DELETE FROM persons WHERE id = ?", (pid,))


def index_document(conn: sqlite3.Connection, doc_id: str) -> int:
    """Find the persons a stored document names and link them to its judgments, event reports,
    tie assertions and sentences; return how many links were made. Reads only the stored
    rows; runs in the caller's transaction (``forget_document`` first, when it was indexed)."""
    doc = conn.execute("SELECT published, duplicate_of FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if doc is None or doc["duplicate_of"]:
        return 0
    m = _Matcher(conn, doc["published"])
    links: list[tuple[str, str, str, str, int, int, str]] = []  # person, kind, role, target, start, end, surface
    posts: dict[tuple[str, str | None, str], tuple[int, int]] = {}  # (person, actor, role) -> its sentence
    # Speakers first: a person the text introduces as a speaker is then found in its sentences.
    for j in conn.execute("SELECT id, speaker, speaker_kind, role, speaker_actor, sentence_start, sentence_end "
                          'FROM judgments WHERE doc_id = ? ORDER BY "start"', (doc_id,)).fetchall():
        if j["speaker_kind"] not in ("person", "name") or len(j["speaker"]) > MAX_NAME_CHARS:
            continue
        pid = m.resolve(j["speaker"])
        if pid is None and j["speaker_kind"] == "person":
            name = _clean_name(j["speaker"])
            if name and conn.execute("SELECT 1 FROM actors WHERE name = ? COLLATE NOCASE", (name,)).fetchone() is None:
                pid = m.resolve(name) or m.add_text(name)
        if pid is None:
            continue
        links.append((pid, "judgment", "speaker", j["id"], j["sentence_start"], j["sentence_end"], j["speaker"]))
        role = (j["role"] or "").strip()
        if role or j["speaker_actor"]:
            posts.setdefault((pid, j["speaker_actor"], role[:200]), (j["sentence_start"], j["sentence_end"]))
    sentences = conn.execute('SELECT idx, "start", text FROM sentences WHERE doc_id = ? ORDER BY idx',
                             (doc_id,)).fetchall()
    _named_by_role(conn, m, doc_id, sentences, posts)
    found: list[_Found] = []
    for s in sentences:
        here = m.find(s["text"], s["start"])
        found += here
        seen: set[str] = set()
        for f in here:
            if f.person not in seen:
                seen.add(f.person)
                links.append((f.person, "mention", "named", str(s["idx"]), s["start"], s["start"] + len(s["text"]),
                              f.surface))

    def within(start: int, end: int) -> list[_Found]:
        out, seen = [], set()
        for f in found:
            if start <= f.start and f.end <= end and f.person not in seen:
                seen.add(f.person)
                out.append(f)
        return out

    for r in conn.execute('SELECT id, type, sentence, "start", "end" FROM event_reports WHERE doc_id = ?',
                          (doc_id,)).fetchall():
        for f in within(r["start"], r["end"]):
            role = event_role(r["sentence"], f.start - r["start"], f.end - r["start"], r["type"])
            links.append((f.person, "event", role, str(r["id"]), r["start"], r["end"], f.surface))
    acts: dict[str, set[str]] = {}

    def acts_for(pid: str) -> set[str]:
        if pid not in acts:
            acts[pid] = {r[0] for r in conn.execute(
                "SELECT DISTINCT actor_id FROM person_posts WHERE person_id = ? AND actor_id IS NOT NULL", (pid,))}
            acts[pid] |= {actor for (who, actor, _), _span in posts.items() if who == pid and actor}
        return acts[pid]

    for a in conn.execute('SELECT id, subject, type, object, attributed_to, "start", "end" FROM assertions '
                          "WHERE doc_id = ?", (doc_id,)).fetchall():
        speaker = m.resolve(a["attributed_to"]) if a["attributed_to"] and len(a["attributed_to"]) <= MAX_NAME_CHARS \
            else None
        if speaker is not None:
            links.append((speaker, "tie", "speaker", str(a["id"]), a["start"], a["end"], a["attributed_to"]))
        for f in within(a["start"], a["end"]):
            if f.person == speaker:
                continue
            sides = acts_for(f.person)
            if not {a["subject"], a["object"]} & sides:
                continue
            if _symmetric(a["type"]):
                role = "party"  # either side of an alliance or an enmity: no doer
            else:
                role = "doer" if a["subject"] in sides else "counterpart"
            links.append((f.person, "tie", role, str(a["id"]), a["start"], a["end"], f.surface))
    conn.executemany(
        'INSERT INTO person_links (person_id, kind, role, target, "start", "end", surface, doc_id) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(*link, doc_id) for link in links])
    linked = {link[0] for link in links}
    conn.executemany(
        'INSERT INTO person_posts (person_id, actor_id, role, "from", "to", source, doc_id, "start", "end") '
        "VALUES (?, ?, ?, ?, ?, 'text', ?, ?, ?)",
        [(pid, actor, role, doc["published"], doc["published"], doc_id, s, e)
         for (pid, actor, role), (s, e) in posts.items() if pid in linked])
    for pid in m.added - linked:  # introduced, then never found: not kept (unless another document has them)
        if conn.execute("SELECT 1 FROM person_links WHERE person_id = ? LIMIT 1", (pid,)).fetchone() is None:
            conn.execute("DELETE FROM person_names WHERE person_id = ?", (pid,))
            conn.execute("DELETE FROM person_posts WHERE person_id = ?", (pid,))
            conn.execute("DELETE FROM persons WHERE id = ?", (pid,))
    return len(links)


def index_pending(conn: sqlite3.Connection) -> int:
    """Index the documents stored before persons were kept (migration 17 lists them); return
    how many. Runs in the caller's transaction."""
    done = 0
    for row in conn.execute("SELECT doc_id FROM person_pending").fetchall():
        forget_document(conn, row["doc_id"])
        index_document(conn, row["doc_id"])
        done += 1
    return done


# --------------------------------------------------------------------------- reading

def _filters(q: str | None, actor: Iterable[str] | None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if q:
        key = name_key(q)
        clauses.append("(p.name LIKE ? ESCAPE '\\' OR p.id IN (SELECT person_id FROM person_names "
                       "WHERE key LIKE ? ESCAPE '\\'))")
        params += [f"%{_like(q.strip())}%", f"%{_like(key)}%"]
    if actor is not None:
        ids = sorted(set(actor))
        clauses.append(f"p.id IN (SELECT person_id FROM person_posts WHERE actor_id IN ({', '.join('?' for _ in ids)}))")
        params += ids
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_COUNTS = ", ".join(
    f"(SELECT COUNT(*) FROM person_links l WHERE l.person_id = p.id AND l.kind = '{k}') AS {k}s"
    for k in LINK_KINDS)


def persons(conn: sqlite3.Connection, q: str | None = None, actor: Iterable[str] | None = None,
            limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Stored persons by name, with how many sentences name them (``mentions``) and how many
    judgments, events and ties they are linked to. ``q``: part of a name or alias (any case,
    accents and punctuation aside); ``actor``: only persons with a post for one of these actor
    ids; ``limit``/``offset``: a page."""
    clause, params = _filters(q, actor)
    sql = f"SELECT p.*, {_COUNTS} FROM persons p{clause} ORDER BY p.name COLLATE NOCASE, p.id"
    sql, params = page(sql, params, limit, offset)
    out = []
    for row in conn.execute(sql, params):
        d = dict(row)
        d["aliases"] = json.loads(d["aliases"])
        d.pop("digest", None)
        out.append(d)
    return out


def count_persons(conn: sqlite3.Connection, q: str | None = None, actor: Iterable[str] | None = None) -> int:
    """How many persons ``persons`` lists with these filters."""
    clause, params = _filters(q, actor)
    return int(conn.execute(f"SELECT COUNT(*) FROM persons p{clause}", params).fetchone()[0])


def find_person(conn: sqlite3.Connection, name: str) -> dict[str, Any] | None:
    """A stored person by id, name or any spelling of it (a title before it allowed), or None."""
    if not name or len(name) > 300:
        return None
    row = conn.execute("SELECT * FROM persons WHERE id = ?", (name.strip(),)).fetchone()
    if row is None:
        for k in _keys(name):
            row = conn.execute("SELECT p.* FROM person_names n JOIN persons p ON p.id = n.person_id "
                               "WHERE n.key = ? ORDER BY p.origin, p.id LIMIT 1", (k,)).fetchone()
            if row is not None:
                break
    if row is None:
        gaz = _gazetteer()
        listed = gaz.people.lookup(name) or next((gaz.tails[k] for k in _keys(name) if k in gaz.tails), None)
        if listed is not None:
            row = conn.execute("SELECT * FROM persons WHERE id = ?", (person_id(listed.name),)).fetchone()
    if row is None:
        return None
    d = dict(row)
    d["aliases"] = json.loads(d["aliases"])
    d.pop("digest", None)
    return d


def person_posts(conn: sqlite3.Connection, pid: str) -> list[dict[str, Any]]:
    """A person's posts, oldest first (by their start, else their end; undated last): the
    list's, and those documents give (with the document's title, source and date)."""
    rows = conn.execute(
        'SELECT o.*, d.title, d.source AS doc_source, d.published FROM person_posts o LEFT JOIN documents d ON d.id = o.doc_id '
        'WHERE o.person_id = ? ORDER BY COALESCE(o."from", o."to") IS NULL, COALESCE(o."from", o."to"), '
        'o.source, o.id', (pid,))
    return [dict(r) for r in rows]


_LINK_SQL = {
    "mention": ("s.text AS sentence", "JOIN sentences s ON s.doc_id = l.doc_id AND s.idx = CAST(l.target AS INTEGER)"),
    "judgment": ("j.text, j.speaker, j.role AS speaker_role, j.speaker_actor, j.estimate, j.band, j.low, j.high, "
                 "j.due, j.about", "JOIN judgments j ON j.id = l.target"),
    "event": ("r.type, r.sentence, r.date, r.precision, r.location, r.actors, r.targets, r.event_id",
              "JOIN event_reports r ON r.id = CAST(l.target AS INTEGER)"),
    "tie": ("a.subject, a.type, a.object, a.modality, a.sentence, a.attributed_to",
            "JOIN assertions a ON a.id = CAST(l.target AS INTEGER)"),
}


def person_links(conn: sqlite3.Connection, pid: str, kind: str, limit: int | None = None,
                 offset: int = 0) -> list[dict[str, Any]]:
    """A person's links of one kind (``LINK_KINDS``), oldest document first, each with its row
    (the judgment, event report, tie assertion or sentence) and its document's title, source
    and date; ``limit``/``offset``: a page."""
    fields, join = _LINK_SQL[kind]
    sql = (f'SELECT l.role, l.target, l.doc_id, l."start", l."end", l.surface, {fields}, d.title, d.source, '
           f"d.published FROM person_links l {join} JOIN documents d ON d.id = l.doc_id "
           'WHERE l.person_id = ? AND l.kind = ? ORDER BY d.published IS NULL, d.published, l.doc_id, l."start"')
    params: list[Any] = [pid, kind]
    sql, params = page(sql, params, limit, offset)
    out = []
    for row in conn.execute(sql, params):
        d = dict(row)
        for k in ("about", "actors", "targets"):
            if isinstance(d.get(k), str):
                d[k] = json.loads(d[k])
        out.append(d)
    return out


def count_links(conn: sqlite3.Connection, pid: str) -> dict[str, int]:
    """How many links of each kind a person has."""
    counts = dict.fromkeys(LINK_KINDS, 0)
    for row in conn.execute("SELECT kind, COUNT(*) FROM person_links WHERE person_id = ? GROUP BY kind", (pid,)):
        counts[row[0]] = int(row[1])
    return counts


def actor_people(conn: sqlite3.Connection, actor_ids: Iterable[str], persons: Iterable[str] | None = None,
                 limit: int = 50) -> list[dict[str, Any]]:
    """The stored persons with a post for one of ``actor_ids`` (an actor's leaders, spokesmen,
    commanders...), of ``persons`` (ids) only when given, each with those posts: the list's,
    and one per role the documents give (``from``/``to``: the first and last document saying
    so, ``documents``: how many); those still in post first, then by their latest post."""
    ids = sorted(set(actor_ids))
    if not ids:
        return []
    sql = (f'SELECT o.person_id, p.name, o.role, o."from", o."to", o.source FROM person_posts o '
           f"JOIN persons p ON p.id = o.person_id WHERE o.actor_id IN ({', '.join('?' for _ in ids)})")
    params: list[Any] = list(ids)
    if persons is not None:
        wanted = sorted(set(persons))
        sql += f" AND o.person_id IN ({', '.join('?' for _ in wanted)})"
        params += wanted
    people: dict[str, dict[str, Any]] = {}
    reported: dict[tuple[str, str], dict[str, Any]] = {}
    for r in conn.execute(sql + ' ORDER BY o.person_id, o."from" DESC, o.id', params):
        p = people.setdefault(r["person_id"], {"id": r["person_id"], "name": r["name"], "posts": []})
        if r["source"] == "gazetteer":
            p["posts"].append({"role": r["role"], "from": r["from"], "to": r["to"], "source": "gazetteer",
                               "documents": 0})
            continue
        key = (r["person_id"], r["role"].casefold())
        post = reported.get(key)
        if post is None:
            post = reported[key] = {"role": r["role"], "from": r["from"], "to": r["to"], "source": "text",
                                    "documents": 0}
            p["posts"].append(post)
        post["documents"] += 1
        post["from"] = min(filter(None, (post["from"], r["from"])), default=None)
        post["to"] = max(filter(None, (post["to"], r["to"])), default=None)
    ordered = sorted(people.values(), key=lambda p: p["name"].casefold())
    ordered.sort(key=lambda p: max(x["from"] or "" for x in p["posts"]), reverse=True)  # latest post first
    ordered.sort(key=lambda p: not any(x["to"] is None and x["source"] == "gazetteer" for x in p["posts"]))
    return ordered[:limit]


def actor_names(conn: sqlite3.Connection, ids: Iterable[str | None]) -> dict[str, str]:
    """Actor id -> name, for the ids given (unknown ids left out)."""
    wanted = sorted({i for i in ids if i})
    names: dict[str, str] = {}
    for i in range(0, len(wanted), 400):
        chunk = wanted[i:i + 400]
        names.update((r[0], r[1]) for r in conn.execute(
            f"SELECT id, name FROM actors WHERE id IN ({', '.join('?' for _ in chunk)})", chunk))
    return names


def person_record(conn: sqlite3.Connection, found: dict[str, Any], limit: int | None = 50,
                  offsets: dict[str, int] | None = None) -> dict[str, Any]:
    """A stored person (as ``find_person`` gives it) with their ``posts`` over time, and a page
    of ``limit`` of their ``judgments``, ``events``, ``ties`` and ``mentions`` (from
    ``offsets[kind]``, default the first; ``counts`` says how many of each there are), and
    ``actor_names``: the names of the actors all these name."""
    pid = found["id"]
    rec = {**found, "posts": person_posts(conn, pid), "counts": count_links(conn, pid)}
    for kind in LINK_KINDS:
        rec[kind + "s"] = person_links(conn, pid, kind, limit, (offsets or {}).get(kind, 0))
    ids = [p["actor_id"] for p in rec["posts"]]
    ids += [x for e in rec["events"] for x in (*(e.get("actors") or []), *(e.get("targets") or []))]
    ids += [x for t in rec["ties"] for x in (t["subject"], t["object"])]
    ids += [j["speaker_actor"] for j in rec["judgments"]]
    rec["actor_names"] = actor_names(conn, ids)
    return rec


def suggestions(conn: sqlite3.Connection, name: str, n: int = 3) -> list[str]:
    """The names of up to ``n`` stored persons closest to ``name`` (for "did you mean")."""
    from khabar.suggest import close_matches

    names = [r[0] for r in conn.execute("SELECT name FROM persons ORDER BY name LIMIT 20000")]
    return close_matches(name, names, n=n)
