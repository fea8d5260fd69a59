"""Remove site junk from an extracted text with general, line-based rules.

Scraped pages and newsletter exports carry photo credits, subscription
prompts, lists of unrelated headlines and navigation words. Left in, they
become false "evidence" (a related-headline naming another group is not what
this article says), so they are removed here. The rules are deliberately
general (shapes of lines, not one site's markup) and conservative: a line is
dropped only when it is short and matches a junk shape, so real sentences
such as "The group said it would subscribe to no ceasefire." survive.

``clean_text`` expects normalised text (see ``normalize.py``) and reports
every removed line with its reason, so that a surprising cut can be traced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Cleaned", "clean_text", "heading_spans"]

PROMPT_MAX = 120  # prompts and chrome are short; longer lines are content
HEADLINE_MAX = 200  # a headline-like line is shorter than this
TRAILING_RUN_MIN = 4  # headline-like lines needed at the end to call it a list
LEADING_MAX = 4  # lines before the first paragraph that may be title, deck, byline or dateline
HEADING_WORDS = 20  # a heading inside the text is at most this many words


@dataclass
class Cleaned:
    """The cleaned text and the (reason, line) pairs that were removed."""

    text: str
    removed: list[tuple[str, str]] = field(default_factory=list)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Lines that announce a photo credit or caption.
_CREDIT_MARKER = _rx(
    r"^(credit(s)?\s*(\.{2,}|\u2026|:)|credit$|(photo|image|picture)\s+credit|photo(graph)?\s*:"
    r"|image\s*:|picture\s*:|\(ap photo|photo by\s)"
)
# A short line ending in a picture agency: "Jim Smith/Getty Images".
_AGENCY_TAIL = _rx(
    r"/\s*[^/]{0,40}?(getty images|reuters|afp|associated press|ap|epa(-efe)?|anadolu( agency)?"
    r"|shutterstock|alamy|sipa|xinhua)\)?\.?$"
)
# The name line that follows a credit marker: "Jim Smith for The New York Times".
_CREDIT_NAME = re.compile(r"^[A-Z][\w.'\- ]{0,60}\s(for|via)\s+[\w.'&\- ]{2,60}$")

# Subscription, donation, sharing and cookie prompts (matched at line start).
_PROMPT = _rx(
    r"^(thanks?( you)? for reading|sign up (for|to|now|here|today)|support (my|our|this) "
    r"(research|work|journalism|reporting|newsletter)|share this( article| story| post| page)?\b"
    r"|click here|advertisement\b|skip advertisement|sponsored( content)?$|supported by$"
    r"|we use cookies|this (web)?site uses cookies|(accept|manage) (all )?cookies"
    r"|cookie (policy|settings|preferences|notice)|become a (paid )?(member|subscriber|patron)"
    r"|donate( now| today)?\b|follow us on|get (our|the) newsletter|newsletter$|skip to (main )?content"
    r"|(read more|read also|also read|related|see also|watch|listen)\s*:\s*\S)"
)
# "Subscribe ..." is only a prompt when it sounds like one: very short, or
# with a word prompts use. "Subscribe to no ceasefire talks" is not a prompt.
_SUBSCRIBE = _rx(r"^subscribe\b")
_PROMPT_WORDS = _rx(
    r"\b(our|my|newsletter|free|now|today|updates|here|receive|email|inbox|channel|podcast"
    r"|posts?|support|paid|premium|digital|access|unlimited|below)\b"
)

# Words that, alone on a line, are navigation or sharing chrome.
_CHROME_WORDS = {
    "close", "\u00d7", "x", "menu", "home", "share", "tweet", "print", "email", "e-mail",
    "facebook", "twitter", "whatsapp", "telegram", "linkedin", "copy link", "listen",
    "back to top", "search", "comments", "reply", "like", "save", "more", "next", "previous",
}  # fmt: skip

_MONTH = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?)\.?"
)
_WEEKDAY = r"(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day|nesday|rsday|urday)?\.?,?"
_TIME = r"\d{1,2}:\d{2}(:\d{2})?\s*([ap]\.?m\.?)?(\s*[a-z]{2,4})?"
# A line that is only a date (optionally with weekday, time, "Updated").
_DATE_LINE = _rx(
    rf"^((published|updated|posted)( on)?:?\s+)?({_WEEKDAY}\s+)?"
    rf"({_MONTH}\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})"
    rf"(,?\s*(at\s+)?{_TIME})?$"
)
# Only a time, or a media player's "0:00 / 3:12".
_TIME_LINE = _rx(rf"^{_TIME}(\s*/\s*{_TIME})?$")
# A closing reference such as "Source: Al Jazeera (https://...)".
_SOURCE_REF = re.compile(r"^source\s*:.{0,200}\(", re.IGNORECASE)

# Headings that introduce lists of other articles.
_LIST_HEADING = _rx(
    r"^(related( articles| stories| posts| content| coverage| reading| news| topics)?"
    r"|popular posts from this blog|read more|read next|also read|more from\b.{0,60}"
    r"|you (may|might) also (like|be interested in)|most (read|popular|viewed|shared)"
    r"|trending( now| stories)?|recommended( for you| stories| reading| articles)?"
    r"|latest( news| stories| articles| posts)?|top stories|editor'?s'? picks|what to read next"
    r"|more stories|see also)\s*:?$"
)

# A question mark does not end a headline-like line: "Is the Truce Over?" is a headline.
_SENTENCE_END = re.compile(r"[.!:;,\u2026]['\")\]]*$")
_WORD = re.compile(r"[^\W\d_][\w'\-]*")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "with", "from"}  # fmt: skip


def _is_title_case(line: str) -> bool:
    """Most significant words capitalised, as in "Militants Seize Border Town"."""
    words = [w for w in _WORD.findall(line) if w.lower() not in _SMALL_WORDS]
    if len(words) < 2:
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= 0.75


def _headline_like(line: str) -> bool:
    """Short, and either without a sentence ending or in title case."""
    if not line or len(line) >= HEADLINE_MAX:
        return False
    return not _SENTENCE_END.search(line) or _is_title_case(line)


def _paragraph_like(line: str) -> bool:
    """Clearly running text: long, or a sentence of several words."""
    return len(line) >= HEADLINE_MAX or (
        bool(re.search(r"[.!?]['\")\]]*$", line)) and len(line.split()) >= 8 and not _is_title_case(line)
    )


def _line_junk(line: str, after_credit: bool) -> str | None:
    """The reason a single line is junk, or None to keep it."""
    if _CREDIT_MARKER.match(line) and len(line) < HEADLINE_MAX:
        return "photo credit"
    if len(line) < PROMPT_MAX:
        if _AGENCY_TAIL.search(line) and "://" not in line:
            return "photo credit"
        if after_credit and _CREDIT_NAME.match(line):
            return "photo credit"
        if _PROMPT.match(line):
            return "prompt"
        if _SUBSCRIBE.match(line) and (len(line.split()) <= 4 or _PROMPT_WORDS.search(line)):
            return "prompt"
        if line.strip(" .:|\u00b7-").lower() in _CHROME_WORDS:
            return "site chrome"
        if _DATE_LINE.match(line) or _TIME_LINE.match(line):
            return "site chrome"
    return None


def _drop_line_junk(lines: list[str], removed: list[tuple[str, str]]) -> list[str]:
    kept: list[str] = []
    after_credit = False
    for raw in lines:
        # A leading bullet is decoration; the line's text is judged without it.
        line = re.sub(r"^\s*\u2022\s*", "", raw)
        if not line.strip():
            kept.append("")
            continue
        reason = _line_junk(line.strip(), after_credit)
        # Only a credit *marker* announces a name line; a name line does not.
        after_credit = bool(_CREDIT_MARKER.match(line.strip()))
        if reason:
            removed.append((reason, raw))
        else:
            kept.append(line)
    return kept


def _drop_headline_lists(lines: list[str], removed: list[tuple[str, str]]) -> list[str]:
    """Drop "Related ..." headings and the headline-like lines after them."""
    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line and len(line) < PROMPT_MAX and _LIST_HEADING.match(line):
            removed.append(("headline list", lines[i]))
            i += 1
            # Blank lines inside the list are part of it; a real paragraph ends it.
            while i < len(lines) and (not lines[i].strip() or _headline_like(lines[i].strip())):
                if lines[i].strip():
                    removed.append(("headline list", lines[i]))
                i += 1
            kept.append("")
            continue
        kept.append(lines[i])
        i += 1
    return kept


def _dedup_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _drop_repeats(lines: list[str], removed: list[tuple[str, str]]) -> list[str]:
    """Drop paragraphs (>= 40 chars) that repeat an earlier one; keep the first.

    A paragraph is a block between blank lines, or a single line that ends a
    sentence (extractors write one paragraph per line). Matching whole lines
    only when they end a sentence avoids cutting a hard-wrapped paragraph.
    """
    seen: set[str] = set()
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        key = _dedup_key(" ".join(block))
        if len(block) > 1 and len(key) >= 40 and key in seen:
            removed.extend(("repeated paragraph", b) for b in block)
        else:
            if len(block) > 1:
                seen.add(key)
            for b in block:
                k = _dedup_key(b)
                single = len(block) == 1 or re.search(r"[.!?]['\")\]]*$", b)
                if single and len(k) >= 40 and k in seen:
                    removed.append(("repeated paragraph", b))
                    continue
                if single:
                    seen.add(k)
                out.append(b)
        block.clear()

    for line in lines + [""]:
        if line.strip():
            block.append(line)
        else:
            if block:
                flush()
            out.append("")
    return out


def _drop_trailing_junk(lines: list[str], removed: list[tuple[str, str]]) -> list[str]:
    """Drop a closing source reference and a trailing list of headlines."""
    lines = list(lines)
    changed = True
    while changed:
        changed = False
        while lines and not lines[-1].strip():
            lines.pop()
        if lines and _SOURCE_REF.match(lines[-1].strip()) and len(lines[-1]) < 300:
            removed.append(("source reference", lines.pop()))
            changed = True
            continue
        # Walk back over headline-like lines (3+ words: headlines, not signature blocks).
        run: list[int] = []
        for i in range(len(lines) - 1, -1, -1):
            text = lines[i].strip()
            if not text:
                continue
            if _headline_like(text) and len(text.split()) >= 3:
                run.append(i)
            else:
                break
        start = run[-1] if run else len(lines)
        # Only when real text precedes the run: a short post made of headline-like
        # lines is the content itself, not a list appended to it.
        has_body = any(_paragraph_like(x.strip()) for x in lines[:start])
        if len(run) >= TRAILING_RUN_MIN and has_body:
            removed.extend(("trailing headline list", lines[i]) for i in sorted(run))
            del lines[start:]
            changed = True
    return lines


def clean_text(text: str) -> Cleaned:
    """Remove junk lines from normalised ``text``; report what went and why."""
    removed: list[tuple[str, str]] = []
    lines = text.split("\n")
    lines = _drop_line_junk(lines, removed)
    lines = _drop_headline_lists(lines, removed)
    lines = _drop_repeats(lines, removed)
    lines = _drop_trailing_junk(lines, removed)
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return Cleaned(cleaned, removed)


# A line that ends a sentence: a final period, exclamation, colon or semicolon, maybe
# closed by a quote or bracket. A question mark does not ("Will the Truce Hold?" is a title).
_FINAL = re.compile(r"[.!:;\u2026]['\"\u2019\u201d)\]]*$")


def _norm_line(line: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", line).split()).casefold()


def _is_heading(line: str) -> bool:
    """A short line in Title Case that does not end a sentence: "Militants Seize Border Town"."""
    return (len(line) < HEADLINE_MAX and len(line.split()) <= HEADING_WORDS and not _FINAL.search(line)
            and _is_title_case(line))


def heading_spans(text: str, title: str | None = None) -> list[tuple[int, int]]:
    """Character spans of the lines of ``text`` that are headings, not the article's prose:
    the title and what stands with it before the first paragraph (a deck, byline or
    dateline: short lines that end no sentence), a line that repeats the known ``title``
    (sidecar or HTML <title>), and lines in Title Case that end no sentence (section
    headings, lists of other headlines). A heading is never evidence of a tie, an event
    or a claim: it compresses or advertises, and a related headline is another article's.
    A text with no prose line (a short post, a list) has no headings: it is all content.
    """
    lines = [line.strip() for line in text.split("\n")]
    if not any(_paragraph_like(line) or (_FINAL.search(line) and len(line.split()) >= 6) for line in lines):
        return []  # no prose at all: a post or a list of lines is the content itself
    spans: list[tuple[int, int]] = []
    known = _norm_line(title) if title else ""
    leading = True
    seen = 0
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if leading and seen <= LEADING_MAX and len(line) < HEADLINE_MAX and not _FINAL.search(line):
            spans.append((start, end))
            continue
        leading = False
        norm = _norm_line(line)
        if (known and norm and (norm == known or (len(norm) >= 20 and known.startswith(norm)))) or _is_heading(line):
            spans.append((start, end))
    return spans
