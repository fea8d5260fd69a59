"""What the analyst sees of a tie's evidence: a reprinted sentence is shown once; both
sides of a contested tie are shown."""

from __future__ import annotations

from khabar.present.model import select_evidence


def a(sentence, cite, modality="asserted"):
    return {"sentence": sentence, "cite": cite, "modality": modality}


def test_a_reprint_in_another_document_is_not_shown_again():
    rows = [a("The Taliban host al-Qaeda.", 1), a("The Taliban host al-Qaeda.", 2),
            a("Al-Qaeda's leaders live in Kabul.", 3)]
    shown, left = select_evidence(rows, limit=3)
    assert [r["cite"] for r in shown] == [1, 3] and left == 1


def test_both_sides_come_first_and_empty_sentences_are_not_copies():
    rows = [a("X hosts Y.", 1), a("X hosts Y, said B.", 2), a("", 3), a("", 4), a("X does not host Y.", 5, "negated")]
    shown, _ = select_evidence(rows, limit=2)
    assert {r["modality"] for r in shown} == {"asserted", "negated"}
    shown, _ = select_evidence(rows, limit=5)
    assert [r["cite"] for r in shown] == [1, 2, 3, 4, 5]
