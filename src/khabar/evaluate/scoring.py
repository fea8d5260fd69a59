"""Scoring extraction against a gold file (shape ``khabar-gold/1``, shared/eval/GUIDE.md).

The matching rules are the guide's: actors by any shared normalised name; relations on
(source, type, target) with symmetric types in either direction; events on type, date
at the coarser of the two precisions and one shared actor; claims on the speaker's
last name. Figures are micro-averaged over documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khabar.errors import KhabarError
from khabar.resolve.names import norm_name
from khabar.schema import coarser, date_key, is_symmetric

__all__ = ["LAYERS", "Counts", "Ratio", "Scores", "score", "load_gold", "format_scores", "link_actors",
           "speaker_key", "claims_by_speaker"]

LAYERS = ("actors", "relations", "events", "claims")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def merge(self, other: Counts) -> None:
        self.add(other.tp, other.fp, other.fn)


@dataclass
class Ratio:
    hit: int = 0
    total: int = 0

    def merge(self, other: Ratio) -> None:
        self.hit += other.hit
        self.total += other.total

    @property
    def value(self) -> float | None:
        return self.hit / self.total if self.total else None


@dataclass
class Scores:
    layers: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in LAYERS})
    modality: Ratio = field(default_factory=Ratio)
    event_attrs: dict[str, Ratio] = field(
        default_factory=lambda: {k: Ratio() for k in ("location", "country", "fatalities")})
    band: Ratio = field(default_factory=Ratio)
    per_doc: dict[str, dict[str, float]] = field(default_factory=dict)

    def merge(self, other: Scores) -> None:
        """Add another set's counts (micro-averaging over both)."""
        for k, c in other.layers.items():
            self.layers[k].merge(c)
        self.modality.merge(other.modality)
        for k, r in other.event_attrs.items():
            self.event_attrs[k].merge(r)
        self.band.merge(other.band)
        self.per_doc.update(other.per_doc)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: {"p": c.p, "r": c.r, "f1": c.f1, "tp": c.tp, "fp": c.fp, "fn": c.fn}
                               for k, c in self.layers.items()}
        out["relation_modality_acc"] = self.modality.value
        out["event_attr_acc"] = {k: v.value for k, v in self.event_attrs.items()}
        out["claim_band_acc"] = self.band.value
        out["per_doc"] = self.per_doc
        return out


def load_gold(path: str | Path) -> dict[str, dict[str, Any]]:
    """A gold (or system) JSONL file as {document file name: line}."""
    out: dict[str, dict[str, Any]] = {}
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except OSError as exc:
        raise KhabarError("E400", f"cannot read {path}: {exc.strerror}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            out[str(d["doc"]).split("/")[-1]] = d
        except (ValueError, KeyError, TypeError):
            raise KhabarError("E400", f"{path}:{n} is not a gold line with a 'doc' key") from None
    return out


def _names(doc: dict[str, Any]) -> dict[str, set[str]]:
    out = {}
    for a in doc.get("actors", []):
        names = set(a.get("names") or []) | {a["id"]}
        if a.get("name"):
            names.add(a["name"])
        out[a["id"]] = {norm_name(n) for n in names if n}
    return out


def link_actors(system: dict[str, Any], gold: dict[str, Any]) -> dict[str, str | None]:
    """System actor id -> the first gold actor sharing a name with it (or None)."""
    g = _names(gold)
    return {sid: next((gid for gid, gn in g.items() if names & gn), None)
            for sid, names in _names(system).items()}


def _rel_key(rel: dict[str, Any], mapping: dict[str, str | None] | None = None):
    s, t = rel["source"], rel["target"]
    if mapping is not None:
        s, t = mapping.get(s), mapping.get(t)
    if s is None or t is None:
        return None
    if is_symmetric(rel["type"]) and s > t:
        s, t = t, s
    return (s, rel["type"], t)


def speaker_key(name: str | None) -> str:
    """The key claims match on: the speaker's last name, normalised."""
    words = (name or "").split()
    return norm_name(words[-1]) if words else ""


def claims_by_speaker(line: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """A gold or system line's claims grouped under their speaker's key."""
    out: dict[str, list[dict[str, Any]]] = {}
    for c in line.get("claims", []):
        out.setdefault(speaker_key(c.get("speaker")), []).append(c)
    return out


def _score_doc(gd: dict[str, Any], sd: dict[str, Any], scores: Scores) -> dict[str, Counts]:
    mapping = link_actors(sd, gd)
    local = {k: Counts() for k in LAYERS}
    gold_ids = {a["id"] for a in gd.get("actors", [])}
    linked = {mapping[a["id"]] for a in sd.get("actors", [])}
    local["actors"].add(len(gold_ids & linked), sum(mapping[a["id"]] is None for a in sd.get("actors", [])),
                        len(gold_ids - linked))

    g_rel: dict = {}
    for r in gd.get("relations", []):
        g_rel.setdefault(_rel_key(r), r)
    s_rel: dict = {}
    unlinked = 0
    for r in sd.get("relations", []):
        k = _rel_key(r, mapping)
        if k is None:
            unlinked += 1
        else:
            s_rel.setdefault(k, r)
    both = set(g_rel) & set(s_rel)
    local["relations"].add(len(both), len(set(s_rel) - set(g_rel)) + unlinked, len(set(g_rel) - set(s_rel)))
    for k in both:
        scores.modality.total += 1
        scores.modality.hit += g_rel[k].get("modality", "asserted") == s_rel[k].get("modality", "asserted")

    used: set[int] = set()
    for ge in gd.get("events", []):
        g_actors = set(ge.get("actors", []) + ge.get("targets", []))
        for i, se in enumerate(sd.get("events", [])):
            if i in used or se.get("type") != ge.get("type") or not ge.get("date"):
                continue
            p = coarser(ge.get("precision"), se.get("precision"))
            if date_key(ge.get("date"), p) != date_key(se.get("date"), p):
                continue
            if not g_actors & {mapping.get(x) for x in se.get("actors", []) + se.get("targets", [])}:
                continue
            used.add(i)
            for f, ratio in scores.event_attrs.items():
                if ge.get(f) is None:
                    continue
                ratio.total += 1
                if f == "location":
                    ratio.hit += se.get(f) is not None and norm_name(ge[f]) == norm_name(se[f])
                else:
                    ratio.hit += ge.get(f) == se.get(f)
            break
    local["events"].add(len(used), len(sd.get("events", [])) - len(used), len(gd.get("events", [])) - len(used))

    g_cl, s_cl = claims_by_speaker(gd), claims_by_speaker(sd)
    tp = sum(min(len(v), len(s_cl.get(k, []))) for k, v in g_cl.items())
    local["claims"].add(tp, sum(map(len, s_cl.values())) - tp, sum(map(len, g_cl.values())) - tp)
    for k, gl in g_cl.items():
        for gc in gl:
            if gc.get("probability") and k in s_cl:
                scores.band.total += 1
                lo, hi = gc["probability"]
                scores.band.hit += any(
                    sc.get("probability") and abs(sc["probability"][0] - lo) < 1e-6
                    and abs(sc["probability"][1] - hi) < 1e-6 for sc in s_cl[k])
    return local


def score(gold: dict[str, dict[str, Any]], system: dict[str, dict[str, Any]]) -> Scores:
    """Score system lines against gold lines (both keyed by document file name)."""
    scores = Scores()
    empty = {"actors": [], "relations": [], "events": [], "claims": []}
    for name, gd in gold.items():
        local = _score_doc(gd, system.get(name, empty), scores)
        for k, c in local.items():
            scores.layers[k].add(c.tp, c.fp, c.fn)
        scores.per_doc[name] = {"relations": local["relations"].f1, "events": local["events"].f1}
    return scores


def format_scores(scores: Scores) -> str:
    """The scores as text, one line per layer, as shared/eval/score.py prints them."""
    lines = []
    for k in LAYERS:
        c = scores.layers[k]
        lines.append(f"{k:10s} P={c.p:.2f} R={c.r:.2f} F1={c.f1:.2f}  (tp={c.tp} fp={c.fp} fn={c.fn})")
    lines.append(f"relation modality acc={scores.modality.value}")
    lines.append("event attr acc=" + str({k: v.value for k, v in scores.event_attrs.items()}))
    lines.append(f"claim band acc={scores.band.value}")
    return "\n".join(lines)
