"""Tests for the COLLECT stage: readers, normalisation, cleaning, sidecar, dedup."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from khabar.collect import (
    Deduplicator,
    MetaError,
    Skipped,
    clean_text,
    collect,
    doc_id,
    htmltext,
    load_meta,
    normalize_text,
    readers,
)
from khabar.schema import Document

FIXTURES = Path(__file__).parent / "fixtures" / "collect"

PARA_1 = (
    "Fighters loyal to the Northern Front entered the town of Qalat before dawn, "
    "residents said, raising their flag over the police station."
)
PARA_2 = "A spokesman for the army said reinforcements had been sent and that fighting continued."
PARA_3 = "The army said on Sunday it had retaken two villages, but the group disputed the claim online."


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def run(*paths, meta=None) -> tuple[list[Document], list[Skipped]]:
    out = list(collect(list(paths), meta))
    return [d for d in out if isinstance(d, Document)], [s for s in out if isinstance(s, Skipped)]


def cleaned(text: str) -> str:
    return clean_text(normalize_text(text)).text


# --------------------------------------------------------------------------- normalisation

NORMALIZE_CASES = [
    ("\u2018quoted\u2019 \u201aa\u201b 5\u2032", "'quoted' 'a' 5'"),
    ("\u201cdouble\u201d \u201elow\u201d 6\u2033", '"double" "low" 6"'),
    ("a\u2014\u2014b", "a\u2014b"),
    ("a\u2014\u2014\u2014b", "a\u2014b"),
    ("en\u2013dash and em\u2014dash", "en\u2013dash and em\u2014dash"),
    ("no\u00a0break\u2009thin\u3000wide\u202fnarrow", "no break thin wide narrow"),
    ("zero\u200bwidth\u200d\ufeff\u00adjoin\u2060", "zerowidthjoin"),
    ("bidi\u202eevil\u202c", "bidievil"),
    ("ctrl\x00\x07\x1bchars\tkept", "ctrlchars\tkept"),
    ("line\r\nbreaks\rold mac", "line\nbreaks\nold mac"),
    ("trailing   \nspaces\t\n", "trailing\nspaces"),
    ("a\n\n\n\n\nb", "a\n\nb"),
    ("a\n  \n \t\n\nb", "a\n\nb"),
    ("many     spaces  here", "many spaces here"),
    ("e\u0301 composed", "\u00e9 composed"),
    ("e\u200b\u0301 zero width between", "\u00e9 zero width between"),
    ("lone \ud800 surrogate", "lone surrogate"),
    ("page\x0cbreak", "page\nbreak"),
    ("", ""),
]


@pytest.mark.parametrize("raw, expected", NORMALIZE_CASES)
def test_normalize_cases(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("raw", [raw for raw, _ in NORMALIZE_CASES])
def test_normalize_idempotent_cases(raw):
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_normalize_idempotent_fuzz():
    """Seeded random strings built from the characters the rules touch."""
    alphabet = list(
        "ab e\u0301\u0327\n\r\t .\u00a0\u200b\u200d\u2014\u2018\u201c\u2032\x00\x0c\u2028\ud800\ufeff"
    )
    alphabet += ["\r\n", "\u2014\u2014", "\n\n\n", "   "]
    rng = random.Random(20240305)
    for _ in range(5000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        once = normalize_text(raw)
        assert normalize_text(once) == once, repr(raw)


try:  # hypothesis is optional; the cases and the fuzz above cover the same property
    from hypothesis import given
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - depends on the environment
    pass
else:

    @given(st.text())
    def test_normalize_idempotent_hypothesis(raw):
        once = normalize_text(raw)
        assert normalize_text(once) == once


def test_doc_id_is_sha256_of_normalised_text():
    import hashlib

    a = doc_id("The \u201cFront\u201d\r\nsaid  so.  ")
    assert a == doc_id('The "Front"\nsaid so.')
    assert a == hashlib.sha256(b'The "Front"\nsaid so.').hexdigest()
    assert a != doc_id("The Front said so.")


# --------------------------------------------------------------------------- cleaning: junk rules

BODY = f"Militants Seize Border Town\n{PARA_1}\n{PARA_2}\n"


@pytest.mark.parametrize(
    "junk",
    [
        "Credit...Jim Smith for The New York Times",
        "Credit: Reuters",
        "Photo: Fighters in the town square",
        "Photograph: Ahmed Ali",
        "Image: Handout",
        "Picture: supplied",
        "(AP Photo/Ahmed Ali)",
        "Ahmed Ali/Getty Images",
        "Ahmed Ali/AFP via Getty Images",
        "Sara Lee/Reuters",
        "Handout/Associated Press",
        "Subscribe to our newsletter",
        "\u2022 Subscribe now",
        "Thanks for reading The Conflict Brief! Subscribe for free to receive new posts.",
        "Sign up for our daily briefing",
        "Support my research on Patreon",
        "Newsletter",
        "Advertisement",
        "Share this article",
        "Click here to read the full report",
        "We use cookies to improve your experience.",
        "Saturday, Feb 22, 2025",
        "February 22, 2025",
        "22 February 2025",
        "0:00",
        "Close",
        "\u00d7",
        "Menu",
        "Home",
        "Share",
        "Tweet",
        "Read more: Army retakes northern villages",
    ],
)
def test_junk_line_removed(junk):
    result = clean_text(normalize_text(f"{BODY}{junk}\n{PARA_3}"))
    assert junk.lstrip("\u2022 ") not in result.text
    assert PARA_3 in result.text and PARA_1 in result.text
    assert any(line.strip() == junk for _, line in result.removed)


def test_credit_name_line_after_marker():
    result = clean_text(f"{BODY}Credit\nJim Smith for The New York Times\n{PARA_3}")
    assert "Jim Smith" not in result.text
    assert [reason for reason, _ in result.removed] == ["photo credit", "photo credit"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The group said it would subscribe to no ceasefire.",
        "Subscribe to no ceasefire talks, the commander told his fighters in a recorded message.",
        "The photo: a grainy image of the convoy, was shared widely on Telegram by the group's supporters.",
        "Reuters reported that the group shared the video on its channels.",
        "Home to 40,000 people, the town is a hub for smuggling across the frontier.",
        "Share prices of defence firms rose after the attack, analysts said.",
        "Related groups in the region, including the Southern Brigade, denied involvement.",
    ],
)
def test_real_sentences_kept(sentence):
    text = f"{BODY}{sentence}\n{PARA_3}"
    assert sentence in cleaned(text)


def test_headline_at_top_kept():
    out = cleaned(BODY + PARA_3)
    assert out.startswith("Militants Seize Border Town\n")


@pytest.mark.parametrize("heading", ["Related Articles", "Related", "Popular posts from this blog", "Read more", "More from The Example Post", "You may also like", "Most read", "Trending", "Recommended", "Latest news"])  # fmt: skip
def test_related_list_after_heading(heading):
    text = (
        f"{BODY}{heading}\nArmy Retakes Northern Villages\nCeasefire talks stall in capital\n\n"
        f"Officials Meet Donors in Geneva.\n{PARA_3}"
    )
    result = clean_text(normalize_text(text))
    for gone in (heading, "Army Retakes", "Ceasefire talks", "Officials Meet"):
        assert gone not in result.text
    assert PARA_3 in result.text and PARA_2 in result.text
    assert all(reason == "headline list" for reason, _ in result.removed)


def test_trailing_headline_list_without_heading():
    tail = [
        "Aid convoy reaches besieged city after weeks",
        "Election commission delays vote count again",
        "Five things to know about the drought",
        "Is the truce over? What comes next",
    ]
    result = clean_text(normalize_text(BODY + PARA_3 + "\n\n" + "\n".join(tail)))
    assert result.text.endswith(PARA_3)
    assert [line for _, line in result.removed] == tail


def test_three_trailing_short_lines_are_kept():
    tail = "Aid convoy reaches city\nElection vote delayed again\nFive things to know today"
    assert cleaned(BODY + PARA_3 + "\n" + tail).endswith(tail)


def test_short_post_of_headline_lines_is_not_emptied():
    post = "BREAKING Front fighters in Qalat\nPolice station taken\nFlag raised over the square\nMore soon from our team"
    assert cleaned(post) == post


def test_repeated_paragraph_dropped_keeping_first():
    result = clean_text(normalize_text(f"{BODY}{PARA_3}\n{PARA_1}\n\n{PARA_1}"))
    assert result.text.count(PARA_1) == 1
    assert result.text.index(PARA_1) < result.text.index(PARA_3)
    assert result.removed == [("repeated paragraph", PARA_1), ("repeated paragraph", PARA_1)]


def test_short_repeats_are_kept():
    assert cleaned(f"{BODY}Yes.\n{PARA_3}\nYes.").count("Yes.") == 2


def test_source_reference_at_end():
    result = clean_text(normalize_text(f"{BODY}{PARA_3}\nSource: Al Jazeera (https://aljazeera.com/x)"))
    assert result.text.endswith(PARA_3)
    assert result.removed[0][0] == "source reference"


# --------------------------------------------------------------------------- readers


def test_txt_title_and_text(tmp_path):
    write(tmp_path, "a.txt", f"Militants Seize Border Town\n\n{PARA_1}\nAdvertisement\n{PARA_2}\n")
    (doc,), skipped = run(tmp_path)
    assert not skipped
    assert doc.title == "Militants Seize Border Town"
    assert doc.text.startswith("Militants Seize Border Town\n\n")  # headline kept in the text
    assert "Advertisement" not in doc.text
    assert doc.name == "a.txt" and doc.path == str(tmp_path / "a.txt")
    assert doc.id == doc_id(doc.text)


@pytest.mark.parametrize("first", [PARA_1, "x" * 250])
def test_txt_no_title_when_first_line_is_a_paragraph(tmp_path, first):
    write(tmp_path, "a.txt", f"{first}\n{PARA_2}")
    (doc,), _ = run(tmp_path)
    assert doc.title is None


def test_md_markup_stripped(tmp_path):
    md = (
        "# The *Northern* Front\n\n"
        "## Background\n\n"
        "The **group** was _founded_ in 2011, see [the report](https://example.org/r) "
        "and ![a map](map.png). Its snake_case_name stays, as does 2*3*4.\n"
    )
    write(tmp_path, "r.md", md)
    (doc,), _ = run(tmp_path)
    assert doc.title == "The Northern Front"
    assert doc.text == (
        "The Northern Front\n\nBackground\n\nThe group was founded in 2011, see the report "
        "and a map. Its snake_case_name stays, as does 2*3*4."
    )


def test_html_fixture():
    (doc,), skipped = run(FIXTURES / "article.html")
    assert not skipped
    assert doc.title == "Militants seize border town"
    assert doc.published == "2024-03-05"
    assert doc.url == "https://example.org/world/border-town"
    assert "would subscribe to no ceasefire" in doc.text
    for junk in ("alert(1)", "INJECTED", "color: red", "Related Articles", "Army retakes", "newsletter"):
        assert junk not in doc.text


def test_html_fallback_when_trafilatura_gives_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(htmltext.trafilatura, "extract", lambda *a, **k: None)
    html = (
        "<html><head><title>Fallback title</title><script>alert(1)</script></head><body>"
        f"<div><p>{PARA_1}</p><script>alert(1)</script><p>{PARA_2}</p></div><!-- hidden --></body></html>"
    )
    write(tmp_path, "p.htm", html)
    (doc,), _ = run(tmp_path)
    assert doc.text == f"{PARA_1}\n\n{PARA_2}"
    assert doc.title == "Fallback title"
    assert "alert" not in doc.text and "hidden" not in doc.text


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>" + "<b>" * 5000 + "deep" + "</b>" * 5000 + "</p></body></html>",
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>Declared text here.</p></body></html>',
        "<p>unclosed <b>tags <i>everywhere",
        "<html><body>\udcff</body></html>",
    ],
)
def test_odd_html_does_not_crash(tmp_path, html):
    write(tmp_path, "odd.html", html.encode("utf-8", "surrogateescape"))
    out = list(collect(tmp_path))
    assert len(out) == 1


def test_jsonl_lines_and_bad_line(tmp_path):
    lines = [
        json.dumps(
            {
                "text": PARA_1,
                "title": "T1",
                "url": "https://e.org/1",
                "published": "2024-02",
                "source": "Chan",
            }
        ),
        "{not json",
        json.dumps({"text": PARA_2, "id": 42, "published": "2024-02-03T10:00:00+00:00"}),
        "",
        json.dumps({"title": "no text"}),
        json.dumps({"text": PARA_3, "doc": "post-9", "published": "last week"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "   "}),
    ]
    write(tmp_path, "chan.jsonl", "\n".join(lines))
    docs, skipped = run(tmp_path)
    assert [d.name for d in docs] == ["chan.jsonl#1", "42"]
    assert (docs[0].title, docs[0].url, docs[0].published, docs[0].source) == (
        "T1",
        "https://e.org/1",
        "2024-02",
        "Chan",
    )
    assert docs[1].published == "2024-02-03"
    assert [s.path.rsplit("#", 1)[1] for s in skipped] == ["2", "5", "6", "7", "8"]
    assert all(s.reason.startswith(f"line {s.path.rsplit('#', 1)[1]}:") for s in skipped[:4])
    assert "invalid JSON" in skipped[0].reason
    assert skipped[-1].reason == "empty document"


def test_folder_sorted_recursive_hidden_and_unsupported(tmp_path):
    write(tmp_path, "b.txt", PARA_2)
    write(tmp_path, "a/z.md", PARA_1)
    write(tmp_path, "a/y.png", b"\x89PNG")  # .pdf is read now (formats.pdf)
    write(tmp_path, ".hidden.txt", PARA_3)
    write(tmp_path, ".git/c.txt", PARA_3)
    write(tmp_path, "c.TXT", PARA_3)
    out = list(collect(tmp_path))
    names = [x.name if isinstance(x, Document) else Path(x.path).name for x in out]
    assert names == ["y.png", "z.md", "b.txt", "c.TXT"]
    assert str(out[0]) == f"skipped {tmp_path / 'a' / 'y.png'}: unsupported file type .png"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("\ufeffBOM text caf\u00e9.".encode(), "BOM text caf\u00e9."),
        ("cp1252 \u201cquotes\u201d \u20ac5.".encode("cp1252"), 'cp1252 "quotes" \u20ac5.'),
        (b"latin-1 only \x81\x8d caf\xe9.", "latin-1 only caf\u00e9."),
    ],
)
def test_encodings(tmp_path, raw, expected):
    write(tmp_path, "e.txt", raw)
    (doc,), _ = run(tmp_path)
    assert doc.text == expected


def test_bad_files_skipped_and_batch_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    write(tmp_path, "1.txt", PARA_1)
    write(tmp_path, "2.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path, "3.txt", "  \n\t\n")
    write(tmp_path, "4.txt", "Advertisement\nShare\n")  # empty once cleaned
    write(tmp_path, "5.txt", "x " * 600)
    write(tmp_path, "6.txt", PARA_3)
    docs, skipped = run(tmp_path, tmp_path / "missing.txt")
    assert [d.name for d in docs] == ["1.txt", "6.txt"]
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert reasons["2.txt"] == "binary file"
    assert reasons["3.txt"] == reasons["4.txt"] == "empty document"
    assert reasons["5.txt"].startswith("file too large")
    assert reasons["missing.txt"] == "no such file"
    for s in skipped:
        assert str(s) == f"skipped {s.path}: {s.reason}" and "\n" not in str(s)


def test_skipped_str_is_one_line():
    assert str(Skipped("a\nb.txt", "line 2: bad\nthing")) == "skipped a b.txt: line 2: bad thing"


# --------------------------------------------------------------------------- metadata sidecar


def test_sidecar_overrides_inferred(tmp_path):
    docs_dir = tmp_path / "docs"
    write(docs_dir, "a.txt", f"Inferred Title\n{PARA_1}")
    meta = write(
        tmp_path,
        "meta.jsonl",
        json.dumps({"doc": "sub/a.txt", "published": "2023-11", "source": "Analyst", "title": "Given"})
        + "\n\n"
        + json.dumps({"doc": "article.html", "published": "2020", "url": None}),
    )
    (doc,), _ = run(docs_dir, meta=meta)
    assert (doc.title, doc.published, doc.source) == ("Given", "2023-11", "Analyst")
    (html,), _ = run(FIXTURES / "article.html", meta=meta)
    assert html.published == "2020"  # sidecar beats the page's own date
    assert html.url == "https://example.org/world/border-town"  # null leaves the inferred value


def test_sidecar_inside_folder_is_not_a_document(tmp_path):
    write(tmp_path, "a.txt", PARA_1)
    meta = write(tmp_path, "meta.jsonl", json.dumps({"doc": "a.txt", "source": "S"}))
    docs, skipped = run(tmp_path, meta=meta)
    assert [d.name for d in docs] == ["a.txt"] and not skipped


def test_sidecar_for_jsonl_file_and_lines(tmp_path):
    write(
        tmp_path,
        "c.jsonl",
        "\n".join(json.dumps(x) for x in [{"text": PARA_1}, {"text": PARA_2, "source": "Own"}]),
    )
    meta = write(
        tmp_path / "m",
        "meta.jsonl",
        json.dumps({"doc": "c.jsonl", "source": "Channel"})
        + "\n"
        + json.dumps({"doc": "c.jsonl#2", "source": "Line"}),
    )
    docs, _ = run(tmp_path / "c.jsonl", meta=meta)
    assert [d.source for d in docs] == ["Channel", "Line"]


@pytest.mark.parametrize(
    "line, message",
    [
        ("{oops", "invalid JSON"),
        ('{"published": "2024"}', '"doc"'),
        ('{"doc": "a.txt", "published": "March 2024"}', "not YYYY"),
        ('{"doc": "a.txt", "published": "2024-02-30"}', "not a real date"),
        ('{"doc": "a.txt", "title": 5}', "title must be a string"),
        ('{"doc": "a.txt"}\n{"doc": "dir/a.txt"}', "second entry"),
    ],
)
def test_malformed_sidecar(tmp_path, line, message):
    meta = write(tmp_path, "side.jsonl", '{"doc": "ok.txt", "published": "2024-01-31"}\n' + line)
    with pytest.raises(MetaError) as err:
        load_meta(meta)
    assert str(meta) in str(err.value)
    assert f"line {line.count(chr(10)) + 2}" in str(err.value)
    assert message in str(err.value)
    with pytest.raises(MetaError):  # collect fails at once, before reading anything
        collect(tmp_path, meta)


@pytest.mark.parametrize("value", ["2024", "2024-07", "2024-07-31", None])
def test_sidecar_partial_dates(tmp_path, value):
    meta = write(tmp_path, "side.jsonl", json.dumps({"doc": "x.txt", "published": value}))
    assert load_meta(meta)["x.txt"].get("published") == value


def test_sidecar_is_an_index_on_disk(tmp_path):
    """A sidecar is looked up one name at a time from a temporary index, never held as a dict,
    and the index is removed when the sidecar is closed."""
    import glob
    import hashlib
    import tempfile

    entries = {f"d{i:04d}.txt": {"published": f"20{i % 24:02d}", "source": f"S\u2028{i}"} for i in range(3000)}
    lines = [json.dumps({"doc": f"dir/{name}", **values}) for name, values in reversed(entries.items())]
    meta = write(tmp_path, "side.jsonl", "\ufeff" + "\n".join(lines) + "\n\n")
    before = set(glob.glob(f"{tempfile.gettempdir()}/khabar-sidecar-*"))
    sidecar = load_meta(meta)
    assert len(sidecar) == 3000 and sidecar["d0007.txt"] == {"published": "2007", "source": "S\u20287"}
    assert "d2999.txt" in sidecar and "nope.txt" not in sidecar and 5 not in sidecar
    assert sidecar.get("nope.txt", {}) == {} and list(sidecar)[:2] == ["d0000.txt", "d0001.txt"]
    assert sidecar == entries  # a Mapping compares equal to the dict it stands for
    # the digest of the whole sidecar (a .jsonl's documents may use any entry) is the one a
    # dict of the same entries had, so stored file records stay valid
    canonical = json.dumps(entries, sort_keys=True).encode()
    assert sidecar.digest() == hashlib.sha256(canonical).hexdigest()[:32]
    made = set(glob.glob(f"{tempfile.gettempdir()}/khabar-sidecar-*")) - before
    assert len(made) == 1
    sidecar.close()
    assert not any(Path(f).exists() for f in made)
    with pytest.raises(ValueError, match="closed"):
        sidecar["d0007.txt"]


def test_collect_removes_the_sidecar_index(tmp_path):
    import glob
    import tempfile

    write(tmp_path / "in", "a.txt", "Some words about a meeting in Doha between delegations.")
    meta = write(tmp_path, "side.jsonl", json.dumps({"doc": "a.txt", "published": "2021-08-31"}))
    before = set(glob.glob(f"{tempfile.gettempdir()}/khabar-sidecar-*"))
    items = collect(tmp_path / "in", meta)
    assert len(set(glob.glob(f"{tempfile.gettempdir()}/khabar-sidecar-*")) - before) == 1
    docs = list(items)
    assert docs[0].published == "2021-08-31"
    assert set(glob.glob(f"{tempfile.gettempdir()}/khabar-sidecar-*")) - before == set()


def test_sidecar_not_utf8_names_the_line(tmp_path):
    meta = tmp_path / "side.jsonl"
    meta.write_bytes(b'{"doc": "a.txt"}\n{"doc": "b\xff.txt"}\n')
    with pytest.raises(MetaError, match=r"not UTF-8 .*line 2"):
        load_meta(meta)


# --------------------------------------------------------------------------- deduplication


def article(seed: int, words: int = 600) -> str:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(400)] + ["group", "army", "town", "said", "front", "attack"]
    return " ".join(rng.choice(vocab) for _ in range(words))


def change_words(text: str, count: int, seed: int = 7) -> str:
    words = text.split()
    rng = random.Random(seed)
    for i in rng.sample(range(len(words)), count):
        words[i] = f"changed{i}"
    return " ".join(words)


def test_exact_and_near_duplicates():
    original = article(1)
    dedup = Deduplicator()
    assert dedup.check(doc_id(original), original) == (None, None)
    dedup.add(doc_id(original), original)
    assert dedup.check(doc_id(original), original) == ("exact", doc_id(original))
    near = change_words(original, 3)
    assert dedup.check(doc_id(near), near) == ("near", doc_id(original))
    other = article(2)
    assert dedup.check(doc_id(other), other) == (None, None)


def test_dedup_seeded_with_known_documents():
    stored = [(doc_id(article(s)), article(s)) for s in (1, 2, 3)]
    dedup = Deduplicator(known=stored)
    assert len(dedup) == 3 and stored[1][0] in dedup
    near = change_words(article(3), 3)
    assert dedup.check(doc_id(near), near) == ("near", stored[2][0])
    assert dedup.check(stored[0][0], "text ignored for a known id") == ("exact", stored[0][0])


def test_dedup_deterministic_and_empty_text():
    original, near = article(5), change_words(article(5), 3)
    scores = {Deduplicator().similarity(original, near) for _ in range(3)}
    assert len(scores) == 1 and scores.pop() >= 0.8
    dedup = Deduplicator([("empty", "")])
    assert dedup.check("other-empty", "  ...  ") == (None, None)
    dedup.add("a", original)
    dedup.add("a", original)  # adding twice is harmless
    assert len(dedup) == 2
