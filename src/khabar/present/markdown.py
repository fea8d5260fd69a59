"""Render the brief data as Markdown: the same sections as the HTML brief, the network as a list of edges.

Every value from the data goes through :func:`khabar.present.text.md_escape`
(HTML special characters become entities, Markdown syntax is backslash-escaped,
newlines collapse), so a document cannot inject HTML, links, headings or code
into a Markdown renderer. Only ``http``/``https`` URLs become links. Events
(when the data has them) are a table; activity is text, with a block-character
sparkline instead of the HTML brief's figures.
"""

from __future__ import annotations

from typing import Any

from khabar.schema import MODALITIES

from .model import (
    EVENTS_SHOWN,
    EVIDENCE_SHOWN,
    SECTIONS,
    as_int,
    change_text,
    concentration_text,
    ordered_event_types,
    prepare,
    section_heading,
    select_evidence,
)
from .network import select_nodes
from .text import kind_label, md_escape, safe_url, truncate
from .timeline import text_sparkline

__all__ = ["render_markdown"]

_SEP = " \u00b7 "
_ARROW = "\u2192"
_COUNTS = (("documents", "Documents"), ("duplicates", "Duplicates"), ("sources", "Sources"),
           ("actors", "Actors"), ("ties", "Ties"), ("assertions", "Assertions"))


def _link(url: Any, text: Any) -> str:
    """A Markdown link for http(s) URLs; otherwise the text with the URL as escaped text."""
    href = safe_url(url)
    if href:
        # safe_url excludes spaces, quotes and angle brackets, so a <...> destination cannot be closed early.
        return f"[{md_escape(text)}](<{href}>)"
    if url:
        return f"{md_escape(text)} \u2014 URL not linked: {md_escape(url)}"
    return md_escape(text)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _overview(view: dict[str, Any]) -> list[str]:
    ov = view["overview"]
    lines = [f"## {SECTIONS[0][1]}", ""]
    lines += [f"- {label}: {as_int(ov.get(key))}" for key, label in _COUNTS]
    first, last = ov.get("first_published"), ov.get("last_published")
    span = f"{md_escape(first or '?')} \u2013 {md_escape(last or '?')}" if first or last else "unknown"
    lines += [f"- Published: {span}", "", "### Documents", ""]
    rows = [[f"\\[{d['n']}\\]", md_escape(d["published"] or ""), md_escape(d["source"] or ""),
             _link(d["url"], d["title"] or d["name"] or "untitled") + (" (cited only)" if d["cited_only"] else "")]
            for d in view["documents"]]
    return lines + (_table(["#", "Published", "Source", "Title"], rows) if rows else ["No documents.", ""])


def _actors(view: dict[str, Any]) -> list[str]:
    lines = [f"## {SECTIONS[1][1]}", ""]
    rows = []
    for actor in view["actors"]:
        name = md_escape(actor.get("name") or actor.get("id") or "?")
        if actor.get("listed", True) is False:
            name += " *(unlisted)*"
        surfaces = [s for s in actor.get("surfaces") or [] if s]
        seen = ", ".join(md_escape(s) for s in surfaces[:8])
        seen += f" +{len(surfaces) - 8} more" if len(surfaces) > 8 else ""
        rows.append([name, md_escape(kind_label(actor.get("kind"))), seen, str(as_int(actor.get("mentions"))),
                     str(as_int(actor.get("documents")))])
    if not rows:
        return lines + ["No actors.", ""]
    return lines + _table(["Name", "Kind", "Names seen", "Mentions", "Documents"], rows) + [
        "*Unlisted: found by NER only, not in the gazetteer.*", ""]


def _network(view: dict[str, Any]) -> list[str]:
    lines = [f"## {SECTIONS[2][1]}", ""]
    drawn = {n["id"] for n in select_nodes(view["raw_actors"], view["raw_ties"])}
    edges = []
    for group in view["groups"]:
        arrow = "\u2194" if group["symmetric"] else "\u2192"
        for tie in group["ties"]:
            if tie["subject"] in drawn and tie["object"] in drawn:
                flags = [tie["modality"]] + (["contested"] if tie["contested"] else [])
                edges.append(f"- {md_escape(tie['subject_name'])} {arrow} {md_escape(tie['object_name'])} "
                             f"({md_escape(group['label'])}; {', '.join(flags)}; {tie['evidence']} evidence)")
    return lines + (edges or ["No ties to draw."]) + [""]


def _evidence(tie: dict[str, Any], docs: dict[int, dict[str, Any]]) -> list[str]:
    shown, hidden = select_evidence(tie["assertions"], EVIDENCE_SHOWN)
    lines = []
    for a in shown:
        lines += [f"> \u201c{md_escape(a.get('sentence') or '')}\u201d", ">"]
        cite = [] if a["modality"] == "asserted" else [f"*{a['modality']}*"]
        if a.get("attributed_to"):
            cite.append(f"attributed to {md_escape(a['attributed_to'])}")
        doc = docs.get(a["cite"]) if a.get("cite") else None
        if doc:
            where = ", ".join(md_escape(x) for x in (doc["title"] or doc["name"], doc["source"], doc["published"]) if x)
            cite.append(f"\\[{doc['n']}\\] {where}")
        lines += [f"> \u2014 {_SEP.join(cite)}" if cite else ">", ""]
    if hidden:
        lines += [f"*+{hidden} more*", ""]
    return lines


def _ties(view: dict[str, Any]) -> list[str]:
    docs = {d["n"]: d for d in view["documents"]}
    lines = [f"## {SECTIONS[3][1]}", ""]
    if not view["groups"]:
        return lines + ["No ties.", ""]
    for group in view["groups"]:
        arrow = "\u2194" if group["symmetric"] else "\u2192"
        lines += [f"### {md_escape(group['label'].capitalize())} ({len(group['ties'])})", ""]
        if group["description"]:
            lines += [f"*{md_escape(group['description'])}*", ""]
        for tie in group["ties"]:
            lines += [f"#### {md_escape(tie['subject_name'])} {arrow} {md_escape(tie['object_name'])}", ""]
            stats = [f"{tie['evidence']} evidence", f"{tie['sources']} independent sources",
                     f"{tie['documents']} documents", f"first seen {md_escape(tie['first_seen'] or '?')}",
                     f"last seen {md_escape(tie['last_seen'] or '?')}"]
            stats += [f"{m} {tie['counts'][m]}" + (" (dominant)" if m == tie["modality"] else "")
                      for m in MODALITIES if tie["counts"][m]]
            if tie["contested"]:
                stats.insert(0, "**CONTESTED**")
            lines += [_SEP.join(stats), ""] + _evidence(tie, docs)
    return lines


def _event_row(row: dict[str, Any], docs: dict[int, dict[str, Any]]) -> list[str]:
    date = md_escape(row["date"] or "undated") + (f" ({md_escape(row['precision'])})" if row["precision"] else "")
    who = md_escape(", ".join(row["actors"]) or "?")
    if row["targets"]:
        who += " \u2192 " + md_escape(", ".join(row["targets"]))
    fatalities = md_escape(row["fatalities"]) + (f", {row['injured']} injured" if row["injured"] else "")
    reports = f"{row['reports']} / {row['sources']}"
    evidence = ""
    if row["sentence"]:
        evidence = f"\u201c{md_escape(truncate(' '.join(str(row['sentence']).split()), 320))}\u201d"
    doc = docs.get(row["cite"]) if row["cite"] else None
    if doc:
        evidence += f" \\[{doc['n']}\\]"
    return [date, md_escape(row["type"]), who, md_escape(row["place"]), fatalities, reports, evidence.strip()]


def _events(view: dict[str, Any]) -> list[str]:
    if not view["has_events"]:
        return []
    lines = [f"## {section_heading('events')}", ""]
    rows = view["events"]
    if not rows:
        return lines + ["No events.", ""]
    docs = {d["n"]: d for d in view["documents"]}
    types = ", ".join(f"{sum(1 for r in rows if r['type'] == t)} {t}" for t in ordered_event_types(
        {r["type"] for r in rows}))
    lines += [f"{len(rows)} events ({md_escape(types)}); {sum(1 for r in rows if r['span'])} dated. "
              "Most recent first; evidence cites the first report's document \\[n\\].", ""]
    shown = rows[:EVENTS_SHOWN]
    lines += _table(["Date", "Type", "Actors \u2192 targets", "Place", "Fatalities", "Reports / sources", "Evidence"],
                    [_event_row(r, docs) for r in shown])
    if len(rows) > len(shown):
        lines += [f"*{len(shown)} most recent events shown; {len(rows) - len(shown)} older events not shown.*", ""]
    return lines


def _activity(view: dict[str, Any]) -> list[str]:
    if not view["activity"]:
        return []
    lines = [f"## {section_heading('activity')}", ""]
    for entry in view["activity"]:
        by = str(entry["by"])
        lines += [f"### {md_escape(entry['name'])}", ""]
        spark = text_sparkline(entry["series"])
        if spark:
            first, last = entry["series"][0].get("start"), entry["series"][-1].get("start")
            most = max(as_int(s.get("count")) for s in entry["series"])
            lines += [f"Events per {md_escape(by)}, {md_escape(first or '?')} \u2013 {md_escape(last or '?')}: "
                      f"{spark} (max {most})", ""]
        lines += [f"- {md_escape(change_text(c, by, arrow=_ARROW))}" for c in entry["changes"]]
        if entry["concentration"]:
            lines.append(f"- Where: {md_escape(concentration_text(entry['concentration']))}")
        lines.append("")
    return lines


def render_markdown(data: dict[str, Any]) -> str:
    """The brief as Markdown text."""
    view = prepare(data)
    lines = [f"# {md_escape(view['title'])}", "",
             f"Generated {md_escape(view['generated'] or 'unknown')} \u00b7 "
             f"database {md_escape(view['db'] or 'unknown')}",
             "", "*Evidence is quoted from open sources, including propaganda.*", ""]
    for section in (_overview, _actors, _network, _events, _activity, _ties):
        lines += section(view)
    return "\n".join(lines).rstrip() + "\n"
