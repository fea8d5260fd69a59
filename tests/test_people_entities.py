"""Persons as entities (issue 12, part 2): leaders, spokesmen, commanders and officials from
``data/people.yaml`` and from speakers the text names, with their posts over time and links to
the judgments they made, the events they took part in and the ties they are evidence for; kept
on write, re-derived for bases made before; shown in the web app and the CLI; never actors.

Most tests run on a small base written by hand through the write path (no model); one, marked
slow, runs the whole pipeline on texts of its own."""

from __future__ import annotations

import json
import sqlite3
import warnings

import pytest

from khabar.cli import main
from khabar.errors import KhabarError
from khabar.resolve.people import load_people
from khabar.schema import Actor, Assertion, Document, EventReport, Extraction, Judgment, Mention
from khabar.store import Store, transaction, write_document
from khabar.store.persons import event_role, forget_document, index_document, person_id
from khabar.workspace import Workspace

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from khabar.web import create_app

ACTORS = [Actor(id="al-qaeda", name="al-Qaeda", kind="armed_group"),
          Actor(id="taliban", name="Taliban", kind="armed_group"),
          Actor(id="united-states", name="United States", kind="state"),
          Actor(id="china", name="China", kind="state"),
          Actor(id="isis-k", name="Islamic State Khorasan Province", kind="armed_group")]

DOC1 = [  # published 2022-08-02
    "Ayman al-Zawahiri was killed by a US drone strike in Kabul on July 31, 2022, President Joe Biden said.",
    "Taliban spokesman Zabihullah Mujahid said the strike violated the Doha agreement.",
    "In 2016 Zawahiri pledged allegiance to Taliban leader Hibatullah Akhundzada.",
    "The Taliban are hostile to the United States, Mujahid told reporters.",
    "Al-Qaeda remains allied with the Taliban under Hibatullah Akhundzada.",
]
DOC2 = [  # published 2021-09-01
    "Dr. Leila Hosseini, a fellow at the Caspian Policy Institute, said the Taliban will very likely expel "
    "foreign fighters within two years.",
    "Mullah Abdul Ghani Baradar met Chinese Foreign Minister Wang Yi in Tianjin on July 28, 2021.",
    "Its envoy said the talks went well.",
]
DOC3 = [  # published 2023-03-05: hostile text
    "<script>alert('x')</script> Leila Hosseini warned that ISIS-K is likely to attack Kabul again.",
    "Hosseini added that the group <b>recruits</b> in the north.",
]


def _doc(doc_id: str, sentences: list[str], published: str, title: str) -> tuple[Document, list[tuple[int, int]]]:
    text, spans = "", []
    for s in sentences:
        if text:
            text += " "
        spans.append((len(text), len(text) + len(s)))
        text += s
    return Document(id=doc_id, text=text, name=f"{doc_id}.txt", source="Test Wire", published=published,
                    title=title), spans


def _judgment(doc: Document, span: tuple[int, int], speaker: str, **kw) -> Judgment:
    return Judgment(doc_id=doc.id, speaker=speaker, text=doc.text[span[0]:span[1]], start=span[0], end=span[1],
                    sentence_start=span[0], sentence_end=span[1], **kw)


def _doc1(with_killing: bool = True) -> tuple[Document, Extraction]:
    doc, sp = _doc("d1" * 8, DOC1, "2022-08-02", "Zawahiri <b>killed</b>")
    events = [EventReport(doc_id=doc.id, type="killing", actors=["united-states"], targets=["al-qaeda"],
                          date="2022-07-31", precision="day", date_start="2022-07-31", date_end="2022-07-31",
                          sentence=DOC1[0], start=sp[0][0], end=sp[0][1], trigger="killed")] if with_killing else []
    events.append(EventReport(doc_id=doc.id, type="statement", actors=["taliban"], date="2022-08-02",
                              precision="day", date_start="2022-08-02", date_end="2022-08-02", sentence=DOC1[1],
                              start=sp[1][0], end=sp[1][1], trigger="said"))
    ex = Extraction(
        doc_id=doc.id, actors=ACTORS, sentences=sp, events=events,
        assertions=[Assertion(doc_id=doc.id, subject="al-qaeda", type="endorsed", object="taliban", sentence=DOC1[2],
                              start=sp[2][0], end=sp[2][1], trigger="pledged"),
                    Assertion(doc_id=doc.id, subject="taliban", type="hostile_to", object="united-states",
                              attributed_to="Mujahid", sentence=DOC1[3], start=sp[3][0], end=sp[3][1]),
                    Assertion(doc_id=doc.id, subject="al-qaeda", type="allied_with", object="taliban",
                              sentence=DOC1[4], start=sp[4][0], end=sp[4][1])],
        judgments=[_judgment(doc, sp[1], "Zabihullah Mujahid", role="spokesman", speaker_actor="taliban",
                             via="lead")])
    return doc, ex


def _doc2() -> tuple[Document, Extraction]:
    doc, sp = _doc("d2" * 8, DOC2, "2021-09-01", "Analysts on the Taliban")
    ex = Extraction(
        doc_id=doc.id, actors=ACTORS, sentences=sp,
        events=[EventReport(doc_id=doc.id, type="meeting", actors=["taliban"], targets=["china"], date="2021-07-28",
                            precision="day", date_start="2021-07-28", date_end="2021-07-28", sentence=DOC2[1],
                            start=sp[1][0], end=sp[1][1], trigger="met")],
        judgments=[_judgment(doc, sp[0], "Dr. Leila Hosseini", role="a fellow at the Caspian Policy Institute",
                             about=["taliban"], estimate="very likely", band="very likely", low=0.8, high=0.95),
                   _judgment(doc, sp[2], "Its envoy")])
    return doc, ex


def _doc3() -> tuple[Document, Extraction]:
    doc, sp = _doc("d3" * 8, DOC3, "2023-03-05", "<img src=x onerror=alert(1)> report")
    ex = Extraction(doc_id=doc.id, actors=ACTORS, sentences=sp,
                    judgments=[_judgment(doc, sp[0], "Leila Hosseini", role="<i>analyst</i>", about=["isis-k"],
                                         estimate="likely", band="likely", low=0.55, high=0.8)])
    return doc, ex


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    path = tmp_path_factory.mktemp("people") / "kb.db"
    with Store(path) as st:
        for doc, ex in (_doc1(), _doc2(), _doc3()):
            write_document(st.conn, doc, ex)
    return path


@pytest.fixture
def ws(kb):
    with Workspace(kb) as w:
        yield w


def _links(ws: Workspace, name: str, kind: str) -> list[tuple[str, str]]:
    return sorted((x["role"], x.get("type") or "") for x in ws.person(name, limit=None)[kind])


# -- the store --------------------------------------------------------------------------------------------
def test_posts_over_time_come_from_the_people_list(ws):
    listed = load_people().get("Abdul Ghani Baradar")
    p = ws.person("Mullah Baradar")
    assert p["id"] == "abdul-ghani-baradar" and p["origin"] == "gazetteer"
    posts = [(o["actor_id"], o["role"], o["from"], o["to"]) for o in p["posts"] if o["source"] == "gazetteer"]
    assert sorted(posts, key=lambda o: o[2] or o[3] or "") == posts  # oldest first
    assert sorted(posts) == sorted((a["actor"], a["role"], a["from"], a["to"]) for a in listed.affiliations)
    assert ("taliban", "Deputy Prime Minister", "2021-09", None) in posts
    assert set(p["aliases"]) == set(listed.aliases)


def test_a_person_found_in_the_text(ws):
    p = ws.person("Leila Hosseini")
    assert p["id"] == "leila-hosseini" and p["origin"] == "text" and p["name"] == "Leila Hosseini"  # title dropped
    # the post the document gives, dated by the document
    text_posts = [(o["role"], o["from"], o["source"]) for o in p["posts"]]
    assert ("a fellow at the Caspian Policy Institute", "2021-09-01", "text") in text_posts
    # found again in another document, as speaker and under the bare surname
    assert {j["doc_id"] for j in p["judgments"]} == {"d2" * 8, "d3" * 8}
    assert p["counts"]["mention"] == 3 and "Hosseini" in {m["surface"] for m in p["mentions"]}
    # a speaker phrase that is no name ("Its envoy") is no person
    assert ws.count_people(q="envoy") == 0
    with pytest.raises(KhabarError, match="E352"):
        ws.person("Its envoy")


def test_links_to_judgments_events_and_ties(ws):
    assert _links(ws, "Zawahiri", "events") == [("killed", "killing")]
    assert _links(ws, "Joe Biden", "events") == [("spoke", "killing")]
    assert _links(ws, "Baradar", "events") == [("met", "meeting")] == _links(ws, "Wang Yi", "events")
    assert _links(ws, "Zabihullah Mujahid", "judgments") == [("speaker", "")]
    # ties: the speaker a tie is attributed to, the doer who acts for its subject, the counterpart
    assert _links(ws, "Zabihullah Mujahid", "ties") == [("speaker", "hostile_to")]
    assert _links(ws, "Ayman al-Zawahiri", "ties") == [("doer", "endorsed")]
    assert _links(ws, "Hibatullah Akhundzada", "ties") == [("counterpart", "endorsed"), ("party", "allied_with")]
    tie = ws.person("Hibatullah Akhundzada")["ties"][0]
    assert (tie["subject"], tie["object"], tie["sentence"]) == ("al-qaeda", "taliban", DOC1[2])
    # a judgment link carries the judgment's row and its document
    j = ws.person("Leila Hosseini")["judgments"][0]
    assert j["band"] == "very likely" and j["published"] == "2021-09-01" and j["text"] == DOC2[0]


SAHEL = ("French President Emmanuel Macron announced that members of the French army killed the leader of the "
         "Islamic State in Greater Sahara, Adnan Abu Walid al-Sahrawi.")


@pytest.mark.parametrize("sentence, name, etype, role", [
    ("Ayman al-Zawahiri was killed by a US drone strike.", "Ayman al-Zawahiri", "killing", "killed"),
    ("US forces killed al-Qaeda leader Ayman al-Zawahiri in Kabul.", "Ayman al-Zawahiri", "killing", "killed"),
    ("the death of Osama bin Laden in 2011", "Osama bin Laden", "attack", "killed"),
    ("Police arrested TTP commander Qari Saifullah in Peshawar.", "Qari Saifullah", "attack", "arrested"),
    ("Anas Haqqani, who had been detained since 2014, was freed.", "Anas Haqqani", "release", "released"),
    ("Mullah Baradar met US envoy Zalmay Khalilzad in Doha.", "Zalmay Khalilzad", "meeting", "met"),
    ("as-Sahab released a video in which Ayman al-Zawahiri announced AQIS.", "Ayman al-Zawahiri", "statement",
     "spoke"),
    ("al-Qaeda has not named a successor to Ayman al-Zawahiri.", "Ayman al-Zawahiri", "statement", "named"),
    ("The attack came a year after Ahmad Shah Massoud spoke in Paris.", "Ahmad Shah Massoud", "attack", "named"),
    (SAHEL, "Adnan Abu Walid al-Sahrawi", "statement", "killed"),
    (SAHEL, "Emmanuel Macron", "statement", "spoke"),
    ("After US forces killed bin Laden in 2011, Ayman al-Zawahiri took over.", "Ayman al-Zawahiri", "attack", "named"),
    ("He worked with Anwar al Awlaki, an AQAP ideologue who was killed in a US drone strike.", "Anwar al Awlaki",
     "attack", "killed"),
    ("Boko Haram researchers have also said Shekau is dead.", "Shekau", "statement", "killed"),
    ("The army was investigating Shekau's alleged death.", "Shekau", "statement", "killed"),
])
def test_event_roles(sentence, name, etype, role):
    start = sentence.index(name)
    assert event_role(sentence, start, start + len(name), etype) == role


def test_writing_a_document_again_replaces_its_links(kb, tmp_path):
    path = tmp_path / "again.db"
    with Workspace(kb) as w:
        w.backup(path)
    with Workspace(path) as w:
        doc, ex = _doc1(with_killing=False)
        write_document(w.conn, doc, ex)
        assert _links(w, "Zawahiri", "events") == []
        assert w.person("Zawahiri")["counts"]["tie"] == 1
        # a document written with no extraction names nobody: persons only it named go
        write_document(w.conn, doc, None)
        for name in ("Zawahiri", "Hibatullah Akhundzada", "Zabihullah Mujahid"):
            with pytest.raises(KhabarError, match="E352"):
                w.person(name)
        assert w.person("Leila Hosseini")["counts"]["judgment"] == 2  # other documents' persons stay
        doc, ex = _doc1()
        write_document(w.conn, doc, ex)
        assert _links(w, "Zawahiri", "events") == [("killed", "killing")]


def test_a_base_made_before_persons_is_indexed_when_persons_are_read(kb, tmp_path):
    path = tmp_path / "old.db"
    with Workspace(kb) as w:
        w.backup(path)
        before = {p["id"]: (p["mentions"], p["judgments"], p["events"], p["ties"]) for p in w.people()}
    conn = sqlite3.connect(path)
    with conn:  # as a base stored before migration 17 has it: no persons, every document pending
        for table in ("person_links", "person_posts", "person_names", "persons"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("INSERT INTO person_pending SELECT id FROM documents")
    conn.close()
    with Workspace(path) as w:
        after = {p["id"]: (p["mentions"], p["judgments"], p["events"], p["ties"]) for p in w.people()}
        assert w.conn.execute("SELECT COUNT(*) FROM person_pending").fetchone()[0] == 0
    assert after == before and len(after) >= 7


def test_index_document_is_idempotent(kb, tmp_path):
    path = tmp_path / "twice.db"
    with Workspace(kb) as w:
        w.backup(path)
    with Store(path) as st:
        count = lambda: st.conn.execute("SELECT COUNT(*) FROM person_links").fetchone()[0]  # noqa: E731
        n = count()
        with transaction(st.conn):
            forget_document(st.conn, "d2" * 8)
            assert count() < n
            index_document(st.conn, "d2" * 8)
        assert count() == n


def test_persons_stay_out_of_the_actor_layer(ws, tmp_path):
    people = {p["id"] for p in ws.people()}
    assert {"ayman-al-zawahiri", "leila-hosseini", "zabihullah-mujahid"} <= people
    actors = {a["id"] for a in ws.actor_records()}
    assert not people & actors
    ws.export("gold", tmp_path / "kb.gold.jsonl")
    named = set()
    for line in (tmp_path / "kb.gold.jsonl").read_text().splitlines():
        rec = json.loads(line)
        for a in rec.get("actors") or []:
            named |= {a.get("id"), a.get("name"), *(a.get("surfaces") or [])}
    assert named and not named & {"Ayman al-Zawahiri", "Leila Hosseini", "Zabihullah Mujahid", *people}


def test_people_filters(ws):
    taliban = {p["id"] for p in ws.people(actor="Taliban")}
    assert {"abdul-ghani-baradar", "zabihullah-mujahid", "hibatullah-akhundzada"} <= taliban
    assert "leila-hosseini" not in taliban and "wang-yi" not in taliban
    assert [p["id"] for p in ws.people(q="hoss")] == ["leila-hosseini"]
    assert [p["id"] for p in ws.people(q="Zabiullah")] == ["zabihullah-mujahid"]  # another spelling
    everyone = [p["id"] for p in ws.people()]
    assert everyone == [p["id"] for off in range(0, len(everyone), 3) for p in ws.people(limit=3, offset=off)]
    assert ws.count_people() == len(everyone) and ws.count_people(actor="taliban") == len(taliban)
    with pytest.raises(KhabarError, match="E311"):
        ws.people(limit=-1)
    with pytest.raises(KhabarError, match="E301"):
        ws.people(actor="No Such Group")


def test_speakers_the_list_knows_by_part_of_a_name(tmp_path):
    """ "Khan Muttaqi" (a parser took "Amir" for a title) is Amir Khan Muttaqi; "Ali Khan" is not
    Chaudhry Nisar Ali Khan; "al Ansi" (a name whose start is missing) is nobody."""
    doc, sp = _doc("d4" * 8, ["Khan Muttaqi said the talks went well.", "Ali Khan said nothing new.",
                              "al Ansi said the group would fight on."], "2022-05-01", "Talks")
    ex = Extraction(doc_id=doc.id, actors=ACTORS, sentences=sp,
                    judgments=[_judgment(doc, sp[0], "Khan Muttaqi"), _judgment(doc, sp[1], "Ali Khan"),
                               _judgment(doc, sp[2], "al Ansi")])
    with Workspace(tmp_path / "kb.db") as w:
        write_document(w.conn, doc, ex)
        assert w.person("Khan Muttaqi")["id"] == "amir-khan-muttaqi"
        assert {p["id"] for p in w.people()} == {"amir-khan-muttaqi", "ali-khan"}


def test_a_person_the_text_introduces_by_role(tmp_path):
    """ "TTP commander Qari Saifullah": a person found in the text though no one quotes him, with
    the post the sentence gives, the event he took part in and the tie he is evidence for."""
    sentences = ["Pakistani police arrested TTP commander Qari Saifullah in Peshawar on March 3, 2023.",
                 "Saifullah had led attacks in Swat, the commander Abu Talha said nothing."]
    doc, sp = _doc("d6" * 8, sentences, "2023-03-05", "Arrest")
    ttp = sentences[0].index("TTP")
    actors = [*ACTORS, Actor(id="ttp", name="Tehrik-i-Taliban Pakistan", kind="armed_group"),
              Actor(id="pakistan", name="Pakistan", kind="state")]
    ex = Extraction(
        doc_id=doc.id, actors=actors, sentences=sp,
        mentions=[Mention(doc_id=doc.id, start=ttp, end=ttp + 3, surface="TTP", actor_id="ttp"),
                  Mention(doc_id=doc.id, start=0, end=9, surface="Pakistani", actor_id="pakistan")],
        events=[EventReport(doc_id=doc.id, type="attack", actors=["pakistan"], targets=["ttp"], sentence=sentences[0],
                            start=sp[0][0], end=sp[0][1], trigger="arrested")],
        assertions=[Assertion(doc_id=doc.id, subject="pakistan", type="hostile_to", object="ttp",
                              sentence=sentences[0], start=sp[0][0], end=sp[0][1])])
    with Workspace(tmp_path / "kb.db") as w:
        write_document(w.conn, doc, ex)
        p = w.person("Qari Saifullah")
        assert p["origin"] == "text"
        assert [(o["actor_id"], o["role"], o["from"]) for o in p["posts"]] == [("ttp", "commander", "2023-03-05")]
        assert [e["role"] for e in p["events"]] == ["arrested"]
        assert [(t["role"], t["type"]) for t in p["ties"]] == [("party", "hostile_to")]
        assert [m["surface"] for m in p["mentions"]] == ["Qari Saifullah", "Saifullah"]
        # "the commander Abu Talha": named by a role, but no actor before it: a person, no post
        talha = w.person("Abu Talha")
        assert talha["origin"] == "text" and talha["posts"] == []


def test_an_actors_people_with_the_posts_documents_report(tmp_path, capsys):
    """What documents say of a speaker's post comes as one post a role (in any case; the latest spelling
    shown), with the first and last document saying so."""
    later, sp = _doc("d5" * 8, ["Zabihullah Mujahid said the Taliban would not allow attacks from Afghan soil."],
                     "2023-01-10", "Later")
    ex = Extraction(doc_id=later.id, actors=ACTORS, sentences=sp,
                    judgments=[_judgment(later, sp[0], "Zabihullah Mujahid", role="Spokesman",
                                         speaker_actor="taliban")])
    path = tmp_path / "kb.db"
    with Workspace(path) as w:
        for doc, extraction in (_doc1(), (later, ex)):
            write_document(w.conn, doc, extraction)
        from khabar.store.persons import actor_people

        people = {p["id"]: p["posts"] for p in actor_people(w.conn, ["taliban"])}
        reported = [o for o in people["zabihullah-mujahid"] if o["source"] == "text"]
        assert reported == [{"role": "Spokesman", "from": "2022-08-02", "to": "2023-01-10", "source": "text",
                             "documents": 2}]
        assert "Chief spokesman" in {o["role"] for o in people["zabihullah-mujahid"]}
        assert set(people) == {"zabihullah-mujahid", "hibatullah-akhundzada"}  # Zawahiri: al-Qaeda's
        only = actor_people(w.conn, ["taliban"], persons=["hibatullah-akhundzada"])
        assert [p["id"] for p in only] == ["hibatullah-akhundzada"]
    assert main(["people", "--actor", "taliban", "--db", str(path)]) == 0
    assert "Spokesman (reported 2022-08-02 to 2023-01-10, 2 documents)" in capsys.readouterr().out


def test_person_ids_are_url_safe():
    assert person_id("Zabihullah Mujahid") == "zabihullah-mujahid"
    assert person_id("Mevlüt Çavuşoğlu") == "mevlut-cavusoglu"
    arabic = person_id("ذبيح الله مجاهد")
    assert arabic.startswith("p-") and arabic != person_id("أيمن الظواهري")


# -- the web app --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(kb):
    return TestClient(create_app(kb), base_url="http://127.0.0.1")


def test_people_pages(client):
    r = client.get("/people")
    assert r.status_code == 200
    assert 'href="/people/leila-hosseini"' in r.text and "found in the text" in r.text
    r = client.get("/people?q=baradar")
    assert "Abdul Ghani Baradar" in r.text and "Leila Hosseini" not in r.text
    r = client.get("/people?actor=taliban")
    assert "Deputy Prime Minister" in r.text and "Wang Yi" not in r.text
    # names accepted where ids are
    r = client.get("/people/Zabihullah%20Mujahid", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/people/zabihullah-mujahid"
    r = client.get("/people/zabihullah-mujahid")
    assert r.status_code == 200
    page = r.text
    assert "Chief spokesman" in page and "reported 2022-08-02" in page  # the list's post and the text's
    assert "/ties/taliban/hostile_to/united-states" in page  # a tie they are evidence for
    assert "/documents/" + "d1" * 8 + "?s=" in page  # each item linked to its sentence
    r = client.get("/people/Zawahiri", follow_redirects=True)
    assert "killed" in r.text and "pledged allegiance" in r.text
    r = client.get("/people/leila-hoseini")
    assert r.status_code == 404 and "Leila Hosseini" in r.text  # a suggestion


def test_actor_page_links_to_its_people(client):
    r = client.get("/actors/taliban")
    assert r.status_code == 200 and 'href="/people?actor=taliban"' in r.text


def test_person_pages_escape_document_text(client):
    r = client.get("/people/leila-hosseini")
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "&lt;script&gt;alert" in r.text
    assert "<img src=x" not in r.text and "&lt;img src=x" in r.text
    assert "<i>analyst</i>" not in r.text and "&lt;i&gt;analyst&lt;/i&gt;" in r.text
    assert "<b>recruits</b>" not in r.text


def test_people_api(client):
    rows = client.get("/api/people?actor=taliban").json()
    assert "zabihullah-mujahid" in {r["id"] for r in rows}
    one = client.get("/api/people/Leila%20Hosseini").json()
    assert one["id"] == "leila-hosseini" and len(one["judgments"]) == 2
    assert client.get("/api/people/nobody-at-all").status_code == 404
    assert client.get("/api/people?limit=-1").status_code == 400
    assert "/api/people" in client.get("/openapi.json").json()["paths"]


def test_person_page_statements_use_indexes(kb):
    """Every statement the person pages run is planned with indexes on the big tables."""
    from tests.test_query_plans import _scans, statements_run

    urls = ("/people", "/people?q=hoss", "/people?actor=taliban", "/people/leila-hosseini",
            "/people/ayman-al-zawahiri", "/api/people/zabihullah-mujahid")
    seen = statements_run(kb, urls)
    sqls = [s for s in seen if "person" in s and s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(sqls) > 10
    conn = sqlite3.connect(kb)
    bad = {s[:160]: _scans(conn, s) for s in sqls if _scans(conn, s)}
    # the links and posts grow with the corpus: never read whole (plans name a table by its alias)
    for s in sqls:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + s)]
        bad.update({s[:160]: step for step in plan
                    if step.startswith(("SCAN person_links", "SCAN l", "SCAN person_posts", "SCAN o"))})
    conn.close()
    assert not bad, bad


# -- the CLI -------------------------------------------------------------------------------------------------
def test_cli_people_and_person(kb, capsys):
    assert main(["people", "--db", str(kb), "--actor", "taliban"]) == 0
    out = capsys.readouterr().out
    assert "Abdul Ghani Baradar" in out and "Deputy Prime Minister (2021-09 - now)" in out and "Wang Yi" not in out
    assert main(["people", "--db", str(kb), "--name", "hoss", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["leila-hosseini"]
    assert main(["person", "Zawahiri", "--db", str(kb)]) == 0
    out = capsys.readouterr().out
    assert "Ayman al-Zawahiri" in out and "killing: killed" in out and "Emir, al-Qaeda" in out
    assert "endorsed" in out and "as doer" in out
    assert main(["person", "leila hosseini", "--db", str(kb), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["origin"] == "text"


@pytest.mark.parametrize("argv, code", [
    (["person", "Nobody Atall"], "E352"),
    (["person", " "], "E352"),
    (["people", "--limit", "-1"], "E311"),
    (["people", "--actor", "No Such Group"], "E301"),
    (["person", "Zawahiri", "--limit", "-2"], "E311"),
])
def test_cli_errors(kb, capsys, argv, code):
    try:
        status = main([*argv, "--db", str(kb)])
    except SystemExit as exc:  # an argument refused while parsing
        status = exc.code
    assert status == 2
    assert code in capsys.readouterr().err


def test_cli_read_on_a_missing_base(tmp_path, capsys):
    assert main(["people", "--db", str(tmp_path / "none.db")]) == 2
    assert "E300" in capsys.readouterr().err and not (tmp_path / "none.db").exists()


# -- the whole pipeline --------------------------------------------------------------------------------------
@pytest.mark.slow
def test_extracted_documents_give_persons(empty_ws, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(" ".join(DOC1[:2]) + "\n")
    (folder / "b.txt").write_text(DOC2[0] + "\n")
    meta = tmp_path / "meta.jsonl"
    meta.write_text('{"doc": "a.txt", "published": "2022-08-02"}\n{"doc": "b.txt", "published": "2021-09-01"}\n')
    empty_ws.ingest([folder], meta=meta)
    assert ("killed", "killing") in _links(empty_ws, "Zawahiri", "events")
    mujahid = empty_ws.person("Zabihullah Mujahid")
    assert mujahid["counts"]["judgment"] >= 1 and "taliban" in {o["actor_id"] for o in mujahid["posts"]}
    hosseini = empty_ws.person("Leila Hosseini")
    assert hosseini["origin"] == "text" and hosseini["counts"]["judgment"] >= 1
    before = {p["id"]: p["mentions"] for p in empty_ws.people()}
    empty_ws.reextract(everything=True)  # re-derived, the same
    assert {p["id"]: p["mentions"] for p in empty_ws.people()} == before
