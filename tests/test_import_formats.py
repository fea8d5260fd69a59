"""Imports (issue 13, part 1): PDF, Telegram exports, RSS/Atom feeds, DOCX, WARC, encodings,
languages, and a PDF's page cited with the evidence. Fixtures: tests/fixtures/import, made
by make_fixtures.py there (a test checks the committed files are what it makes)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import random
import shutil
import sys
import warnings
from pathlib import Path

import pytest

from khabar.collect import Skipped, collect
from khabar.collect.formats import pages as pages_mod
from khabar.collect.formats.encoding import repair_mojibake, utf16_without_bom
from khabar.collect.formats.language import detect_language
from khabar.collect.formats.pages import mark_pages, page_of, unmark_pages
from khabar.collect.formats.pdf import page_texts, strip_running_lines, unwrap
from khabar.collect.readers import SUPPORTED, decode, read_path

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def _make_fixtures():
    spec = importlib.util.spec_from_file_location("make_import_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE = _make_fixtures()


def _read(*names: str) -> tuple[list, list[str]]:
    """Documents and skip lines of the fixtures ``names`` (read through collect, as ingest does)."""
    docs, skipped = [], []
    for item in collect([FIXTURES / n for n in names]):
        (skipped.append(str(item)) if isinstance(item, Skipped) else docs.append(item))
    return docs, skipped


def test_committed_fixtures_are_what_the_script_makes():
    for relative, data in MAKE.fixtures().items():
        assert (FIXTURES / relative).read_bytes() == data, f"{relative}: run tests/fixtures/import/make_fixtures.py"


# -- PDF ---------------------------------------------------------------------------------------


def test_pdf_text_without_running_header_footer_and_page_numbers():
    (doc,), skipped = _read("report.pdf")
    assert not skipped
    assert doc.title == MAKE.PDF_TITLE  # from the PDF's info dictionary
    assert "RESTRICTED" not in doc.text and "Page " not in doc.text and "of 4" not in doc.text
    assert doc.text.startswith(MAKE.PDF_TITLE)
    # wrapped lines run on: each paragraph is one line, so the extractor gets whole sentences
    assert "who asked not to be named." in doc.text and "\nSummary\n" in doc.text
    assert "the men at the checkpoint were travellers who had stopped to rest before the pass." in doc.text


def test_pdf_page_starts_survive_normalising_and_cleaning():
    (doc,), _ = _read("report.pdf")
    assert len(doc.pages) == 4 and doc.pages[0] == 0
    assert doc.text[doc.pages[1]:].startswith("Security situation")
    assert doc.text[doc.pages[2]:].startswith("stopped to rest")  # the sentence ran on over the page break
    assert doc.text[doc.pages[3]:].startswith("Outlook")
    where = doc.text.index("Pakistan has supported the Taliban")
    assert page_of(doc.pages, where) == 3 and page_of(json.dumps(doc.pages), 0) == 1
    assert page_of(None, 5) is None and page_of("not json", 5) is None


def test_running_lines_and_page_numbers_rules():
    words = ["zero", "one", "two", "three", "four", "five", "six"]
    pages = [[f"S/2099/101 {n}" if n % 2 else f"{n} S/2099/101", "", f"Body text of page {words[n]} goes here.",
              "- " + str(n) + " -" if n % 3 else f"Page {n} of 6"] for n in range(1, 7)]
    pages[0].insert(0, "Report of the team")
    out = strip_running_lines(pages)
    assert out[0][0] == "Report of the team"  # not running: only on page 1
    assert all(not any("S/2099" in line or line.startswith(("- ", "Page ")) for line in lines) for lines in out)
    assert all(any(line.startswith("Body text") for line in lines) for lines in out)
    # a line repeated in the middle of pages is content, and a number inside a sentence stays
    mid = [["Head", f"{w} a", f"{w} b", f"{w} c", "Same line in the middle.", "12", f"{w} d", f"{w} e", f"{w} f",
            "tail"] for w in words[:3]]
    kept = strip_running_lines(mid)
    assert all("Same line in the middle." in lines and "12" in lines for lines in kept)
    assert all("Head" not in lines and "tail" not in lines and len(lines) == 8 for lines in kept)


def test_headers_carrying_the_page_number_and_a_changing_text():
    chapters = ["Chapter 1: Origins", "Chapter 1: Origins", "Chapter 2: Alliances", "Chapter 2: Alliances",
                "Chapter 3: Outlook"]
    pages = [["1", "1 Origins", "The first chapter starts here."]]
    pages += [[f"{chapters[k]} {k + 1}", f"Running text of the page, one of several ({'abcdef'[k]})."]
              for k in range(1, 5)]
    out = strip_running_lines(pages)
    assert out[0] == ["1 Origins", "The first chapter starts here."]  # the page's number went, its heading stays
    assert all(not any(line.startswith("Chapter") for line in lines) for lines in out)
    assert all(len(lines) == 1 for lines in out[1:])


def test_unwrap_and_page_join():
    assert unwrap(["A line long enough to have wrapped at the", "margin of the page.", "Short end.", "Next"],
                  40) == "A line long enough to have wrapped at the margin of the page.\nShort end.\nNext"
    assert unwrap(["An item list follows here and runs long:", "- first item"], 40) == \
        "An item list follows here and runs long:\n- first item"
    assert unwrap(["the hyphen-ated words are split like organ-", "isation here"], 40) == \
        "the hyphen-ated words are split like organ-isation here"
    text, starts = page_texts([["Ends a sentence."], [], ["New page starts."]])
    assert text == "Ends a sentence.\n\nNew page starts." and starts == [0, 18, 18]  # the empty page: the next one's start


def test_page_marks_survive_dropped_lines_and_collapsed_space():
    from khabar.collect.clean import clean_text
    from khabar.collect.normalize import normalize_text

    def through(raw: str, starts: list[int]) -> tuple[str, list[int]]:
        marked = mark_pages(raw, starts)
        return unmark_pages(normalize_text(clean_text(normalize_text(marked)).text), len(starts))

    raw = "Title line\n\nFirst page   text.  \nSubscribe to our newsletter\n\n\n\nSecond page text.\n\nThird."
    text, found = through(raw, [0, raw.index("Second"), raw.index("Third")])
    assert text == "Title line\n\nFirst page text.\n\nSecond page text.\n\nThird."
    assert [text[p:p + 5] for p in found] == ["Title", "Secon", "Third"]
    # a page whose first line goes as junk (a photo credit) loses its mark: it is then empty
    # (it starts where the next page does), and the pages after it keep their numbers
    raw = "One.\nJim Smith/Getty Images\nTwo.\nThree."
    text, found = through(raw, [0, raw.index("Jim"), raw.index("Three")])
    assert text == "One.\nTwo.\nThree." and found == [0, text.index("Three"), text.index("Three")]
    # a document cannot forge a mark
    forged = "abc\ufdd0\ufdd0\ufdd1def"
    assert unmark_pages(mark_pages(forged, [0]), 1) == ("abcdef", [0])


def test_pdf_pages_are_bounded(monkeypatch, caplog):
    from khabar.collect.formats import pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    (doc,), _ = _read("report.pdf")
    assert len(doc.pages) == 2 and "Outlook" not in doc.text
    assert any("only the first 2 read" in r.getMessage() for r in caplog.records)
    monkeypatch.setattr(pdf, "MAX_PAGES", 2000)
    monkeypatch.setattr(pdf, "MAX_SECONDS", 0.0)  # out of time after the first page
    (doc,), _ = _read("report.pdf")
    assert len(doc.pages) == 1 and "Security situation" not in doc.text


def test_pdf_page_that_cannot_be_read_is_left_empty(monkeypatch, caplog):
    import pypdf

    real = pypdf.PageObject.extract_text
    calls = iter(range(100))

    def flaky(self, *args, **kwargs):
        if next(calls) == 1:  # the second page
            raise ValueError("a broken font")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pypdf.PageObject, "extract_text", flaky)
    (doc,), skipped = _read("report.pdf")
    assert not skipped and "Security situation" not in doc.text and "Outlook" in doc.text
    assert len(doc.pages) == 4 and doc.pages[1] == doc.pages[2]  # page 2 empty, page 3 numbered still
    assert any("page(s) 2 could not be read" in r.getMessage() for r in caplog.records)
    monkeypatch.setattr(pypdf.PageObject, "extract_text", lambda self, *a, **k: 1 / 0)
    (skip,) = list(read_path(FIXTURES / "report.pdf"))
    assert skip.reason == "unreadable PDF (no page's text could be read, 4 tried)"


# -- Telegram ----------------------------------------------------------------------------------


def test_telegram_export():
    from khabar.collect.formats.telegram import Counts, read_export

    docs, skipped = _read("telegram/result.json")
    assert not skipped
    assert [d.name for d in docs] == ["result.json#2", "result.json#3", "result.json#5"]
    assert {d.source for d in docs} == {"Valley Watch"}
    assert [d.published for d in docs] == ["2023-03-01", "2023-03-02", "2023-03-04"]
    forwarded = docs[1]
    assert forwarded.title == "Post 3 (forwarded from Mountain Relay)"
    assert forwarded.text == ("Statement: the district council denies any part in the closure of the market, and "
                              "calls on @valleyelders to meet on Friday.")  # entities joined
    assert docs[0].title is None  # a long first sentence is no headline
    assert docs[2].language == "ar" and docs[0].language == "en"
    counts = Counts()
    export = json.loads((FIXTURES / "telegram/result.json").read_text(encoding="utf-8"))
    list(read_export(export, "result.json", "x", counts))
    assert (counts.read, counts.passed) == (3, 3)  # two service messages and a photo without caption


def test_telegram_message_bound(monkeypatch):
    from khabar.collect.formats import telegram

    monkeypatch.setattr(telegram, "MAX_MESSAGE_CHARS", 40)
    assert len(telegram.message_text(["x" * 30, {"type": "bold", "text": "y" * 30}, "z" * 30])) == 40
    assert telegram.message_text({"not": "text"}) == "" and telegram.message_text(None) == ""


# -- feeds -------------------------------------------------------------------------------------


def test_rss_feed():
    docs, skipped = _read("wire.rss")
    assert not skipped and len(docs) == 2
    first = docs[0]
    assert first.name == "wire.rss#1" and first.title == "Market reopens in the lower valley"
    assert first.url == "https://wire.example.org/2023/03/market-reopens"
    assert first.source == "Example Wire" and first.published == "2023-03-04"
    assert "reopened the central market on Saturday" in first.text and "never run" not in first.text
    assert docs[1].text == "Snow kept the road to the upper valley closed for a fifth week, officials said."


@pytest.mark.parametrize("name", ["bulletin.atom", "bulletin-feed.xml"])
def test_atom_feed_by_suffix_or_by_content(name):
    docs, skipped = _read(name)
    assert not skipped and [d.title for d in docs] == ["Elders meet district officials", "Plain note"]
    assert docs[0].published == "2023-03-06" and docs[1].published == "2023-03-07"  # updated, when not published
    assert docs[0].url == "https://bulletin.example.net/elders-meet" and docs[0].source == "Valley Bulletin"
    assert docs[1].text == "A plain-text entry: the bulletin will not appear next week."


def test_feed_sniffing_across_encodings():
    from khabar.collect.formats.feeds import looks_like_feed

    atom = (FIXTURES / "bulletin.atom").read_text(encoding="utf-8")
    for data in (atom.encode("utf-16-le"), atom.encode("utf-16-be"), atom.encode("utf-16"),
                 b"\xef\xbb\xbf" + atom.encode(), b"<!-- a comment -->\n<rss version='2.0'/>"):
        assert looks_like_feed(data)
    assert not looks_like_feed((FIXTURES / "catalog.xml").read_bytes()) and not looks_like_feed(b"")


# -- DOCX --------------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_in_order():
    (doc,), skipped = _read("notes.docx")
    assert not skipped
    assert doc.title == MAKE.DOCX_TITLE
    lines = doc.text.split("\n")
    assert lines[0] == "Notes of the second visit"
    assert lines[2:5] == ["Place\tDate\tFinding", "Lower valley\t2 March\tMarket closed",
                          "Northern checkpoint\tUnmanned on 3 March"]  # the merged cell once
    assert lines[-1].startswith("Residents expect the pass")
    assert doc.source is None


def test_docx_title_from_first_heading(tmp_path):
    (tmp_path / "untitled.docx").write_bytes(MAKE.docx_bytes(core_title=None))
    (doc,) = [d for d in collect(tmp_path) if not isinstance(d, Skipped)]
    assert doc.title == "Notes of the second visit"


def test_docx_zip_bomb_is_bounded(monkeypatch, tmp_path):
    from khabar.collect.formats import docx

    monkeypatch.setattr(docx, "MAX_UNPACKED_BYTES", 10_000)
    (skip,) = list(read_path(FIXTURES / "notes.docx"))
    assert isinstance(skip, Skipped) and "unpacks to" in skip.reason and "limit 10000" in skip.reason
    # and a real bomb: 50 MB of zeros in a 50 KB archive, under the default limit of entries
    bomb = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * 50_000_000)
    (tmp_path / "bomb.docx").write_bytes(bomb.getvalue())
    (skip,) = list(read_path(tmp_path / "bomb.docx"))
    assert isinstance(skip, Skipped) and "unpacks to 50000000 bytes" in skip.reason


# -- WARC --------------------------------------------------------------------------------------


def test_warc_html_responses_only():
    docs, skipped = _read("pages.warc.gz")
    assert not skipped
    assert [d.name for d in docs] == ["pages.warc.gz#1", "pages.warc.gz#2"]  # not the request, image, or 404
    page, arabic = docs
    assert page.url == "https://times.example.com/checkpoint" and page.title == "Checkpoint reopens"
    assert page.source == "Valley Times"
    assert page.published == "2023-03-08"  # WARC-Date: the page gives none
    assert "reopened on Tuesday" in page.text and "Home | World" not in page.text and "never run" not in page.text
    assert "السوق المركزي" in arabic.text and arabic.language == "ar"  # decoded by the charset its header names
    assert arabic.url == "https://souq.example.com/market"


def test_warc_date_is_a_real_day():
    from khabar.collect.formats.warc import _day

    assert _day("2023-03-08T10:00:01Z") == "2023-03-08" and _day("2023-03-08") == "2023-03-08"
    assert _day("2023-02-30T10:00:00Z") is None and _day("20230308") is None and _day(None) is None


def test_warc_page_bound_skips_that_page_only(monkeypatch):
    from khabar.collect.formats import warc

    monkeypatch.setattr(warc, "MAX_PAGE_BYTES", 400)
    items = list(read_path(FIXTURES / "pages.warc.gz"))
    assert isinstance(items[0], Skipped) and items[0].path.endswith("pages.warc.gz#1")
    assert "page over 400 bytes" in items[0].reason
    assert [i.name for i in items if not isinstance(i, Skipped)] == ["pages.warc.gz#2"]


# -- malformed files and missing extras --------------------------------------------------------

MALFORMED = {
    "broken.pdf": "unreadable PDF",
    "telegram-broken/result.json": "invalid JSON",
    "not-telegram.json": "not a Telegram channel export",
    "broken.rss": "malformed feed",
    "catalog.xml": "XML that is not an RSS or Atom feed",
    "broken.docx": "not a .docx",
    "broken.warc": "WARC",
}


def test_malformed_file_of_each_kind_is_one_line_and_the_batch_goes_on():
    names = [n for pair in zip(MALFORMED, ["report.pdf", "telegram/result.json", "wire.rss", "wire.rss",
                                           "bulletin.atom", "notes.docx", "pages.warc.gz"], strict=True)
             for n in pair]
    docs, skipped = _read(*names)
    assert len(docs) == 1 + 3 + 2 + 2 + 2 + 1 + 2  # every good file read, each once (collect reads as given)
    assert len(skipped) == len(MALFORMED)
    for (name, reason), line in zip(MALFORMED.items(), skipped, strict=True):
        assert line.startswith(f"skipped {FIXTURES / name}: ") and reason in line
        assert "\n" not in line and "Traceback" not in line


def test_encrypted_pdf_is_skipped(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO((FIXTURES / "report.pdf").read_bytes()))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    (tmp_path / "locked.pdf").write_bytes(out.getvalue())
    (skip,) = list(read_path(tmp_path / "locked.pdf"))
    assert isinstance(skip, Skipped) and skip.reason.startswith("encrypted PDF")


@pytest.mark.parametrize("fixture, module, extra", [
    ("report.pdf", "pypdf", "pdf"), ("notes.docx", "docx", "docx"),
    ("pages.warc.gz", "warcio", "warc"), ("wire.rss", "feedparser", "feeds")])
def test_missing_extra_names_the_install_command(monkeypatch, fixture, module, extra):
    for name in [m for m in sys.modules if m == module or m.startswith(module + ".")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, module, None)  # "import pypdf" now raises ImportError
    items = list(read_path(FIXTURES / fixture))
    assert len(items) == 1 and isinstance(items[0], Skipped)
    assert f"pip install 'khabar[{extra}]'" in items[0].reason


def test_supported_suffixes_and_help():
    from khabar.cli import build_parser

    for suffix in (".pdf", ".docx", ".json", ".rss", ".atom", ".xml", ".warc", ".warc.gz"):
        assert suffix in SUPPORTED
    ingest = next(a for a in build_parser()._subparsers._group_actions[0].choices["ingest"]._actions
                  if a.dest == "paths")
    for word in (".pdf", ".docx", "Telegram", ".rss", ".warc"):
        assert word in ingest.help
    (skip,) = list(read_path(FIXTURES / "make_fixtures.py"))
    assert skip.reason == "unsupported file type .py"


# -- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["utf16le-nobom.txt", "utf16be-nobom.txt", "utf16le-bom.txt", "utf16be-bom.txt"])
def test_utf16_with_and_without_bom(name):
    text = decode((FIXTURES / "encodings" / name).read_bytes())
    assert text is not None and text.lstrip("\ufeff") == MAKE.ENGLISH


def test_arabic_utf16_without_bom_and_short_cp1256():
    assert decode((FIXTURES / "encodings/arabic-utf16le-nobom.txt").read_bytes()).strip() == MAKE.ARABIC_SHORT
    assert decode((FIXTURES / "encodings/arabic-cp1256.txt").read_bytes()) == MAKE.ARABIC_SHORT
    assert decode("طالبان".encode("cp1256")) == "طالبان"  # six letters: enough to tell
    assert decode("Талибан заявил".encode("cp1251")) == "Талибан заявил"


def test_short_western_texts_stay_cp1252():
    assert decode((FIXTURES / "encodings/western-cp1252.txt").read_bytes()) == MAKE.WESTERN
    for text in ("ça va", "Café déjà vu, naïve", "Größe und Maß", "Ørsted paid 50€ — “fine”"):
        assert decode(text.encode("cp1252")) == text


def test_binary_with_nuls_is_still_binary():
    rng = random.Random(11)
    noise = bytes(rng.randrange(0, 256) for _ in range(20_000))
    assert utf16_without_bom(noise) is None and decode(noise) is None
    assert decode(b"\x89PNG\r\n\x1a\n" + bytes(500)) is None


def test_mojibake_repaired():
    (doc,), _ = _read("encodings/mojibake.txt")
    assert doc.text == "The council's statement – read on Monday – refused the café owners' request."
    assert repair_mojibake("CafÃ© au lait, itâ€™s") == "Café au lait, it’s"
    clean = "Le conseil a décidé; Größe; Ørsted; ÂGE d'or"
    assert repair_mojibake(clean) == clean


def test_mojibake_repair_keeps_pdf_page_starts():
    from khabar.collect.readers import RawDoc, _repaired

    doc = _repaired(RawDoc("CafÃ© one.\n\nTwo itâ€™s.\n\nThree.", "x", "x", pages=[0, 12, 25]))
    assert doc.text == "Café one.\n\nTwo it’s.\n\nThree."
    assert [doc.text[p:p + 3] for p in doc.pages] == ["Caf", "Two", "Thr"]


# -- language ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, lang", [
    ("The Taliban said on Monday that the talks would resume in Doha next week.", "en"),
    ("Militants Seize Border Town", "en"),  # too short for a detector, no other language's words
    ("Taliban take Kabul", "en"),
    ("Les talibans ont pris le contrôle de la ville, selon des témoins.", "fr"),
    ("Die Taliban haben die Stadt nach Angaben von Zeugen eingenommen.", "de"),
    ("قالت الحركة في بيان يوم الاثنين إن مقاتليها انسحبوا من الوادي", "ar"),
    ("طالبان روز دوشنبه اعلام کردند که مذاکرات هفته آینده در دوحه از سر گرفته می‌شود", "fa"),
    ("Талибы заявили в понедельник, что переговоры возобновятся на следующей неделе.", "ru"),
    ("2023 12 14 — 15:30", "en"),
])
def test_language(text, lang):
    assert detect_language(text) == lang


def test_language_without_langdetect(monkeypatch):
    monkeypatch.setitem(sys.modules, "langdetect", None)
    assert detect_language("Les talibans ont pris le contrôle de la ville, selon des témoins. " * 6) == "fr"
    assert detect_language("قالت الحركة في بيان يوم الاثنين إن مقاتليها انسحبوا من الوادي " * 3) == "ar"
    assert detect_language("Талибы заявили в понедельник, что переговоры возобновятся.") == "ru"
    assert detect_language("The group said on Monday that it had left.") == "en"


def test_mojibake_left_as_is_without_ftfy(monkeypatch):
    monkeypatch.setitem(sys.modules, "ftfy", None)
    assert repair_mojibake("itâ€™s") == "itâ€™s"


def test_language_is_deterministic():
    text = "Le groupe a affirmé lundi que ses combattants avaient quitté la vallée après trois jours. " * 5
    assert {detect_language(text) for _ in range(5)} == {"fr"}


# -- stored: pages in evidence, language, search ------------------------------------------------


@pytest.fixture(scope="module")
def kb(tmp_path_factory, extractor):
    """The import fixtures ingested once (the malformed ones skipped)."""
    from khabar.workspace import Workspace

    root = tmp_path_factory.mktemp("imports")
    folder = root / "docs"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = root / "kb.db"
    ws = Workspace(path)
    ws._extractor = extractor
    report = ws.ingest([folder])
    ws.close()
    return path, report


@pytest.mark.slow
def test_ingest_report(kb):
    _, report = kb
    assert len(report.skipped) == len(MALFORMED)
    assert all("\n" not in s for s in report.skipped)


@pytest.mark.slow
def test_pdf_page_cited_in_evidence(kb):
    from khabar.store.read import assertions, judgments

    path, _ = kb
    from khabar.workspace import Workspace

    ws = Workspace(path)
    try:
        rows = [a for a in assertions(ws.conn) if a["name"] == "report.pdf"]
        assert rows and all(a["page"] == 3 for a in rows)
        others = [a for a in assertions(ws.conn) if a["name"] != "report.pdf"]
        assert all(a["page"] is None for a in others)
        tie, items = next((t, i) for t, i in ws.tie_records("Taliban") if any(a["name"] == "report.pdf" for a in i))
        assert {a["page"] for a in items if a["name"] == "report.pdf"} == {3}
        assert all("page" in j for j in judgments(ws.conn))
        hits = ws.search_records("interlocutors", 5)
        assert hits and hits[0]["page"] == 3
    finally:
        ws.close()


@pytest.mark.slow
def test_page_shown_by_cli_web_and_brief(kb, capsys):
    from khabar.cli import main

    path, _ = kb
    assert main(["show", "Taliban", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Monitoring Note on the Zarin Valley | " in out and "| p. 3 | chars" in out
    assert main(["search", "interlocutors", "--db", str(path)]) == 0
    assert "[Monitoring Note on the Zarin Valley, ?, n.d., p. 3]" in capsys.readouterr().out

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from khabar.web import create_app

    client = TestClient(create_app(path), base_url="http://127.0.0.1")
    page = client.get("/ties/pakistan/supports/taliban")
    assert page.status_code == 200 and "p. 3" in page.text
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as conn:
        arabic = conn.execute("SELECT id FROM documents WHERE name = 'result.json#5'").fetchone()[0]
    shown = client.get(f"/documents/{arabic}").text
    assert '<dt>language</dt><dd class="mono">ar</dd>' in shown and 'lang="ar" dir="auto"' in shown

    from khabar.present.brief import _citation

    docs = {1: {"n": 1, "title": "T", "name": "t.pdf", "source": None, "published": None}}
    assert _citation({"cite": 1, "grade": None, "page": 3}, docs).endswith("T, p. 3")


@pytest.mark.slow
def test_language_stored_and_other_languages_searchable(kb):
    from khabar.workspace import Workspace

    path, _ = kb
    ws = Workspace(path)
    try:
        langs = dict(ws.conn.execute("SELECT name, language FROM documents"))
        assert langs["result.json#5"] == "ar" and langs["pages.warc.gz#2"] == "ar"
        assert langs["western-cp1252.txt"] == "fr" and langs["report.pdf"] == "en"
        # extraction runs on them as on any text: their sentences are in the full-text index
        names = {h["name"] for h in ws.search_records("السوق", 10)}
        assert {"result.json#5", "pages.warc.gz#2", "arabic-cp1256.txt"} <= names
        assert {h["name"] for h in ws.search_records("marché", 5)} == {"western-cp1252.txt"}
    finally:
        ws.close()


@pytest.mark.slow
def test_reextract_keeps_pages(kb):
    from khabar.workspace import Workspace

    path, _ = kb
    ws = Workspace(path)
    try:
        before = ws.conn.execute("SELECT pages FROM documents WHERE name = 'report.pdf'").fetchone()[0]
        with contextlib.redirect_stderr(io.StringIO()):
            ws.reextract(progress=False, everything=True)
        after = ws.conn.execute("SELECT pages FROM documents WHERE name = 'report.pdf'").fetchone()[0]
        assert before == after and json.loads(after)[0] == 0 and len(json.loads(after)) == 4
        assert pages_mod.page_of(after, 10**6) == 4
    finally:
        ws.close()
