"""What a document's machine records were extracted with, as one short digest.

A knowledge base outlives its extractor: the gazetteer grows, a lexicon entry or a rule is
added, the tie model is retrained, spaCy or its model is upgraded. Each stored document
keeps the stamp of the extraction that wrote its rows (``documents.extracted_with``), so
that ``khabar reextract`` redoes only the documents extracted otherwise (and so resumes
where an interrupted run stopped) instead of the whole archive every time.

The stamp covers what decides the records: the code of ``khabar.extract`` and
``khabar.resolve``, the bundled data files, khabar's version, and the versions of spaCy
and of its English model. Computed once per process, without loading the model.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

__all__ = ["extraction_stamp"]

_ROOT = Path(__file__).resolve().parents[1]  # src/khabar
_PARTS = ("extract/*.py", "resolve/*.py", "data/*.yaml", "data/*.json")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


@functools.cache
def extraction_stamp() -> str:
    """16 hex digits naming the extraction this process runs."""
    from khabar import __version__
    from khabar.extract.nlp import MODEL

    h = hashlib.sha256()
    for dist in ("spacy", MODEL.replace("_", "-")):
        h.update(f"{dist}={_version(dist)}\n".encode())
    h.update(f"khabar={__version__}\n".encode())
    for pattern in _PARTS:
        for path in sorted(_ROOT.glob(pattern)):
            h.update(f"{path.relative_to(_ROOT).as_posix()}\n".encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]
