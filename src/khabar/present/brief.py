"""Render the brief data as one self-contained HTML file (and re-export the Markdown renderer).

The HTML is built with :func:`khabar.present.text.esc` around every value from
the data; the only markup not escaped is produced here or in
:mod:`khabar.present.network` from constants, numbers and validated colours.
The page loads nothing: inline CSS, inline SVG, no scripts, and a
Content-Security-Policy that forbids scripts and any remote resource. Links to
document URLs are plain ``<a href>`` and only for ``http``/``https`` URLs.

When the data has ``events`` the brief gets an "Events" section (timeline,
map and a table of the most recent events, each citing its first report's
document); when it has a non-empty ``activity`` list, an "Activity" section
(a sparkline per actor, its changes in words, where its events concentrate).
When it has ``judgments`` (or scored ``forecast_scores``), a "Key judgments"
section (quotes with their band and probability range, speaker, due date and
outcome; a table comparing speakers about the same actors; Brier scores); when
it has ``disagreements``, a "Where sources disagree" section (each contested tie
with the quotes that say so and those that say not, side by side). Citations
show the source's reliability grade, ties and events their credibility rating.
"""

from __future__ import annotations

import re
from typing import Any

from khabar.schema import MODALITIES

from .geomap import event_map_svg
from .markdown import render_markdown
from .model import (
    EVENTS_SHOWN,
    EVIDENCE_SHOWN,
    SECTIONS,
    SIDE_SHOWN,
    as_int,
    band_text,
    brier_text,
    change_text,
    concentration_text,
    credibility_text,
    grade_title,
    ordered_event_types,
    percent_range,
    prepare,
    scope_note,
    section_heading,
    select_evidence,
)
from .network import MAX_NODES, network_svg
from .network_brief import ANCHORS as NETWORK_ANCHORS
from .network_brief import network_analysis_html
from .styles import CSS
from .text import esc, kind_label, safe_url, truncate
from .timeline import sparkline_svg, timeline_svg

__all__ = ["render_html", "render_markdown"]

_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_SEP = " \u00b7 "
_COUNTS = (("documents", "Documents"), ("duplicates", "Duplicates"), ("sources", "Sources"),
           ("actors", "Actors"), ("ties", "Ties"), ("assertions", "Assertions"))
_SENTENCE_CHARS = 320  # evidence sentence shown in the events table
# The brief's own additions to the stylesheet: sections that fold, and the analyst's marks.
_EXTRA_CSS = ("details.fold > summary { cursor: pointer; list-style-position: outside; } "
              "details.fold > summary > h2 { display: inline; } "
              ".badge.analyst-confirmed { background: #e3f4e6; color: #1d5b2a; border: 1px solid #7bbf88; } "
              ".badge.analyst-rejected { background: #fbe7e7; color: #7a1f1f; border: 1px solid #d99; } "
              "@media print { details.fold > summary { list-style: none; } }")
_SECTION_TAG = re.compile(r"<section\b[^>]*>|</section>")


def collapsible(html: str) -> str:
    """Every top-level ``<section>`` of ``html`` that opens with an ``<h2>`` made collapsible
    without script: its heading becomes the ``<summary>`` of a ``<details open>`` holding the
    rest (nested sections are left as they are). Document text is escaped before it gets
    here, so every ``<section`` in ``html`` is markup this module wrote."""
    out: list[str] = []
    wrapped: list[bool] = []
    pos = 0
    for m in _SECTION_TAG.finditer(html):
        out.append(html[pos:m.start()])
        pos = m.end()
        tag = m.group(0)
        if tag == "</section>":
            if wrapped and wrapped.pop():
                out.append("</details>")
            out.append(tag)
            continue
        if not wrapped and html.startswith("<h2>", m.end()):
            end = html.index("</h2>", m.end()) + len("</h2>")
            out.append(f'{tag}<details class="fold" open><summary>{html[m.end():end]}</summary>')
            pos = end
            wrapped.append(True)
        else:
            out.append(tag)
            wrapped.append(False)
    out.append(html[pos:])
    return "".join(out)


def _analyst_mark(status: Any) -> str:
    """A badge saying an analyst confirmed (or rejected) an item ("" when none has)."""
    if status not in ("confirmed", "rejected"):
        return ""
    label = "\u2713 analyst confirmed" if status == "confirmed" else "analyst rejected"
    return f'<span class="badge analyst-{status}" title="an analyst reviewed this and {status} it">{label}</span>'


def _link(url: Any, text: Any) -> str:
    """``text`` as a link if ``url`` is http(s); otherwise the text and the URL shown as text."""
    href = safe_url(url)
    if href:
        return f'<a href="{esc(href)}" rel="noopener noreferrer nofollow">{esc(text)}</a>'
    if url:
        return f'{esc(text)} <span class="url-text">{esc(url)}</span>'
    return esc(text)


def _date_range(first: Any, last: Any) -> str:
    if not first and not last:
        return "unknown"
    return f"{first or '?'} \u2013 {last or '?'}"


def _shown_sections(view: dict[str, Any]) -> list[tuple[str, str]]:
    """The sections this brief has (judgments, events, activity, disagreements only when the data has them)."""
    present = {"events": view["has_events"], "activity": bool(view["activity"]),
               "judgments": bool(view["judgments"]), "disagreements": bool(view["disagreements"])}
    shown = [(anchor, heading) for anchor, heading in SECTIONS if present.get(anchor, True)]
    if view.get("network_analysis"):  # its two sections stand before "Where sources disagree"
        before = ("disagreements", "ties")
        at = next((i for i, (a, _) in enumerate(shown) if a in before), len(shown))
        shown[at:at] = list(NETWORK_ANCHORS)
    return shown


def _graded(source: Any, grade: Any) -> str:
    """``Source (B)`` with the grade's meaning as a tooltip; the bare source without a grade."""
    if not grade:
        return esc(source or "")
    label = f"{source} ({grade})" if source else f"({grade})"
    return f'<span class="graded" title="{esc(grade_title(grade))}">{esc(label)}</span>'


def _citation(item: dict[str, Any], docs: dict[int, dict[str, Any]], *, full: bool = True) -> str:
    """``[n] Title, Source (B), date`` linking to the documents list (``[n] Source (B)`` unless ``full``)."""
    doc = docs.get(item.get("cite")) if item.get("cite") else None
    if not doc:
        return _graded(item.get("source"), item.get("grade"))
    title = doc["title"] or doc["name"]
    plain = ", ".join(str(x) for x in (title, doc["source"], doc["published"]) if x)
    parts = [esc(title)] if title and full else []
    if doc["source"] or item.get("grade"):
        parts.append(_graded(doc["source"], item.get("grade")))
    if doc["published"] and full:
        parts.append(esc(doc["published"]))
    if item.get("page"):
        parts.append(f"p. {int(item['page'])}")
    where = ", ".join(parts)
    return f'<a href="#doc-{doc["n"]}" title="{esc(plain)}">[{doc["n"]}]</a>' + (f" {where}" if where else "")


def _credibility(cred: dict[str, Any] | None) -> str:
    """The credibility badge (rating and label) with its reason as a tooltip; ``""`` without a rating."""
    if not cred:
        return ""
    return (f'<span class="badge cred cred-{cred["rating"]}" title="{esc(cred["reason"] or cred["label"])}">'
            f"{esc(credibility_text(cred))}</span>")


def _header(view: dict[str, Any]) -> str:
    nav = " ".join(f'<a href="#{anchor}">{heading}</a>' for anchor, heading in _shown_sections(view))
    return (f'<header class="masthead"><h1>{esc(view["title"])}</h1>'
            f'<p class="meta">Generated <time>{esc(view["generated"] or "unknown")}</time> \u00b7 '
            f'database <code>{esc(view["db"] or "unknown")}</code></p><nav>{nav}</nav>'
            '<p class="warning">Evidence is quoted from open sources, including propaganda. '
            "Quotes are shown as text; document links are only followed if you click them.</p></header>")


def _overview(view: dict[str, Any]) -> str:
    ov = view["overview"]
    counts = "".join(f"<div><dt>{label}</dt><dd>{as_int(ov.get(key))}</dd></div>" for key, label in _COUNTS)
    rows = []
    for doc in view["documents"]:
        title = doc["title"] or doc["name"] or "untitled"
        extra = ' <span class="badge">cited only</span>' if doc["cited_only"] else ""
        rows.append(f'<tr id="doc-{doc["n"]}"><td class="num">[{doc["n"]}]</td><td>{esc(doc["published"] or "")}</td>'
                    f'<td>{_graded(doc["source"], doc["reliability"])}</td><td>{_link(doc["url"], title)}{extra}</td></tr>')
    table = ('<table class="documents"><thead><tr><th class="num">#</th><th>Published</th><th>Source</th>'
             f'<th>Title</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
             if rows else '<p class="note">No documents.</p>')
    note = scope_note(ov)
    return (f'<section id="overview"><h2>{section_heading("overview")}</h2><dl class="counts">{counts}</dl>'
            + (f'<p class="note">{esc(note)}</p>' if note else "")
            + f'<p>Published: {esc(_date_range(ov.get("first_published"), ov.get("last_published")))}</p>'
            f"<h3>Documents</h3>{table}</section>")


def _actors(view: dict[str, Any]) -> str:
    names = {str(a.get("id")): a.get("name") for a in view["actors"]}
    rows = []
    for actor in view["actors"]:
        name = esc(actor.get("name") or actor.get("id") or "?")
        if actor.get("listed", True) is False:
            name += ' <span class="badge unlisted" title="found by NER only, not in the gazetteer">unlisted</span>'
        if actor.get("parent"):
            parent = names.get(str(actor["parent"])) or actor["parent"]
            name += f' <span class="note">(part of {esc(parent)})</span>'
        surfaces = [s for s in actor.get("surfaces") or [] if s]
        seen = ", ".join(esc(s) for s in surfaces[:8])
        if len(surfaces) > 8:
            seen += f' <span class="more">+{len(surfaces) - 8} more</span>'
        rows.append(f'<tr><td>{name}</td><td>{esc(kind_label(actor.get("kind")))}</td><td>{seen}</td>'
                    f'<td class="num">{as_int(actor.get("mentions"))}</td>'
                    f'<td class="num">{as_int(actor.get("documents"))}</td></tr>')
    body = ('<table class="actors"><thead><tr><th>Name</th><th>Kind</th><th>Names seen</th>'
            f'<th class="num">Mentions</th><th class="num">Documents</th></tr></thead><tbody>{"".join(rows)}'
            "</tbody></table>" if rows else '<p class="note">No actors.</p>')
    return f'<section id="actors"><h2>{section_heading("actors")}</h2>{body}</section>'


def _network(view: dict[str, Any]) -> str:
    svg = network_svg(view["raw_actors"], view["raw_ties"])
    return (f'<section id="network"><h2>{section_heading("network")}</h2><figure>{svg}<figcaption>Actors with ties '
            f"(the {MAX_NODES} most mentioned at most), sized by mentions and shaped by kind; "
            "edges coloured by tie type, "
            "arrows for directed types, dashed when mostly negated, dotted when mostly predicted, "
            "\u201c?\u201d when contested.</figcaption></figure></section>")


def _modality_badges(tie: dict[str, Any]) -> str:
    out = []
    for m in MODALITIES:
        count = tie["counts"][m]
        if count:
            dominant = " dominant" if m == tie["modality"] else ""
            out.append(f'<span class="badge mod-{m}{dominant}">{m} {count}</span>')
    return "".join(out)


def _evidence(tie: dict[str, Any], docs: dict[int, dict[str, Any]]) -> str:
    shown, hidden = select_evidence(tie["assertions"], EVIDENCE_SHOWN)
    items = []
    for a in shown:
        m = a["modality"]
        cite = []
        if m != "asserted":
            cite.append(f'<span class="badge mod-{m}">{m}</span>')
        if a.get("attributed_to"):
            cite.append(f"attributed to {esc(a['attributed_to'])}")
        if a.get("cite") and docs.get(a["cite"]):
            cite.append(_citation(a, docs))
        if a.get("analyst"):
            cite.append(_analyst_mark(a["analyst"]))
        items.append(f'<li><blockquote class="mod-{m}">\u201c{esc(a.get("sentence") or "")}\u201d</blockquote>'
                     f'<p class="cite">{_SEP.join(cite)}</p></li>')
    more = f'<p class="more">+{hidden} more</p>' if hidden else ""
    return (f'<ol class="evidence">{"".join(items)}</ol>' if items else "") + more


def _tie(tie: dict[str, Any], symmetric: bool, docs: dict[int, dict[str, Any]]) -> str:
    arrow = "\u2194" if symmetric else "\u2192"
    badges = [f'<span class="badge">{tie["evidence"]} evidence</span>',
              f'<span class="badge">{tie["sources"]} independent sources</span>',
              f'<span class="badge">{tie["documents"]} documents</span>',
              f'<span class="badge">first seen {esc(tie["first_seen"] or "?")}</span>',
              f'<span class="badge">last seen {esc(tie["last_seen"] or "?")}</span>']
    if tie["contested"]:
        badges.append('<span class="badge contested" title="asserted by one source and denied by an independent one">contested</span>')
    if tie["credibility"]:
        badges.append(_credibility(tie["credibility"]))
    if tie.get("analyst"):
        badges.insert(0, _analyst_mark(tie["analyst"]))
    return (f'<article class="tie{" confirmed" if tie.get("analyst") == "confirmed" else ""}"><h4>{esc(tie["subject_name"])} {arrow} {esc(tie["object_name"])}</h4>'
            f'<p class="stats">{"".join(badges)}{_modality_badges(tie)}</p>{_evidence(tie, docs)}</article>')


def _ties(view: dict[str, Any]) -> str:
    docs = {d["n"]: d for d in view["documents"]}
    parts = [f'<section id="ties"><h2>{section_heading("ties")}</h2>']
    if not view["groups"]:
        parts.append('<p class="note">No ties.</p>')
    for i, group in enumerate(view["groups"], start=1):
        count = len(group["ties"])
        parts.append(f'<section class="tie-type" id="ties-{i}" style="border-left-color: {group["colour"]}">'
                     f'<h3>{esc(group["label"].capitalize())} <span class="note">({count} '
                     f'{"tie" if count == 1 else "ties"})</span></h3>')
        if group["description"]:
            parts.append(f'<p class="description">{esc(group["description"])}</p>')
        parts.extend(_tie(t, group["symmetric"], docs) for t in group["ties"])
        parts.append("</section>")
    parts.append("</section>")
    return "".join(parts)


def _cite(row: dict[str, Any], docs: dict[int, dict[str, Any]]) -> str:
    if not (row.get("cite") and docs.get(row["cite"])):
        return ""
    return f' <span class="cite">{_citation(row, docs, full=False)}</span>'


def _event_row(row: dict[str, Any], docs: dict[int, dict[str, Any]]) -> str:
    precision = f' <span class="note">{esc(row["precision"])}</span>' if row["precision"] else ""
    who = esc(", ".join(row["actors"]) or "?")
    if row["targets"]:
        who += f' \u2192 {esc(", ".join(row["targets"]))}'
    fatalities = esc(row["fatalities"])
    if row["injured"]:
        fatalities += f'<br><span class="note">{row["injured"]} injured</span>'
    reports = (f'{row["reports"]} report{"s" if row["reports"] != 1 else ""}<br><span class="note">'
               f'{row["sources"]} source{"s" if row["sources"] != 1 else ""}</span>')
    if row["credibility"]:
        reports += f'<br>{_credibility(row["credibility"])}'
    sentence = ""
    if row["sentence"]:
        sentence = f'<q>{esc(truncate(" ".join(str(row["sentence"]).split()), _SENTENCE_CHARS))}</q>'
    return (f'<tr><td class="date">{esc(row["date"] or "undated")}{precision}</td>'
            f'<td><span class="swatch" style="background: {row["colour"]}"></span>{esc(row["type"])}</td>'
            f'<td>{who}</td><td>{esc(row["place"])}</td><td class="num">{fatalities}</td>'
            f'<td class="num">{reports}</td><td class="evidence-cell">{sentence}{_cite(row, docs)}</td></tr>')


def _events(view: dict[str, Any]) -> str:
    if not view["has_events"]:
        return ""
    rows = view["events"]
    heading = f'<section id="events"><h2>{section_heading("events")}</h2>'
    if not rows:
        return heading + '<p class="note">No events.</p></section>'
    docs = {d["n"]: d for d in view["documents"]}
    dated = sum(1 for r in rows if r["span"])
    types = ", ".join(f"{sum(1 for r in rows if r['type'] == t)} {t}" for t in ordered_event_types(
        {r["type"] for r in rows}))
    parts = [heading, f'<p class="note">{len(rows)} events ({esc(types)}); {dated} dated.</p>']
    timeline = timeline_svg(view["raw_events"])
    if timeline:
        parts.append(f'<figure class="timeline">{timeline}<figcaption>When: one mark per event, coloured by type; '
                     "a dot is a day, a bar a month, season, year or range of days (the coarser the date, the "
                     "longer the bar). Hover a mark for details.</figcaption></figure>")
    geomap = event_map_svg(view["raw_events"])
    if geomap:
        parts.append(f'<figure class="map">{geomap}<figcaption>Where: one circle per place, its area by number of '
                     "events, coloured by the most frequent type; hollow circles are events placed only in a "
                     "country.</figcaption></figure>")
    shown = rows[:EVENTS_SHOWN]
    parts.append('<table class="events"><thead><tr><th>Date</th><th>Type</th><th>Actors \u2192 targets</th>'
                 '<th>Place</th><th class="num">Fatalities</th><th class="num">Reports</th><th>Evidence</th></tr>'
                 f'</thead><tbody>{"".join(_event_row(r, docs) for r in shown)}</tbody></table>')
    if len(rows) > len(shown):
        parts.append(f'<p class="more">{len(shown)} most recent events shown; {len(rows) - len(shown)} older '
                     "events not shown.</p>")
    parts.append("</section>")
    return "".join(parts)


def _activity(view: dict[str, Any]) -> str:
    if not view["activity"]:
        return ""
    parts = [f'<section id="activity"><h2>{section_heading("activity")}</h2>']
    for entry in view["activity"]:
        by = str(entry["by"])
        parts.append(f'<article class="activity"><h3>{esc(entry["name"])}</h3>')
        spark = sparkline_svg(entry["series"], entry["changes"], by=by)
        if spark:
            first, last = entry["series"][0].get("start"), entry["series"][-1].get("start")
            parts.append(f'<figure class="spark">{spark}<figcaption>Events per {esc(by)}, {esc(first or "?")} '
                         f'\u2013 {esc(last or "?")}</figcaption></figure>')
        if entry["changes"]:
            items = "".join(f'<li class="change-{c.get("kind") if c.get("kind") in ("stop", "surge") else "other"}">'
                            f"{esc(change_text(c, by))}</li>" for c in entry["changes"])
            parts.append(f'<ul class="changes">{items}</ul>')
        if entry["concentration"]:
            parts.append(f'<p class="where">Where: {esc(concentration_text(entry["concentration"]))}</p>')
        parts.append("</article>")
    parts.append("</section>")
    return "".join(parts)


def _band_class(mid: Any) -> str:
    if mid is None:
        return "band"
    return "band band-high" if mid > 0.55 else "band band-low" if mid < 0.45 else "band band-even"


def _speaker(j: dict[str, Any]) -> str:
    text = f'<span class="speaker">{esc(j["speaker"])}</span>'
    if j["role"]:
        text += f", {esc(j['role'])}"
    if j["speaker_kind"]:
        text += f' <span class="note">({esc(j["speaker_kind"])})</span>'
    return text


def _judgment(j: dict[str, Any], docs: dict[int, dict[str, Any]]) -> str:
    estimate = []
    words = band_text(j)
    if words:
        estimate.append(f'<span class="{_band_class(j["mid"])}">{esc(words)}</span>')
    if j["confidence"]:
        estimate.append(f"{esc(j['confidence'])} confidence")
    who = [_speaker(j)]
    if j["about"]:
        who.append("about " + esc(", ".join(name for _, name in j["about"])))
    if j["due"]:
        who.append(f"due {esc(j['due'])}")
    if j["outcome"]:
        who.append(f'<span class="outcome-{j["outcome"]}">outcome: {j["outcome"]}</span>')
    cite = _citation(j, docs)
    if cite:
        who.append(cite)
    line = f'<p class="estimate">{_SEP.join(estimate)}</p>' if estimate else ""
    return (f'<li class="judgment"><blockquote>\u201c{esc(j["text"])}\u201d</blockquote>{line}'
            f'<p class="cite">{_SEP.join(who)}</p></li>')


def _compare(rows: list[dict[str, Any]], docs: dict[int, dict[str, Any]]) -> str:
    body = []
    for row in rows:
        split = (' <span class="badge split" title="some judgments put this above even chance, others below '
                 '(they may be about different questions)">split</span>' if row["split"] else "")
        entries = []
        for e in row["entries"]:
            words = e["band"] or e["estimate"] or "?"
            span = percent_range(e["low"], e["high"])
            cite = _cite(e, docs)
            entries.append(f'<li><span class="speaker">{esc(e["speaker"])}</span>: <span class="{_band_class(e["mid"])}'
                           f'">{esc(words)}</span>{f" ({esc(span)})" if span else ""}{cite}</li>')
        more = f'<li class="more">+{row["hidden"]} more</li>' if row["hidden"] else ""
        body.append(f'<tr><td>{esc(row["name"])}{split}</td><td><ul class="compare">{"".join(entries)}{more}'
                    "</ul></td></tr>")
    return ("<h3>Judgments by speaker about the same actors</h3>"
            '<p class="note">Actors that two speakers or more judged with an estimative band; highest probability '
            "first. Judgments about the same actor may be about different questions: read the quotes.</p>"
            '<table class="compare"><thead><tr><th>About</th><th>Speaker: band (probability)</th></tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _score_table(rows: list[dict[str, Any]], label: str) -> str:
    body = []
    for r in rows:
        mean_p = f"{r['mean_p']:.2f}" if r["mean_p"] is not None else "\u2014"
        rate = f"{r['hit_rate'] * 100:.0f}%" if r["hit_rate"] is not None else "\u2014"
        body.append(f'<tr><td>{esc(r["name"])}</td><td class="num">{r["n"]}</td>'
                    f'<td class="num">{brier_text(r["mean_brier"])}</td><td class="num">{mean_p}</td>'
                    f'<td class="num">{rate}</td><td>{esc("; ".join(r["notes"]))}</td></tr>')
    return (f'<table class="scores"><thead><tr><th>{label}</th><th class="num">Scored</th>'
            '<th class="num">Mean Brier</th><th class="num">Mean forecast</th><th class="num">Happened</th>'
            f'<th>Notes</th></tr></thead><tbody>{"".join(body)}</tbody></table>')


def _scores(scores: dict[str, Any]) -> str:
    parts = ["<h3>Forecast scores</h3>",
             f'<p>{scores["n"]} judgment{"s" if scores["n"] != 1 else ""} scored, {scores["pending"]} pending; '
             f"mean Brier score {brier_text(scores['mean_brier'])} (0 is perfect; always saying 50% scores 0.25; "
             "lower is better).</p>"]
    if scores["by_speaker"]:
        parts.append(_score_table(scores["by_speaker"], "Speaker"))
    if scores["by_source"]:
        parts.append(_score_table(scores["by_source"], "Source"))
    return "".join(parts)


def _judgments(view: dict[str, Any]) -> str:
    section = view["judgments"]
    if not section:
        return ""
    docs = {d["n"]: d for d in view["documents"]}
    parts = [f'<section id="judgments"><h2>{section_heading("judgments")}</h2>']
    if section["shown"]:
        total = section["total"]
        parts.append(f'<p class="note">{total} attributed judgment{"s" if total != 1 else ""}, '
                     f'{section["banded"]} with an estimative band (ICD 203): those first, the most certain either '
                     "way first, then the most recent. Quotes are the speakers\u2019 words, not khabar\u2019s.</p>")
        parts.append(f'<ol class="judgments">{"".join(_judgment(j, docs) for j in section["shown"])}</ol>')
        if section["hidden"]:
            parts.append(f'<p class="more">{len(section["shown"])} shown; {section["hidden"]} more '
                         f'judgment{"s" if section["hidden"] != 1 else ""} not shown.</p>')
    if section["compare"]:
        parts.append(_compare(section["compare"], docs))
    if section["scores"]:
        parts.append(_scores(section["scores"]))
    parts.append("</section>")
    return "".join(parts)


def _side(items: list[dict[str, Any]], docs: dict[int, dict[str, Any]], heading: str, css: str) -> str:
    rows = []
    for a in items[:SIDE_SHOWN]:
        who = a["attributed_to"] or a["source"] or "unknown"
        cite = [f'<span class="speaker">{esc(who)}</span>']
        if a["modality"] == "predicted":
            cite.append('<span class="badge mod-predicted">predicted</span>')
        if a.get("cite") and docs.get(a["cite"]):
            cite.append(_citation(a, docs))
        elif a.get("grade"):
            cite.append(_graded(a["source"], a["grade"]))
        rows.append(f'<li><blockquote class="{css}">\u201c{esc(a["sentence"])}\u201d</blockquote>'
                    f'<p class="cite">{_SEP.join(cite)}</p></li>')
    more = f'<p class="more">+{len(items) - SIDE_SHOWN} more</p>' if len(items) > SIDE_SHOWN else ""
    body = f'<ol class="evidence">{"".join(rows)}</ol>' if rows else '<p class="note">None quoted.</p>'
    return f'<div class="side {css}"><h4>{heading} ({len(items)})</h4>{body}{more}</div>'


def _disagreements(view: dict[str, Any]) -> str:
    section = view["disagreements"]
    if not section:
        return ""
    docs = {d["n"]: d for d in view["documents"]}
    parts = [f'<section id="disagreements"><h2>{section_heading("disagreements")}</h2>',
             '<p class="note">Ties that some sources assert and others deny. Both sides are quoted; nothing is '
             "averaged. The credibility rating says how the sources weigh, with its reason.</p>"]
    for item in section["items"]:
        cred = item["credibility"]
        stats = ""
        if cred:
            reason = f' <span class="note">{esc(cred["reason"])}</span>' if cred["reason"] else ""
            stats = f'<p class="stats">{_credibility(cred)}{reason}</p>'
        parts.append(f'<article class="disagreement" style="border-left-color: {item["colour"]}">'
                     f'<h3>{esc(item["subject_name"])} <span class="tie-words">{esc(item["label"])}</span> '
                     f'{esc(item["object_name"])}</h3>{stats}<div class="sides">'
                     f'{_side(item["for"], docs, "Says so", "says-so")}'
                     f'{_side(item["against"], docs, "Says not", "says-not")}</div></article>')
    if section["hidden"]:
        parts.append(f'<p class="more">{len(section["items"])} shown; {section["hidden"]} more not shown.</p>')
    parts.append("</section>")
    return "".join(parts)


def render_html(data: dict[str, Any]) -> str:
    """The brief as one self-contained HTML document (a string)."""
    view = prepare(data)
    view["network_analysis"] = isinstance(data.get("network_analysis"), dict)
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(view['title'])}</title><style>{CSS}{_EXTRA_CSS}</style></head><body>",
        _header(view),
        "<main>", collapsible("".join([
            _overview(view), _judgments(view), _actors(view), _network(view), _events(view), _activity(view),
            network_analysis_html(data.get("network_analysis")), _disagreements(view), _ties(view)])), "</main>",
        "<footer>Made by khabar. Each quote cites its document [n] in the documents list.</footer>",
        "</body></html>\n",
    ])
