"""Which language a document is in (an ISO 639-1 code, "en" when it cannot be told).

Most of what khabar reads is English, and English is told in microseconds by its function
words ("the", "of", "and" make a fifth of any English text). Only a text that lacks them
is looked at further:

- a short text in Latin script (a headline, a channel post) is too short for a statistical
  detector (langdetect calls "Militants Seize Border Town" German): it is another language
  only when that language's own function words are there ("Les talibans ont pris Kaboul"),
  else it stays English;
- a longer text, or one in another script, goes to langdetect, made deterministic
  (``DetectorFactory.seed = 0``: the same text always gets the same answer);
- without langdetect, a longer Latin-script text is named by function words too, and a
  text in another script by its script's main language.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["detect_language", "DEFAULT_LANGUAGE"]

DEFAULT_LANGUAGE = "en"
SAMPLE_CHARS = 5000  # the language is told from the start of the text
SHORT_WORDS = 30  # a Latin-script text of fewer words is judged by function words only
EN_SHARE = 0.12  # English function words make at least this share of an English text's words

_WORD = re.compile(r"[^\W\d_]+")

_ENGLISH = frozenset(
    "the of and to a in is that for on with was as by it from at are be has have had he she said its an not "
    "were which this they their his her been will would who after over but than".split())

# Function words that name a language without being common English words or another
# listed language's (so "de", "la", "que", "en" are left out).
_OTHERS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in {
        "fr": "le les des du une et est dans pour qui sur pas au aux ont été sont avec par ce cette ils leur "
              "selon mais ou où",
        "de": "der das und ist nicht ein eine den dem mit sich auf für von zu im des wird haben hat sind wurde "
              "auch nach bei",
        "es": "el los las y por para es se al está fue sus como pero más según",
        "pt": "os das dos uma não com em ao foi são seu sua também mais segundo",
        "it": "gli della delle degli che è sono nel alla anche più secondo",
        "nl": "het een van niet voor zijn werd ook naar",
        "id": "yang dan di ke dari untuk dengan ini itu tidak pada adalah akan",
        "tr": "ve bir bu için ile olarak çok daha ama",
    }.items()
}

# The main language of a script, when langdetect is not there to tell.
_SCRIPTS = {"ARABIC": "ar", "CYRILLIC": "ru", "HEBREW": "he", "DEVANAGARI": "hi", "CJK": "zh", "HANGUL": "ko",
            "HIRAGANA": "ja", "KATAKANA": "ja", "GREEK": "el", "THAI": "th", "BENGALI": "bn"}

_detector_ready = False


def _latin_share(letters: list[str]) -> float:
    return sum(1 for c in letters if c < "\u0250") / max(1, len(letters))


def _script_language(letters: list[str]) -> str:
    counts: dict[str, int] = {}
    for c in letters:
        name = unicodedata.name(c, "")
        script = next((s for s in _SCRIPTS if name.startswith(s)), None)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    return _SCRIPTS[max(counts, key=counts.__getitem__)] if counts else DEFAULT_LANGUAGE


def _langdetect(sample: str) -> str | None:
    global _detector_ready
    try:
        from langdetect import DetectorFactory, detect_langs
        from langdetect.lang_detect_exception import LangDetectException
    except ImportError:
        return None
    if not _detector_ready:
        DetectorFactory.seed = 0
        _detector_ready = True
    try:
        found = detect_langs(sample)
    except LangDetectException:
        return None
    return found[0].lang if found else None


def detect_language(text: str) -> str:
    """The language of ``text`` as a lowercase code ("en", "ar", "fr", "zh-cn"...)."""
    sample = text[:SAMPLE_CHARS]
    letters = [c for c in sample if c.isalpha()]
    if len(letters) < 3:
        return DEFAULT_LANGUAGE
    latin = _latin_share(letters) >= 0.5
    by_words = DEFAULT_LANGUAGE  # a Latin-script text's language by function words
    if latin:
        words = _WORD.findall(sample.lower())
        english = sum(1 for w in words if w in _ENGLISH)
        if english >= EN_SHARE * len(words):
            return DEFAULT_LANGUAGE
        hits = {lang: sum(1 for w in words if w in stop) for lang, stop in _OTHERS.items()}
        lang = max(hits, key=hits.__getitem__)
        by_words = lang if hits[lang] >= 2 and hits[lang] > english else DEFAULT_LANGUAGE
        if len(words) < SHORT_WORDS:
            return by_words
    found = _langdetect(sample)
    if found is not None:
        return found
    return by_words if latin else _script_language(letters)
