"""Start-up: read commands import none of the heavy libraries (their import alone took longer
than the 0.5 s a read command may take), and print their tables without pandas."""

from __future__ import annotations

import subprocess
import sys

import pytest

from khabar.cli import _rows_table
from khabar.store import Store

HEAVY = ("pandas", "scipy", "datasketch", "trafilatura", "spacy", "sklearn")

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
