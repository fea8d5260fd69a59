"""Text normalisation and document identity.

Every later stage stores character offsets into the text this module produces,
so ``normalize_text`` must be deterministic and idempotent: running it twice
must give the same string as running it once, or offsets computed on a stored
document would drift when the document is re-normalised on re-ingest.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["normalize_text", "doc_id", "valid_unicode", "printable"]

# Typographic quotes become plain ASCII ones, so that quote-based rules
# (attribution, quoted speech) need to know only two characters.
_QUOTES = {
    "\u2018": "'",  # left single quote
    "\u2019": "'",  # right single quote
    "\u201a": "'",  # single low-9 quote
    "\u201b": "'",  # single high-reversed-9 quote
    "\u2032": "'",  # prime
    "\u201c": '"',  # left double quote
    "\u201d": '"',  # right double quote
    "\u201e": '"',  # double low-9 quote
    "\u2033": '"',  # double prime
}

# Characters that separate lines in some encodings or producers (form feed
# between PDF pages, Unicode line/paragraph separators, NEL from latin-1).
# Turning them into "\n" keeps the line structure instead of gluing lines.
_LINE_BREAKS = {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}

# Unicode space separators (no-break, thin, ideographic, ...) all mean "a space".
_ODD_SPACES = {chr(c): " " for c in (0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)}

_TABLE = str.maketrans({**_QUOTES, **_LINE_BREAKS, **_ODD_SPACES})

# Categories dropped outright: Cc (control), Cf (format: zero-width spaces and
# joiners, soft hyphen, BOM, bidi overrides that can disguise text) and Cs (lone
# surrogates, which JSON can smuggle in and which cannot be encoded to UTF-8).
_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_KEEP_CONTROLS = frozenset("\n\t")

_EM_DASH_RUN = re.compile("\u2014{2,}")
_SPACE_RUN = re.compile(" {2,}")
_BLANK_RUN = re.compile(r"\n{3,}")
# spaCy's tokenizer takes quadratic time on an unbroken run of punctuation (20 KB of "="
# took two minutes): a run is cut to its first PUNCT_RUN_KEEP characters, which still
# shows a rule line or an ellipsis for what it is.
PUNCT_RUN_KEEP = 24
_PUNCT_RUN = re.compile(r"(?:[^\w\s]|_){" + str(PUNCT_RUN_KEEP + 1) + ",}")


def _drop_invisible(text: str) -> str:
    """Remove control, format and surrogate code points, keeping newline and tab. The
    categories of the distinct characters are looked up (a text of 50,000 characters has a
    few hundred), then one ``str.translate`` drops them: no Python loop over the text."""
    drop = {ord(ch): None for ch in set(text)
            if ch not in _KEEP_CONTROLS and unicodedata.category(ch) in _DROP_CATEGORIES}
    return text.translate(drop) if drop else text


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(value: str | None) -> str | None:
    """``value`` with lone surrogates (from "\\ud800" in JSON, or undecodable bytes of a file
    name) replaced by U+FFFD, so that it can be stored, printed and encoded."""
    return _SURROGATE.sub("\ufffd", value) if value else value


def printable(value: str) -> str:
    """``value`` fit to print on a terminal: control characters (escape codes) shown as
    ``\\x1b`` and the like, lone surrogates replaced."""
    value = valid_unicode(value) or ""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in value)


def normalize_text(text: str) -> str:
    """Return the canonical form of ``text`` that offsets refer to.

    Order matters for idempotence: characters are mapped and dropped first,
    then NFC composes what remains (so a removed zero-width char between a
    letter and its accent cannot leave an uncomposed pair), and whitespace
    is tidied last, because NFC never creates whitespace.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n")
    text = text.translate(_TABLE)
    text = _drop_invisible(text)
    text = unicodedata.normalize("NFC", text)
    # A doubled em dash is a typewriter habit for one dash; any run becomes one
    # (a run, not a pair, so that a tripled dash also reaches the fixed point).
    text = _EM_DASH_RUN.sub("\u2014", text)
    text = _PUNCT_RUN.sub(lambda m: m.group()[:PUNCT_RUN_KEEP], text)
    text = _SPACE_RUN.sub(" ", text)
    # Per-line rstrip, not a "[ \t]+$" regex: the regex is quadratic on a long
    # run of tabs that does not reach a line end (hostile input can be 20 MB).
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    # At most one blank line between paragraphs: "\n\n" is the paragraph break.
    text = _BLANK_RUN.sub("\n\n", text)
    return text.strip()


def doc_id(text: str) -> str:
    """The sha256 hex digest of the normalised text: a document's identity."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
