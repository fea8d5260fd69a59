"""Exact and near-duplicate detection across a batch and an existing store.

Wire copies and syndicated articles would otherwise count as independent
evidence for the same claim. Exact copies share a document id (the sha256 of
the normalised text); near copies (a changed byline, a few edited words) are
found with MinHash over word 5-shingles and LSH banding. The seed is fixed
so that the same inputs always give the same verdicts.

A knowledge base keeps each original's signature and band keys (``StoredIndex``):
a new document is compared with the stored ones its band keys point at, so no
stored text is hashed again and the index is not held in memory. Documents of
the running batch stay in memory only until they are stored.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Deduplicator", "StoredIndex", "shingles", "lsh_params"]

_WORDS = re.compile(r"\w+")
# Near copies are told by their first this many words: a 50 MB text would otherwise make
# millions of shingles (gigabytes) to say what its first pages already say.
MAX_SHINGLE_WORDS = 50_000
# datasketch's hash scheme (32-bit values): stored signatures are only comparable with
# signatures of the same scheme, so it is named, not left to the library's default.
SCHEME = "affine32"
SIG_DTYPE = "<u4"


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


@lru_cache(maxsize=8)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) for LSH: the split of ``num_perm`` whose S-curve (a pair of Jaccard s
    shares a band with probability 1 - (1 - s^rows)^bands) lets through the least area of
    pairs below ``threshold`` plus misses the least area above it (for 0.8 and 128: 9 x 13)."""
    steps = 200

    def area(f, lo: float, hi: float) -> float:
        width = (hi - lo) / steps
        return sum(f(lo + (i + 0.5) * width) for i in range(steps)) * width

    best: tuple[float, int, int] | None = None
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            false_pos = area(lambda s, b=bands, r=rows: 1 - (1 - s**r) ** b, 0.0, threshold)
            false_neg = area(lambda s, b=bands, r=rows: 1 - (1 - (1 - s**r) ** b), threshold, 1.0)
            cost = 0.5 * false_pos + 0.5 * false_neg
            if best is None or cost < best[0] - 1e-12:
                best = (cost, bands, rows)
    assert best is not None
    return best[1], best[2]


def band_keys(signature: np.ndarray, bands: int, rows: int) -> list[int]:
    """One signed 64-bit key per band (band number and its hash values hashed together),
    equal for two signatures exactly when that band is."""
    raw = signature.astype(SIG_DTYPE).tobytes()
    width = rows * 4
    return [int.from_bytes(hashlib.blake2b(i.to_bytes(2, "little") + raw[i * width : (i + 1) * width],
                                           digest_size=8).digest(), "little", signed=True)
            for i in range(bands)]


class StoredIndex:
    """The signatures of a knowledge base's stored originals (see the module docstring).

    Documents stored before signatures were kept are signed the first time a new document
    needs checking, once."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._backfilled = False

    def candidates(self, keys: list[int]) -> list[tuple[str, bytes, int]]:
        from khabar.store.incremental import signature_candidates

        return signature_candidates(self.conn, keys)

    def save(self, doc_id: str, signature: np.ndarray | None, keys: list[int]) -> None:
        from khabar.store.incremental import save_signature

        raw = b"" if signature is None else signature.astype(SIG_DTYPE).tobytes()
        save_signature(self.conn, doc_id, raw, keys)

    def backfill(self, dedup: Deduplicator) -> int:
        """Sign the stored originals that have no signature yet; return how many."""
        if self._backfilled:
            return 0
        from khabar.store.incremental import unsigned_texts

        self._backfilled = True
        n = 0
        for doc_id, text in unsigned_texts(self.conn):
            sig = dedup.signature(text)
            self.save(doc_id, sig, dedup.keys(sig))
            n += 1
        return n


class Deduplicator:
    """Remember documents and say whether a new one repeats an earlier one.

    ``check`` does not remember; ``add`` does. Seed with already stored
    documents (``known``: (id, text) pairs), or give the knowledge base's
    ``stored`` index, so that re-ingesting into an existing store finds the
    duplicates of what is already there. ``store`` moves a remembered document
    into the stored index (when the document itself is written).
    """

    def __init__(
        self,
        known: Iterable[tuple[str, str]] = (),
        *,
        threshold: float = 0.8,
        num_perm: int = 128,
        shingle_size: int = 5,
        seed: int = 1,
        stored: StoredIndex | None = None,
    ) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.seed = seed
        self.stored = stored
        self.bands, self.rows = lsh_params(threshold, num_perm)
        self._perms = None
        self._sigs: dict[str, np.ndarray] = {}
        self._keys: dict[str, list[int]] = {}
        self._buckets: dict[int, list[str]] = {}
        self._ids: set[str] = set()
        self._order: dict[str, int] = {}  # insertion order, to break ties stably
        self._added = 0
        self._last: tuple[str, str, np.ndarray | None] | None = None  # the document check() hashed last
        for known_id, text in known:
            self.add(known_id, text)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._ids

    def signature(self, text: str) -> np.ndarray | None:
        """The MinHash hash values of ``text`` (None when it has no words: empty sets would
        all "match")."""
        grams = shingles(text, self.shingle_size)
        if not grams:
            return None
        # datasketch (and numpy, scipy under it) only when a text is hashed: a read command
        # or a re-ingest with nothing new never pays for the import
        from datasketch import MinHash

        if self._perms is None:
            self._perms = MinHash(num_perm=self.num_perm, seed=self.seed, scheme=SCHEME).permutations
        minhash = MinHash(num_perm=self.num_perm, seed=self.seed, permutations=self._perms, scheme=SCHEME)
        minhash.update_batch(sorted(grams))
        return minhash.hashvalues

    def keys(self, signature: np.ndarray | None) -> list[int]:
        return [] if signature is None else band_keys(signature, self.bands, self.rows)

    def _jaccard(self, a: np.ndarray, b: np.ndarray) -> float:
        import numpy as np

        return float(np.count_nonzero(a == b)) / len(a)

    def similarity(self, a: str, b: str) -> float:
        """Estimated Jaccard similarity of two texts' shingle sets (for reports)."""
        ha, hb = self.signature(a), self.signature(b)
        return self._jaccard(ha, hb) if ha is not None and hb is not None else 0.0

    def check(self, doc_id: str, text: str) -> tuple[str | None, str | None]:
        """("exact" | "near" | None, id of the earlier document or None)."""
        if doc_id in self._ids:
            return "exact", doc_id
        sig = self.signature(text)
        self._last = (doc_id, text, sig)  # add() of the same document follows: hashed once
        if sig is None:
            return None, None
        keys = self.keys(sig)
        # Banding proposes candidates; the estimated Jaccard confirms them, since
        # banding lets through some pairs below the threshold.
        found: dict[str, tuple[np.ndarray, int]] = {}
        if self.stored is not None:
            import numpy as np

            self.stored.backfill(self)
            for key, raw, order in self.stored.candidates(keys):
                if raw:
                    found[key] = (np.frombuffer(raw, dtype=SIG_DTYPE), order)
        for k in keys:
            for key in self._buckets.get(k, ()):
                # documents of this batch come after every stored one
                found[key] = (self._sigs[key], (1 << 62) + self._order[key])
        best: tuple[float, int, str] | None = None
        for key, (other, order) in found.items():
            score = self._jaccard(sig, other)
            if score >= self.threshold:
                rank = (score, -order, key)
                if best is None or rank > best:
                    best = rank
        return ("near", best[2]) if best else (None, None)

    def add(self, doc_id: str, text: str) -> None:
        """Remember a document; adding a known id again does nothing."""
        if doc_id in self._ids:
            return
        self._ids.add(doc_id)
        self._order[doc_id] = self._added
        self._added += 1
        last = self._last
        sig = last[2] if last is not None and last[0] == doc_id and last[1] is text else self.signature(text)
        if sig is not None:
            self._sigs[doc_id] = sig
            self._keys[doc_id] = self.keys(sig)
            for k in self._keys[doc_id]:
                self._buckets.setdefault(k, []).append(doc_id)

    def forget(self, doc_id: str) -> None:
        """Drop a remembered document (its extraction failed: it is not stored)."""
        self._ids.discard(doc_id)
        self._order.pop(doc_id, None)
        self._sigs.pop(doc_id, None)
        for k in self._keys.pop(doc_id, []):
            bucket = self._buckets.get(k, [])
            if doc_id in bucket:
                bucket.remove(doc_id)
            if not bucket:
                self._buckets.pop(k, None)

    def store(self, doc_id: str) -> None:
        """Save a remembered document's signature in the stored index (inside the transaction
        that writes the document) and drop it from memory: memory stays flat however many
        documents a batch holds."""
        if self.stored is None or doc_id not in self._ids:
            return
        sig = self._sigs.get(doc_id)
        self.stored.save(doc_id, sig, self._keys.get(doc_id, []))
        self.forget(doc_id)
