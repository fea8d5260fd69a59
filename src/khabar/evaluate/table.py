"""Several gold sets side by side: one row per set and a row for their union."""

from __future__ import annotations

from khabar.evaluate.scoring import Scores

__all__ = ["format_table"]


def _prf(scores: Scores, layer: str) -> str:
    c = scores.layers[layer]
    return f"{c.p:.2f} / {c.r:.2f} / {c.f1:.2f}"


def _acc(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_table(rows: list[tuple[str, Scores]], union: bool = True) -> str:
    """The table of issue 9: actors F1, then P / R / F1 of ties, events and claims per set,
    micro-averaged over the union of the sets in a last row; then the accuracies the
    scorer checks on matched items (modality, location, country, fatalities, band)."""
    rows = list(rows)
    if union and len(rows) > 1:
        total = Scores()
        for _, s in rows:
            total.merge(s)
        rows.append(("union", total))
    width = max(5, *(len(name) for name, _ in rows))
    head = (f"{'set':<{width}}  {'docs':>4}  {'actors F1':>9}  {'ties P / R / F1':>18}  "
            f"{'events P / R / F1':>18}  {'claims P / R / F1':>18}")
    lines = [head, "-" * len(head)]
    for name, s in rows:
        lines.append(f"{name:<{width}}  {len(s.per_doc):>4}  {s.layers['actors'].f1:>9.2f}  "
                     f"{_prf(s, 'relations'):>18}  {_prf(s, 'events'):>18}  {_prf(s, 'claims'):>18}")
    lines.append("")
    head2 = (f"{'set':<{width}}  {'tie modality':>12}  {'location':>8}  {'country':>7}  "
             f"{'fatalities':>10}  {'band':>5}   (accuracy on matched items)")
    lines.append(head2)
    for name, s in rows:
        ea = s.event_attrs
        lines.append(f"{name:<{width}}  {_acc(s.modality.value):>12}  {_acc(ea['location'].value):>8}  "
                     f"{_acc(ea['country'].value):>7}  {_acc(ea['fatalities'].value):>10}  "
                     f"{_acc(s.band.value):>5}")
    return "\n".join(lines)
