"""Bounded load on `khabar serve` from a second process on loopback.

Starts ``khabar serve`` on a free port over a knowledge base (by default the example
corpus, ingested into a temporary folder), then runs ``--clients`` concurrent clients
for ``--seconds`` seconds, each requesting actor pages and search pages in turn, and
prints requests/s, latency percentiles and every failure (a non-200 answer or an error).

    python bench/load.py [--db khabar.db] [--clients 50] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parents[1]
KHABAR = Path(sys.executable).with_name("khabar")
QUERIES = ["Taliban", "safe haven", "al-Qaeda", "Kabul", "ISIS-K", "allegiance", "drone strike", "Pakistan"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer at {url}")


async def _client(base: str, paths: list[str], until: float, latencies: list[float], failures: list[str],
                  rng: random.Random) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while time.monotonic() < until:
            path = rng.choice(paths)
            start = time.perf_counter()
            try:
                r = await http.get(path)
                if r.status_code != 200:
                    failures.append(f"{r.status_code} {path}")
            except httpx.HTTPError as exc:
                failures.append(f"{type(exc).__name__} {path}")
                continue
            latencies.append(time.perf_counter() - start)


async def _run(base: str, paths: list[str], clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    failures: list[str] = []
    start = time.monotonic()
    until = start + seconds
    await asyncio.gather(*(_client(base, paths, until, latencies, failures, random.Random(i))
                           for i in range(clients)))
    return latencies, failures, time.monotonic() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="a knowledge base (default: the example corpus, ingested now)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = str(Path(tmp) / "khabar.db")
            subprocess.run([str(KHABAR), "ingest", str(HERE / "examples" / "corpus"), "--meta",
                            str(HERE / "examples" / "corpus.meta.jsonl"), "--db", db, "--quiet"],
                           check=True, stdout=subprocess.DEVNULL)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([str(KHABAR), "serve", "--db", db, "--port", str(port),
                                   "--workers", str(args.workers)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  env={**os.environ, "KHABAR_TOKEN": ""})
        try:
            _wait(base + "/")
            actors = httpx.get(base + "/api/actors", timeout=10).json()
            ids = [a["id"] for a in (actors if isinstance(actors, list) else actors.get("actors", []))][:20]
            paths = [f"/actors/{i}" for i in ids] + [f"/search?q={q}" for q in QUERIES]
            latencies, failures, elapsed = asyncio.run(_run(base, paths, args.clients, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=10)
    n = len(latencies)
    qs = statistics.quantiles(latencies, n=100) if n >= 100 else [max(latencies or [0])] * 99
    print(f"{args.clients} clients for {elapsed:.1f} s on {len(paths)} actor and search pages "
          f"(server: {args.workers} worker process{'es' if args.workers > 1 else ''})")
    print(f"requests: {n + len(failures)}, failed: {len(failures)}, {n / elapsed:.1f} requests/s")
    print(f"latency ms: p50 {qs[49] * 1000:.0f}, p95 {qs[94] * 1000:.0f}, p99 {qs[98] * 1000:.0f}, "
          f"max {max(latencies or [0]) * 1000:.0f}")
    for f in sorted(set(failures))[:20]:
        print(f"  failure: {f} (x{failures.count(f)})")


if __name__ == "__main__":
    main()
