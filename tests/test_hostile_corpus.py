"""A hostile corpus made by the test: every file is ingested or skipped with one line naming it,
the summary's counts are exact, nothing prints a traceback, and memory stays bounded."""

from __future__ import annotations

import os
import random
import re
import resource
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

GOOD = "Officials said the Northern Front had received weapons from Pakistan for years."
ARABIC = ("قالت الحركة في بيان يوم الاثنين إن مقاتليها انسحبوا من الوادي بعد اشتباكات استمرت ثلاثة أيام "
          "مع قوات الحكومة، وأضافت أن المفاوضات مع زعماء القبائل ستستمر خلال الأسبوع المقبل. ") * 4
TINY = 2000


def build(folder):
    """The corpus, and what each file must come to: 'ingested', 'duplicate' or a skip reason."""
    folder.mkdir()
    expect = {}

    def put(name, data, outcome):
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        expect[name] = outcome

    put("good.txt", GOOD, "ingested")
    put("zero.txt", b"", "empty document")
    put("nul.txt", b"\x00\x01\x02\x03binary" * 100, "binary file")
    rng = random.Random(5)
    put("noise.txt", bytes(rng.randrange(1, 256) for _ in range(20_000)), "binary file")
    put("utf16.txt", ("A statement by the Coastal Brigade was read in Quetta on Sunday. " * 3).encode("utf-16"),
        "ingested")
    put("onebad.txt", ("The al-Qā‘ida branch said it had left the valley. " * 3).encode() + b"\xff tail.",
        "ingested")
    put("arabic.txt", ARABIC.encode("cp1256"), "ingested")
    put("same-a.txt", "The Coastal Brigade and the Northern Front signed a truce in Doha.", "ingested")
    put("same-b.txt", "The Coastal Brigade and the Northern Front signed a truce in Doha.", "duplicate")
    put("deep.html", "<html><body>" + "<div>" * 10_000 + "<p>The council met the envoys in Termez.</p>"
        + "</div>" * 10_000 + "</body></html>", "ingested")
    put("rules.md", "A ruled report.\n\n" + "=" * 20_000 + "\n\nThe ministry said the talks would resume.",
        "ingested")
    put("quotes.txt", "Before.\n" + '"' * 30_000 + "\nAfter the talks, the envoy left.", "ingested")
    put("esc\x1b[31mred.txt", "A name with a terminal escape code in it.", "ingested")
    put(os.fsdecode(b"bad-\xff-byte.txt"), "A file name that is not valid UTF-8 on disk.", "ingested")
    put("lines.jsonl", '{"doc": "post-\\ud800", "url": "https://x.example/\\udc80", '
        '"text": "A channel post with lone surrogates in its name and url."}\n', "ingested")
    put("deepjson.jsonl", '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}\n", "invalid JSON")
    put("notes.pdf", b"%PDF-1.4 not read", "unreadable PDF")  # a broken PDF (formats.pdf)
    with open(folder / "huge.txt", "wb") as fh:  # over the 64 MB bound: refused before it is read
        fh.truncate(70 * 1024 * 1024)
    expect["huge.txt"] = "file too large"
    os.mkfifo(folder / "pipe.txt")
    expect["pipe.txt"] = "not a regular file"
    (folder / "loop").symlink_to(folder)  # a link to its own folder: never followed
    expect["loop"] = "not a regular file"
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    expect["gone.txt"] = "no such file"
    tiny = folder / "tiny"
    tiny.mkdir()
    for i in range(TINY):
        (tiny / f"t{i:04d}.txt").write_text(f"Note {i}: the convoy {i * 7919 % 1000} left at dawn.")
    return expect


def test_hostile_corpus(tmp_path):
    folder = tmp_path / "in"
    expect = build(folder)
    db = tmp_path / "kb.db"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run([sys.executable, "-m", "khabar.cli", "ingest", str(folder), "--db", str(db), "--quiet"],
                          capture_output=True, text=True, timeout=900)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert "Traceback" not in out and "\x1b" not in out
    print(f"peak RSS of the ingest: {peak_mb:.0f} MB (before: {before / 1024:.0f} MB)")
    assert peak_mb < 2048
    ingested = sum(v == "ingested" for v in expect.values()) + TINY
    duplicates = sum(v == "duplicate" for v in expect.values())
    skipped = len(expect) - ingested + TINY - duplicates
    head = re.search(r"ingested (\d+), unchanged (\d+), updated (\d+), duplicates (\d+), skipped (\d+)", out)
    assert head, out[-2000:]
    assert [int(x) for x in head.groups()] == [ingested, 0, 0, duplicates, skipped], out[-3000:]
    lines = out.splitlines()
    for name, outcome in expect.items():
        if outcome in ("ingested", "duplicate"):
            continue
        shown = name.replace("\x1b", "\\x1b")
        hits = [ln for ln in lines if ln.strip().startswith("skipped") and shown in ln]
        assert len(hits) == 1 and outcome in hits[0], (name, hits)
    assert "duplicate (exact) same-b.txt of same-a.txt" in out
