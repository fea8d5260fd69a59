"""The tie rules alone (no learned scorer) on hand-written sentences: one construction each."""

from __future__ import annotations

import pytest

from khabar.extract.tiemodel import TieModel
from khabar.schema import Document, is_symmetric

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rules(extractor):
    from khabar.extract.pipeline import Extractor

    return Extractor(nlp=extractor.nlp, gazetteer=extractor.gazetteer, people=extractor.people,
                     tie_model=TieModel())


def ties(rules, text: str) -> set[tuple[str, str, str]]:
    out = set()
    for a in rules.extract(Document(id="t", text=text)).assertions:
        s, o = a.subject, a.object
        if is_symmetric(a.type) and s > o:
            s, o = o, s
        out.add((s, a.type, o))
    return out


def _key(s: str, t: str, o: str) -> tuple[str, str, str]:
    return (min(s, o), t, max(s, o)) if is_symmetric(t) else (s, t, o)


@pytest.mark.parametrize("text, expected, absent", [
    # a shared attack is fighting alongside, not hostility
    ("The IMU carried out a joint raid with the Taliban in Kunduz.",
     [("imu", "allied_with", "taliban")], [("imu", "hostile_to", "taliban")]),
    ("The TTP said it was a joint Taliban and IMU operation.",
     [("ttp", "allied_with", "imu")], [("ttp", "hostile_to", "imu")]),
    ("Al-Qaeda fighters attacked the TTP.", [("al-qaeda", "hostile_to", "ttp")], []),
    # a branch belongs to an organisation, not to a state
    ("The TTP, a faction of Pakistan's militants, attacked the army.", [], [("ttp", "affiliate_of", "pakistan")]),
    # the doer of a passive through a noun that stands for its actor; ethnonyms naming state bodies
    ("Officials said nine Afghan soldiers were killed by IS insurgents.",
     [("isis", "hostile_to", "afghan-government")], []),
    ("Uzbek troops were attacked by Taliban gunmen near the border.",
     [("taliban", "hostile_to", "uzbekistan")], []),
    # "with the support of X and the protection of Y": each noun has its own actor
    ("The network operates with the support of al-Qaeda and the protection of the Taliban.",
     [], [("al-qaeda", "hosts", "taliban"), ("taliban", "hosts", "al-qaeda")]),
    ("AQAP and other branches of al-Qaeda praised the Taliban.",
     [("aqap", "affiliate_of", "al-qaeda"), ("aqap", "endorsed", "taliban")], []),
    # role phrases: "as", "claimed responsibility for", "with X's support"
    ("The Haqqani network acts as a veritable arm of the ISI.", [("haqqani-network", "affiliate_of", "isi")], []),
    ("The TTP is widely seen as a proxy of Pakistan.", [("pakistan", "supports", "ttp")],
     [("ttp", "supports", "pakistan")]),
    ("Islamic State claimed responsibility for an attack on the Taliban.", [("isis", "hostile_to", "taliban")], []),
    ("With ISI support, the Haqqani network planned the attack.", [("isi", "supports", "haqqani-network")], []),
    ("Islamic State claimed responsibility for the attack in Pakistan.", [],
     [("isis", "hostile_to", "pakistan")]),
    # a name compounded with a branch noun is the parent: "an al-Qaeda affiliate"
    ("HTS, formerly an al-Qaeda affiliate, arrested several commanders.", [("hts", "affiliate_of", "al-qaeda")],
     [("al-qaeda", "affiliate_of", "hts")]),
    ("Al-Shabaab, the al-Qaeda branch in Somalia, attacked Kenya.", [("al-shabaab", "affiliate_of", "al-qaeda")],
     [("al-qaeda", "affiliate_of", "al-shabaab")]),
    ("The Taliban victory over the United States surprised many.", [("taliban", "hostile_to", "united-states")], []),
    # a tie preposition reaches its own clause's subject, not the subject of the clause above
    ("The Taliban still need al-Qaeda, as Islamic State Khorasan wages a campaign against the Taliban.",
     [("isis-k", "hostile_to", "taliban")], [("al-qaeda", "hostile_to", "taliban")]),
    ("Pakistan launched a military campaign against the TTP.", [("pakistan", "hostile_to", "ttp")], []),
    ("The Taliban fought alongside al-Qaeda.", [("taliban", "allied_with", "al-qaeda")],
     [("taliban", "hostile_to", "al-qaeda")]),
    # a dateline's country is where the report was filed, not a party
    ("KABUL, AFGHANISTAN - The ISKP, the regional affiliate of ISIS, claimed the attack.",
     [("isis-k", "affiliate_of", "isis")], [("afghanistan", "affiliate_of", "isis")]),
    ("Pakistan - a longtime ally of the Taliban - said little.", [("pakistan", "allied_with", "taliban")], []),
    # "they" is never a country
    ("Afghanistan called them dangerous. In reality they are members of Jamaat Ansarullah.",
     [], [("afghanistan", "affiliate_of", "jamaat-ansarullah")]),
    ("The Taliban met Pakistan in Doha. They are allies of al-Qaeda.", [("taliban", "allied_with", "al-qaeda")],
     [("pakistan", "allied_with", "al-qaeda")]),
    # ... but a country named on its people ("Pakistani officials") is what their "their" means
    ("The IMU attacked a post in Osh. Kyrgyz officials announced their support for the Tajik government.",
     [("kyrgyzstan", "supports", "tajikistan")], [("imu", "supports", "tajikistan")]),
    # an adjective gives a relation noun its type; "close ties" stay an alliance
    ("The report showed a cooperative relationship between al-Qaeda and the Taliban.",
     [("al-qaeda", "cooperates_with", "taliban")], [("al-qaeda", "allied_with", "taliban")]),
    ("The TTP have loose relations with the Taliban.", [("ttp", "cooperates_with", "taliban")], []),
    ("Pakistan has tense relations with the Taliban.", [("pakistan", "hostile_to", "taliban")],
     [("pakistan", "allied_with", "taliban")]),
    ("The Taliban have close ties with al-Qaeda.", [("taliban", "allied_with", "al-qaeda")], []),
    # lexicon entries of general news prose
    ("The TTP seeks to destabilize Pakistan.", [("pakistan", "hostile_to", "ttp")], []),
    ("The TTP enjoys the Taliban's patronage.", [("taliban", "supports", "ttp")], []),
    ("Al-Nusra was listed for its affiliation with al-Qaeda.", [("nusra-front", "affiliate_of", "al-qaeda")], []),
    ("The UN warned of the growing association between the TTP and al-Qaeda.",
     [("ttp", "allied_with", "al-qaeda")], []),
    # a participle on a noun in apposition or after a copula ties its compound to the actor
    ("The IJU, an al-Qaeda-linked Uzbek group, released a video.", [("iju", "allied_with", "al-qaeda")], []),
    ("The IJU is an al-Qaeda-linked group.", [("iju", "allied_with", "al-qaeda")], []),
    ("The Jamaat-ul-Ahrar, an Afghanistan-based Pakistani group, claimed the attacks.",
     [("afghanistan", "hosts", "jamaat-ul-ahrar")], [("jamaat-ul-ahrar", "hosts", "afghanistan")]),
    ("The raid was blamed on Lashkar-e-Taiba, a UN-designated terrorist group.",
     [("united-nations", "hostile_to", "lashkar-e-taiba")], []),
    ("Hizb-ut-Tahrir is a U.S.-sanctioned group.", [("united-states", "hostile_to", "hizb-ut-tahrir")], []),
    ("The IJU, an al-Qaeda-linked group, fought the Taliban.", [("iju", "hostile_to", "taliban")],
     [("al-qaeda", "hostile_to", "taliban")]),
    # designations and listings as terrorists are hostility; the agent may hang on the noun of "as"
    ("Al-Nusra, listed as a terrorist organisation by the US, grew stronger.",
     [("united-states", "hostile_to", "nusra-front")], []),
    ("The United States listed the TTP among terrorist groups.", [("united-states", "hostile_to", "ttp")], []),
    ("Pakistan listed the TTP among its partners.", [], [("pakistan", "hostile_to", "ttp")]),
    ("The US designation of the TTP came in 2010.", [("united-states", "hostile_to", "ttp")], []),
    # an adjective coordinated with another still types the relation noun
    ("The report showed an ongoing and cooperative relationship between al-Qaeda and the Taliban.",
     [("al-qaeda", "cooperates_with", "taliban")], [("al-qaeda", "allied_with", "taliban")]),
    # a state agency is part of its state: no tie between them
    ("The CIA and the United States attacked the TTP.", [("cia", "hostile_to", "ttp")],
     [("cia", "hostile_to", "united-states"), ("cia", "allied_with", "united-states")]),
    # "with" is the other side of a reciprocal hostile word; "against" names the enemy of a joint fight
    ("HTS has clashed with Hurras al-Din on numerous occasions.", [("hts", "hostile_to", "hurras-al-din")],
     [("hts", "allied_with", "hurras-al-din")]),
    ("The Taliban fought alongside al-Qaeda against the United States.",
     [("taliban", "allied_with", "al-qaeda"), ("taliban", "hostile_to", "united-states")],
     [("taliban", "allied_with", "united-states")]),
    ("The Taliban fought the IMU together with al-Qaeda.", [("taliban", "hostile_to", "imu")],
     [("imu", "allied_with", "al-qaeda")]),
    # "X listed Y as ...", "X described Y as ...": the complement of "as" is about Y, not X
    ("The UN Security Council listed JEM in 2001 as being associated with al-Qaeda.",
     [("jaish-e-mohammed", "allied_with", "al-qaeda")], [("unsc", "allied_with", "al-qaeda")]),
    ("Washington described the TTP as a proxy of al-Qaeda.", [("al-qaeda", "supports", "ttp")],
     [("al-qaeda", "supports", "united-states")]),
    # a giving verb hands its object noun to the receiver: "provided support to X"
    ("The ISI provided support to the Haqqani network.", [("isi", "supports", "haqqani-network")],
     [("haqqani-network", "supports", "isi")]),
    ("Iran gave refuge to al-Qaeda leaders.", [("iran", "hosts", "al-qaeda")], [("al-qaeda", "hosts", "iran")]),
    ("The Taliban gave al-Qaeda a safe haven.", [("taliban", "hosts", "al-qaeda")], []),
    ("Iran took weapons to the Taliban.", [], [("iran", "supports", "taliban")]),
    # the gerund after an object's "of"/"for" is the object's deed
    ("Pakistan accused India of backing the BLA.", [("india", "supports", "baloch-liberation-army")],
     [("pakistan", "supports", "baloch-liberation-army")]),
    # recognition is political support; a stance is hostile only with a hostile word
    ("Russia formally recognized the Taliban government.", [("russia", "supports", "taliban")], []),
    ("Tajikistan continues to take a hostile stance toward the Taliban.", [("tajikistan", "hostile_to", "taliban")], []),
    ("The United States has a clear stance on the Taliban.", [], [("united-states", "hostile_to", "taliban")]),
    # coordinated actors: a joint message is cooperation, a joint attack fighting alongside
    ("AQIM and JNIM released a joint statement congratulating the Taliban.",
     [("aqim", "cooperates_with", "jnim"), ("jnim", "endorsed", "taliban")], []),
    ("The IMU and the Taliban jointly attacked the base.", [("imu", "allied_with", "taliban")],
     [("imu", "hostile_to", "taliban")]),
    ("India and Pakistan fought each other in 1999.", [("india", "hostile_to", "pakistan")], []),
    # relation nouns of hostility, adjectives of relations
    ("Britain and Russia are locked in a bitter dispute over the poisoning.",
     [("united-kingdom", "hostile_to", "russia")], []),
    ("Tensions between Pakistan and the Taliban have grown.", [("pakistan", "hostile_to", "taliban")], []),
    ("Pakistan hailed warming relations with Afghanistan.", [("pakistan", "cooperates_with", "afghanistan")],
     [("pakistan", "endorsed", "afghanistan")]),
    ("Pakistan hailed the Taliban.", [("pakistan", "endorsed", "taliban")], []),
    # the "in" phrase of taking part is the subject's own activity
    ("The Taliban was engaged in peace talks with the U.S. in Doha.",
     [("taliban", "cooperates_with", "united-states")], []),
    ("Pakistan is involved in negotiations with the TTP.", [("pakistan", "cooperates_with", "ttp")], []),
    ("Pakistan was interested in negotiations with the TTP.", [], [("pakistan", "cooperates_with", "ttp")]),
    # a truce or pact is cooperation, of two coordinated actors too
    ("A potential truce between Islamic State and JNIM is likely.", [("isis", "cooperates_with", "jnim")],
     [("isis", "hostile_to", "jnim")]),
    ("Pakistan and the TTP agreed to a ceasefire.", [("pakistan", "cooperates_with", "ttp")], []),
    # a plural anaphor stands for the actors just listed together
    ("The IMU and the IJU were active in the north. These groups had pledged allegiance to the Taliban.",
     [("imu", "endorsed", "taliban"), ("iju", "endorsed", "taliban")], []),
    ("AQIM and AQAP issued statements. Both groups congratulated the Taliban.",
     [("aqim", "endorsed", "taliban"), ("aqap", "endorsed", "taliban")], [("aqim", "endorsed", "aqap")]),
    ("The IMU and the IJU met in Kabul. The two organisations later attacked the TTP.",
     [("imu", "hostile_to", "ttp"), ("iju", "hostile_to", "ttp")], []),
    # "two groups" is new, not the list before; a list two sentences back is too far
    ("The IMU and the IJU met in Kabul. Two groups of fighters attacked the TTP.", [],
     [("imu", "hostile_to", "ttp"), ("iju", "hostile_to", "ttp")]),
    ("The IMU and the IJU met in Kabul. The talks lasted a week. These groups then attacked the TTP.", [],
     [("imu", "hostile_to", "ttp"), ("iju", "hostile_to", "ttp")]),
    # "X and Y fought" with no one else in the fight: each other; a third party makes them allies
    ("The IMU and the IJU fought several battles near Kunduz last year.", [("imu", "hostile_to", "iju")], []),
    ("The IMU and al-Qaeda's Central Asian ally, the IJU, fought for weeks in the north.",
     [("imu", "hostile_to", "iju")], [("imu", "hostile_to", "al-qaeda")]),
    ("The IMU and the IJU fought the TTP near the border.", [("imu", "hostile_to", "ttp")],
     [("imu", "hostile_to", "iju")]),
    ("The IMU and the IJU fought against Pakistani troops.", [], [("imu", "hostile_to", "iju")]),
    # a receiving verb: its subject gets what the noun gives
    ("The TTP, which is seen as enjoying the Taliban's patronage, attacked a post.",
     [("taliban", "supports", "ttp")], [("ttp", "supports", "taliban")]),
    # a name's generic head the gazetteer leaves out stands for the name
    ("The network acts as an arm of the Inter-Services Intelligence agency, officials said. "
     "The Haqqani network acts as a veritable arm of Pakistan's Inter-Services Intelligence Agency.",
     [("haqqani-network", "affiliate_of", "isi")], []),
    # a verb of regard casts its object in the role noun's tie with the subject
    ("Al-Shabaab has long considered the IMU an enemy.", [("al-shabaab", "hostile_to", "imu")], []),
    ("The TTP regards the IMU as a trusted ally.", [("ttp", "allied_with", "imu")], []),
    ("The TTP regards the IMU as an ally of the Haqqani network.", [], [("ttp", "allied_with", "imu")]),
    # a group stands at the post of the one who acts for it
    ("The US Treasury sanctioned Ahmad Karimi, the deputy emir of the IMU, on Monday.",
     [("us-treasury", "hostile_to", "imu")], []),
    ("The leader of the IJU declared an alliance with the TTP.", [("iju", "allied_with", "ttp")], []),
    # "added to a list" of terrorists or sanctions
    ("Britain added the IJU to its list of proscribed terrorist organisations.",
     [("united-kingdom", "hostile_to", "iju")], []),
    ("The court added that the IJU had grown.", [], [("iju", "hostile_to", "court")]),
    # a name joined to a participle by a hyphen, whatever the parse
    ("The IMU, a UN-designated group, attacked a post.", [("imu", "hostile_to", "united-nations")], []),
])
def test_rule_constructions(rules, text, expected, absent):
    found = ties(rules, text)
    for tie in expected:
        assert _key(*tie) in found, (text, found)
    for tie in absent:
        assert _key(*tie) not in found, (text, found)


@pytest.mark.parametrize("text, expected, absent", [
    # an acronym the text defines names its actor where it stands alone, over the gazetteer's
    ("Hizb-ul-Ahrar (HuA) emerged in 2017. HuA, an offshoot of the TTP, attacked a post.",
     [("hizb-ul-ahrar", "splinter_of", "ttp")], []),
    ("The Islamic Movement of Uzbekistan (IMUZ) was founded in 1998. IMUZ later fought alongside the Taliban.",
     [("imu", "allied_with", "taliban")], []),
    # an acronym written with a small letter inside is also found in capitals
    ("The UN listed JEM as being associated with al-Qaeda.", [("jaish-e-mohammed", "allied_with", "al-qaeda")], []),
])
def test_acronyms_of_the_text(rules, text, expected, absent):
    found = ties(rules, text)
    for tie in expected:
        assert _key(*tie) in found, (text, found)
    for tie in absent:
        assert _key(*tie) not in found, (text, found)


def test_a_name_in_apposition_to_a_subject_is_what_the_group_means(rules):
    """ "The group" after "X's affiliate, Y, formed Z" is Y (the subject's name), not Z."""
    text = ("Al-Qaeda's Syrian affiliate, Hurras al-Din, formed the Fathbutou operations room in June. "
            "HTS has clashed with the group since then.")
    found = ties(rules, text)
    assert _key("hts", "hostile_to", "hurras-al-din") in found, found


@pytest.mark.parametrize("text, expected", [
    ("The IMU and the IJU attacked the TTP.", [["imu", "iju"]]),
    ("AQIM, JNIM and AQAP praised the Taliban.", [["aqim", "jnim", "aqap"]]),
    ("The IMU attacked the TTP.", []),
    ("The IMU fought the TTP and the IJU.", [["ttp", "iju"]]),
])
def test_coordinated_lists(extractor, text, expected):
    from khabar.extract.coref import coordinated

    doc = extractor.nlp(text)
    ids = {"IMU": "imu", "IJU": "iju", "TTP": "ttp", "AQIM": "aqim", "JNIM": "jnim", "AQAP": "aqap",
           "Taliban": "taliban"}
    actors = {t.i: ids[t.text] for t in doc if t.text in ids}
    assert coordinated(doc, actors) == expected


def test_a_branch_named_through_its_parent_stands_for_the_branch(rules):
    """One branch of ISIS in the document: "the ISIS Afghanistan affiliate" is it."""
    text = ("Islamic State Khorasan Province claimed the bombing. "
            "The ISIS Afghanistan affiliate has long considered the Taliban an enemy.")
    found = ties(rules, text)
    assert _key("isis-k", "hostile_to", "taliban") in found, found
    assert _key("isis", "hostile_to", "taliban") not in found, found
    # two branches named: which one the phrase means is a guess, so the parent keeps it
    text2 = text + " ISWAP attacked a base in Borno."
    assert _key("isis-k", "hostile_to", "taliban") not in ties(rules, text2)
