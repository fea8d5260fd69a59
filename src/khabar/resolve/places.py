"""The offline place gazetteer (``data/places.yaml``): name lookup, mention scanning, admin chains.

:func:`load_places` reads the table once; :class:`Places` answers

* ``get(id)`` and ``country(code)``;
* ``lookup(name, country=None)``: one place for a name, spelling-insensitive
  ("Ningarhar", "Sarwan Qal‘ah District", "Orakzai Agency", "D.I. Khan");
* ``scan(text)``: the place names in a text, longest first, as character spans;
* ``within(place)``: the chain place -> district -> province -> country;
* ``near(place)``: a town read as "near X" (geo precision 2).

Names the table lacks fall back, only when a lookup misses, to the countries and
first-level states of the ``countrystatecity_countries`` package (offline data; its
cities too when the caller names the country). The table wins on conflicts.
:func:`load_outlines` returns the simplified country outlines of ``data/outlines.json``.
Nothing here reaches the network.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from khabar.data import parse_yaml
from khabar.resolve.names import is_acronym, slug
from khabar.schema import Place

__all__ = ["Places", "load_places", "load_outlines", "place_key", "KINDS", "PRECISION"]

KINDS = ("country", "province", "district", "city", "town", "village", "area", "site", "border")
# geo precision of each kind (areas and borders may say otherwise in the table)
PRECISION = {"country": 4, "province": 3, "district": 2, "city": 1, "town": 1, "village": 1, "site": 1,
             "area": 2, "border": 2}
# which of several places of one name a bare name means: "Kabul" is the city, not the province
_RANK = {"country": 0, "city": 1, "town": 2, "village": 3, "site": 4, "province": 5, "district": 6, "area": 7,
         "border": 8}

# letters that Unicode decomposition leaves alone
_FOLD = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"})
_WORD = re.compile(r"[^\W_]+")

# Generic words around a name, as word tuples of the normalised text, and the kinds they point to.
_DISTRICT = frozenset({"district"})
_PROVINCE = frozenset({"province"})
_TOWN = frozenset({"city", "town"})
_SUFFIXES: tuple[tuple[tuple[str, ...], frozenset[str] | None], ...] = (
    (("tribal", "district"), _DISTRICT), (("tribal", "agency"), _DISTRICT), (("tribal", "region"), _DISTRICT),
    (("border", "crossing"), frozenset({"town", "site", "border"})),
    (("crossing", "point"), frozenset({"town", "site"})),
    (("district",), _DISTRICT), (("agency",), _DISTRICT), (("tehsil",), _DISTRICT), (("subdivision",), _DISTRICT),
    (("province",), _PROVINCE), (("governorate",), _PROVINCE), (("oblast",), _PROVINCE), (("state",), _PROVINCE),
    (("region",), frozenset({"province", "area"})), (("city",), _TOWN), (("town",), _TOWN),
    (("village",), frozenset({"village", "town"})), (("valley",), frozenset({"area"})),
    (("border",), frozenset({"border", "town", "site"})), (("crossing",), frozenset({"town", "site"})),
    (("area",), None), (("areas",), None),
)
_PREFIXES: tuple[tuple[tuple[str, ...], frozenset[str] | None], ...] = (
    (("the",), None), (("city", "of"), _TOWN), (("town", "of"), _TOWN), (("village", "of"), frozenset({"village"})),
    (("province", "of"), _PROVINCE), (("district", "of"), _DISTRICT),
)
# plurals after a name in running text ("Bannu and Tank districts") hint the kind but stay outside the span
_PLURALS = {"districts": _DISTRICT, "agencies": _DISTRICT, "provinces": _PROVINCE, "valleys": frozenset({"area"})}
# words before a name that make a "strict" name (also an ordinary word: "Tank", "Kot") a place
_LOCATIVE = frozenset({"in", "near", "at", "from", "of", "outside", "to", "into", "across", "around", "toward",
                       "towards", "within", "inside", "via", "through", "between", "and", "on", "off", "nearby"})
_DATELINE = re.compile(r",\s+[A-Z]")  # "KABUL, Afghanistan (AP) -"
_GAP = re.compile(r"[ \t\u00a0\-\u2010-\u2015'\u2018\u2019\u02bc\u02bb`\u00b4.&]{1,3}|\s")


def place_key(text: str) -> str:
    """The key under which two spellings of a name compare equal: no case, accents or punctuation.

    >>> place_key("Sarwan Qal‘ah") == place_key("sarwan qalah")
    True
    """
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().translate(_FOLD)
    return "".join(c for c in s if c.isalnum())


def _words(text: str) -> list[str]:
    """The normalised words of a name ("Mazar-i-Sharif" -> ["mazar", "i", "sharif"])."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().translate(_FOLD)
    s = re.sub(r"['\u2018\u2019\u02bc\u02bb`\u00b4\u02bf\u02be]", "", s)
    return _WORD.findall(s)


def _token_key(token: str) -> str:
    return token.lower() if token.isascii() else place_key(token)


class Places:
    """The place table: places by id, a name index, and a scanner for running text."""

    def __init__(self, places: Iterable[Place], version: str = "", strict: Iterable[str] = ()) -> None:
        self.version = version
        self._places: dict[str, Place] = {}
        for p in places:
            if p.id in self._places:
                raise ValueError(f"place id {p.id!r} is used twice")
            self._places[p.id] = p
        self._order = {pid: i for i, pid in enumerate(self._places)}
        self._strict = frozenset(strict)
        self._countries = {p.country: p for p in self._places.values() if p.kind == "country" and p.country}
        self._fill_admin()
        # key -> [(place id, the letters of its spellings as written, whether all of them are acronyms)]
        self._index: dict[str, list[tuple[str, frozenset[str], bool]]] = {}
        for p in self._places.values():
            self._add_names(p)
        self._prefixes = {key[:i] for key in self._index for i in range(1, len(key) + 1)}
        self._fallback: _Fallback | None = None

    # ------------------------------------------------------------------ building
    def _add_names(self, place: Place) -> None:
        """Index the name and variants of a place: key -> (id, exact letter forms, acronym-only)."""
        forms: dict[str, tuple[set[str], bool]] = {}
        for name in [place.name, *place.variants]:
            key = place_key(name)
            if not key:
                continue
            exact, acronym_only = forms.get(key, (set(), True))
            exact.add(re.sub(r"[\W_]", "", name))
            forms[key] = (exact, acronym_only and _acronym(name))
        for key, (exact, acronym_only) in forms.items():
            self._index.setdefault(key, []).append((place.id, frozenset(exact), acronym_only))

    def _fill_admin(self) -> None:
        """Set admin1 (province) and admin2 (district) on every place from its parent chain."""
        for p in self._places.values():
            chain = self._chain(p)
            p.admin1 = next((q.name for q in chain if q.kind == "province"), None)
            p.admin2 = next((q.name for q in chain if q.kind == "district"), None)

    def _chain(self, place: Place) -> list[Place]:
        chain, seen = [place], {place.id}
        while chain[-1].parent and chain[-1].parent not in seen:
            parent = self._get(chain[-1].parent)
            if parent is None:
                break
            chain.append(parent)
            seen.add(parent.id)
        return chain

    # ------------------------------------------------------------------ access
    def __len__(self) -> int:
        return len(self._places)

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._places

    def __iter__(self) -> Iterator[Place]:
        return (_copy(p) for p in self._places.values())

    def _get(self, place_id: str) -> Place | None:
        found = self._places.get(place_id)
        if found is None and self._fallback is not None:
            found = self._fallback.extra.get(place_id)
        return found

    def get(self, place_id: str) -> Place | None:
        """The place with this id (a copy), or None."""
        found = self._get(place_id)
        return _copy(found) if found else None

    def country(self, code: str) -> Place | None:
        """The country with this ISO 3166-1 alpha-2 code, from the table or else the fallback."""
        code = (code or "").strip().upper()
        found = self._countries.get(code)
        if found is None and len(code) == 2:
            found = self._fallbacks().country(code)
        return _copy(found) if found else None

    def within(self, place: Place | str) -> list[Place]:
        """The place and the places that enclose it, up to its country: [district, province, country]."""
        start = self._get(place) if isinstance(place, str) else self._get(place.id) or place
        return [_copy(p) for p in self._chain(start)] if start else []

    def near(self, place: Place) -> Place:
        """A copy read as "near X" or "outside X": a town, village or site becomes precision 2."""
        precision = 2 if place.precision == 1 else place.precision
        return dataclasses.replace(place, precision=precision, variants=list(place.variants))

    # ------------------------------------------------------------------ lookup
    def candidates(self, name: str) -> list[Place]:
        """Every place of the table a name may stand for (generic words stripped), best first."""
        found, hint = self._resolve_words(_words(name))
        return [_copy(p) for p in self._ranked(found, hint, None)]

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The canonical names of the ``n`` places of the table whose name or a variant is
        closest to ``name`` (spelling-insensitive), best first: what to offer a user when
        ``lookup`` finds nothing ("Nangarhr" -> ["Nangarhar"])."""
        import difflib

        wanted = place_key(name)
        if not wanted:
            return []
        names = {key: self._places[entries[0][0]].name for key, entries in self._index.items()}
        scored = []
        for key in difflib.get_close_matches(wanted, list(names), n=n * 3, cutoff=0.7):
            scored.append((difflib.SequenceMatcher(None, wanted, key).ratio(), key))
        # a far second is noise beside a near first ("Kabol": Kabul, not Karbala)
        best = max((score for score, _ in scored), default=0.0)
        return list(dict.fromkeys(names[k] for score, k in scored if score >= best - 0.15))[:n]

    def lookup(self, name: str, country: str | None = None) -> Place | None:
        """The place a name stands for, or None.

        Spelling-insensitive; generic words around the name ("District", "Province", "Agency",
        "tribal district", "city", "the ... area", "Valley" where the bare name is known) are
        stripped and taken as a hint to the kind. "X district of Y" and "X, Y" prefer the X
        inside Y. Among several places of one name the kind word wins, then ``country``, then
        city over province over district (a bare "Kabul" is the city).
        """
        country = country.upper() if country else None
        words = _words(name)
        if not words:
            return None
        best = self._best(words, country)
        if best is None:
            best = self._contained(name, country)
        if best is None:
            best = self._fallbacks().lookup(words, country, self)
        return _copy(best) if best else None

    def _best(self, words: list[str], country: str | None) -> Place | None:
        found, hint = self._resolve_words(words)
        if not found:
            return None
        ranked = self._ranked(found, hint, country)
        if country and ranked[0].country != country:
            other = self._fallbacks().lookup(words, country, self, countries=False)
            if other is not None:
                return other
        return ranked[0]

    def _contained(self, name: str, country: str | None) -> Place | None:
        """ "Achin District of Nangarhar", "Baharak, Takhar": the head name inside the tail place."""
        m = re.match(r"^(.*\S)\s*(?:,\s*|\s+(?:in|of)\s+)(.+)$", name.strip(), flags=re.I)
        if not m:
            return None
        head, tail = m.group(1), m.group(2)
        container = self.lookup(tail, country)
        found, hint = self._resolve_words(_words(head))
        if not found:
            return None
        if container is not None:
            inside = [p for p in found if any(q.id == container.id for q in self._chain(p))]
            if inside:
                return self._ranked(inside, hint, country)[0]
            country = country or container.country
        return self._ranked(found, hint, country)[0]

    def _resolve_words(self, words: list[str]) -> tuple[list[Place], frozenset[str] | None]:
        """Places for a word list, stripping generic words until a name is found, and the kind they hint at."""
        hint: frozenset[str] | None = None
        for _ in range(4):
            if not words:
                break
            found = self._places_for(place_key("".join(words)))
            if found:
                return found, hint
            cut = _strip(words)
            if cut is None:
                break
            words, kinds = cut
            hint = kinds or hint
        return [], None

    def _places_for(self, key: str) -> list[Place]:
        return [self._places[entry[0]] for entry in self._index.get(key, ())]

    def _ranked(self, found: list[Place], hint: frozenset[str] | None, country: str | None) -> list[Place]:
        """Places of one name, best first: the hinted kind, then the country, then the default kind order."""
        def score(p: Place) -> tuple[int, int, int, int]:
            return (0 if hint is None or p.kind in hint else 1, 0 if country is None or p.country == country else 1,
                    _RANK.get(p.kind, 9), self._order.get(p.id, 10**6))
        return sorted(found, key=score)

    def _fallbacks(self) -> _Fallback:
        if self._fallback is None:
            self._fallback = _Fallback()
        return self._fallback

    # ------------------------------------------------------------------ scanning
    def scan(self, text: str) -> list[tuple[int, int, Place]]:
        """Place names in a text as (start, end, place), in text order, without overlaps.

        A name starts with a capital letter ("chaman" is no hit) and covers whole words;
        the longest name wins. A kind word after it ("Province", "District", "Agency",
        "tribal district", "Valley", "area", "city") picks among places of one name and
        joins the span. Names that are also ordinary words ("Tank", "Kot") count only with
        a kind word or after a locative word ("in Tank"); acronyms ("US", "KP") only in
        their own case; a word of up to four capitals ("SWAT") only if the table has it so, or
        in a dateline ("GAZA, Palestine").
        """
        tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        n = len(tokens)
        keys: list[str | None] = [None] * n

        def key(i: int) -> str:
            k = keys[i]
            if k is None:
                k = keys[i] = _token_key(tokens[i][2])
            return k

        def joined(i: int) -> bool:  # may token i+1 continue a name begun before it?
            return i + 1 < n and _GAP.fullmatch(text, tokens[i][1], tokens[i + 1][0]) is not None

        found: list[tuple[int, int, int, int, Place]] = []  # start, end, first token, last token, place
        for i, (_, _, word) in enumerate(tokens):
            if not word[0].isupper():
                continue
            acc, j, last = "", i, None
            while j < n:
                acc += key(j)
                if acc not in self._prefixes:
                    break
                if acc in self._index:
                    last = (j, acc)
                if not joined(j):
                    break
                j += 1
            if last is not None:
                hit = self._scan_hit(text, tokens, i, last[0], last[1], key)
                if hit is not None:
                    found.append(hit)
        # longest first, then leftmost; a token belongs to one name at most
        found.sort(key=lambda h: (h[0] - h[1], h[0]))
        used = [False] * n
        taken = []
        for start, end, first, last_token, place in found:
            if any(used[first:last_token + 1]):
                continue
            used[first:last_token + 1] = [True] * (last_token + 1 - first)
            taken.append((start, end, _copy(place)))
        return sorted(taken, key=lambda h: h[0])

    def _scan_hit(self, text: str, tokens: list[tuple[int, int, str]], i: int, j: int, key: str,
                  token_key) -> tuple[int, int, int, int, Place] | None:
        """The place a name at tokens i..j stands for, with its span and token range; None if it does not count."""
        start, end = tokens[i][0], tokens[j][1]
        surface = text[start:end]
        cs = re.sub(r"[\W_]", "", surface)
        # "SWAT", "GAO", "TANK": short capitals are an acronym unless the table spells them so, or in a dateline
        shouting = (2 <= sum(c.isalpha() for c in cs) and len(cs) <= 4 and cs.isupper()
                    and not _DATELINE.match(text, end))
        entries = []
        for pid, exact, acronym_only in self._index[key]:
            # an acronym only in its own case ("US", not "Us"); "SWAT" or "TANK" only if written so in the table
            if cs in exact or not (acronym_only or shouting):
                entries.append(pid)
        if not entries:
            return None
        # a kind word after the name
        hint, suffix_end, suffix_last = None, None, j
        k = j + 1
        if k < len(tokens) and text[end:tokens[k][0]].strip() == "":
            w1 = token_key(k)
            w2 = token_key(k + 1) if k + 1 < len(tokens) and text[tokens[k][1]:tokens[k + 1][0]].strip() == "" else ""
            for words, kinds in _SUFFIXES:
                if (words[0],) == (w1,) and len(words) == 1 or words == (w1, w2):
                    suffix_last = k + len(words) - 1
                    hint, suffix_end = kinds, tokens[suffix_last][1]
                    break
            else:
                if w1 in _PLURALS:
                    hint = _PLURALS[w1]
        places = self._ranked([self._places[pid] for pid in entries], hint, None)
        place = places[0]
        if place.id in self._strict and not self._strict_ok(text, tokens, i, j, hint):
            place = next((p for p in places if p.id not in self._strict), None)
            if place is None:
                return None
        if suffix_end is not None and (hint is None or place.kind in hint):
            end, j = suffix_end, suffix_last
        elif text[end:end + 1] == "." and "." in surface and len(tokens[j][2]) == 1:  # the last dot of "U.S."
            end += 1
        return start, end, i, j, place

    def _strict_ok(self, text: str, tokens: list[tuple[int, int, str]], i: int, j: int,
                   hint: frozenset[str] | None) -> bool:
        """A name that is also an ordinary word counts with a kind word, or after a locative word."""
        if hint is not None:
            return True
        if i == 0 or tokens[i - 1][2].lower() not in _LOCATIVE:
            return False
        nxt = tokens[j + 1][2] if j + 1 < len(tokens) else ""
        gap = text[tokens[j][1]:tokens[j + 1][0]] if j + 1 < len(tokens) else ""
        return not (nxt[:1].isupper() and gap.strip() == "")


def _strip(words: list[str]) -> tuple[list[str], frozenset[str] | None] | None:
    """Remove one generic word group from a word list, the front first ("the Swat Valley" -> "Swat Valley")."""
    for affix, kinds in _PREFIXES:
        if len(words) > len(affix) and tuple(words[: len(affix)]) == affix:
            return words[len(affix):], kinds
    for affix, kinds in _SUFFIXES:
        if len(words) > len(affix) and tuple(words[-len(affix):]) == affix:
            return words[: -len(affix)], kinds
    return None


def _acronym(name: str) -> bool:
    """ "US", "KP", "K-P", "D.I. Khan": spellings that count in a text only in their own case."""
    letters = [c for c in name if c.isalpha()]
    return is_acronym(name) or (2 <= len(letters) <= 5 and all(c.isupper() for c in letters))


def _copy(place: Place) -> Place:
    return dataclasses.replace(place, variants=list(place.variants))


class _Fallback:
    """Countries, first-level states and (per country) cities of ``countrystatecity_countries``.

    Loaded lazily, and only when the table has no answer: the package's country and
    state files take a fraction of a second; its 150,000 cities are read one country at
    a time, and only when the caller names the country.
    """

    def __init__(self) -> None:
        self.extra: dict[str, Place] = {}
        self._countries: dict[str, Place] | None = None  # iso2 -> Place
        self._country_names: dict[str, str] = {}  # key -> iso2
        self._states: dict[str, dict[str, list[Place]]] = {}  # iso2 -> key -> places
        self._cities: dict[str, dict[str, list[Place]]] = {}
        self._state_codes: dict[str, dict[str, Place]] = {}  # iso2 -> state code -> place
        self._all_states = False

    @staticmethod
    def _api():
        try:
            import countrystatecity_countries as csc
        except ImportError:  # the package is optional: without it there is no fallback
            return None
        return csc

    def _load_countries(self) -> dict[str, Place]:
        if self._countries is None:
            self._countries = {}
            csc = self._api()
            for c in csc.get_countries() if csc else []:
                place = Place(id=c.iso2.lower(), name=c.name, kind="country", country=c.iso2,
                              lat=_num(c.latitude), lon=_num(c.longitude), precision=4)
                self._countries[c.iso2] = place
                self._country_names.setdefault(place_key(c.name), c.iso2)
        return self._countries

    def country(self, code: str) -> Place | None:
        return self._load_countries().get(code)

    def _load_states(self, code: str, table: Places) -> dict[str, list[Place]]:
        """The package's states of one country by name key; a province of the table stands for its state."""
        if code not in self._states:
            index: dict[str, list[Place]] = {}
            csc = self._api()
            parent = table._countries.get(code) or self._load_countries().get(code)
            for s in csc.get_states_of_country(code) if csc else []:
                keys = {place_key(s.name), place_key(_bare_state(s.name))} - {""}
                own = [p for k in keys for p in table._places_for(k) if p.kind == "province" and p.country == code]
                if own:
                    place = own[0]
                else:
                    place = Place(id=f"csc-{code.lower()}-{slug(s.state_code or s.name)}", name=s.name,
                                  kind="province", country=code, admin1=s.name, lat=_num(s.latitude),
                                  lon=_num(s.longitude), precision=3, parent=parent.id if parent else None)
                    self.extra.setdefault(place.id, place)
                self._state_codes.setdefault(code, {})[s.state_code or ""] = place
                for key in keys:
                    index.setdefault(key, []).append(place)
            self._states[code] = index
        return self._states[code]

    def _load_cities(self, code: str, table: Places) -> dict[str, list[Place]]:
        if code not in self._cities:
            index: dict[str, list[Place]] = {}
            csc = self._api()
            self._load_states(code, table)
            states = self._state_codes.get(code, {})
            for c in csc.get_cities_of_country(code) if csc else []:
                state = states.get(c.state_code or "")
                place = Place(id=f"csc-{code.lower()}-city-{c.id}", name=c.name, kind="town", country=code,
                              admin1=state.name if state else None, lat=_num(c.latitude), lon=_num(c.longitude),
                              precision=1, parent=state.id if state else None)
                self.extra.setdefault(place.id, place)
                index.setdefault(place_key(c.name), []).append(place)
            self._cities[code] = index
        return self._cities[code]

    def lookup(self, words: list[str], country: str | None, table: Places, countries: bool = True) -> Place | None:
        """A country, state or (with ``country``) city of the package for a name the table lacks."""
        if self._api() is None:
            return None
        cut: tuple[list[str], frozenset[str] | None] | None = (words, None)
        while cut is not None:
            words = cut[0]
            key = place_key("".join(words))
            if countries and key:
                self._load_countries()
                code = self._country_names.get(key)
                if code and (country is None or code == country):
                    return table._countries.get(code) or self._countries[code]  # type: ignore[index]
            if country:
                found = self._load_states(country, table).get(key) or self._load_cities(country, table).get(key)
            else:
                found = next((s[key] for s in self._every_state(table) if key in s), None)
            if found:
                return found[0]
            cut = _strip(words)
        return None

    def _every_state(self, table: Places) -> list[dict[str, list[Place]]]:
        if not self._all_states:
            for code in sorted(self._load_countries()):
                self._load_states(code, table)
            self._all_states = True
        return [self._states[code] for code in sorted(self._states)]


def _bare_state(name: str) -> str:
    """ "Punjab Province" -> "Punjab", "Kunduz Province" -> "Kunduz": the state name without its kind word."""
    return re.sub(r"\s+(province|region|state|governorate|oblast|district|division|county)$", "", name, flags=re.I)


def _num(value: Any) -> float | None:
    try:
        return round(float(value), 4)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------- loading
def _place(row: dict[str, Any]) -> Place:
    kind = row["kind"]
    if kind not in KINDS:
        raise ValueError(f"place {row.get('id')!r}: unknown kind {kind!r}")
    return Place(id=str(row["id"]), name=str(row["name"]), kind=kind,
                 country=str(row["country"]) if row.get("country") else None,
                 lat=float(row["lat"]) if row.get("lat") is not None else None,
                 lon=float(row["lon"]) if row.get("lon") is not None else None,
                 precision=int(row.get("precision") or PRECISION[kind]),
                 parent=str(row["parent"]) if row.get("parent") else None,
                 variants=[str(v) for v in row.get("variants") or []])


def _read(text: str) -> Places:
    data = parse_yaml(text)
    rows = data["places"]
    return Places((_place(r) for r in rows), version=str(data.get("version", "")),
                  strict=(str(r["id"]) for r in rows if r.get("strict")))


@functools.cache
def _default_places() -> Places:
    return _read(resources.files("khabar.data").joinpath("places.yaml").read_text("utf-8"))


def load_places(path: str | Path | None = None) -> Places:
    """The place table (``data/places.yaml`` unless a path is given; the default is read once)."""
    if path is None:
        return _default_places()
    return _read(Path(path).read_text(encoding="utf-8"))


@functools.cache
def load_outlines() -> dict[str, dict]:
    """Country outlines of ``data/outlines.json``: code -> {"name", "rings": [[[lon, lat], ...], ...]}.

    The dict is shared between callers: read it, do not change it.
    """
    text = resources.files("khabar.data").joinpath("outlines.json").read_text("utf-8")
    return json.loads(text)["countries"]
