"""Shared fixtures. Tests that read ../shared skip where it is absent, but fail under CI=true."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


def need_shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing, and CI must have ../shared beside the project")
        pytest.skip(f"{path} is not here (../shared is beside the project only in the workplace)")
    return path


@pytest.fixture(scope="session")
def extractor():
    from khabar.extract.pipeline import Extractor

    return Extractor()


@pytest.fixture
def empty_ws(tmp_path, extractor):
    """A new, empty knowledge base with the session's extractor (no model loaded again)."""
    from khabar.workspace import Workspace

    w = Workspace(tmp_path / "kb.db")
    w._extractor = extractor
    yield w
    w.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, extractor):
    """The example corpus ingested once for the whole session."""
    from khabar.workspace import Workspace

    path = tmp_path_factory.mktemp("kb") / "khabar.db"
    ws = Workspace(path)
    ws._extractor = extractor
    report = ws.ingest([EXAMPLES / "corpus"], meta=EXAMPLES / "corpus.meta.jsonl")
    ws.close()
    return path, report
