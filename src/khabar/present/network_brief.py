"""The brief's network analysis: "Central actors and brokers" and "What changed", in HTML
and Markdown, from ``brief_data()["network_analysis"]`` (``analyze.network.brief_section``).

Every value from the data is escaped (``esc`` for HTML, ``md_escape`` for Markdown): actor
names and sentences come from documents, which are hostile input. Links are made only for
plain http(s) URLs (``safe_url``). A brief without the data gets neither section.
"""

from __future__ import annotations

from typing import Any

from .text import esc, md_escape, safe_url, tie_label, truncate

__all__ = ["network_analysis_html", "network_analysis_markdown", "ANCHORS"]

# (anchor, heading) of the two sections, after the network drawing.
ANCHORS = (("centrality", "Central actors and brokers"), ("changes", "What changed"))
_SENTENCE_CHARS = 320
_CENTRAL_NOTE = ("Betweenness: the share of shortest chains of ties between other actors that pass through an "
                 "actor (unweighted, direction ignored, over ties of cooperation, affiliation, support, hosting "
                 "and endorsement; enmity left out). A broker's neighbours fall in two or more communities "
                 "(Louvain); brokers rank by betweenness.")
_CHANGE_NOTE = ("Evidence is counted in distinct sentences per window; a tie strengthens or weakens when its "
                "count moves by a factor of 2 or more (and at least 2 sentences) once the windows' sizes are "
                "allowed for. The check says whether the documents kept discussing both actors: a tie no longer "
                "reported while coverage continued is a finding; one that went quiet with its actors' coverage "
                "says nothing.")


def _rows(section: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [r for r in section.get(key) or [] if isinstance(r, dict)]


def _number(value: Any, digits: int = 3) -> str:
    try:
        return f"{float(value):.{digits}f}"
    except (TypeError, ValueError):
        return ""


def _broker(row: dict[str, Any]) -> str:
    return f"#{int(row['broker_rank'])} ({int(row.get('spans') or 0)} communities)" if row.get("broker") else ""


def _window(w: dict[str, Any]) -> str:
    from khabar.analyze.network import window_label

    return f"{window_label(w.get('since'), w.get('before'))} ({int(w.get('documents') or 0)} documents)"


def _cite_html(best: dict[str, Any] | None) -> str:
    if not best:
        return ""
    title = best.get("title") or best.get("name") or "untitled"
    href = safe_url(best.get("url"))
    title_html = (f'<a href="{esc(href)}" rel="noopener noreferrer nofollow">{esc(title)}</a>' if href
                  else esc(title))
    source = best.get("source") or "?"
    grade = f" ({esc(best.get('reliability'))})" if best.get("reliability") else ""
    sentence = truncate(" ".join(str(best.get("sentence") or "").split()), _SENTENCE_CHARS)
    return (f'<blockquote>\u201c{esc(sentence)}\u201d</blockquote><p class="cite">{title_html} \u00b7 '
            f'{esc(source)}{grade} \u00b7 {esc(best.get("published") or "n.d.")}</p>')


def network_analysis_html(section: dict[str, Any] | None) -> str:
    """The two sections as HTML ("" without data)."""
    if not isinstance(section, dict):
        return ""
    parts = [f'<section id="{ANCHORS[0][0]}"><h2>{ANCHORS[0][1]}</h2>']
    central = _rows(section, "central")
    if central:
        rows = "".join(
            f'<tr><td>{esc(r.get("name") or r.get("id"))}</td><td class="num">{int(r.get("degree") or 0)}</td>'
            f'<td class="num">{_number(r.get("betweenness"))}</td><td class="num">{int(r.get("community") or 0)}'
            f'</td><td>{esc(_broker(r))}</td></tr>' for r in central)
        parts.append('<table class="centrality"><thead><tr><th>Actor</th><th class="num">Degree</th>'
                     '<th class="num">Betweenness</th><th class="num">Community</th><th>Broker</th></tr></thead>'
                     f"<tbody>{rows}</tbody></table>")
        brokers = _rows(section, "brokers")
        if brokers:
            parts.append("<p>Brokers between communities: " + ", ".join(
                f"{esc(r.get('name') or r.get('id'))} (betweenness {_number(r.get('betweenness'))})"
                for r in brokers) + ".</p>")
        parts.append(f'<p class="note">{int(section.get("actors") or 0)} tied actors in '
                     f'{int(section.get("communities") or 0)} communities. {esc(_CENTRAL_NOTE)}</p>')
    else:
        parts.append('<p class="note">No ties of cooperation to analyse.</p>')
    parts.append("</section>")
    changes = section.get("changes") if isinstance(section.get("changes"), dict) else None
    parts.append(f'<section id="{ANCHORS[1][0]}"><h2>{ANCHORS[1][1]}</h2>')
    if changes is None:
        parts.append('<p class="note">No dated documents to compare.</p></section>')
        return "".join(parts)
    windows = [w for w in changes.get("windows") or [] if isinstance(w, dict)]
    if len(windows) == 2:
        parts.append(f"<p>Ties before and after {esc(changes.get('before'))}: {esc(_window(windows[0]))} "
                     f"against {esc(_window(windows[1]))}. "
                     + ", ".join(f"{int(n)} {esc(k)}" for k, n in (changes.get("counts") or {}).items()) + ".</p>")
    items = _rows(changes, "items")
    if items:
        parts.append('<ol class="changes">')
        for c in items:
            ev = c.get("evidence") or [0, 0]
            cov = c.get("coverage") or {}
            cs, co = cov.get("subject") or [0, 0], cov.get("object") or [0, 0]
            parts.append(
                f'<li><p><span class="badge change-{esc(c.get("kind"))}">{esc(c.get("kind"))}</span> '
                f'<strong>{esc(c.get("subject_name") or c.get("subject"))}</strong> '
                f'<span class="tie-words">{esc(tie_label(c.get("type")))}</span> '
                f'<strong>{esc(c.get("object_name") or c.get("object"))}</strong>: {int(ev[0])} \u2192 {int(ev[1])} '
                f'sentences; documents on each actor {int(cs[0])}/{int(co[0])} \u2192 {int(cs[1])}/{int(co[1])}: '
                f'<em>{esc(c.get("label"))}</em></p>{_cite_html(c.get("best_evidence"))}</li>')
        parts.append("</ol>")
        if changes.get("hidden"):
            parts.append(f'<p class="more">{len(items)} shown; {int(changes["hidden"])} more '
                         "(khabar changes lists them all).</p>")
    else:
        parts.append('<p class="note">No tie changed enough to list.</p>')
    parts.append(f'<p class="note">{esc(_CHANGE_NOTE)}</p></section>')
    return "".join(parts)


def _cite_md(best: dict[str, Any] | None) -> list[str]:
    if not best:
        return []
    title = md_escape(best.get("title") or best.get("name") or "untitled")
    href = safe_url(best.get("url"))
    if href:  # safe_url admits no space, quote or angle bracket: the <...> destination cannot close early
        title = f"[{title}](<{href}>)"
    grade = f" ({md_escape(best.get('reliability'))})" if best.get("reliability") else ""
    sentence = truncate(" ".join(str(best.get("sentence") or "").split()), _SENTENCE_CHARS)
    return [f"> \u201c{md_escape(sentence)}\u201d", ">", f"> \u2014 {title} \u00b7 "
            f"{md_escape(best.get('source') or '?')}{grade} \u00b7 {md_escape(best.get('published') or 'n.d.')}"]


def network_analysis_markdown(section: dict[str, Any] | None) -> list[str]:
    """The two sections as Markdown lines ([] without data)."""
    if not isinstance(section, dict):
        return []
    lines = [f"## {ANCHORS[0][1]}", ""]
    central = _rows(section, "central")
    if central:
        lines += ["| Actor | Degree | Betweenness | Community | Broker |", "|---|---|---|---|---|"]
        lines += [f"| {md_escape(r.get('name') or r.get('id'))} | {int(r.get('degree') or 0)} | "
                  f"{_number(r.get('betweenness'))} | {int(r.get('community') or 0)} | {md_escape(_broker(r))} |"
                  for r in central]
        lines += ["", f"*{int(section.get('actors') or 0)} tied actors in {int(section.get('communities') or 0)} "
                      f"communities. {md_escape(_CENTRAL_NOTE)}*", ""]
    else:
        lines += ["*No ties of cooperation to analyse.*", ""]
    lines += [f"## {ANCHORS[1][1]}", ""]
    changes = section.get("changes") if isinstance(section.get("changes"), dict) else None
    if changes is None:
        return lines + ["*No dated documents to compare.*", ""]
    windows = [w for w in changes.get("windows") or [] if isinstance(w, dict)]
    if len(windows) == 2:
        lines += [f"Ties before and after {md_escape(changes.get('before'))}: {md_escape(_window(windows[0]))} "
                  f"against {md_escape(_window(windows[1]))}. "
                  + ", ".join(f"{int(n)} {md_escape(k)}" for k, n in (changes.get("counts") or {}).items()) + ".",
                  ""]
    items = _rows(changes, "items")
    for c in items:
        ev = c.get("evidence") or [0, 0]
        cov = c.get("coverage") or {}
        cs, co = cov.get("subject") or [0, 0], cov.get("object") or [0, 0]
        lines += [f"- **{md_escape(c.get('kind'))}**: {md_escape(c.get('subject_name') or c.get('subject'))} "
                  f"{md_escape(tie_label(c.get('type')))} {md_escape(c.get('object_name') or c.get('object'))}: "
                  f"{int(ev[0])} \u2192 {int(ev[1])} sentences; documents on each actor {int(cs[0])}/{int(co[0])} "
                  f"\u2192 {int(cs[1])}/{int(co[1])}: *{md_escape(c.get('label'))}*", ""]
        cite = _cite_md(c.get("best_evidence"))
        if cite:
            lines += [*cite, ""]
    if not items:
        lines += ["*No tie changed enough to list.*", ""]
    elif changes.get("hidden"):
        lines += [f"*{len(items)} shown; {int(changes['hidden'])} more (khabar changes lists them all).*", ""]
    return lines + [f"*{md_escape(_CHANGE_NOTE)}*", ""]
