"""Tests of the PRESENT stage: HTML and Markdown briefs and the network SVG."""

from __future__ import annotations

import html as htmllib
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from khabar.present import network_svg, render_html, render_markdown
from khabar.schema import vocab

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_SENTENCE = "They said <script>alert(1)</script> and `rm -rf` [click](http://evil.example) # now"
HOSTILE_TITLE = 'Report"><iframe src=//evil.example>'


def _assertion(sentence, doc, modality="asserted", attributed_to=None):
    return {"sentence": sentence, "modality": modality, "attributed_to": attributed_to, "doc_id": doc["id"],
            "doc_name": doc["name"], "title": doc["title"], "source": doc["source"],
            "published": doc["published"], "url": doc["url"], "start": 0, "end": len(sentence)}


@pytest.fixture()
def brief() -> dict:
    docs = [
        {"id": "d1", "name": "a.txt", "title": "UN monitoring report", "source": "UN",
         "published": "2021-08-17", "url": "https://un.example/report"},
        {"id": "d2", "name": "b.txt", "title": HOSTILE_TITLE, "source": "Channel <b>X</b>",
         "published": "2022-01-02", "url": "javascript:alert(1)"},
        {"id": "d3", "name": "c.txt", "title": "Wire story", "source": "Wire", "published": None, "url": None},
    ]
    actors = [
        {"id": "taliban", "name": "Taliban", "kind": "armed_group", "listed": True,
         "surfaces": ["Taliban", "Afghan Taliban"], "mentions": 120, "documents": 3, "parent": None},
        {"id": "al-qaeda", "name": "al-Qaeda", "kind": "armed_group", "listed": True,
         "surfaces": ["al-Qaeda", "AQ"], "mentions": 80, "documents": 3, "parent": None},
        {"id": "pakistan", "name": "Pakistan", "kind": "state", "listed": True,
         "surfaces": ["Pakistan"], "mentions": 40, "documents": 2, "parent": None},
        {"id": "evil", "name": HOSTILE_NAME, "kind": "other", "listed": False,
         "surfaces": [HOSTILE_NAME], "mentions": 2, "documents": 1, "parent": None},
        {"id": "isk", "name": "ISIS-K", "kind": "armed_group", "listed": True,
         "surfaces": ["ISKP"], "mentions": 30, "documents": 2, "parent": None},
    ]

    def tie(subject, type_, obj, assertions, modality="asserted", contested=False):
        names = {a["id"]: a["name"] for a in actors}
        counts = {m: sum(a["modality"] == m for a in assertions) for m in ("asserted", "negated", "predicted")}
        return {"subject": subject, "subject_name": names[subject], "type": type_, "object": obj,
                "object_name": names[obj], "evidence": len(assertions), "sources": 2, "documents": 2,
                "first_seen": "2001-09-20", "last_seen": "2021-08-17", **counts, "contested": contested,
                "modality": modality, "assertions": assertions}

    d1, d2, d3 = docs
    many = [_assertion(f"The Taliban hosted al-Qaeda, report {i}.", d1) for i in range(6)]
    ties = [
        tie("taliban", "hosts", "al-qaeda",
            many + [_assertion("The Taliban denied hosting al-Qaeda.", d3, "negated", "Mr. Sales")],
            contested=True),
        tie("pakistan", "supports", "taliban", [_assertion("Pakistan did not support the Taliban.", d1, "negated")],
            modality="negated"),
        tie("isk", "hostile_to", "taliban", [_assertion("ISIS-K will attack the Taliban.", d3, "predicted")],
            modality="predicted"),
        tie("evil", "allied_with", "al-qaeda", [_assertion(HOSTILE_SENTENCE, d2)]),
    ]
    return {
        "title": "khabar brief", "generated": "2026-11-21T12:00:00Z", "db": "khabar.db",
        "overview": {"documents": 3, "duplicates": 0, "sources": 3, "actors": 5, "ties": 4, "assertions": 10,
                     "first_published": "2021-08-17", "last_published": "2022-01-02"},
        "documents": docs, "actors": actors, "ties": ties,
    }


class _Tags(HTMLParser):
    """Collects every start tag with its attributes, and the text of <style> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def _svg_of(html: str) -> ET.Element:
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match, "no inline SVG"
    return ET.fromstring(match.group(0))


def _edges(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}path") if "edge" in (e.get("class") or "").split()]


def test_html_has_every_section(brief):
    html = render_html(brief)
    assert html.startswith("<!DOCTYPE html>")
    for heading in ("Corpus overview", "Documents", "Actors", "Network", "Ties"):
        assert f">{heading}</h" in html
    for tie_type in ("hosts", "supports", "hostile_to", "allied_with"):
        entry = vocab()["tie_types"][tie_type]
        assert entry["label"].capitalize() in html
        assert htmllib.escape(entry["description"]) in html
    assert "UN monitoring report" in html and "2021-08-17" in html
    assert "Afghan Taliban" in html and "unlisted" in html
    assert "contested" in html and "mod-negated" in html and "mod-predicted" in html


def test_html_evidence_is_capped_and_cited(brief):
    html = render_html(brief)
    hosts = html.split("The Taliban denied")[0]
    assert hosts.count("The Taliban hosted al-Qaeda") == 4  # 5 shown: one negated + 4 asserted
    assert "+2 more" in html
    assert 'href="#doc-1"' in html and 'id="doc-1"' in html and 'href="#doc-3"' in html
    assert "Mr. Sales" in html


def test_svg_parses_with_one_edge_per_tie_and_legend(brief):
    root = _svg_of(render_html(brief))
    edges = _edges(root)
    assert len(edges) == len(brief["ties"])
    styles = {(e.get("class") or "").split()[1]: e for e in edges}
    assert styles["negated"].get("stroke-dasharray")
    assert styles["predicted"].get("stroke-dasharray")
    assert styles["negated"].get("stroke-dasharray") != styles["predicted"].get("stroke-dasharray")
    assert styles["asserted"].get("stroke-dasharray") is None
    assert any("legend" in (g.get("class") or "") for g in root.iter(f"{SVG}g"))
    assert root.find(f".//{SVG}marker") is not None
    colours = {e.get("stroke") for e in edges}
    assert vocab()["tie_types"]["hosts"]["colour"] in colours
    # Directed types get arrowheads, symmetric ones do not.
    assert sum(1 for e in edges if e.get("marker-end")) == 2
    assert any("contested" in (g.get("class") or "") for g in root.iter(f"{SVG}g"))


def test_network_svg_standalone_is_deterministic_and_capped(brief):
    svg = network_svg(brief["actors"], brief["ties"])
    assert svg == network_svg(brief["actors"], brief["ties"])
    ET.fromstring(svg)
    actors = [{"id": f"a{i}", "name": f"A{i}", "kind": "armed_group", "mentions": i} for i in range(80)]
    ties = [{"subject": f"a{i}", "type": "allied_with", "object": f"a{i + 1}"} for i in range(79)]
    root = ET.fromstring(network_svg(actors, ties))
    nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
    assert len(nodes) == 60
    assert len(_edges(root)) == 59  # only ties between drawn actors


def test_html_loads_nothing_external(brief):
    page = _tags(render_html(brief))
    names = {tag for tag, _ in page.tags}
    assert names.isdisjoint({"script", "link", "iframe", "img", "image", "object", "embed", "base", "use", "frame"})
    for tag, attrs in page.tags:
        for name, value in attrs:
            assert name not in {"src", "srcset", "xlink:href", "background", "poster", "data"}, (tag, name)
            assert not name.startswith("on"), (tag, name)
            if value and name == "style":
                assert "url(" not in value.lower()
            if value and name in {"marker-end", "marker-start", "fill", "stroke"} and "url(" in value:
                assert value.startswith("url(#"), (tag, name, value)
    css = "".join(page.styles).lower()
    assert css and "@import" not in css and "url(" not in css and "@font-face" not in css


def test_html_escapes_hostile_data(brief):
    html = render_html(brief)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert HOSTILE_NAME not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '"><iframe' not in html and "&quot;&gt;&lt;iframe" in html
    assert "<b>X</b>" not in html
    hrefs = [value or "" for tag, attrs in _tags(html).tags for name, value in attrs if name == "href"]
    assert hrefs and all(h.startswith(("#", "https://", "http://")) for h in hrefs)
    assert "https://un.example/report" in hrefs
    assert not any("javascript" in h.lower() for h in hrefs)
    assert "javascript:alert(1)" in html  # shown as text, not linked
    # The hostile strings only ever appear as text: no tag or attribute comes from them.
    assert all(not name.startswith("on") for _, attrs in _tags(html).tags for name, _ in attrs)


def test_markdown_has_sections_and_escapes(brief):
    md = render_markdown(brief)
    for heading in ("# khabar brief", "## Corpus overview", "### Documents", "## Actors", "## Network", "## Ties"):
        assert f"\n{heading}\n" in "\n" + md
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "<img" not in md and "<iframe" not in md and "<b>" not in md
    assert "`" not in md.replace("\\`", "")
    assert "[click](http" not in md and "\\[click\\]\\(http" in md
    assert "](javascript" not in md and "(<javascript" not in md
    assert "[UN monitoring report](<https://un.example/report>)" in md
    assert "> \u201cThe Taliban denied hosting al-Qaeda.\u201d" in md
    assert "+2 more" in md and "CONTESTED" in md
    for line in md.splitlines():  # a document can only start a heading through our own templates
        if line.startswith("#"):
            assert "# now" not in line


@pytest.mark.parametrize("data", [
    {},
    {"title": "empty", "overview": {}, "documents": [], "actors": [], "ties": []},
])
def test_empty_brief_renders(data):
    html = render_html(data)
    for heading in ("Corpus overview", "Actors", "Network", "Ties"):
        assert f">{heading}</h2>" in html
    root = _svg_of(html)
    assert _edges(root) == []
    md = render_markdown(data)
    assert "## Ties" in md and "No ties." in md
    ET.fromstring(network_svg([], []))


def test_control_characters_do_not_break_svg(brief):
    brief["actors"][0]["name"] = "Tali\x00ban\x1b\ud800"
    ET.fromstring(network_svg(brief["actors"], brief["ties"]))
    render_html(brief).encode("utf-8")
