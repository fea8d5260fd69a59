"""Encodings told from the bytes, for the cases a byte-order mark and UTF-8 do not settle.

- UTF-16 without a byte-order mark: its NUL bytes made such a file look binary. The byte
  order is the one under which the text's spaces and line breaks are ASCII ones (read the
  wrong way round, a space U+0020 becomes U+2000 and Latin or Arabic letters become CJK).
- A short text in a Windows code page: a detector guesses wildly on a few bytes (a French
  note read as cp1250, an Arabic one as Big5), so it is asked to choose only between the
  code pages analysts' files come in (cp1252 Western, cp1256 Arabic, cp1251 Cyrillic), and
  only when there are enough non-ASCII bytes to choose on.
- Mojibake (UTF-8 read as cp1252, "itâ€™s"): lines that show its marks are repaired with
  ftfy, only those lines, since ftfy costs seconds on megabytes of clean non-ASCII text.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["utf16_without_bom", "short_code_page", "repair_mojibake", "SHORT_CODE_PAGES"]

SNIFF_BYTES = 16384  # bytes looked at to tell UTF-16 and its byte order
# Under UTF-16, at least this share of the characters looked at are ASCII spaces, tabs and
# line breaks: running text has them; random binary data almost never (4 in 65,536 values).
MIN_ASCII_SPACE = 0.02
MAX_REPLACED = 0.01  # share of undecodable units tolerated in the sample

SHORT_CODE_PAGES = ["cp1252", "cp1256", "cp1251"]
MIN_HIGH_BYTES = 4  # fewer non-ASCII bytes than this: too little to choose a code page on


MAX_ODD = 0.01  # share of control, private-use or unassigned characters tolerated (a NUL is one)


def _odd_share(text: str) -> float:
    """The share of characters no text holds: controls other than whitespace (U+0000 from a
    binary file's zero bytes), private-use and unassigned code points."""
    odd = sum(1 for c in text if c not in " \n\r\t\f" and unicodedata.category(c) in ("Cc", "Co", "Cn"))
    return odd / max(1, len(text))


def _spaces_share(text: str) -> float:
    return sum(1 for c in text if c in " \n\r\t") / max(1, len(text))


def utf16_without_bom(raw: bytes) -> str | None:
    """The text of ``raw`` when it is UTF-16 without a byte-order mark, else None.

    Both byte orders are tried on a sample; the one whose text has ASCII whitespace wins,
    provided the sample decodes with (almost) no unpaired surrogates."""
    sample = raw[:SNIFF_BYTES]
    sample = sample[: len(sample) - len(sample) % 2]
    if not sample:
        return None
    best, best_share = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        text = sample.decode(encoding, errors="replace")
        replaced = text.count("\ufffd") / max(1, len(text))
        share = _spaces_share(text)
        # a cut surrogate pair at the end of the sample is one replacement, not a verdict
        if (replaced <= MAX_REPLACED and share >= MIN_ASCII_SPACE and share > best_share
                and _odd_share(text) <= MAX_ODD):
            best, best_share = encoding, share
    if best is None:
        return None
    return raw.decode(best, errors="replace")


def short_code_page(raw: bytes) -> str:
    """The text of a short (under a few hundred bytes) non-UTF-8 ``raw``: cp1252 unless it
    holds enough non-ASCII bytes for charset-normalizer to choose among SHORT_CODE_PAGES."""
    if sum(1 for b in raw if b > 127) >= MIN_HIGH_BYTES:
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(raw, cp_isolation=SHORT_CODE_PAGES).best()
            if best is not None and best.encoding:
                return raw.decode(best.encoding, errors="replace")
        except (ImportError, LookupError, ValueError):
            pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


# A UTF-8 lead byte (C2-F4) read as cp1252/latin-1, followed by a continuation byte
# (80-BF) read the same way: "Ã©", "â€™", "Ø§". Clean Western or Arabic text has no such pair
# (an accented capital before a currency sign or a dash is the rare exception, and ftfy
# itself then declines to change it).
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
MAX_REPAIR_CHARS = 4_000_000  # lines repaired per text at most (ftfy takes ~4 s a megabyte)


def repair_mojibake(text: str) -> str:
    """``text`` with the lines that show UTF-8 mojibake repaired by ftfy ("itâ€™s" ->
    "it’s"); unchanged when there is none or ftfy is not installed."""
    if not text or _MOJIBAKE.search(text) is None:
        return text
    try:
        from ftfy import fix_encoding
    except ImportError:
        return text
    lines = text.split("\n")
    budget = MAX_REPAIR_CHARS
    for i, line in enumerate(lines):
        if budget <= 0:
            break
        if _MOJIBAKE.search(line):
            budget -= len(line)
            lines[i] = fix_encoding(line)
    return "\n".join(lines)
