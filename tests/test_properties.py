"""Property tests (Hypothesis): name normalisation, date resolution, record round trips, escaping."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.collect.normalize import normalize_text, printable, valid_unicode
from khabar.extract.dates import find_dates
from khabar.present.text import clean, esc, md_escape, safe_url
from khabar.resolve.names import norm_name
from khabar.schema import Assertion, Document, Event, is_partial_date

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
names = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


# -- name normalisation ------------------------------------------------------------------
@SETTINGS
@given(names)
def test_norm_name_is_idempotent_and_ignores_case_and_joiners(name):
    key = norm_name(name)
    assert norm_name(key) == key
    assert norm_name(name.upper()) == norm_name(name.lower()) or not name.isascii()
    assert norm_name(name.replace(" ", "-")) == norm_name(name.replace("-", " "))


@SETTINGS
@given(st.text(max_size=200))
def test_normalize_text_is_idempotent_and_valid(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    once.encode("utf-8")  # never a lone surrogate


@SETTINGS
@given(st.text(max_size=200))
def test_invisible_characters_are_those_of_their_categories(text):
    """The translate table of a text's distinct characters drops exactly what a walk over
    every character by its Unicode category drops."""
    import unicodedata

    from khabar.collect.normalize import _drop_invisible

    expected = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    assert _drop_invisible(text) == expected


@SETTINGS
@given(st.text(max_size=80))
def test_printable_has_no_control_characters(text):
    shown = printable(text)
    assert all(c.isprintable() or c == " " for c in shown)
    (valid_unicode(text) or "").encode("utf-8")


# -- dates ---------------------------------------------------------------------------------
PHRASES = ["on Monday", "last week", "yesterday", "in March", "on 12 March", "last year", "this month",
           "in the spring", "on March 3", "two days ago", "earlier this year", "in 2019", "last month",
           "on Friday", "three weeks ago", "in December", "this week", "on 5 November"]


@SETTINGS
@given(st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2030, 12, 31)), st.sampled_from(PHRASES))
def test_past_events_never_resolve_after_publication(published, phrase):
    text = f"The group said it carried out the attack {phrase}."
    for _, _, value in find_dates(text, published.isoformat(), past=True):
        assert value.start <= published, (phrase, published, value)


# -- records ---------------------------------------------------------------------------------
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
opt = st.none() | text


@SETTINGS
@given(st.builds(Document, id=st.text("0123456789abcdef", min_size=64, max_size=64), text=text, name=text,
                 source=opt, url=opt, title=opt, published=st.none() | st.sampled_from(["2021", "2021-08", "2021-08-26"])))
def test_document_round_trip(doc):
    again = Document.from_dict(json.loads(json.dumps(doc.to_dict())))
    assert again == doc


@SETTINGS
@given(st.builds(Assertion, doc_id=text, subject=text, type=st.sampled_from(["hosts", "allied_with", "supports"]),
                 object=text, modality=st.sampled_from(["asserted", "negated", "predicted"]), sentence=text,
                 start=st.integers(0, 10_000), end=st.integers(0, 10_000)))
def test_assertion_round_trip(a):
    assert Assertion.from_dict(json.loads(json.dumps(a.to_dict()))) == a


@SETTINGS
@given(st.builds(Event, id=text, type=st.sampled_from(["attack", "statement"]),
                 actors=st.lists(text, max_size=3), targets=st.lists(text, max_size=3)))
def test_event_round_trip(e):
    assert Event.from_dict(json.loads(json.dumps(e.to_dict()))) == e


@SETTINGS
@given(st.text(max_size=12))
def test_partial_dates_are_real(value):
    if is_partial_date(value):
        parts = [int(p) for p in value.split("-")]
        dt.date(parts[0], *(parts[1:] + [1] * (3 - len(parts))))


# -- escaping ---------------------------------------------------------------------------------
@SETTINGS
@given(st.text(max_size=200))
def test_esc_leaves_no_markup(value):
    out = esc(value)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert html.unescape(out) == clean(value)  # escaping loses nothing but characters XML cannot hold
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", out)


@SETTINGS
@given(st.text(max_size=120))
def test_md_escape_stays_on_one_line_without_html(value):
    out = md_escape(value)
    assert "\n" not in out and "<" not in out and ">" not in out


@SETTINGS
@given(st.text(max_size=60))
def test_safe_url_only_passes_plain_http(value):
    url = safe_url(value)
    if url is not None:
        assert url.startswith(("http://", "https://"))
        assert not any(c in url for c in " \"'<>\n\r\t")
