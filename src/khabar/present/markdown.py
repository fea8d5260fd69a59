"""Render the brief data as Markdown: the same sections as the HTML brief, the network as a list of edges.

Every value from the data goes through :func:`khabar.present.text.md_escape`
(HTML special characters become entities, Markdown syntax is backslash-escaped,
newlines collapse), so a document cannot inject HTML, links, headings or code
into a Markdown renderer. Only ``http``/``https`` URLs become links. Events
(when the data has them) are a table; activity is text, with a block-character
sparkline instead of the HTML brief's figures. Key judgments are a list of
quotes with band, speaker and citation, then the comparison and score tables;
disagreements quote both sides of each contested tie. Citations carry the
source's reliability grade, ties and events their credibility with its reason.
"""

from __future__ import annotations

from typing import Any

from khabar.schema import MODALITIES

from .model import (
    EVENTS_SHOWN,
    EVIDENCE_SHOWN,
    SIDE_SHOWN,
    as_int,
    band_text,
    brier_text,
    change_text,
    concentration_text,
    credibility_text,
    ordered_event_types,
    percent_range,
    prepare,
    scope_note,
    section_heading,
    select_evidence,
)
from .network import select_nodes
from .network_brief import network_analysis_markdown
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


def _graded(source: Any, grade: Any) -> str:
    """``Source (B)``; the bare source without a grade."""
    if not grade:
        return md_escape(source or "")
    return f"{md_escape(source)} ({grade})" if source else f"({grade})"  # grade: one of A-F


def _citation(item: dict[str, Any], docs: dict[int, dict[str, Any]], *, full: bool = True) -> str:
    """``\\[n\\] Title, Source (B), date`` (``\\[n\\] Source (B)`` unless ``full``)."""
    doc = docs.get(item.get("cite")) if item.get("cite") else None
    if not doc:
        return _graded(item.get("source"), item.get("grade"))
    title = doc["title"] or doc["name"]
    parts = [md_escape(title)] if title and full else []
    if doc["source"] or item.get("grade"):
        parts.append(_graded(doc["source"], item.get("grade")))
    if doc["published"] and full:
        parts.append(md_escape(doc["published"]))
    if item.get("page"):
        parts.append(f"p. {int(item['page'])}")
    return f"\\[{doc['n']}\\]" + (f" {', '.join(parts)}" if parts else "")


def _credibility(cred: dict[str, Any] | None, *, reason: bool = True) -> str:
    """``credibility 3 \u00b7 possibly true (reason)``; ``""`` without a rating."""
    if not cred:
        return ""
    text = md_escape(credibility_text(cred))
    return text + (f" ({md_escape(cred['reason'])})" if reason and cred["reason"] else "")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _overview(view: dict[str, Any]) -> list[str]:
    ov = view["overview"]
    lines = [f"## {section_heading('overview')}", ""]
    lines += [f"- {label}: {as_int(ov.get(key))}" for key, label in _COUNTS]
    first, last = ov.get("first_published"), ov.get("last_published")
    span = f"{md_escape(first or '?')} \u2013 {md_escape(last or '?')}" if first or last else "unknown"
    lines += [f"- Published: {span}", ""]
    note = scope_note(ov)
    if note:
        lines += [md_escape(note), ""]
    lines += ["### Documents", ""]
    rows = [[f"\\[{d['n']}\\]", md_escape(d["published"] or ""), _graded(d["source"], d["reliability"]),
             _link(d["url"], d["title"] or d["name"] or "untitled") + (" (cited only)" if d["cited_only"] else "")]
            for d in view["documents"]]
    return lines + (_table(["#", "Published", "Source", "Title"], rows) if rows else ["No documents.", ""])


def _actors(view: dict[str, Any]) -> list[str]:
    lines = [f"## {section_heading('actors')}", ""]
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
    lines = [f"## {section_heading('network')}", ""]
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
        if a.get("cite") and docs.get(a["cite"]):
            cite.append(_citation(a, docs))
        lines += [f"> \u2014 {_SEP.join(cite)}" if cite else ">", ""]
    if hidden:
        lines += [f"*+{hidden} more*", ""]
    return lines


def _ties(view: dict[str, Any]) -> list[str]:
    docs = {d["n"]: d for d in view["documents"]}
    lines = [f"## {section_heading('ties')}", ""]
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
            if tie["credibility"]:
                stats.append(_credibility(tie["credibility"]))
            lines += [_SEP.join(stats), ""] + _evidence(tie, docs)
    return lines


def _event_row(row: dict[str, Any], docs: dict[int, dict[str, Any]]) -> list[str]:
    date = md_escape(row["date"] or "undated") + (f" ({md_escape(row['precision'])})" if row["precision"] else "")
    who = md_escape(", ".join(row["actors"]) or "?")
    if row["targets"]:
        who += " \u2192 " + md_escape(", ".join(row["targets"]))
    fatalities = md_escape(row["fatalities"]) + (f", {row['injured']} injured" if row["injured"] else "")
    reports = f"{row['reports']} / {row['sources']}"
    if row["credibility"]:
        reports += f"; {_credibility(row['credibility'])}"
    evidence = ""
    if row["sentence"]:
        evidence = f"\u201c{md_escape(truncate(' '.join(str(row['sentence']).split()), 320))}\u201d"
    if row["cite"] and docs.get(row["cite"]):
        evidence += f" {_citation(row, docs, full=False)}"
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


def _judgment(j: dict[str, Any], docs: dict[int, dict[str, Any]]) -> list[str]:
    lines = [f"> \u201c{md_escape(j['text'])}\u201d", ">"]
    estimate = []
    if band_text(j):
        estimate.append(f"**{md_escape(band_text(j))}**")
    if j["confidence"]:
        estimate.append(f"{md_escape(j['confidence'])} confidence")
    who = md_escape(j["speaker"]) + (f", {md_escape(j['role'])}" if j["role"] else "")
    who += f" ({md_escape(j['speaker_kind'])})" if j["speaker_kind"] else ""
    estimate.append(who)
    if j["about"]:
        estimate.append("about " + md_escape(", ".join(name for _, name in j["about"])))
    if j["due"]:
        estimate.append(f"due {md_escape(j['due'])}")
    if j["outcome"]:
        estimate.append(f"outcome: {j['outcome']}")
    cite = _citation(j, docs)
    if cite:
        estimate.append(cite)
    return lines + [f"> \u2014 {_SEP.join(estimate)}", ""]


def _compare(rows: list[dict[str, Any]], docs: dict[int, dict[str, Any]]) -> list[str]:
    table = []
    for row in rows:
        entries = []
        for e in row["entries"]:
            span = percent_range(e["low"], e["high"])
            cite = _citation(e, docs, full=False) if e.get("cite") and docs.get(e["cite"]) else ""
            entries.append(f"{md_escape(e['speaker'])}: {md_escape(e['band'] or e['estimate'] or '?')}"
                           + (f" ({md_escape(span)})" if span else "") + (f" {cite}" if cite else ""))
        if row["hidden"]:
            entries.append(f"+{row['hidden']} more")
        table.append([md_escape(row["name"]) + (" (split)" if row["split"] else ""), "; ".join(entries)])
    return (["### Judgments by speaker about the same actors", "",
             "*Actors that two speakers or more judged with an estimative band; highest probability first. "
             "Split: some above even chance, some below (they may be about different questions).*", ""]
            + _table(["About", "Speaker: band (probability)"], table))


def _score_table(rows: list[dict[str, Any]], label: str) -> list[str]:
    table = [[md_escape(r["name"]), str(r["n"]), brier_text(r["mean_brier"]),
              f"{r['mean_p']:.2f}" if r["mean_p"] is not None else "\u2014",
              f"{r['hit_rate'] * 100:.0f}%" if r["hit_rate"] is not None else "\u2014",
              md_escape("; ".join(r["notes"]))] for r in rows]
    return _table([label, "Scored", "Mean Brier", "Mean forecast", "Happened", "Notes"], table)


def _judgments(view: dict[str, Any]) -> list[str]:
    section = view["judgments"]
    if not section:
        return []
    docs = {d["n"]: d for d in view["documents"]}
    lines = [f"## {section_heading('judgments')}", ""]
    if section["shown"]:
        lines += [f"{section['total']} attributed judgment{'s' if section['total'] != 1 else ''}, "
                  f"{section['banded']} with an estimative band (ICD 203): those first, the most certain either way "
                  "first, then the most recent.", ""]
        for j in section["shown"]:
            lines += _judgment(j, docs)
        if section["hidden"]:
            lines += [f"*{len(section['shown'])} shown; {section['hidden']} more "
                      f"judgment{'s' if section['hidden'] != 1 else ''} not shown.*", ""]
    if section["compare"]:
        lines += _compare(section["compare"], docs)
    scores = section["scores"]
    if scores:
        lines += ["### Forecast scores", "",
                  f"{scores['n']} judgment{'s' if scores['n'] != 1 else ''} scored, {scores['pending']} pending; "
                  f"mean Brier score {brier_text(scores['mean_brier'])} (0 is perfect; always saying 50% scores "
                  "0.25; lower is better).", ""]
        if scores["by_speaker"]:
            lines += _score_table(scores["by_speaker"], "Speaker")
        if scores["by_source"]:
            lines += _score_table(scores["by_source"], "Source")
    return lines


def _side(items: list[dict[str, Any]], docs: dict[int, dict[str, Any]], heading: str) -> list[str]:
    lines = [f"**{heading} ({len(items)})**", ""]
    if not items:
        return lines + ["None quoted.", ""]
    for a in items[:SIDE_SHOWN]:
        cite = [md_escape(a["attributed_to"] or a["source"] or "unknown")]
        if a["modality"] == "predicted":
            cite.append("*predicted*")
        if (a.get("cite") and docs.get(a["cite"])) or a.get("grade"):
            cite.append(_citation(a, docs))
        lines += [f"> \u201c{md_escape(a['sentence'])}\u201d", ">", f"> \u2014 {_SEP.join(cite)}", ""]
    if len(items) > SIDE_SHOWN:
        lines += [f"*+{len(items) - SIDE_SHOWN} more*", ""]
    return lines


def _disagreements(view: dict[str, Any]) -> list[str]:
    section = view["disagreements"]
    if not section:
        return []
    docs = {d["n"]: d for d in view["documents"]}
    lines = [f"## {section_heading('disagreements')}", "",
             "Ties that some sources assert and others deny. Both sides are quoted; nothing is averaged.", ""]
    for item in section["items"]:
        lines += [f"### {md_escape(item['subject_name'])} {md_escape(item['label'])} "
                  f"{md_escape(item['object_name'])}", ""]
        if item["credibility"]:
            lines += [_credibility(item["credibility"]), ""]
        lines += _side(item["for"], docs, "Says so") + _side(item["against"], docs, "Says not")
    if section["hidden"]:
        lines += [f"*{len(section['items'])} shown; {section['hidden']} more not shown.*", ""]
    return lines


def render_markdown(data: dict[str, Any]) -> str:
    """The brief as Markdown text."""
    view = prepare(data)
    lines = [f"# {md_escape(view['title'])}", "",
             f"Generated {md_escape(view['generated'] or 'unknown')} \u00b7 "
             f"database {md_escape(view['db'] or 'unknown')}",
             "", "*Evidence is quoted from open sources, including propaganda.*", ""]
    for section in (_overview, _judgments, _actors, _network, _events, _activity, _disagreements, _ties):
        lines += section(view)
        if section is _activity:
            lines += network_analysis_markdown(data.get("network_analysis"))
    return "\n".join(lines).rstrip() + "\n"
