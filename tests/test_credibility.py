"""Admiralty information credibility (1-6) of ties and events."""

from __future__ import annotations

import pytest

from khabar.analyze.credibility import (
    LABELS,
    Credibility,
    Report,
    credibility,
    event_credibility,
    tie_credibility,
)
from khabar.resolve.sources import load_sources
from khabar.schema import Event, EventReport


@pytest.fixture(scope="module")
def book():
    return load_sources()


def rep(source, grade, stance="for", doc=None):
    return {"source": source, "reliability": grade, "stance": stance, "doc_id": doc or f"d-{source}"}


@pytest.mark.parametrize(
    ("reports", "rating"),
    [
        # 1: three independent sources for, or two with one A/B, none against
        ([rep("Dawn", "C"), rep("Tolo News", "C"), rep("Pajhwok", "D")], 1),
        ([rep("Reuters", "B"), rep("Tolo News", "C")], 1),
        # 2: two independent sources, the best C
        ([rep("Tolo News", "C"), rep("Pajhwok", "C")], 2),
        # 3: one source graded A-C; or two weak ones agreeing
        ([rep("Reuters", "B")], 3),
        ([rep("Tolo News", "C")], 3),
        ([rep("ISPR", "D"), rep("Xinhua", "D")], 3),
        # 4: a single weak source, or contested
        ([rep("ISPR", "D")], 4),
        ([rep("Amaq", "E")], 4),
        ([rep("Reuters", "B"), rep("Dawn", "B"), rep("Tolo News", "C", "against")], 4),
        # 5: more independent sources against than for
        ([rep("Reuters", "B"), rep("Dawn", "B", "against"), rep("AFP", "B", "against")], 5),
        ([rep("Dawn", "B", "against")], 5),
        # 6: nothing graded
        ([rep("Hindu Kush Monitor", "F"), rep("Frontier Desk", "F"), rep("Meridian Wire", "F")], 6),
        ([], 6),
    ],
)
def test_each_rating(reports, rating):
    result = credibility(reports)
    assert result.rating == rating, result.reason
    assert result.label == LABELS[rating]
    assert result.reason


def test_every_rating_has_a_label():
    assert sorted(LABELS) == [1, 2, 3, 4, 5, 6]


def test_contested_counts_both_sides():
    r = credibility([rep("Reuters", "B"), rep("Dawn", "B", doc="x1"), rep("Dawn", "B", doc="x2"),
                     rep("Tolo News", "C", "against")])
    assert (r.rating, r.for_reports, r.against_reports) == (4, 3, 1)
    assert (r.independent_for, r.independent_against) == (2, 1)
    assert r.reason.startswith("contested")
    assert "Tolo News C" in r.reason


def test_one_source_in_many_documents_counts_once():
    r = credibility([rep("Tolo News", "C", doc=str(i)) for i in range(5)])
    assert (r.rating, r.independent_for, r.for_reports) == (3, 1, 5)


def test_same_family_not_double_counted(book):
    # ABC News republishes AP; Geo and The News share an owner: two families, not four.
    reports = [rep("AP", "B"), rep("ABC News", "B"), rep("Geo News", "C"), rep("The News International", "C")]
    with_book = credibility(reports, book)
    assert with_book.independent_for == 2
    assert sorted(map(sorted, with_book.for_families)) == [["ABC News", "AP"], ["Geo News", "The News International"]]
    assert with_book.rating == 1  # two families, one graded B
    # Without a book only names are compared: four sources.
    assert credibility(reports).independent_for == 4


def test_state_media_do_not_confirm_each_other(book):
    reports = [rep("RT", "E"), rep("TASS", "D"), rep("Sputnik", "E")]
    r = credibility(reports, book)
    assert (r.independent_for, r.rating) == (1, 4)
    assert r.for_families == [["TASS", "RT", "Sputnik"]]  # the best-graded member first


def test_aliases_are_one_source(book):
    r = credibility([rep("NYT", "B"), rep("The New York Times", "B"), rep("New York Times", "B")], book)
    assert (r.independent_for, r.rating) == (1, 3)


def test_f_only_is_six_and_f_carries_no_weight():
    r = credibility([rep("Hindu Kush Monitor", "F"), rep("Indus Dispatch", None)])
    assert (r.rating, r.ungraded) == (6, 2)
    assert "ungraded" in r.reason
    # An F source against does not contest a graded one for.
    r = credibility([rep("Reuters", "B"), rep("Unknown Blog", "F", "against")])
    assert (r.rating, r.ungraded) == (3, 1)
    assert "1 ungraded" in r.reason


def test_book_grades_ungraded_store_rows(book):
    # The store gives every new source F: the book's default applies then.
    r = credibility([rep("Reuters", "F"), rep("Dawn", None)], book)
    assert r.rating == 1
    # A grade the analyst set in the store wins over the book's.
    r = credibility([rep("Reuters", "D"), rep("Dawn", "D")], book)
    assert r.rating == 3


def test_reports_may_be_records_and_sourceless():
    r = credibility([Report(None, "B", "for", "doc-1"), Report(None, "B", "for", "doc-2")])
    assert (r.independent_for, r.rating) == (2, 1)  # a document without a source is its own


def test_predictions_are_neither():
    r = credibility([rep("Reuters", "B", None), rep("Dawn", "B", None)])
    assert (r.rating, r.neutral_reports) == (6, 2)
    assert "prediction" in r.reason


def test_tie_credibility_maps_modality(book):
    rows = [
        {"source": "Reuters", "reliability": "B", "modality": "asserted", "doc_id": "a"},
        {"source": "Dawn", "reliability": None, "modality": "asserted", "doc_id": "b"},
        {"source": "Tolo News", "reliability": "C", "modality": "predicted", "doc_id": "c"},
        {"source": "Pajhwok Afghan News", "reliability": "C", "modality": "negated", "doc_id": "d"},
    ]
    r = tie_credibility(rows, book)
    assert (r.for_reports, r.against_reports, r.neutral_reports) == (2, 1, 1)
    assert r.rating == 4
    assert tie_credibility(rows[:2], book).rating == 1
    assert tie_credibility(rows[:2]).rating == 3  # Dawn ungraded without the book


def test_event_credibility():
    event = Event(
        id="ev-1", type="attack",
        reports=[EventReport(doc_id="d1", type="attack"), EventReport(doc_id="d2", type="attack"),
                 EventReport(doc_id="d3", type="attack", modality="negated")],
        documents=["d1", "d2", "d3"], sources=["Dawn", "Reuters", "Umar Media"],
    )
    sources = {"d1": "Dawn", "d2": "Reuters", "d3": "Umar Media"}
    grades = {"Dawn": "B", "Reuters": "B", "Umar Media": "E"}
    r = event_credibility(event, grades, sources=sources)
    assert (r.rating, r.independent_for, r.independent_against) == (4, 2, 1)
    # Dicts (as Event.to_dict gives) work too; without the denial it is confirmed.
    data = event.to_dict()
    data["reports"] = data["reports"][:2]
    assert event_credibility(data, grades, sources=sources).rating == 1
    # Without a document -> source map each document is its own, ungraded source.
    assert event_credibility(event, grades).rating == 6


def test_event_credibility_uses_the_book(book):
    event = Event(id="ev-2", type="attack", reports=[EventReport(doc_id="d1", type="attack")])
    r = event_credibility(event, {}, book, sources={"d1": "Reuters"})
    assert r.rating == 3


def test_to_dict_is_json_ready():
    d = credibility([rep("Reuters", "B"), rep("AFP", "B")]).to_dict()
    assert d["rating"] == 1 and d["independent_for"] == 2 and d["label"] == "confirmed"
    assert isinstance(Credibility(6, LABELS[6]).to_dict()["for_families"], list)


# -- sentences, not copies; one source does not contest itself ----------------------------------------------------
def said(source, grade, sentence, stance="for", doc=None):
    return {**rep(source, grade, stance, doc), "sentence": sentence}


def test_a_copied_sentence_is_one_report():
    line = "The Taliban still host al-Qaeda's leaders, officials said."
    r = credibility([said("Tolo News", "C", line), said("Pajhwok", "C", line.upper() + "  ")])
    assert (r.for_reports, r.independent_for, r.rating) == (1, 1, 3)
    # two different sentences from the same two outlets are two independent reports
    r = credibility([said("Tolo News", "C", line), said("Pajhwok", "C", "Al-Qaeda's leaders live in Kabul.")])
    assert (r.for_reports, r.independent_for, r.rating) == (2, 2, 2)


@pytest.mark.parametrize(("reports", "rating", "divided"), [
    # one outlet saying both, as often: it contests nothing and counts for nothing
    ([said("Dawn", "B", "X hosts Y."), said("Dawn", "B", "X does not host Y.", "against")], 6, 1),
    # most of its sentences say the tie holds: it stands for it
    ([said("Dawn", "B", "X hosts Y."), said("Dawn", "B", "X shelters Y."),
      said("Dawn", "B", "X does not host Y.", "against")], 3, 0),
    # another family denying it does contest it
    ([said("Dawn", "B", "X hosts Y."), said("Reuters", "B", "X does not host Y.", "against")], 4, 0),
])
def test_a_source_does_not_contest_itself(reports, rating, divided):
    r = credibility(reports)
    assert (r.rating, r.divided) == (rating, divided), r.reason


def test_a_title_is_no_evidence(book):
    title = "Taliban Host Al-Qaeda Leaders"
    rows = [{"source": "Reuters", "reliability": "B", "modality": "asserted", "doc_id": "a",
             "sentence": title, "title": title},
            {"source": "Dawn", "reliability": "B", "modality": "negated", "doc_id": "b",
             "sentence": "The Taliban do not host al-Qaeda.", "title": "Kabul denies it"}]
    r = tie_credibility(rows, book)
    assert (r.for_reports, r.against_reports, r.rating) == (0, 1, 5)


# -- ties in the knowledge base -------------------------------------------------------------------------------------
def row(source, sentence, modality="asserted", doc=None, title=None, published="2024-01-01"):
    return {"subject": "taliban", "type": "hosts", "object": "al-qaeda", "modality": modality, "source": source,
            "reliability": None, "doc_id": doc or f"d-{source}-{len(sentence)}", "sentence": sentence,
            "title": title, "published": published}


def one_tie(rows, book=None):
    from khabar.analyze.ties import aggregate_ties

    found = aggregate_ties(rows, book)
    assert len(found) <= 1
    return found[0][0] if found else None


@pytest.mark.parametrize(("rows", "contested"), [
    # another source denies it: contested
    ([row("Reuters", "The Taliban host al-Qaeda."), row("Dawn", "The Taliban do not host al-Qaeda.", "negated")],
     True),
    # one source saying both (or misread once) is not a dispute
    ([row("Reuters", "The Taliban host al-Qaeda."), row("Reuters", "They never hosted it.", "negated")], False),
    # a prediction denies nothing
    ([row("Reuters", "The Taliban host al-Qaeda."), row("Dawn", "The Taliban may host al-Qaeda.", "predicted")],
     False),
    # a copy of the denial by the same family (AP and ABC News, which republishes it) is one family
    ([row("AP", "The Taliban host al-Qaeda."), row("ABC News", "The Taliban do not host al-Qaeda.", "negated"),
      row("ABC News", "The Taliban host al-Qaeda's leaders.")], False),
    # a denial in a title only is none
    ([row("Reuters", "The Taliban host al-Qaeda."),
      row("Dawn", "Taliban Do Not Host Al-Qaeda", "negated", title="Taliban do not host al-Qaeda")], False),
])
def test_contested_needs_an_independent_denial(book, rows, contested):
    assert one_tie(rows, book).contested is contested


def test_ties_count_distinct_sentences_and_independent_sources(book):
    copy = "The Taliban still host al-Qaeda, officials said."
    rows = [row("AP", copy, doc="a"), row("ABC News", copy, doc="b"), row("Dawn", copy, doc="c"),
            row("Dawn", "Al-Qaeda's leaders live in Kabul as guests of the Taliban.", doc="c"),
            row("Tolo News", "Taliban Host Al-Qaeda", doc="t", title="Taliban host al-Qaeda")]
    tie = one_tie(rows, book)
    assert (tie.evidence, tie.asserted, tie.documents) == (2, 2, 3)
    assert tie.sources == 2  # AP with ABC News, and Dawn; the title-only outlet is not a source
    # ABC News republishes AP: one family, by the bundled source book when none is given
    assert one_tie([row("AP", "The Taliban host al-Qaeda."), row("ABC News", "Al-Qaeda lives in Kabul.")]).sources == 1
    assert one_tie([rows[-1]]) is None
