"""Who published or wrote a text, read off the text itself when no metadata says so.

Looked for in the raw text, before cleaning removes the lines that carry it:

* a dateline naming the outlet: "WASHINGTON DC (The Soufan Center): ...", "KABUL (AP) -";
* an author's closing note: "Jane Doe is a researcher and analyst on ..." near the end;
* photo credits: "Credit...Jim Smith for The New York Times" (the outlet named most often);
* a page-title line ending in the outlet: "The Taliban Are Back ... - The New York Times".

The first kind found, in that order, wins. A sidecar's ``source`` always overrides this.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["infer_source"]

_ORG = r"(?:The\s+)?[A-Z][\w&.'’-]*(?:\s+(?:of\s+|for\s+|and\s+|&\s+)?[A-Z][\w&.'’-]*){0,5}"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# A wire dateline: the place in capitals ("MUMBAI") or a place with its country in brackets
# ("Kabul [Afghanistan]"), then perhaps ", Country" and ", Month Day", then the agency in
# brackets and a dash or colon: "MUMBAI, India (AP) —", "NIAMEY, May 16 (Reuters) -".
_DATELINE = re.compile(
    rf"^\s*(?:[A-Z][A-Z .'/-]{{1,40}}?|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s*\[[A-Z][A-Za-z .'-]{{1,40}}\])"
    rf"(?:,\s*[A-Z][A-Za-z.'-]+(?:\s[A-Z][A-Za-z.'-]+)?)?(?:,\s*{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"
    rf"\s*\((?P<org>{_ORG})\)\s*[:\-—–]")
_BIO = re.compile(
    r"^\s*(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s+is\s+(?:an?|the)\s+[^.]{0,80}?\b(?:researcher|"
    r"analyst|fellow|professor|journalist|writer|reporter|correspondent|director|expert|scholar|editor|author|"
    r"lecturer|consultant)\b")
# a credit line: "Credit...Jim Smith for The New York Times", "Photo: Jim Smith for Reuters"
_CREDIT = re.compile(rf"(?i:credit|photo|image|©).{{0,80}}?\bfor\s+(?P<org>{_ORG})(?<!\.)\s*$")
_TRAILER = re.compile(rf"^.{{10,300}}?\s[-|–—]\s(?P<org>{_ORG})(?<!\.)\s*\(?\s*$")
_TAIL_LINES = 12


def infer_source(raw: str) -> str | None:
    """The publisher or author a text names for itself, or None."""
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    for line in lines[:5]:
        m = _DATELINE.match(line)
        if m:
            return m.group("org").strip()
    for line in lines[-_TAIL_LINES:]:
        m = _BIO.match(line)
        if m:
            return m.group("name").strip()
    edges = lines[:3] + lines[-_TAIL_LINES:]
    for pattern, where in ((_CREDIT, lines), (_TRAILER, edges)):
        found = Counter(m.group("org").strip() for line in where if len(line) < 400 and (m := pattern.search(line)))
        if found:
            return found.most_common(1)[0][0]
    return None
