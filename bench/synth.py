"""A synthetic corpus of any size, for the scale benchmarks (bench/ingest.py and later ones).

    python bench/synth.py /tmp/synth-1k --docs 1000 [--words 450] [--seed 1]

Each document is a news-style report built from this file's own sentence templates, filled
with armed groups and states from the actor gazetteer (src/khabar/data/actors.yaml),
districts, provinces and towns from the place gazetteer (places.yaml), dates, numbers and
a serial: two documents share only the templates' fixed words, far below the near-duplicate
threshold, so every document is kept and extracted. The same seed gives the same corpus.
A sidecar (``meta.jsonl``) gives each document a source and a publication date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

from khabar.data import load_yaml

GROUP_KINDS = {"armed_group"}
STATE_KINDS = {"state"}
PLACE_KINDS = {"district", "town", "city", "province"}
SOURCES = ["Meridian Wire", "Frontier Dispatch", "The Valley Observer", "Northern Ledger", "Coastline Report"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

HEADLINES = [
    "{g1} fighters strike {place} as talks with {s1} stall",
    "Clashes in {place} leave {n} dead, officials say",
    "{s1} accuses {g1} of sheltering {g2} commanders",
    "{g1} and {g2} agree on a local truce near {place}",
    "Analysts see {g1} gaining ground around {place}",
]

TEMPLATES = [
    "{g1} fighters attacked a checkpoint in {place} on {day}, killing {n} soldiers, a district official said.",
    "A spokesman for {g1} claimed responsibility for the bombing in {place}, which wounded {m} people.",
    "Officials in {s1} said {g1} had received weapons and money from {g2} over the past {k} months.",
    "{g2} denied any link to {g1}, calling the reports propaganda spread by its rivals.",
    "Residents of {place} said {g1} fighters had set up checkpoints on the road to {place2}.",
    "{s1} carried out air strikes against {g1} positions near {place2} late on {day}.",
    "According to a United Nations report, {g1} maintains close ties with {g2} and hosts some of its leaders.",
    "Security forces arrested {n} suspected members of {g2} in a raid in {place} on {day}.",
    "{g1} and {g2} have fought each other for control of smuggling routes through {place2} since {year}.",
    "Talks between {s1} and {g1} resumed in {place2} after a pause of {k} weeks, diplomats said.",
    "Local elders in {place} brokered a ceasefire between {g1} and a rival faction on {day}.",
    "The governor of {province} said at least {n} civilians had fled their homes since the fighting began.",
    "{s2} condemned the attack and pledged {k} million dollars in aid for families in {province}.",
    "Analysts said {g1} was likely to expand its operations into {place2} before the end of {year2}.",
    "A roadside bomb struck a police vehicle near {place2} on {day}, killing {m} officers.",
    "{g2} fighters ambushed a convoy on the highway between {place} and {place2}, a local official said.",
    "{s1} has long accused {s2} of backing {g1}, a charge officials there reject.",
    "The group's leader, who took over in {year}, has sought closer relations with {g2}.",
    "Witnesses said gunmen from {g1} seized the district centre of {place2} after {k} hours of fighting.",
    "{s2} officials said they would send {n} advisers to train forces fighting {g1} in {province}.",
    "Hospital staff in {place} said they had received {m} wounded on {day}, most of them civilians.",
    "{g1} released {m} hostages taken in {place2}, after mediation by elders from {province}.",
    "A senior commander of {g2} was killed in a drone strike near {place} on {day}, officials said.",
    "Observers said it was unlikely that {g1} would accept the offer from {s1} before the spring.",
    "Journalists in {province} counted {n} attacks blamed on {g1} in the first {k} months of {year2}.",
]


def _gazetteers() -> tuple[list[str], list[str], list[dict]]:
    actors = load_yaml("actors.yaml")["actors"]
    groups = [a["name"] for a in actors if a.get("kind") in GROUP_KINDS]
    states = [a["name"] for a in actors if a.get("kind") in STATE_KINDS]
    places = [p for p in load_yaml("places.yaml")["places"] if p.get("kind") in PLACE_KINDS and not p.get("strict")]
    return groups, states, places


def _fill(template: str, rng: random.Random, groups, states, places, by_id, when: dt.date) -> str:
    g1, g2 = rng.sample(groups, 2)
    s1, s2 = rng.sample(states, 2)
    place, place2 = rng.sample(places, 2)
    province = by_id.get(place.get("parent") or "", place)
    return template.format(
        g1=g1, g2=g2, s1=s1, s2=s2, place=place["name"], place2=place2["name"], province=province["name"],
        day=WEEKDAYS[(when.weekday() - rng.randint(1, 6)) % 7], n=rng.randint(2, 90), m=rng.randint(2, 40),
        k=rng.randint(2, 11), year=rng.randint(1996, when.year - 1), year2=when.year,
    )


def document(i: int, rng: random.Random, gaz, words: int) -> tuple[str, str]:
    """(text, publication date) of document ``i``: a headline, a dateline and paragraphs of
    filled templates until about ``words`` words."""
    groups, states, places, by_id = gaz
    when = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3650))
    title = _fill(rng.choice(HEADLINES), rng, groups, states, places, by_id, when)
    place = rng.choice(places)["name"]
    paragraphs, count = [], 0
    para: list[str] = [f"{place.upper()}, {when:%B} {when.day} (report {i}) -"]
    while count < words:
        sentence = _fill(rng.choice(TEMPLATES), rng, groups, states, places, by_id, when)
        para.append(sentence)
        count += len(sentence.split())
        if len(para) >= rng.randint(3, 5):
            paragraphs.append(" ".join(para))
            para = []
    if para:
        paragraphs.append(" ".join(para))
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n", when.isoformat()


def build(folder: Path, docs: int, words: int = 450, seed: int = 1, per_folder: int = 1000) -> int:
    """Write ``docs`` documents under ``folder`` (sub-folders of ``per_folder``) and the sidecar
    ``folder/../NAME.meta.jsonl``; return the number written."""
    groups, states, places = _gazetteers()
    gaz = (groups, states, places, {p["id"]: p for p in places})
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    meta_path = folder.parent / f"{folder.name}.meta.jsonl"
    with meta_path.open("w", encoding="utf-8") as meta:
        for i in range(docs):
            text, published = document(i, rng, gaz, words)
            sub = folder / f"part-{i // per_folder:04d}"
            sub.mkdir(exist_ok=True)
            name = f"doc-{i:07d}.txt"
            (sub / name).write_text(text, encoding="utf-8")
            meta.write(json.dumps({"doc": name, "published": published, "source": rng.choice(SOURCES)}) + "\n")
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=450, help="about this many words a document")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    n = build(args.folder, args.docs, args.words, args.seed)
    print(f"{n} documents in {args.folder} (sidecar {args.folder.parent / (args.folder.name + '.meta.jsonl')})",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
