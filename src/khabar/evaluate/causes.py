"""Every miss and false alarm of an extraction, sorted by its cause.

Scores say how far extraction is from the gold; causes say what to work on next. Each
gold item the system missed and each system item the gold does not have is given one
cause, found by looking for the near miss: the same actors under another type, the same
event on another date, the same sentence under another speaker. Matching is the
scorer's own (``scoring.py``), so that the causes add up to the counts it prints.

A system line may carry ``candidates`` (the actor pairs extraction considered, as
``[source, target]`` lists) and ``undated_events`` (events found without a date); with
them the causes are finer ("no candidate pair" against "candidate scored none";
"no date" against "trigger missed").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from khabar.evaluate.scoring import claims_by_speaker, link_actors, speaker_key
from khabar.resolve.names import norm_name
from khabar.schema import coarser, date_key, is_symmetric

__all__ = ["Error", "find_errors", "summarise", "format_errors"]

MISS, FALSE = "miss", "false alarm"


@dataclass(frozen=True)
class Error:
    layer: str       # actors | relations | events | claims
    kind: str        # miss | false alarm | attribute
    cause: str
    doc: str
    detail: str      # what the item is, in a few words
    evidence: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"layer": self.layer, "kind": self.kind, "cause": self.cause, "doc": self.doc,
                "detail": self.detail, "evidence": self.evidence}


def _words(text: str | None) -> set[str]:
    return set(re.findall(r"\w+", (text or "").lower()))


def same_sentence(a: str | None, b: str | None) -> bool:
    """Two evidence strings come from one sentence: one holds the other, or most words are shared."""
    if not a or not b:
        return False
    x, y = " ".join(a.lower().split()), " ".join(b.lower().split())
    if x in y or y in x:
        return True
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) >= 0.6


def _short(text: str | None, n: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


# -- actors --------------------------------------------------------------------------
def _actor_errors(doc: str, gd: dict, sd: dict, mapping: dict) -> list[Error]:
    out = []
    linked = {mapping.get(a["id"]) for a in sd.get("actors", [])}
    for a in gd.get("actors", []):
        if a["id"] not in linked:
            out.append(Error("actors", MISS, f"not found ({a.get('kind') or 'no kind'})", doc,
                             f"{a['id']}: {', '.join((a.get('names') or [])[:3])}"))
    for a in sd.get("actors", []):
        if mapping.get(a["id"]) is None:
            cause = "not in gold (listed)" if a.get("listed", True) else "not in gold (unlisted name)"
            out.append(Error("actors", FALSE, f"{cause} ({a.get('kind') or 'no kind'})", doc,
                             f"{a['id']}: {', '.join((a.get('names') or [])[:3])}"))
    return out


# -- relations -----------------------------------------------------------------------
def _key(s: str, t: str, typ: str) -> tuple[str, str, str]:
    if is_symmetric(typ) and s > t:
        s, t = t, s
    return (s, typ, t)


def _relation_errors(doc: str, gd: dict, sd: dict, mapping: dict) -> list[Error]:
    out = []
    found = {v for v in mapping.values() if v}
    gold: dict[tuple, dict] = {}
    for r in gd.get("relations", []):
        gold.setdefault(_key(r["source"], r["target"], r["type"]), r)
    system: dict[tuple, dict] = {}
    for r in sd.get("relations", []):
        s, t = mapping.get(r["source"]), mapping.get(r["target"])
        if s is None or t is None:
            missing = " and ".join(x for x, m in ((r["source"], s), (r["target"], t)) if m is None)
            out.append(Error("relations", FALSE, "actor not in gold", doc,
                             f"{r['source']} {r['type']} {r['target']} ({missing})", _short(r.get("evidence"))))
            continue
        system.setdefault(_key(s, t, r["type"]), r)
    candidates = {frozenset((mapping.get(a), mapping.get(b))) for a, b in sd.get("candidates", [])}

    def by_pair(index: dict) -> dict[frozenset, list[tuple]]:
        pairs: dict[frozenset, list[tuple]] = {}
        for k in index:
            pairs.setdefault(frozenset((k[0], k[2])), []).append(k)
        return pairs

    g_pairs, s_pairs = by_pair(gold), by_pair(system)

    def near(k: tuple, other: dict[frozenset, list[tuple]]) -> str | None:
        for o in other.get(frozenset((k[0], k[2])), []):
            if o[1] == k[1]:
                return "wrong direction"
        if other.get(frozenset((k[0], k[2]))):
            return "wrong type"
        return None

    def other_type(k: tuple, other: dict[frozenset, list[tuple]]) -> str:
        return other[frozenset((k[0], k[2]))][0][1]

    for k, r in gold.items():
        if k in system:
            gm, sm = r.get("modality", "asserted"), system[k].get("modality", "asserted")
            if gm != sm:
                out.append(Error("relations", "attribute", f"wrong modality ({sm} for {gm})", doc,
                                 " ".join(k), _short(r.get("evidence"))))
            continue
        absent = [x for x in (k[0], k[2]) if x not in found]
        if absent:
            cause = "actor not found"
        else:
            cause = near(k, s_pairs) or (
                ("candidate scored none" if frozenset((k[0], k[2])) in candidates else "no candidate pair")
                if "candidates" in sd else "both actors found, no tie")
        detail = " ".join(k) + (f" (system: {other_type(k, s_pairs)})" if cause == "wrong type" else "")
        out.append(Error("relations", MISS, cause, doc, detail, _short(r.get("evidence"))))
    for k, r in system.items():
        if k in gold:
            continue
        cause = near(k, g_pairs) or "no such tie in gold"
        detail = " ".join(k) + (f" (gold: {other_type(k, g_pairs)})" if cause == "wrong type" else "")
        out.append(Error("relations", FALSE, cause, doc, detail, _short(r.get("evidence"))))
    return out


# -- events --------------------------------------------------------------------------
def _dates_agree(a: dict, b: dict) -> bool:
    p = coarser(a.get("precision"), b.get("precision"))
    return bool(a.get("date")) and date_key(a.get("date"), p) == date_key(b.get("date"), p)


def _event_parties(e: dict, mapping: dict | None = None) -> set:
    ids = set(e.get("actors", []) + e.get("targets", []))
    return {mapping.get(x) for x in ids} - {None} if mapping is not None else ids


def _event_str(e: dict) -> str:
    parties = ",".join(e.get("actors", [])) + (" -> " + ",".join(e["targets"]) if e.get("targets") else "")
    return f"{e.get('type')} {e.get('date')}/{e.get('precision')} [{parties}]"


def _event_errors(doc: str, gd: dict, sd: dict, mapping: dict) -> list[Error]:
    out = []
    sys_events = sd.get("events", [])
    used: dict[int, int] = {}   # system index -> gold index (the scorer's greedy matching)
    matched_gold: set[int] = set()
    for gi, ge in enumerate(gd.get("events", [])):
        for i, se in enumerate(sys_events):
            if i in used or se.get("type") != ge.get("type") or not _dates_agree(ge, se):
                continue
            if _event_parties(ge) & _event_parties(se, mapping):
                used[i] = gi
                matched_gold.add(gi)
                break
    for gi, ge in enumerate(gd.get("events", [])):
        if gi in matched_gold:
            continue
        g_parties = _event_parties(ge)
        cause = None
        for se in sys_events:
            same_type = se.get("type") == ge.get("type")
            shared = bool(g_parties & _event_parties(se, mapping))
            dated = _dates_agree(ge, se)
            if same_type and shared:
                cause = "wrong date"
            elif same_type and dated:
                cause = cause or "no linked actor"
            elif shared and dated:
                cause = cause or f"wrong type (system: {se.get('type')})"
            elif same_type and same_sentence(se.get("evidence"), ge.get("evidence")):
                cause = cause or "wrong date and actors"
            if cause == "wrong date":
                break
        if cause is None:
            undated = [u for u in sd.get("undated_events", [])
                       if u.get("type") == ge.get("type") and same_sentence(u.get("evidence"), ge.get("evidence"))]
            if not ge.get("date"):
                cause = "gold has no date"
            elif undated:
                cause = "no date"
            else:
                cause = "trigger missed" if "undated_events" in sd else "trigger missed or no date"
        out.append(Error("events", MISS, cause, doc, _event_str(ge), _short(ge.get("evidence"))))
    for i, se in enumerate(sys_events):
        if i in used:
            gi = used[i]
            ge = gd["events"][gi]
            for f in ("location", "country", "fatalities"):
                if ge.get(f) is None:
                    continue
                gv, sv = ge.get(f), se.get(f)
                ok = (sv is not None and norm_name(gv) == norm_name(sv)) if f == "location" else gv == sv
                if not ok:
                    out.append(Error("events", "attribute", f"wrong {f}" if sv is not None else f"no {f}", doc,
                                     f"{_event_str(ge)}: {sv!r} for {gv!r}", _short(ge.get("evidence"))))
            continue
        s_parties = _event_parties(se, mapping)
        cause = "no such event in gold"
        for ge in gd.get("events", []):
            same_type = se.get("type") == ge.get("type")
            shared = bool(_event_parties(ge) & s_parties)
            dated = _dates_agree(ge, se)
            if same_type and shared and dated:
                cause = "repeat of a matched event"
                break
            if same_type and shared:
                cause = "wrong date"
            elif same_type and dated and cause == "no such event in gold":
                cause = "no linked actor" if s_parties else "actors not in gold"
            elif shared and dated and cause == "no such event in gold":
                cause = f"wrong type (gold: {ge.get('type')})"
        out.append(Error("events", FALSE, cause, doc, _event_str(se), _short(se.get("evidence"))))
    return out


# -- claims --------------------------------------------------------------------------
def _claim_errors(doc: str, gd: dict, sd: dict) -> list[Error]:
    out: list[Error] = []
    g_cl, s_cl = claims_by_speaker(gd), claims_by_speaker(sd)

    def surplus(mine: dict, theirs: dict, kind: str) -> None:
        for k, items in mine.items():
            have = len(theirs.get(k, []))
            # the items beyond the other side's count are the unmatched ones: prefer those
            # whose sentence the other side gives to someone else, as the likeliest culprits
            extra = len(items) - have
            if extra <= 0:
                continue
            ranked = sorted(items, key=lambda c: not any(
                same_sentence(c.get("text"), o.get("text")) and speaker_key(o.get("speaker")) != k
                for v in theirs.values() for o in v))
            for c in ranked[:extra]:
                other = next((o for v in theirs.values() for o in v
                              if same_sentence(c.get("text"), o.get("text")) and speaker_key(o.get("speaker")) != k), None)
                if other is not None:
                    cause = "wrong speaker"
                elif have:
                    cause = "too few claims for the speaker" if kind == MISS else "too many claims for the speaker"
                else:
                    cause = "speaker missed" if kind == MISS else "not a gold claim"
                who = f"{c.get('speaker')}" + (f" [{other.get('speaker')}]" if other is not None else "")
                out.append(Error("claims", kind, cause, doc, who, _short(c.get("text"))))

    surplus(g_cl, s_cl, MISS)
    surplus(s_cl, g_cl, FALSE)
    for k, gl in g_cl.items():
        if k not in s_cl:
            continue
        for gc in gl:
            if not gc.get("probability"):
                continue
            lo, hi = gc["probability"]
            bands = [sc["probability"] for sc in s_cl[k] if sc.get("probability")]
            if any(abs(b[0] - lo) < 1e-6 and abs(b[1] - hi) < 1e-6 for b in bands):
                continue
            cause = "wrong band" if bands else "no band"
            out.append(Error("claims", "attribute", cause, doc,
                             f"{gc.get('speaker')}: {gc.get('estimate')!r} {gc['probability']} (system {bands})",
                             _short(gc.get("text"))))
    return out


# -- all -----------------------------------------------------------------------------
def find_errors(gold: dict[str, dict[str, Any]], system: dict[str, dict[str, Any]]) -> list[Error]:
    """Every miss, false alarm and wrong attribute, with its cause, over all gold documents."""
    empty: dict[str, Any] = {"actors": [], "relations": [], "events": [], "claims": []}
    out: list[Error] = []
    for doc, gd in gold.items():
        sd = system.get(doc, empty)
        mapping = link_actors(sd, gd)
        out += _actor_errors(doc, gd, sd, mapping)
        out += _relation_errors(doc, gd, sd, mapping)
        out += _event_errors(doc, gd, sd, mapping)
        out += _claim_errors(doc, gd, sd)
    return out


def summarise(errors: list[Error]) -> dict[tuple[str, str], Counter]:
    """(layer, kind) -> Counter of causes."""
    out: dict[tuple[str, str], Counter] = {}
    for e in errors:
        out.setdefault((e.layer, e.kind), Counter())[e.cause] += 1
    return out


def format_errors(errors: list[Error], items: bool = True, limit: int = 0) -> str:
    """Causes with their counts, most frequent first; then (``items``) every error under its
    cause, at most ``limit`` per cause (0: all)."""
    lines = []
    summary = summarise(errors)
    for layer in ("actors", "relations", "events", "claims"):
        for kind in (MISS, FALSE, "attribute"):
            causes = summary.get((layer, kind))
            if not causes:
                continue
            lines.append(f"{layer} {kind}{'es' if kind == MISS else 's'}: {sum(causes.values())}")
            for cause, n in causes.most_common():
                lines.append(f"  {n:4d}  {cause}")
    if not items:
        return "\n".join(lines)
    for layer in ("actors", "relations", "events", "claims"):
        for kind in (MISS, FALSE, "attribute"):
            causes = summary.get((layer, kind))
            if not causes:
                continue
            for cause, _ in causes.most_common():
                lines.append("")
                lines.append(f"== {layer} {kind}: {cause}")
                shown = [e for e in errors if (e.layer, e.kind, e.cause) == (layer, kind, cause)]
                for e in shown[: limit or None]:
                    lines.append(f"  {e.doc}: {e.detail}")
                    if e.evidence:
                        lines.append(f"      \"{e.evidence}\"")
                if limit and len(shown) > limit:
                    lines.append(f"  ... and {len(shown) - limit} more")
    return "\n".join(lines)
