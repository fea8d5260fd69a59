"""Tests of the brief's Key judgments and Where sources disagree sections, and of grades and credibility badges."""

from __future__ import annotations

import copy
import html as htmllib
import re
from html.parser import HTMLParser

import pytest

from khabar.present import render_html, render_markdown
from khabar.present.model import JUDGMENTS_SHOWN, SIDE_SHOWN, band_text, percent_range, prepare

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ATTR = '" onmouseover="x'

DOCS = [
    {"id": "d1", "name": "a.txt", "title": "Testimony to Congress", "source": "The New York Times",
     "published": "2023-02-01", "url": "https://nyt.example/a"},
    {"id": "d2", "name": "b.txt", "title": "Interview", "source": "Meridian Wire", "published": "2022-08-03",
     "url": None},
]
SOURCES = [{"name": "The New York Times", "reliability": "B"}, {"name": "Meridian Wire", "reliability": "F"},
           {"name": "Dawn", "reliability": "C"}]


def _judgment(i, speaker, text, *, band=None, low=None, high=None, estimate=None, about=("al-qaeda",),
              names=("al-Qaeda",), doc="d1", source="The New York Times", title="Testimony to Congress",
              published="2023-02-01", reliability="B", role=None, kind="person", confidence=None, due=None,
              outcome=None):
    return {"id": f"jd-{i}", "speaker": speaker, "role": role, "speaker_kind": kind, "text": text,
            "estimate": estimate, "band": band, "low": low, "high": high, "confidence": confidence, "due": due,
            "outcome": outcome, "about": list(about), "about_names": list(names), "doc_id": doc, "title": title,
            "source": source, "published": published, "url": None, "reliability": reliability}


def _assertion(sentence, doc, modality="asserted", attributed_to=None, reliability=None):
    return {"sentence": sentence, "modality": modality, "attributed_to": attributed_to, "doc_id": doc["id"],
            "doc_name": doc["name"], "title": doc["title"], "source": doc["source"], "published": doc["published"],
            "url": doc["url"], "reliability": reliability}


@pytest.fixture()
def brief() -> dict:
    d1, d2 = DOCS
    judgments = [
        _judgment(1, "Nathan Sales", "it is virtually certain that al-Qaeda will try again",
                  estimate="virtually certain", band="almost certain", low=0.95, high=0.99, confidence="high",
                  role="former State Department coordinator for counterterrorism", due="2023-08-17", outcome=1),
        _judgment(2, "Peter Neumann", "a comeback of al-Qaeda is unlikely", estimate="unlikely", band="unlikely",
                  low=0.2, high=0.45, doc="d2", source="Meridian Wire", title="Interview", published="2022-08-03",
                  reliability=None),
        _judgment(3, "Lloyd Austin", "there is a roughly even chance al-Qaeda regroups", band="roughly even chance",
                  estimate="roughly even chance", due="2024", outcome=0, doc="d3", source="Dawn",
                  title="Pentagon briefing", published="2021-09-01", reliability=None),
        _judgment(4, f"Hostile {SCRIPT}", f"We say {SCRIPT} and {ATTR}", band="likely", low=0.55, high=0.8,
                  estimate="likely", role=f"role {SCRIPT}", about=("evil",), names=(f"Evil {SCRIPT}",)),
        _judgment(5, "The Economist", "the Taliban may fracture", kind="publisher", about=("taliban",),
                  names=("Taliban",)),
    ]
    disagreements = [{
        "subject": "taliban", "subject_name": "Taliban", "type": "hosts", "object": "al-qaeda",
        "object_name": "al-Qaeda", "credibility": 4,
        "credibility_reason": "contested: 1 independent source for (The New York Times B), 1 against (Dawn C)",
        "for": [_assertion("The Taliban hosted al-Qaeda in Kabul.", d1, attributed_to="UN monitors",
                           reliability="B")],
        "against": [_assertion(f"The Taliban never hosted {SCRIPT} anyone.", {
            "id": "d3", "name": "c.txt", "title": "Pentagon briefing", "source": "Dawn", "published": "2021-09-01",
            "url": None}, modality="negated")],
    }]
    ties = [{
        "subject": "taliban", "subject_name": "Taliban", "type": "hosts", "object": "al-qaeda",
        "object_name": "al-Qaeda", "evidence": 2, "sources": 2, "documents": 2, "asserted": 2, "negated": 0,
        "predicted": 0, "credibility": 3, "credibility_reason": f"uncorroborated: {SCRIPT}",
        "assertions": [_assertion("The Taliban hosted al-Qaeda.", d2, reliability="F"),
                       _assertion("Al-Qaeda lives in Kabul.", d1)],
    }]
    events = [{
        "id": "ev1", "type": "attack", "actors": ["isk"], "actor_names": ["ISIS-K"], "date": "2021-08-26",
        "precision": "day", "date_start": "2021-08-26", "date_end": "2021-08-26", "location": "Kabul",
        "credibility": 2, "credibility_reason": "2 independent sources for (Dawn C, Meridian Wire F)",
        "reports": [{"doc_id": "d2", "sentence": "A bomb went off at the gate.", "title": "Interview",
                     "source": "Meridian Wire", "published": "2022-08-03", "url": None, "name": "b.txt"}],
    }]
    forecast_scores = {
        "n": 2, "pending": 3, "mean_brier": 0.1476,
        "by_speaker": {"Nathan Sales": {"n": 1, "mean_brier": 0.0009, "mean_p": 0.97, "hit_rate": 1.0,
                                        "notes": [f"only 1 scored {SCRIPT}"]},
                       "Lloyd Austin": {"n": 1, "mean_brier": 0.25, "mean_p": 0.5, "hit_rate": 0.0, "notes": []}},
        "by_source": {"The New York Times": {"n": 1, "mean_brier": 0.0009, "mean_p": 0.97, "hit_rate": 1.0,
                                             "notes": []}},
    }
    return {"title": "khabar brief", "generated": "2026-01-01T00:00:00Z", "db": "k.db", "overview": {},
            "documents": copy.deepcopy(DOCS), "actors": [], "ties": ties, "events": events,
            "judgments": judgments, "disagreements": disagreements, "forecast_scores": forecast_scores,
            "sources": SOURCES}


def _section(html: str, anchor: str) -> str:
    match = re.search(rf'<section id="{anchor}">(.*?)</section>(?=<section id=|</main>)', html, re.S)
    assert match, f"no section {anchor}"
    return match.group(1)


class _Starts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Starts()
    parser.feed(html)
    return parser.tags


def _numbers(html: str) -> dict[str, int]:
    """Document title -> citation number, from the documents list."""
    out = {}
    for n, row in re.findall(r'<tr id="doc-(\d+)">(.*?)</tr>', html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        out[_plain(cells[3]).removesuffix(" cited only")] = int(n)
    return out


def _plain(html: str) -> str:
    """The text of some HTML: tags dropped, entities decoded."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", html))


def test_sections_in_nav_and_page(brief):
    html = render_html(brief)
    nav = re.search(r"<nav>(.*?)</nav>", html).group(1)
    assert '<a href="#judgments">Key judgments</a>' in nav
    assert '<a href="#disagreements">Where sources disagree</a>' in nav
    assert ">Key judgments</h2>" in html and ">Where sources disagree</h2>" in html
    assert "Judgments by speaker about the same actors" in html and "Forecast scores" in html


def test_judgments_escaped(brief):
    html = render_html(brief)
    assert SCRIPT not in html and ATTR not in html
    section = _section(html, "judgments")
    assert f"Hostile {ESCAPED}" in section and f"role {ESCAPED}" in section
    assert f"We say {ESCAPED} and &quot; onmouseover=&quot;x" in section
    assert f"Evil {ESCAPED}" in section and f"only 1 scored {ESCAPED}" in section
    assert all(not name.startswith("on") for _, attrs in _tags(html) for name, _ in attrs)
    assert not any(tag == "script" for tag, _ in _tags(html))


def test_judgments_bands_order_and_details(brief):
    section = _section(render_html(brief), "judgments")
    items = re.findall(r'<li class="judgment">(.*?)</li>', section, re.S)
    assert len(items) == 5
    # the most certain either way first; the judgment without a band last
    order = ["virtually certain", "We say", "unlikely", "roughly even", "may fracture"]
    assert [next(i for i, item in enumerate(items) if key in item) for key in order] == list(range(5))
    first = items[0]
    assert "<blockquote>\u201cit is virtually certain that al-Qaeda will try again\u201d</blockquote>" in first
    assert "virtually certain \u2192 almost certain, 95\u201399%" in first
    assert "high confidence" in first
    assert "Nathan Sales</span>, former State Department coordinator for counterterrorism" in first
    assert "due 2023-08-17" in first and "outcome: yes" in first
    assert "about al-Qaeda" in first
    assert "likely, 55\u201380%" in items[1]  # as far from even chance as unlikely, and higher
    assert "unlikely, 20\u201345%" in items[2]
    assert "roughly even chance, 45\u201355%" in items[3]  # range from the vocabulary's band
    assert "due 2024" in items[3] and "outcome: no" in items[3]
    assert "(publisher)" in items[4] and "%" not in items[4].split("</blockquote>")[1]


def test_judgment_citations_join_documents_with_grades(brief):
    html = render_html(brief)
    numbers = _numbers(html)
    assert numbers["Pentagon briefing"] == 3  # a judgment's document joins the numbered list
    section = _section(html, "judgments")
    items = re.findall(r'<li class="judgment">(.*?)</li>', section, re.S)
    nyt = f'<a href="#doc-{numbers["Testimony to Congress"]}"'
    assert nyt in items[0] and "The New York Times (B)" in items[0]
    assert '<a href="#doc-2"' in items[2] and "Meridian Wire (F)" in items[2]  # grade looked up in sources
    assert '<a href="#doc-3"' in items[3] and "Dawn (C)" in items[3]
    assert 'id="doc-3"' in html


def test_compare_table(brief):
    section = _section(render_html(brief), "judgments")
    table = re.search(r'<table class="compare">.*?</table>', section, re.S).group(0)
    rows = re.findall(r"<tr><td>(.*?)</tr>", table, re.S)
    assert len(rows) == 1  # only al-Qaeda has two speakers or more
    row = rows[0]
    assert row.startswith("al-Qaeda") and "split" in row
    positions = [row.index(name) for name in ("Nathan Sales", "Lloyd Austin", "Peter Neumann")]
    assert positions == sorted(positions)  # highest probability first
    assert "almost certain</span> (95\u201399%)" in row and "unlikely</span> (20\u201345%)" in row


def test_forecast_scores_table(brief):
    section = _section(render_html(brief), "judgments")
    assert "2 judgments scored, 3 pending" in section and "0.148" in section
    assert "<td>Nathan Sales</td>" in section and "0.001" in section and "100%" in section
    brief["forecast_scores"]["n"] = 0
    assert "Forecast scores" not in render_html(brief)


def test_disagreements(brief):
    html = render_html(brief)
    section = _section(html, "disagreements")
    assert "Taliban <span class=\"tie-words\">hosts</span> al-Qaeda" in section
    assert "credibility 4 \u00b7 doubtful" in section and "contested: 1 independent source for" in section
    says_so = section.split('class="side says-so"')[1].split('class="side says-not"')[0]
    says_not = section.split('class="side says-not"')[1]
    assert "Says so (1)" in says_so and "The Taliban hosted al-Qaeda in Kabul." in says_so
    assert "UN monitors" in says_so and "The New York Times (B)" in says_so and '<a href="#doc-1"' in says_so
    assert "Says not (1)" in says_not and f"never hosted {ESCAPED} anyone" in says_not
    assert '<span class="speaker">Dawn</span>' in says_not and "Dawn (C)" in says_not
    assert "average" not in section.replace("nothing is averaged", "")


def test_disagreement_sides_are_capped(brief):
    d1 = DOCS[0]
    brief["disagreements"][0]["for"] = [_assertion(f"Claim {i}.", d1) for i in range(SIDE_SHOWN + 2)]
    section = _section(render_html(brief), "disagreements")
    assert section.count("<li><blockquote") == SIDE_SHOWN + 1 and "+2 more" in section


def test_grades_and_credibility_on_ties_and_events(brief):
    html = render_html(brief)
    ties = _section(html, "ties")
    assert "[2] Interview, Meridian Wire (F), 2022-08-03" in _plain(ties)
    assert "[1] Testimony to Congress, The New York Times (B), 2023-02-01" in _plain(ties)  # from data["sources"]
    assert 'title="source reliability F: reliability cannot be judged">Meridian Wire (F)</span>' in ties
    assert f'title="uncorroborated: {ESCAPED}">credibility 3 \u00b7 possibly true</span>' in ties
    events = _section(html, "events")
    assert "credibility 2 \u00b7 probably true" in events
    assert 'title="2 independent sources for (Dawn C, Meridian Wire F)"' in events
    assert "[2] Meridian Wire (F)" in _plain(events)
    overview = _section(html, "overview")
    assert "The New York Times (B)" in overview


def test_no_grade_without_reliability_or_sources(brief):
    del brief["sources"]
    brief["ties"][0]["assertions"][1]["reliability"] = None
    brief["events"][0]["reports"][0]["reliability"] = None
    brief["judgments"] = []
    brief["disagreements"] = []
    html = render_html(brief)
    assert "[1] Testimony to Congress, The New York Times, 2023-02-01" in _plain(html)
    assert "Meridian Wire (F)" in html  # the tie assertion's own grade, also used for its document


def test_sections_absent_without_keys(brief):
    for data in ({k: v for k, v in brief.items() if k not in ("judgments", "disagreements", "forecast_scores")},
                 {**brief, "judgments": [], "disagreements": [], "forecast_scores": {"n": 0}},
                 {**brief, "judgments": None, "disagreements": None, "forecast_scores": None}):
        html = render_html(data)
        assert 'id="judgments"' not in html and 'id="disagreements"' not in html
        assert "Key judgments" not in html and "Where sources disagree" not in html
        md = render_markdown(data)
        assert "## Key judgments" not in md and "## Where sources disagree" not in md
    html = render_html({})
    assert "Key judgments" not in html and "credibility" not in html


def test_scores_alone_make_the_section(brief):
    html = render_html({**brief, "judgments": []})
    section = _section(html, "judgments")
    assert "Forecast scores" in section and "judgment\"" not in section


def test_judgments_capped(brief):
    many = [_judgment(i, f"Speaker {i}", f"Judgment {i}.", about=()) for i in range(JUDGMENTS_SHOWN + 7)]
    many[-1].update(band="likely", estimate="likely")
    html = render_html({**brief, "judgments": many})
    section = _section(html, "judgments")
    assert section.count('<li class="judgment">') == JUDGMENTS_SHOWN
    assert "7 more judgments not shown" in section
    assert section.index(f"Judgment {JUDGMENTS_SHOWN + 6}.") < section.index("Judgment 0.")  # banded first
    assert "Judgments by speaker" not in section
    md = render_markdown({**brief, "judgments": many})
    assert "7 more judgments not shown" in md


def test_markdown(brief):
    md = render_markdown(brief)
    assert "\n## Key judgments\n" in md and "\n## Where sources disagree\n" in md
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "> \u201cit is virtually certain that al-Qaeda will try again\u201d" in md
    assert "**virtually certain \u2192 almost certain, 95\u201399%**" in md
    assert "due 2023-08-17 \u00b7 outcome: yes" in md
    assert "\\[1\\] Testimony to Congress, The New York Times (B), 2023-02-01" in md
    assert "\\[2\\] Interview, Meridian Wire (F), 2022-08-03" in md
    assert "### Judgments by speaker about the same actors" in md and "al-Qaeda (split)" in md
    assert "| Nathan Sales | 1 | 0.001 | 0.97 | 100% |" in md
    assert "### Taliban hosts al-Qaeda" in md and "**Says so (1)**" in md and "**Says not (1)**" in md
    assert "credibility 4 \u00b7 doubtful (contested: 1 independent source for \\(The New York Times B\\)" in md
    assert "credibility 3 \u00b7 possibly true (uncorroborated: &lt;script&gt;" in md
    assert "credibility 2 \u00b7 probably true" in md
    for line in md.splitlines():
        if line.startswith("| "):
            assert line.count(" | ") == line.split("\n")[0].count(" | ")  # rows stay rows
        assert not line.startswith("#") or SCRIPT not in line


def test_helpers():
    assert percent_range(0.95, 0.99) == "95\u201399%"
    assert percent_range(0.7, 0.7) == "70%"
    assert percent_range(0.01, 0.05) == "1\u20135%"
    assert percent_range(0.725, 0.8) == "72.5\u201380%"
    assert percent_range(None, 0.5) == ""
    assert band_text({"estimate": "likely", "band": "likely", "low": 0.55, "high": 0.8}) == "likely, 55\u201380%"
    assert band_text({"estimate": "", "band": None, "low": None, "high": None}) == ""


def test_bad_values_are_ignored(brief):
    brief["judgments"][0].update(low="x", high=7, outcome="maybe", band=None, estimate=None)
    brief["ties"][0]["credibility"] = 9
    brief["events"][0]["credibility"] = True
    brief["sources"] = [{"name": "The New York Times", "reliability": "Z<"}, "junk"]
    view = prepare(brief)
    first = next(j for j in view["judgments"]["shown"] if j["id"] == "jd-1")
    assert first["low"] is None and first["outcome"] is None and not first["banded"]
    assert view["ties"][0]["credibility"] is None and view["events"][0]["credibility"] is None
    html = render_html(brief)
    assert "Z&lt;" not in html and "credibility 9" not in html
