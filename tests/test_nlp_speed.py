"""The faster stand-ins for stock pipes give exactly the stock pipes' output."""

from __future__ import annotations

import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.tokens import Doc

from khabar.extract.nlp import TokenAttributes, load_model

ATTRS = [POS, MORPH, LEMMA, TAG, DEP, HEAD]


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _both(nlp, text: str) -> tuple[Doc, Doc]:
    """The text through the stock parse pipes, and through tok2vec, tagger and parser
    followed by TokenAttributes."""
    words = nlp.make_doc(text)
    ws, sp = [t.text for t in words], [bool(t.whitespace_) for t in words]
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]):
        stock = nlp(Doc(nlp.vocab, words=ws, spaces=sp))
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        fast = nlp(Doc(nlp.vocab, words=ws, spaces=sp))
    TokenAttributes.of(nlp)(fast)
    return stock, fast


@pytest.mark.parametrize("text", [
    "The group said on Sunday that it had carried out the attack.",
    "They ain't gonna stop, and y'all know it.",
    "There were three of them; let's go, c'mon.",
    "It is what it is: she'd have been there if he hadn't left.",
    "Nothin' was done about it, the officials said.\n\nThe ministry didn't comment.",
    "He gets what he wants and got what he came for, doesn't he?",
    "Those who fled  were later found, but that was not the end.",
    "I told you, and you told me, that we'd be fine.",
])
def test_token_attributes_equal_stock(nlp, text):
    stock, fast = _both(nlp, text)
    assert [(t.pos_, str(t.morph), t.lemma_) for t in fast] == [(t.pos_, str(t.morph), t.lemma_) for t in stock]
    assert (fast.to_array(ATTRS) == stock.to_array(ATTRS)).all()


def test_token_attributes_of_a_pipeline_without_the_ruler(nlp):
    import spacy

    assert TokenAttributes.of(spacy.blank("en")) is None
    assert TokenAttributes.of(nlp) is not None


def test_token_attributes_refuse_a_pattern_form_they_do_not_know(nlp):
    """A rule reading an attribute TokenAttributes does not read (here SHAPE) is refused."""
    ta = TokenAttributes.of(nlp)
    with pytest.raises(KeyError):
        ta._predicate({"SHAPE": "Xxxx"})
    with pytest.raises(ValueError):
        ta._predicate({"LOWER": {"NOT_IN": ["a"]}})


def test_extraction_uses_them(extractor):
    assert extractor.attributes is not None
    assert "attribute_ruler" not in extractor.light_pipes and "lemmatizer" not in extractor.light_pipes
    out = extractor.extract_many([])
    assert list(out) == []


@pytest.mark.parametrize("text, wanted", [
    ("The Taliban and al-Qaeda remain closely aligned, the report said.", False),
    ("The Taliban have hosted al-Qaeda for years and it has supported them.", False),
    ("Mullah Baradar said the Taliban and al-Qaeda remain closely aligned.", True),
    ("Afghan officials said the Taliban had hosted al-Qaeda.", True),
    ("The Taliban hosted al-Qaeda in Kandahar, a UN report said.", True),
    ("The Taliban and al-Qaeda fought beside M23 fighters.", True),  # a proper noun not written as a word
])
def test_ner_runs_where_a_name_may_be(extractor, text, wanted):
    from khabar.extract.pipeline import _may_name

    sents, _ = extractor._prepare(text)
    tie_sents = [s for s in sents if s.parse and not s.light]
    assert len(tie_sents) == 1
    s = tie_sents[0]
    with extractor.nlp.select_pipes(enable=extractor.light_pipes):
        s.sub = extractor.nlp(s.sub)
    assert _may_name(s) is wanted
