"""Read latency of a large knowledge base: the web pages and API an analyst uses most.

    python bench/store.py --docs 10000 [--db /tmp/kb-10k.db] [--rounds 20]

Builds (or reuses, when ``--db`` exists with enough documents) a base of ``--docs``
documents through the one write path, then times each page and endpoint ``--rounds``
times in the web app (in process, no network; after one untimed request, as a served app
is warm) and prints p50 and p95 in milliseconds.

The base: the real articles under ../shared/corpus (seeds, train, dev) are extracted once;
each stored document is one of those extractions again, under a new id, published on a
day spread over ten years, with its armed groups and states swapped for others of the same
kind from the gazetteer (a fixed permutation per copy), so that ties, events and mentions
spread over hundreds of actors and thousands of days as in an archive, not over the twenty
actors of the originals. Mentions, assertions, event reports and judgments keep the
numbers real text gives (about 70 mentions, 8 assertions, 5 event reports a document).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

from khabar.collect import Skipped, collect
from khabar.extract.pipeline import Extractor
from khabar.ingest import ingest_lock
from khabar.resolve.gazetteer import load_gazetteer
from khabar.schema import Document, Extraction
from khabar.store import Store
from khabar.store.write import write_document

HERE = Path(__file__).resolve().parents[1]
SHARED = HERE.parent / "shared" / "corpus"


def templates() -> list[tuple[Document, Extraction]]:
    docs = [d for name in ("seeds", "train", "dev") if (SHARED / name).exists()
            for d in collect(SHARED / name) if not isinstance(d, Skipped)]
    if not docs:
        raise SystemExit(f"no articles under {SHARED}")
    print(f"extracting {len(docs)} articles once ...", flush=True)
    return list(zip(docs, Extractor().extract_many(docs), strict=True))


def trim(doc: Document, ex: Extraction, mentions: int) -> tuple[Document, Extraction]:
    """The template cut after the sentence that holds its ``mentions``-th mention, with the
    records that lie inside the cut (``mentions`` 0: whole). Long articles hold about 70
    mentions; the issue's 1M-document base has 10 a document, as short reports and channel
    posts have."""
    if not mentions or len(ex.mentions) <= mentions:
        return doc, ex
    nth = sorted(m.end for m in ex.mentions)[mentions - 1]
    cut = next((e for _, e in ex.sentences if e >= nth), len(doc.text))
    inside = lambda items: [x for x in items if x.end <= cut]  # noqa: E731
    kept = dataclasses.replace(
        ex, mentions=inside(ex.mentions), assertions=inside(ex.assertions), events=inside(ex.events),
        places=inside(ex.places), judgments=inside(ex.judgments),
        sentences=[(s, e) for s, e in ex.sentences if e <= cut])
    used = {m.actor_id for m in kept.mentions} | {a.subject for a in kept.assertions} | {
        a.object for a in kept.assertions} | {x for e in kept.events for x in (*e.actors, *e.targets, *e.claimed_by)} | {
        x for j in kept.judgments for x in (j.speaker_actor, *j.about) if x}
    kept.actors = [a for a in ex.actors if a.id in used]
    return dataclasses.replace(doc, text=doc.text[:cut]), kept


def _shift(value: str | None, days: int) -> str | None:
    if not value or len(value) < 10:
        return value
    try:
        return (dt.date.fromisoformat(value[:10]) + dt.timedelta(days=days)).isoformat() + value[10:]
    except ValueError:
        return value


def copy(k: int, doc: Document, ex: Extraction, swap: dict[str, str], days: int) -> tuple[Document, Extraction]:
    """Document ``k``: the template under a new id, its actors swapped, its dates shifted."""
    doc_id = f"bench{k:07d}"
    new_doc = dataclasses.replace(doc, id=doc_id, name=f"{doc_id}.txt", published=_shift(doc.published or
                                  "2016-01-01", days), duplicate_of=None)
    s = lambda a: swap.get(a, a)  # noqa: E731
    gz = load_gazetteer()
    actors = {s(a.id): (gz.get(s(a.id)) or dataclasses.replace(a, id=s(a.id))) for a in ex.actors}
    out = Extraction(
        doc_id=doc_id, actors=list(actors.values()),
        mentions=[dataclasses.replace(m, doc_id=doc_id, actor_id=s(m.actor_id)) for m in ex.mentions],
        assertions=[dataclasses.replace(a, doc_id=doc_id, subject=s(a.subject), object=s(a.object))
                    for a in ex.assertions if s(a.subject) != s(a.object)],
        events=[dataclasses.replace(e, doc_id=doc_id, actors=[s(x) for x in e.actors],
                                    targets=[s(x) for x in e.targets if s(x) not in {s(y) for y in e.actors}],
                                    claimed_by=[s(x) for x in e.claimed_by], date=_shift(e.date, days),
                                    date_start=_shift(e.date_start, days), date_end=_shift(e.date_end, days))
                for e in ex.events],
        places=[dataclasses.replace(p, doc_id=doc_id) for p in ex.places],
        judgments=[dataclasses.replace(j, doc_id=doc_id, speaker_actor=s(j.speaker_actor) if j.speaker_actor else None,
                                       about=[s(x) for x in j.about]) for j in ex.judgments],
        sentences=ex.sentences,
    )
    return new_doc, out


def build(db: Path, n: int, seed: int = 7, mentions: int = 0) -> None:
    base = [trim(d, e, mentions) for d, e in templates()]
    gz = load_gazetteer()
    by_kind: dict[str, list[str]] = {}
    for e in gz.entries.values():
        by_kind.setdefault(e.actor.kind, []).append(e.id)
    rng = random.Random(seed)
    t0 = time.perf_counter()
    # an ingest like any other: readers of the base meanwhile leave the tie figures to it
    with ingest_lock(str(db)), Store(db) as st:
        st.conn.execute("PRAGMA cache_size=-1048576")  # a bulk build may use 1 GB of page cache
        have = st.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        for k in range(have, n):
            doc, ex = base[k % len(base)]
            swap = {}
            for kind in ("armed_group", "state"):
                ids = by_kind[kind]
                for a in {a.id for a in ex.actors if a.kind == kind}:
                    swap[a] = rng.choice(ids)
            days = rng.randint(-1800, 1800)
            write_document(st.conn, *copy(k, doc, ex, swap, days))
            if (k + 1) % 1000 == 0:
                rate = (k + 1 - have) / (time.perf_counter() - t0)
                print(f"  {k + 1:,} documents stored ({rate:,.0f}/s)", flush=True)
        from khabar.store.ties import refresh

        t1 = time.perf_counter()
        refresh(st.conn)
        print(f"tie figures computed in {time.perf_counter() - t1:.1f} s", flush=True)
        st.conn.execute("PRAGMA optimize")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--no-build", action="store_true",
                    help="time the base as it is (say, while a build of it goes on in another process)")
    ap.add_argument("--mentions", type=int, default=0, metavar="N",
                    help="cut each document after its N-th mention (the issue's 1M base: --mentions 10; "
                         "default: whole articles, about 70)")
    args = ap.parse_args(argv)
    db = args.db or Path(f"/tmp/khabar-bench-{args.docs}.db")
    t0 = time.perf_counter()
    if not args.no_build:
        build(db, args.docs, mentions=args.mentions)
    print(f"base: {db} ({db.stat().st_size / 1e6:,.0f} MB), built in {time.perf_counter() - t0:,.0f} s")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from khabar.web import create_app
    from khabar.workspace import Workspace

    with Workspace(db) as ws:
        counts = ws.counts()
        top = ws.actor_records()[:3]
        tie = ws.tie_records(top[0]["id"], limit=1)[0][0]
        word = "attack"
    print("stored: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    a = top[0]["id"]
    urls = {
        "overview /": "/",
        f"actor page /actors/{a}": f"/actors/{a}",
        "tie evidence /ties/..": f"/ties/{tie.subject}/{tie.type}/{tie.object}",
        "events by actor /api/events?actor=": f"/api/events?actor={a}",
        "events page /events": "/events",
        "actors /actors": "/actors",
        "judgments /judgments": "/judgments",
        "search /api/search?q=": f"/api/search?q={word}",
        "ties /api/ties?actor=": f"/api/ties?actor={top[1]['id']}",
        "documents /documents": "/documents",
        "network /network": "/network",
        "network in a window /network?since=": "/network?since=2020",
        "sources /sources": "/sources",
        "actor API /api/actors/..": f"/api/actors/{a}",
        "search page /search?q=": f"/search?q={word}",
    }
    print(f"{'page':42s} {'p50 ms':>8s} {'p95 ms':>8s}")
    for label, url in urls.items():
        client.get(url)  # a served app is warm: the first request's imports and caches are not timed
        times = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (url, r.status_code)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(f"{label:42s} {statistics.median(times):8.1f} {p95:8.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
