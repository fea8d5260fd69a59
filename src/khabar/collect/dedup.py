"""Exact and near-duplicate detection across a batch and an existing store.

Wire copies and syndicated articles would otherwise count as independent
evidence for the same claim. Exact copies share a document id (the sha256 of
the normalised text); near copies (a changed byline, a few edited words) are
found with MinHash over word 5-shingles and an LSH index. The seed is fixed
so that the same inputs always give the same verdicts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from datasketch import MinHash, MinHashLSH

__all__ = ["Deduplicator", "shingles"]

_WORDS = re.compile(r"\w+")
# Near copies are told by their first this many words: a 50 MB text would otherwise make
# millions of shingles (gigabytes) to say what its first pages already say.
MAX_SHINGLE_WORDS = 50_000


def shingles(text: str, size: int = 5) -> set[bytes]:
    """Word ``size``-shingles of ``text`` (its first ``MAX_SHINGLE_WORDS`` words),
    case-folded and without punctuation.

    Ignoring case and punctuation makes re-punctuated copies still match. A
    text shorter than ``size`` words is one shingle (the whole text).
    """
    words = []
    for m in _WORDS.finditer(text):
        words.append(m.group().casefold())
        if len(words) >= MAX_SHINGLE_WORDS:
            break
    if not words:
        return set()
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


class Deduplicator:
    """Remember documents and say whether a new one repeats an earlier one.

    ``check`` does not remember; ``add`` does. Seed with already stored
    documents (``known``: (id, text) pairs) so that re-ingesting into an
    existing store finds the duplicates of what is already there.
    """

    def __init__(
        self,
        known: Iterable[tuple[str, str]] = (),
        *,
        threshold: float = 0.8,
        num_perm: int = 128,
        shingle_size: int = 5,
        seed: int = 1,
    ) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.seed = seed
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._hashes: dict[str, MinHash] = {}
        self._ids: set[str] = set()
        self._order: dict[str, int] = {}  # insertion order, to break ties stably
        for known_id, text in known:
            self.add(known_id, text)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._ids

    def _minhash(self, text: str) -> MinHash | None:
        grams = shingles(text, self.shingle_size)
        if not grams:
            return None  # no words: nothing to compare (empty sets would all "match")
        minhash = MinHash(num_perm=self.num_perm, seed=self.seed)
        minhash.update_batch(sorted(grams))
        return minhash

    def similarity(self, a: str, b: str) -> float:
        """Estimated Jaccard similarity of two texts' shingle sets (for reports)."""
        ha, hb = self._minhash(a), self._minhash(b)
        return ha.jaccard(hb) if ha is not None and hb is not None else 0.0

    def check(self, doc_id: str, text: str) -> tuple[str | None, str | None]:
        """("exact" | "near" | None, id of the earlier document or None)."""
        if doc_id in self._ids:
            return "exact", doc_id
        minhash = self._minhash(text)
        if minhash is None:
            return None, None
        # LSH proposes candidates; the estimated Jaccard confirms them, since
        # banding lets through some pairs below the threshold.
        best: tuple[float, int, str] | None = None
        for key in self._lsh.query(minhash):
            score = minhash.jaccard(self._hashes[key])
            if score >= self.threshold:
                rank = (score, -self._order[key], key)
                if best is None or rank > best:
                    best = rank
        return ("near", best[2]) if best else (None, None)

    def add(self, doc_id: str, text: str) -> None:
        """Remember a document; adding a known id again does nothing."""
        if doc_id in self._ids:
            return
        self._ids.add(doc_id)
        self._order[doc_id] = len(self._order)
        minhash = self._minhash(text)
        if minhash is not None:
            self._hashes[doc_id] = minhash
            self._lsh.insert(doc_id, minhash)
