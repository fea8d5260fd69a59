"""Start-up: read commands import none of the heavy libraries (their import alone took longer
than the 0.5 s a read command may take), and print their tables without pandas. Packaging:
the web app is an extra (``khabar[web]``) that the library, the read commands and the brief
do without, and ``khabar serve`` without it says how to install it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from khabar.cli import _rows_table
from khabar.store import Store

HEAVY = ("pandas", "scipy", "datasketch", "trafilatura", "spacy", "sklearn",
         # the optional extras: web, and the formats a command reads or writes only when asked
         "fastapi", "starlette", "uvicorn", "networkx", "stix2", "pymisp", "followthemoney", "pypdf", "docx",
         "warcio", "feedparser", "dask")

PROBE = """
import sys
from khabar.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("IMPORTED:" + " ".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("command", [
    ["--help"],
    ["actors"],
    ["ties"],
    ["search", "Taliban"],
    ["events", "--limit", "3"],
    ["judgments"],
])
def test_read_commands_import_nothing_heavy(tmp_path, command):
    db = tmp_path / "kb.db"
    Store(db).close()
    args = command if command == ["--help"] else [*command, "--db", str(db)]
    proc = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    heavy = [line for line in proc.stderr.splitlines() if line.startswith("IMPORTED:")]
    assert heavy == ["IMPORTED:"], f"{command}: {proc.stderr[-500:]}"


@pytest.mark.parametrize("rows, expected", [
    ([], "(none)"),
    ([{"name": "Taliban", "n": 12}, {"name": "al-Qaeda", "n": 3}],
     "name      n\nTaliban  12\nal-Qaeda  3"),
    ([{"name": "a  b\nc", "n": None}], "name  n\na b c"),  # one line per row; no value is blank
    ([{"name": "x" * 70, "n": 1}], "name" + " " * 57 + "n\n" + "x" * 57 + "... 1"),
])
def test_rows_table(rows, expected):
    assert _rows_table(rows, ["name", "n"]) == expected


def test_import_khabar_imports_nothing_heavy():
    """``import khabar`` (and its public names' modules) costs nothing the caller did not ask for."""
    code = ("import sys, khabar, khabar.workspace, khabar.schema, khabar.errors\n"
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"import khabar imported {proc.stdout.strip()}"


# Runs the CLI as if the web extra were not installed: its modules cannot be imported.
WITHOUT_WEB = """
import sys
for name in ("fastapi", "starlette", "uvicorn", "jinja2", "python_multipart"):
    sys.modules[name] = None
from khabar.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_serve_without_the_web_extra_names_it(tmp_path):
    db = tmp_path / "kb.db"
    Store(db).close()
    proc = subprocess.run([sys.executable, "-c", WITHOUT_WEB, "serve", "--db", str(db), "--port", "8765"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "[E351]" in proc.stderr and "pip install 'khabar[web]'" in proc.stderr
    assert "Traceback" not in proc.stderr and "uvicorn" in proc.stderr


@pytest.mark.parametrize("command", [["--help"], ["actors"], ["brief", "--format", "md", "-o", "{out}"]])
def test_commands_work_without_the_web_extra(tmp_path, command):
    """``make install`` (and so ``make demo``: ingest, brief) does without the web extra."""
    db = tmp_path / "kb.db"
    Store(db).close()
    args = [a.format(out=tmp_path / "brief.md") for a in command]
    args = args if command == ["--help"] else [*args, "--db", str(db)]
    proc = subprocess.run([sys.executable, "-c", WITHOUT_WEB, *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    if command[0] == "brief":
        assert (tmp_path / "brief.md").read_text(encoding="utf-8").startswith("# khabar brief")


def test_packaging_metadata():
    """MIT by a PEP 639 expression, with the LICENSE and NOTICE files; the web app an extra."""
    import tomllib

    from tests.conftest import ROOT

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = meta["project"]
    assert project["license"] == "MIT"
    assert set(project["license-files"]) >= {"LICENSE", "NOTICE"}
    assert all((ROOT / name).is_file() for name in project["license-files"])
    assert "Copyright (c) 2026 the khabar authors" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    assert "Natural Earth" in notice and "ODbL" in notice
    web = {"fastapi", "starlette", "uvicorn", "jinja2", "python-multipart"}

    def names(requirements: list[str]) -> set[str]:
        import re

        return {re.split(r"[\s<>=!~\[;]", r, maxsplit=1)[0].lower() for r in requirements}

    assert not names(project["dependencies"]) & web, "the web app's packages are core dependencies again"
    assert names(project["optional-dependencies"]["web"]) == web
    assert "web" in project["optional-dependencies"]["all"][0]
